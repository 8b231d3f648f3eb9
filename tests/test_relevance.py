"""The relevance suite: real citizen queries must find the expected procedure in the top 3."""

from __future__ import annotations

from sqlalchemy import select

from app import search
from app.extensions import db
from app.models import Procedure
from tests.relevance_set import RELEVANCE_SET
from tests.search_helpers import codes

REQUIRED = 0.95


def test_relevance_set_is_real(ctx):
    assert len(RELEVANCE_SET) >= 60
    known = set(db.session.scalars(select(Procedure.code)))
    assert {code for _, code in RELEVANCE_SET} <= known


def test_expected_procedure_in_top_three(ctx):
    misses = []
    for query, expected in RELEVANCE_SET:
        found = codes(search.search(query, per_page=3))
        if expected not in found:
            misses.append(f"{query!r}: expected {expected}, got {found}")
    share = 1 - len(misses) / len(RELEVANCE_SET)
    print(f"\nrelevance: {share:.1%} of {len(RELEVANCE_SET)} queries find the expected "
          f"procedure in the top 3 (required {REQUIRED:.0%})")
    for miss in misses:
        print("  miss", miss)
    assert share >= REQUIRED, "\n".join(misses)
