"""Pointers elsewhere: where to go for requests this centre does not handle ("giấy phép lái
xe" → the provincial police), kept by editors like synonyms and matched as tolerantly.

A pointer matches when one of its terms (alternatives separated by ";") appears in the query
as consecutive words: folded, so "bang lai xe" finds "bằng lái xe", after the planner's
corrections and splits ("banglaixe"), or in the expansion of an abbreviation typed ("GPLX").
A word typed with diacritics must have the term's own diacritics: "đăng ký lại xe" is not
"lái xe". The table is read per process and re-read when it changes (as ``synonyms``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import ElsewherePointer
from app.search.plan import Plan
from app.search.text import exact_key, fold_word, has_marks, words

CHECK_SECONDS = 2.0
MAX_SHOWN = 3
Word = tuple[str, str | None]  # (folded, exact spelling when written with diacritics)


@dataclass(frozen=True)
class Pointer:
    term: str  # the term that matched, as the editor wrote it
    place: str
    place_en: str
    url: str


@dataclass(frozen=True)
class _Entry:
    words: tuple[Word, ...]
    pointer: Pointer
    row: int


_cache: dict[str, tuple[tuple, float, list[_Entry]]] = {}
_lock = threading.Lock()


def spelled(text: str) -> tuple[Word, ...]:
    return tuple((fold_word(w), exact_key(w) if has_marks(w) else None) for w in words(text))


def _load() -> list[_Entry]:
    entries = []
    for row in db.session.scalars(select(ElsewherePointer)):
        for term in row.term.split(";"):
            found = spelled(term)
            if found:
                entries.append(_Entry(found, Pointer(" ".join(term.split()), row.place,
                                                     row.place_en, row.url), row.id))
    return sorted(entries, key=lambda e: -len(e.words))  # the most specific term first


def _entries() -> list[_Entry]:
    key = str(db.engine.url)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and now - cached[1] < CHECK_SECONDS:
        return cached[2]
    fingerprint = tuple(db.session.execute(select(
        func.count(ElsewherePointer.id), func.max(ElsewherePointer.id),
        func.sum(func.length(ElsewherePointer.term) + func.length(ElsewherePointer.place)
                 + func.length(ElsewherePointer.place_en) + func.length(ElsewherePointer.url)))
    ).one())
    loaded = cached[2] if cached and cached[0] == fingerprint else _load()
    with _lock:
        _cache[key] = (fingerprint, now, loaded)
    return loaded


def _agrees(typed: Word, wanted: Word) -> bool:
    return typed[0] == wanted[0] and (typed[1] is None or wanted[1] is None
                                      or typed[1] == wanted[1])


def _contains(sequence: tuple[Word, ...], term: tuple[Word, ...]) -> bool:
    size = len(term)
    return any(all(_agrees(sequence[i + j], term[j]) for j in range(size))
               for i in range(len(sequence) - size + 1))


def plan_sequences(plan: Plan) -> list[tuple[Word, ...]]:
    """What the person typed as words, as planned (corrected, split) and as expansions of
    the synonyms and abbreviations found in it."""
    planned: list[Word] = []
    for group in plan.groups:
        parts = group.alternatives[0].split()
        if parts == [group.word]:
            planned.append((group.word, exact_key(group.raw) if has_marks(group.raw) else None))
        else:
            planned.extend((part, None) for part in parts)
    typed = tuple((g.word, exact_key(g.raw) if has_marks(g.raw) else None) for g in plan.groups)
    out = [typed, tuple(planned)]  # as typed too: a correction may have missed the point
    out += [tuple((w, None) for w in expansion) for group in plan.groups
            for synonym in group.synonyms for expansion in synonym.expansions]
    return out


def find(sequences: list[tuple[Word, ...]]) -> list[Pointer]:
    """The pointers whose terms appear in any of ``sequences`` (one per pointer, at most
    ``MAX_SHOWN``, the most specific first)."""
    shown: dict[int, Pointer] = {}
    for entry in _entries():
        if entry.row not in shown and any(_contains(s, entry.words) for s in sequences):
            shown[entry.row] = entry.pointer
            if len(shown) == MAX_SHOWN:
                break
    return list(shown.values())
