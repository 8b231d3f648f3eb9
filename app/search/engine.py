"""Run a query plan against a view: match, filter and count facets, rank, cut the page.

Matching and facet counting use cached per-term document sets and the per-document meta
column; only the documents that survive the filters are scored, and only as many as the page
needs (restricted scoring keeps broad queries fast).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.search.documents import Meta
from app.search.plan import CODE_BOOST, Plan

FACETS = ("field", "level", "online", "applicant", "free")
SORTS = ("relevance", "name", "updated")
RERANK_EXTRA = 10  # candidates beyond the page, so the popularity prior can reorder them


@dataclass
class Outcome:
    hits: list[tuple[int, float]]  # (procedure id, score), the page only
    total: int
    facets: dict[str, Counter] = field(default_factory=dict)
    relaxed: bool = False  # no procedure had enough of the words: any word was accepted


def _all_of(view, words: Iterable[str]) -> frozenset[int]:
    sets = sorted((view.docs("all", w) for w in words), key=len)
    if not sets:
        return frozenset()
    found = set(sets[0])
    for other in sets[1:]:
        found &= other
    return frozenset(found)


def matching(view, plan: Plan) -> tuple[set[int], bool]:
    """Documents with enough of the query's word groups; ``relaxed`` when none had."""
    seen: set[tuple[str, ...]] = set()
    groups = []
    for group in plan.groups:
        key = tuple(group.alternatives)
        if key in seen:
            continue
        seen.add(key)
        docs = set()
        for alternative in group.alternatives:
            docs |= _all_of(view, alternative.split())
        for synonym in group.synonyms:
            for expansion in synonym.expansions:
                docs |= _all_of(view, expansion)
        if docs:
            groups.append((group.filler, docs))
    code_docs = set(view.docs("code", plan.code)) if plan.code else set()
    countable = [docs for filler, docs in groups if not filler] or [d for _, d in groups]
    if not countable:
        return code_docs, False
    need = plan.min_match(len(countable))
    counts: Counter = Counter()
    for docs in countable:
        counts.update(docs)
    matched = {doc for doc, n in counts.items() if n >= need}
    if matched:
        return matched | code_docs, False
    return set(counts) | code_docs, True


def filter_and_count(meta: list[Meta | None], docs: Iterable[int],
                     filters: dict[str, str]) -> tuple[list[int], dict[str, Counter]]:
    """Documents passing every filter, and facet counts where each facet ignores its own
    filter (so the other choices of a facet still show how many they would give)."""
    active = [(name, value) for name, value in filters.items() if value]
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    passed = []
    for doc in docs:
        m = meta[doc]
        if m is None:
            continue
        facets = m.facets
        failed = [name for name, value in active if value not in facets[name]]
        if not failed:
            passed.append(doc)
            for name in FACETS:
                counts[name].update(facets[name])
        elif len(failed) == 1:
            counts[failed[0]].update(facets[failed[0]])
    return passed, counts


def _prior(m: Meta) -> float:
    """A small lift for the most-asked procedures: ties go to what people usually want."""
    if not m.popularity:
        return 1.0
    return 1.15 if m.popularity <= 10 else 1.08 if m.popularity <= 30 else 1.03


def _terms(plan: Plan) -> list[tuple[str, str, float]]:
    return plan.terms + ([("code", plan.code, CODE_BOOST)] if plan.code else [])


def rank(view, plan: Plan, docs: list[int], sort: str, offset: int,
         limit: int) -> list[tuple[int, float]]:
    """The page ``[offset, offset + limit)`` of ``docs`` in ``sort`` order, as (docnum, score)."""
    meta = view.meta
    if sort == "relevance" and not plan.empty:
        scored = view.score(_terms(plan), set(docs), offset + limit + RERANK_EXTRA)
        scored = [(d, s * _prior(meta[d])) for d, s in scored]
        scored.sort(key=lambda ds: (-ds[1], meta[ds[0]].sort_name))
        return scored[offset:offset + limit]
    if sort == "updated":
        ordered = sorted(docs, key=lambda d: (-meta[d].updated, meta[d].sort_name))
    elif sort == "name":
        ordered = sorted(docs, key=lambda d: meta[d].sort_name)
    else:  # relevance without words (filters only): the most asked first, then by name
        ordered = sorted(docs, key=lambda d: (meta[d].popularity or 10**6, meta[d].sort_name))
    page = ordered[offset:offset + limit]
    if plan.empty:
        return [(d, 0.0) for d in page]
    scores = dict(view.score(_terms(plan), set(page), len(page)))
    return [(d, scores.get(d, 0.0)) for d in page]


def run(view, plan: Plan, filters: dict[str, str], sort: str, offset: int,
        limit: int) -> Outcome:
    if plan.empty and not any(filters.values()):
        return Outcome([], 0)
    if plan.empty:
        docs, relaxed = view.live_docs(), False
    else:
        docs, relaxed = matching(view, plan)
    passed, counts = filter_and_count(view.meta, docs, filters)
    page = rank(view, plan, passed, sort, offset, limit)
    return Outcome([(view.meta[d].pid, s) for d, s in page], len(passed), counts, relaxed)
