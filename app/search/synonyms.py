"""The synonym and abbreviation tables, folded and cached per process.

Synonyms are applied when a query is planned, so an editor's change takes effect without
re-indexing: each process re-reads the table when a cheap fingerprint of it changes, looked
at most every ``CHECK_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Abbreviation
from app.models import Synonym as SynonymRow
from app.search.plan import Synonym
from app.search.text import fold

CHECK_SECONDS = 2.0
_cache: dict[str, tuple[tuple, float, dict[str, list[Synonym]]]] = {}
_lock = threading.Lock()


def parse(term: str, expansion: str, abbreviation: bool = False) -> Synonym | None:
    """A row as folded words. Alternatives are separated by ";": a comma belongs to the
    name it is part of ("thay đổi, cải chính, bổ sung thông tin hộ tịch" is one name, so
    its bare "thay đổi" must not become an alternative of its own)."""
    words = tuple(fold(term).split())
    parts = tuple(tuple(fold(p).split()) for p in expansion.split(";"))
    parts = tuple(p for p in parts if p)
    return Synonym(words, parts, abbreviation) if words and parts else None


def _load() -> dict[str, list[Synonym]]:
    by_first: dict[str, list[Synonym]] = {}
    rows = [(t, e, False) for t, e in db.session.execute(
        select(SynonymRow.term, SynonymRow.expansion))]
    rows += [(t, e, True) for t, e in db.session.execute(
        select(Abbreviation.term, Abbreviation.expansion))]
    for term, expansion, abbreviation in rows:
        syn = parse(term, expansion, abbreviation)
        if syn:
            by_first.setdefault(syn.term[0], []).append(syn)
    for syns in by_first.values():
        syns.sort(key=lambda s: -len(s.term))  # "sổ đỏ bị mất" before "sổ đỏ"
    return by_first


def _fingerprint(model: Any) -> tuple:
    return tuple(db.session.execute(select(
        func.count(model.id), func.max(model.id),
        func.sum(func.length(model.term) + func.length(model.expansion)))).one())


def synonyms() -> dict[str, list[Synonym]]:
    """Synonyms and abbreviations by their first folded word."""
    key = str(db.engine.url)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and now - cached[1] < CHECK_SECONDS:
        return cached[2]
    fingerprint = _fingerprint(SynonymRow) + _fingerprint(Abbreviation)
    loaded = cached[2] if cached and cached[0] == fingerprint else _load()
    with _lock:
        _cache[key] = (fingerprint, now, loaded)
    return loaded
