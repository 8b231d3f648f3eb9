"""Run a query plan against a view: match, filter and count facets, rank, cut the page.

Document sets are bitsets (see ``bits``), so matching, filters and facet counts cost a few
big-integer operations however many procedures match. Ranking is restricted: a cheap
weighted sum of which terms each document has (bit-sliced, no per-document Python loop)
keeps the best few dozen, and only those get exact BM25F scores.

Fewer, better results: matches that do not cover the query's distinctive words (see
``coverage``) or score far below the best one (under ``RELATED`` of it) are not listed; they
are counted as ``more`` and listed only when asked for (``everything``).
"""

from __future__ import annotations

import functools
import heapq
import operator
from dataclasses import dataclass, field

from app.search import bits, coverage
from app.search.documents import Meta
from app.search.plan import CODE_BOOST, Plan
from app.search.text import bigrams

FACETS = ("field", "level", "online", "applicant", "free")
SORTS = ("relevance", "name", "updated")
POOL = 40  # documents scored exactly for a first page of 20 (twice the page end later)
MAX_POOL = 400  # when many tie in the cheap sum, the exact scoring stops here
RELATED = 0.3  # a match scoring under this share of the best one is "less related"
CUT_POOL = 60  # documents scored to decide the cut; when all pass, nothing is cut


@dataclass
class Outcome:
    hits: list[tuple[int, float]]  # (procedure id, score), the page only
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    relaxed: bool = False  # no procedure had enough of the words: any word was accepted
    more: int = 0  # less related matches left out of ``total`` (see ``RELATED``)


def matching(view, plan: Plan) -> tuple[int, bool]:
    """Live documents with enough of the query's word groups; ``relaxed`` when none had."""
    seen: set[tuple[str, ...]] = set()
    groups: list[tuple[bool, int]] = []
    for group in plan.groups:
        key = tuple(group.alternatives)
        if key in seen:
            continue
        seen.add(key)
        found = 0
        for alternative in group.alternatives:
            found |= bits.all_of(view.docs("all", w) for w in alternative.split())
        if group.synonyms and all(len(s.term) > 1 for s in group.synonyms):
            # A colloquial phrase ("đổi tên") means itself, not its words scattered over a
            # record ("đổi chủ hộ … sang tên"): the words count only where the phrase is.
            found &= functools.reduce(operator.or_, (
                _phrase(view, s.term) for s in group.synonyms), 0)
        for synonym in group.synonyms:
            for expansion in synonym.expansions:
                found |= bits.all_of(view.docs("all", w) for w in expansion)
        if found:
            groups.append((group.filler, found))
    code = view.docs("code", plan.code) if plan.code else 0
    countable = [found for filler, found in groups if not filler] or [f for _, f in groups]
    if not countable:
        return code & view.live, False
    matched = bits.at_least(countable, plan.min_match(len(countable))) & view.live
    if matched:
        return matched | (code & view.live), False
    return (bits.at_least(countable, 1) | code) & view.live, True


def _phrase(view, words: tuple[str, ...]) -> int:
    """Documents whose names or keywords have ``words`` as consecutive syllables."""
    return bits.all_of(view.docs("name", pair) | view.docs("kw", pair) for pair in bigrams(
        list(words)))


def facet_sets(view) -> dict[str, dict[str, int]]:
    """Facet name → value → documents, built once per view."""
    cached = view.derived.get("facets")
    if cached is None:
        ids: dict[str, dict[str, list[int]]] = {name: {} for name in FACETS}
        for doc, meta in enumerate(view.meta):
            if meta is not None:
                for name in FACETS:
                    for value in meta.facets[name]:
                        ids[name].setdefault(value, []).append(doc)
        cached = view.derived["facets"] = {
            name: {value: bits.from_ids(docs) for value, docs in values.items()}
            for name, values in ids.items()}
    return cached


def filter_and_count(view, matched: int, filters: dict[str, str]) -> tuple[
        int, dict[str, dict[str, int]]]:
    """Documents passing every filter, and facet counts where each facet ignores its own
    filter (so the other values of a facet still show how many they would give)."""
    sets = facet_sets(view)
    chosen = {name: sets[name].get(value, 0) for name, value in filters.items() if value}
    passed = bits.all_of([matched, *chosen.values()])
    counts: dict[str, dict[str, int]] = {}
    for name in FACETS:
        base = bits.all_of([matched, *(s for other, s in chosen.items() if other != name)])
        counts[name] = {value: n for value, docs in sets[name].items()
                        if (n := (base & docs).bit_count())}
    return passed, counts


def _prior(m: Meta) -> float:
    """A small lift for the most-asked procedures (ties go to what people usually want), and
    a drop for those no longer in force (people want what applies now)."""
    lift = 1.0
    if m.popularity:
        lift = 1.15 if m.popularity <= 10 else 1.08 if m.popularity <= 30 else 1.03
    return lift if m.in_force else lift * 0.6


def _terms(plan: Plan) -> list[tuple[str, str, float]]:
    return plan.terms + ([("code", plan.code, CODE_BOOST)] if plan.code else [])


def _pool(view, terms: list[tuple[str, str, float]], passed: int, size: int) -> list[int]:
    """The ``size`` documents (about) most worth exact scoring, by a cheap weighted sum."""
    if passed.bit_count() > size:
        weighted = [(view.docs(f, t) & passed, boost * view.weight(f, t)) for f, t, boost in terms]
        weighted = [(docs, w) for docs, w in weighted if docs]
        top = max((w for _, w in weighted), default=1.0)
        total = bits.WeightedSum()
        for docs, w in weighted:
            total.add(docs, max(1, round(127 * w / top)))
        passed = total.top(passed, size)
    return bits.to_ids(passed)[:MAX_POOL]


def _scored(view, terms: list[tuple[str, str, float]], docs: list[int],
            known: dict[int, float]) -> dict[int, float]:
    """Exact scores (prior included) of ``docs``, reusing and filling ``known``."""
    new = [d for d in docs if d not in known]
    if new:
        scores = view.scores(terms, new)
        known.update((d, scores[d] * _prior(view.meta[d])) for d in new)
    return known


def rank(view, plan: Plan, passed: int, sort: str, offset: int, limit: int,
         known: dict[int, float] | None = None) -> list[tuple[int, float]]:
    """The page ``[offset, offset + limit)`` of ``passed`` in ``sort`` order, as (doc, score).
    ``known`` holds exact scores already worked out for this plan."""
    meta = view.meta
    terms = _terms(plan)
    if sort == "relevance" and not plan.empty:
        docs = _pool(view, terms, passed, max(POOL, 2 * (offset + limit)))
        scores = _scored(view, terms, docs, {} if known is None else known)
        ranked = sorted(((d, scores[d]) for d in docs),
                        key=lambda ds: (-ds[1], meta[ds[0]].sort_name))
        return ranked[offset:offset + limit]
    if sort == "updated":
        def key(d: int) -> tuple:
            return -meta[d].updated, meta[d].sort_name
    elif sort == "name":
        def key(d: int) -> tuple:
            return (meta[d].sort_name,)
    else:  # relevance without words (filters only): the most asked first, then by name
        def key(d: int) -> tuple:
            return meta[d].popularity or 10**6, meta[d].sort_name
    page = heapq.nsmallest(offset + limit, bits.to_ids(passed), key=key)[offset:]
    scores = view.scores(terms, page) if terms else {}
    return [(d, scores.get(d, 0.0)) for d in page]


def related(view, plan: Plan, matched: int, known: dict[int, float]) -> int:
    """The matches worth listing: those scoring at least ``RELATED`` of the best one. Decided
    on the best ``CUT_POOL`` by the cheap sum (their exact scores land in ``known``); when
    every one of those passes, the cut cannot be told and all matches are kept."""
    if plan.empty or matched.bit_count() < 2:
        return matched
    docs = _pool(view, _terms(plan), matched, CUT_POOL)
    scored = _scored(view, _terms(plan), docs, known)
    best = max((scored[d] for d in docs), default=0.0)
    kept = [d for d in docs if scored[d] >= RELATED * best]
    if len(kept) == len(docs) and matched.bit_count() > len(docs):
        return matched
    return bits.from_ids(kept)


def run(view, plan: Plan, filters: dict[str, str], sort: str, offset: int,
        limit: int, everything: bool = False) -> Outcome:
    """Match, keep what covers the query and scores near the best (unless ``everything``),
    filter, count, rank."""
    if plan.empty and not any(filters.values()):
        return Outcome([], 0)
    if plan.empty:
        matched, relaxed, answers = view.live, False, view.live
    else:
        (matched, relaxed), answers = matching(view, plan), coverage.covered(view, plan)
        matched |= answers
    known: dict[int, float] = {}
    listed = matched if everything else related(view, plan, answers, known)
    passed, counts = filter_and_count(view, listed, filters)
    more = 0
    if listed != matched:
        more = bits.all_of([matched & ~listed, *(
            facet_sets(view)[name].get(value, 0) for name, value in filters.items() if value)
        ]).bit_count()
    page = rank(view, plan, passed, sort, offset, limit, known)
    return Outcome([(view.meta[d].pid, s) for d, s in page], passed.bit_count(), counts,
                   relaxed, more)
