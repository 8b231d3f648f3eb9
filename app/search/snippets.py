"""Highlighted snippets: the passage of a procedure that shows why it matched.

Texts come from the database (the index stores no text). Matching is on folded words, so
"dang ky" marks "Đăng ký". Output is escaped HTML with ``<mark>`` around matched words,
returned as ``Markup`` so templates do not escape it twice.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from markupsafe import Markup
from sqlalchemy import literal, select, union_all

from app.extensions import db
from app.models import Document, DocumentCase, Procedure, Step
from app.search.text import fold_word

WIDTH = 180
_WORD = re.compile(r"[^\W_]+")


def highlight(text: str, marks: set[str]) -> Markup:
    """``text`` escaped, with words whose folded form is in ``marks`` wrapped in <mark>."""
    text = unicodedata.normalize("NFC", text or "")
    out, last = [], 0
    for match in _WORD.finditer(text):
        if fold_word(match.group()) in marks:
            # Words are letters and digits only, so they need no escaping themselves.
            out += [html.escape(text[last:match.start()], quote=False),
                    "<mark>", match.group(), "</mark>"]
            last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return Markup("".join(out))


@functools.lru_cache(maxsize=8192)  # steps and document names repeat across procedures
def _folded_words(text: str) -> frozenset[str]:
    return frozenset(fold_word(w) for w in _WORD.findall(text))


def _score(text: str, marks: set[str]) -> int:
    return len(_folded_words(text) & marks)


def _window(text: str, marks: set[str]) -> str:
    """About WIDTH characters of ``text`` around its first marked word, cut at spaces."""
    text = " ".join(text.split())
    if len(text) <= WIDTH:
        return text
    first = next((m.start() for m in _WORD.finditer(text) if fold_word(m.group()) in marks), 0)
    start = max(0, first - WIDTH // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + WIDTH)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def _sources(ids: list[int]) -> dict[int, list[str]]:
    """Per procedure, the texts a snippet may come from, most telling first; the last two
    are the description and the result."""
    texts: dict[int, list[str]] = {pid: [] for pid in ids}
    rows = db.session.execute(select(Procedure.id, Procedure.official_name, Procedure.keywords,
                                     Procedure.description, Procedure.result)
                              .where(Procedure.id.in_(ids)))
    later: dict[int, list[str]] = {pid: [] for pid in ids}
    for pid, official, keywords, description, result in rows:
        texts[pid] += [official, ", ".join(keywords or [])]
        later[pid] += [description, result]
    documents = (select(DocumentCase.procedure_id, Document.name, literal(0).label("kind"))
                 .join(Document, Document.case_id == DocumentCase.id)
                 .where(DocumentCase.procedure_id.in_(ids)))
    steps = select(Step.procedure_id, Step.text, literal(1)).where(Step.procedure_id.in_(ids))
    for pid, text, _kind in db.session.execute(union_all(documents, steps).order_by("kind")):
        texts[pid].append(text)
    return {pid: [t for t in texts[pid] if t] + later[pid] for pid in ids}


def snippets(ids: list[int], marks: set[str]) -> dict[int, Markup]:
    """A highlighted snippet for each procedure id (the description when nothing matched)."""
    if not ids:
        return {}
    out = {}
    for pid, texts in _sources(ids).items():
        best = max(texts, key=lambda t: _score(t, marks), default="") if marks else ""
        if not best or not _score(best, marks):
            best = next((t for t in texts[-2:] if t), texts[0] if texts else "")
        out[pid] = highlight(_window(best, marks), marks)
    return out
