"""THE search interface. The rest of the app calls only these functions; whoosh stays inside
``backend``.

Writes go through one path: ``index``/``remove`` record a change row (the outbox) in the
caller's transaction; ``sync`` (or the per-node ``follow`` loop) applies pending changes to
this node's index under Whoosh's single writer lock. Readers never write: ``search`` and
``suggest`` use a long-lived searcher per process, refreshed when the index changed. When
the index is missing or unreadable they answer from the database and a rebuild starts.
"""

from __future__ import annotations

import functools
import heapq
import logging
import operator
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Procedure, SearchChange
from app.search import backend, bits, elsewhere, engine, fallback, readers, snippets
from app.search.facets import applicant_labels, describe
from app.search.follower import follow
from app.search.indexer import Report, index_root, rebuild, repair_soon, sync, verify
from app.search.plan import Plan, make_plan, suggestion
from app.search.querylog import most_asked, plausible, record_query
from app.search.results import FacetValue, Hit, SearchResult
from app.search.synonyms import synonyms
from app.search.text import clean_query, fold, fold_word, words

__all__ = [
    "FacetValue", "Hit", "Report", "SearchResult", "Suggestion", "follow", "index",
    "index_exists", "is_healthy", "most_asked", "plausible", "rebuild", "record_query",
    "remove", "search", "suggest", "suggest_procedures", "sync", "verify",
]
log = logging.getLogger(__name__)
SORTS = engine.SORTS
MAX_PAGE = 1000
SUGGEST_LIMIT = 8
# Bounded repeats: an unbounded "\d+\." is quadratic when searched over a long run of digits.
_CODE = re.compile(r"(\d{1,3}\.\d{3,8}(\.[\w.]{1,60})?|demo-\d{1,12})")


def index(procedure_id: int) -> None:
    """Queue a procedure for (re)indexing; applied by ``sync`` after the caller commits."""
    db.session.add(SearchChange(procedure_id=procedure_id))


def remove(procedure_id: int) -> None:
    """Queue a procedure for removal (``sync`` removes anything not published)."""
    db.session.add(SearchChange(procedure_id=procedure_id))


def index_exists() -> bool:
    return backend.exists(index_root())


def is_healthy() -> bool:
    """True when this node's index can be opened for reading."""
    try:
        readers.views.get(index_root())
    except backend.IndexUnavailable:
        return False
    return True


def _plan(query: str, view) -> Plan:
    return make_plan(query, view, synonyms(), lambda text: bool(_CODE.fullmatch(text)))


def _unavailable(exc: Exception) -> None:
    log.warning("search index unavailable, answering from the database: %s", exc)
    readers.views.drop(index_root())
    if current_app.config.get("SEARCH_AUTO_REPAIR", True):
        repair_soon(current_app._get_current_object())


def search(query: str, *, field: str | None = None, level: str | None = None,
           online: str | None = None, applicant: str | None = None, free: bool | None = None,
           sort: str = "relevance", page: int = 1, per_page: int = 20,
           everything: bool = False) -> SearchResult:
    """Published procedures for any text (never raises on user input; empty text with no
    filter finds nothing). Filters are exact facet values; ``free=True`` keeps free
    procedures only. ``sort`` is one of ``SORTS`` (ValueError otherwise); ``page`` is clamped
    to 1…MAX_PAGE. Matches far less relevant than the best are counted in ``more``, not
    listed, unless ``everything``. Hits carry procedure ids: load rows with
    ``queries.procedures_by_ids`` (or use ``pipeline.find``, which also records the query)."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    text = clean_query(query)
    page, per_page = max(1, min(int(page), MAX_PAGE)), max(1, min(int(per_page), 100))
    filters = {"field": field or "", "level": level or "", "online": online or "",
               "applicant": applicant or "", "free": "yes" if free else ""}
    result = SearchResult(text, fold(text), [], 0, page, per_page, sort, filters,
                          everything=everything)
    offset = (page - 1) * per_page
    try:
        view = readers.views.get(index_root())
        plan = _plan(text, view)
        outcome = engine.run(view, plan, filters, sort, offset, per_page, everything)
        labels = view.derived.get("applicants")
        if labels is None:
            labels = view.derived["applicants"] = applicant_labels(view.meta)
    except Exception as exc:  # a missing or damaged index must not take search down
        _unavailable(exc)
        return _fallback(result, offset)
    result.folded = plan.folded()
    result.total, result.relaxed, result.more = outcome.total, outcome.relaxed, outcome.more
    result.facets = describe(outcome.facets, filters, labels)
    result.suggestion = suggestion(plan)
    result.elsewhere = elsewhere.find(elsewhere.plan_sequences(plan))
    ids = [pid for pid, _ in outcome.hits]
    marked = snippets.snippets(ids, snippets.marks_for(plan))
    result.hits = [Hit(pid, round(score, 4), marked[pid]) for pid, score in outcome.hits]
    return result


def _fallback(result: SearchResult, offset: int) -> SearchResult:
    wanted = [fold_word(w) for w in words(result.query)]
    ids, result.total = fallback.search(wanted, offset, result.per_page)
    marked = snippets.snippets(ids, snippets.marks_for_words(wanted))
    result.hits = [Hit(pid, 0.0, marked[pid]) for pid in ids]
    result.degraded = True
    result.elsewhere = elsewhere.find([elsewhere.spelled(result.query)])
    return result


@dataclass(frozen=True)
class Suggestion:
    name: str  # the plain name, else the official one
    code: str
    slug: str


def suggest(prefix: str) -> list[str]:
    """Up to 8 procedure names for what has been typed so far (see ``suggest_procedures``)."""
    return [s.name for s in suggest_procedures(prefix)]


def suggest_procedures(prefix: str) -> list[Suggestion]:
    """Up to 8 procedures for what has been typed so far, matched on folded words of their
    names (the last one as a prefix), names starting with it first, then the most asked."""
    text = clean_query(prefix)[:100]
    typed = [fold_word(w) for w in words(text)]
    if len("".join(typed)) < 2:
        return []
    done, last = (typed, "") if not text[-1].isalnum() else (typed[:-1], typed[-1])
    start = " ".join(typed)
    try:
        view = readers.views.get(index_root())
        found = bits.all_of([view.live, *(view.docs("name", w) for w in done)])
        if last:
            found &= functools.reduce(operator.or_, (
                view.docs("name", t) for t in view.prefix_terms("name", last)), 0)
    except Exception as exc:
        _unavailable(exc)
        return []
    inner = " " + start

    def key(doc: int) -> tuple:
        m = view.meta[doc]
        return (not m.sort_name.startswith(start), inner not in m.sort_name,
                m.popularity or 10**6, m.sort_name)

    ids = [view.meta[d].pid for d in heapq.nsmallest(SUGGEST_LIMIT, bits.to_ids(found), key)]
    rows = {pid: Suggestion(name, code, slug) for pid, name, code, slug in db.session.execute(
        select(Procedure.id, func.coalesce(func.nullif(Procedure.plain_name, ""),
                                           Procedure.official_name), Procedure.code,
               Procedure.slug)
        .where(Procedure.id.in_(ids), Procedure.published.is_(True))).all()}
    return [rows[pid] for pid in ids if pid in rows]
