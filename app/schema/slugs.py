"""Address parts (slugs) made from Vietnamese titles: "Trẻ sinh ra ở nước ngoài" →
"tre-sinh-ra-o-nuoc-ngoai". Used for document cases, whose slug goes in ``?truong-hop=``."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 80


def slugify(text: str, limit: int = MAX_LENGTH) -> str:
    """Lower-case ASCII words joined by "-" (tones and hooks dropped, đ → d); "" for no word.
    The text is cut before matching so the pattern never runs over unbounded input."""
    decomposed = unicodedata.normalize("NFD", (text or "")[: limit * 4].lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")
    slug = _NOT_WORD.sub("-", bare).strip("-")
    return slug[:limit].rstrip("-")


def unique_slugs(wanted: list[str], titles: list[str], fallback: str) -> list[str]:
    """One slug per entry, unique among them: the editor's ``wanted`` slug, else one made from
    the title, else ``fallback``-N; a repeat gets "-2", "-3"…"""
    out: list[str] = []
    taken = set(filter(None, wanted))  # an editor's slug is never renamed for a made one
    for i, (slug, title) in enumerate(zip(wanted, titles, strict=True)):
        if slug:
            out.append(slug)
            continue
        base = slugify(title) or f"{fallback}-{i + 1}"
        candidate, n = base, 2
        while candidate in out or candidate in taken:
            candidate = f"{base[: MAX_LENGTH - 4]}-{n}"
            n += 1
        out.append(candidate)
    return out
