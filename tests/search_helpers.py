"""Helpers for the search tests: add a procedure through the real loader and index it."""

from __future__ import annotations

from sqlalchemy import select

from app import search
from app.catalogue_io import load_catalogue
from app.extensions import db
from app.models import Procedure
from app.queries import procedures_by_ids


def add_procedure(code: str, official_name: str, **fields) -> Procedure:
    """Store a published procedure (ho-tich, commune level unless given) and index it."""
    record = {"code": code, "official_name": official_name,
              "slug": "test-" + code.replace(".", "-").lower(),
              "field": "ho-tich", "level": "xa", **fields}
    report = load_catalogue({"procedures": [record]})
    assert report.ok, report.rejected
    db.session.commit()
    search.sync()
    return db.session.scalar(select(Procedure).filter_by(code=code))


def codes(result) -> list[str]:
    """Procedure codes of a result's hits, in order."""
    return [p.code for p in procedures_by_ids(result.ids)]


def top_codes(query: str, n: int = 3, **options) -> list[str]:
    return codes(search.search(query, **options))[:n]
