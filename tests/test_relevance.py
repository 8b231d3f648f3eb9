"""The relevance suite: real citizen queries must find the expected procedure first (or at
least in the top 3), and search must list few results. Figures are printed (run with -s)."""

from __future__ import annotations

import statistics

from sqlalchemy import select

from app import search
from app.extensions import db
from app.models import Procedure
from tests.relevance_set import NEW_KINDS, RELEVANCE_SET
from tests.search_helpers import codes

AT_1, AT_3, MEDIAN_LISTED = 0.90, 0.97, 10


def test_relevance_set_is_real_and_a_third_is_of_the_new_kinds(ctx):
    assert len(RELEVANCE_SET) >= 150
    assert len({query for query, _, _ in RELEVANCE_SET}) == len(RELEVANCE_SET)
    assert 3 * sum(kind in NEW_KINDS for _, _, kind in RELEVANCE_SET) >= len(RELEVANCE_SET)
    assert {kind for _, _, kind in RELEVANCE_SET} == {"basic", *NEW_KINDS}
    known = set(db.session.scalars(select(Procedure.code).where(Procedure.published.is_(True))))
    assert {code for _, code, _ in RELEVANCE_SET} <= known


def _share(hits: list[bool]) -> float:
    return sum(hits) / len(hits)


def test_success_at_one_and_three_and_results_listed(ctx):
    first, top3, listed, misses = [], [], [], []
    by_kind: dict[str, list[bool]] = {}
    for query, expected, kind in RELEVANCE_SET:
        result = search.search(query, per_page=3)
        found = codes(result)
        first.append(found[:1] == [expected])
        top3.append(expected in found)
        listed.append(result.total)
        by_kind.setdefault(kind, []).append(found[:1] == [expected])
        if found[:1] != [expected]:
            misses.append(f"{'  ' if expected in found else '✗ '}{query!r} ({kind}): "
                          f"expected {expected}, got {found}")
    at1, at3, median = _share(first), _share(top3), statistics.median(listed)
    print(f"\nrelevance over {len(RELEVANCE_SET)} queries: success@1 {at1:.1%} "
          f"(required {AT_1:.0%}), success@3 {at3:.1%} (required {AT_3:.0%}), "
          f"median results listed {median:g} (required ≤ {MEDIAN_LISTED})")
    for kind, hits in by_kind.items():
        print(f"  {kind:<12} {len(hits):>3} queries, success@1 {_share(hits):.1%}")
    for miss in misses:
        print("  not first:", miss)
    assert at1 >= AT_1 and at3 >= AT_3 and median <= MEDIAN_LISTED, "\n".join(misses)
