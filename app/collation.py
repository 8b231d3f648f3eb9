"""Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
with the tone marks only after the letters (as a Vietnamese dictionary orders words).

Why a table here rather than a library: the Unicode default order (pyuca's DUCET) treats
ă â ê ô ơ ư as accented a e o u, so "ăn" would sort before "az"; the CLDR Vietnamese
tailoring that fixes this ships with ICU, and PyICU needs ICU's C++ headers to build (not on
our servers), while PostgreSQL's "vi-x-icu" collation exists only where PostgreSQL was built
with ICU and SQLite has none. So both databases return rows and Python orders them with this
one key, which is the CLDR tailoring written out for the 29 letters and five tones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

# Letters that are letters of their own in Vietnamese, as base + combining mark (NFD).
_LETTERS = ("a", "a\u0306", "a\u0302", "b", "c", "d", "đ", "e", "e\u0302", "f", "g", "h",
            "i", "j", "k", "l", "m", "n", "o", "o\u0302", "o\u031b", "p", "q", "r", "s",
            "t", "u", "u\u031b", "v", "w", "x", "y", "z")
_RANK = {letter: i for i, letter in enumerate(_LETTERS)}
# Tones, in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SHAPE = {"\u0306", "\u0302", "\u031b"}


def _split(text: str) -> list[tuple[str, int]]:
    """(letter, tone) for each base character of ``text``, lower-cased, in NFD."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.combining(ch):
            if out and ch in _SHAPE:
                out[-1] = (out[-1][0] + ch, out[-1][1])
            elif out and ch in _TONES:
                out[-1] = (out[-1][0], _TONES[ch])
            continue
        out.append((ch, 0))
    return out


def vi_key(text: str | None) -> tuple:
    """A sort key: letters first (primary), then tones, then the text itself (a stable tie)."""
    parts = _split((text or "")[:300])
    letters = tuple(-1 if letter.isspace() else _RANK.get(letter, 100 + ord(letter[0]))
                    for letter, _tone in parts)
    return (letters, tuple(tone for _letter, tone in parts), text or "")


def sorted_vi(items: Iterable[T], name=lambda item: item) -> list[T]:
    """``items`` in Vietnamese alphabetical order of ``name(item)``."""
    return sorted(items, key=lambda item: vi_key(name(item)))
