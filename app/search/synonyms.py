"""The synonym table (colloquial names, abbreviations), folded and cached per process.

Synonyms are applied when a query is planned, so an editor's change takes effect without
re-indexing: each process re-reads the table when a cheap fingerprint of it changes, looked
at most every ``CHECK_SECONDS``.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from app.extensions import db
from app.models import Synonym as SynonymRow
from app.search.plan import Synonym
from app.search.text import fold

CHECK_SECONDS = 2.0
_cache: dict[str, tuple[tuple, float, dict[str, list[Synonym]]]] = {}
_lock = threading.Lock()


def parse(term: str, expansion: str) -> Synonym | None:
    """A synonym row as folded words; the expansion's comma-separated parts are alternatives."""
    words = tuple(fold(term).split())
    parts = tuple(tuple(fold(p).split()) for p in expansion.split(","))
    parts = tuple(p for p in parts if p)
    return Synonym(words, parts) if words and parts else None


def _load() -> dict[str, list[Synonym]]:
    by_first: dict[str, list[Synonym]] = {}
    for term, expansion in db.session.execute(select(SynonymRow.term, SynonymRow.expansion)):
        syn = parse(term, expansion)
        if syn:
            by_first.setdefault(syn.term[0], []).append(syn)
    for syns in by_first.values():
        syns.sort(key=lambda s: -len(s.term))  # "sổ đỏ bị mất" before "sổ đỏ"
    return by_first


def synonyms() -> dict[str, list[Synonym]]:
    """Synonyms by their first folded word."""
    key = str(db.engine.url)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and now - cached[1] < CHECK_SECONDS:
        return cached[2]
    fingerprint = tuple(db.session.execute(select(
        func.count(SynonymRow.id), func.max(SynonymRow.id),
        func.sum(func.length(SynonymRow.term) + func.length(SynonymRow.expansion)))).one())
    loaded = cached[2] if cached and cached[0] == fingerprint else _load()
    with _lock:
        _cache[key] = (fingerprint, now, loaded)
    return loaded
