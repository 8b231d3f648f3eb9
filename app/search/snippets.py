"""Honest snippets: a sentence of the procedure's description or one of its documents that
shows why it matched, never its keyword or synonym list (which reads like spam).

Only whole words and phrases of the query are marked: a run of two or more words the query
has in that order ("khai sinh", or a synonym's expansion such as "giấy chứng nhận quyền sử
dụng đất"), or a single word only when it stands alone in the query or is no Vietnamese
syllable ("CCCD", "passport"). So "khai sinh" marks "khai sinh", not the "khai" of "kê
khai" nor the "sinh" of "sinh viên"; a word typed with diacritics marks only that spelling
("đăng" is not "đang"). Runs that touch are marked as one.

Texts come from the database (the index stores no text). Output is escaped HTML with
``<mark>`` around matched runs, returned as ``Markup`` so templates do not escape it twice.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.models import Document, DocumentCase, Procedure
from app.search.plan import Plan
from app.search.text import exact_key, fold_word, has_marks
from app.search.understand import looks_english

WIDTH = 180
MAX_RUN = 12
_WORD = re.compile(r"[^\W_]+")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")


@dataclass(frozen=True)
class Marks:
    """What may be marked: runs of consecutive query words, and words that may stand alone."""

    runs: frozenset[tuple[str, ...]]  # folded runs of two or more words
    alone: frozenset[str]  # folded words marked on their own
    exact: dict[str, str]  # folded word → the only spelling to mark (typed with diacritics)

    def __bool__(self) -> bool:
        return bool(self.runs or self.alone)


def _runs(sequence: list[str]) -> set[tuple[str, ...]]:
    return {tuple(sequence[i:j]) for i in range(len(sequence))
            for j in range(i + 2, min(len(sequence), i + MAX_RUN) + 1)}


def marks_for(plan: Plan) -> Marks:
    """The marks of a planned query (typed words, corrections, synonyms' expansions)."""
    typed: list[str] = []
    exact: dict[str, str] = {}
    counted = [g for g in plan.groups if not g.filler]
    for group in plan.groups:
        parts = group.alternatives[0].split()
        typed.extend(parts)
        if parts == [group.word] and has_marks(group.raw):
            exact[group.word] = exact_key(group.raw)
    runs = _runs(typed)
    for group in plan.groups:
        for synonym in group.synonyms:
            for expansion in synonym.expansions:
                runs |= _runs(list(expansion))
                if len(expansion) == 1:
                    runs.add(expansion)
    alone = {w for g in counted for w in g.alternatives[0].split()
             if len(counted) == 1 or looks_english(w) or not w.isalpha()}
    for run in [r for r in runs if len(r) == 1]:
        alone.add(run[0])
    return Marks(frozenset(r for r in runs if len(r) > 1), frozenset(alone), exact)


def marks_for_words(folded: list[str]) -> Marks:
    """Marks for plain folded words (search without the index)."""
    return Marks(frozenset(_runs(folded)), frozenset(folded if len(folded) == 1 else ()), {})


def _spans(text: str, marks: Marks) -> list[tuple[int, int]]:
    """Character spans of ``text`` to mark: the longest run at each word, left to right."""
    found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    keys = []
    for _start, _end, word in found:
        key = fold_word(word)
        wanted = marks.exact.get(key)
        keys.append(key if wanted is None or exact_key(word) == wanted else "")
    spans, i = [], 0
    while i < len(found):
        size = next((k for k in range(min(MAX_RUN, len(found) - i), 1, -1)
                     if tuple(keys[i:i + k]) in marks.runs), 0)
        if not size and keys[i] and keys[i] in marks.alone:
            size = 1
        if size:
            start, end = found[i][0], found[i + size - 1][1]
            if spans and not text[spans[-1][1]:start].strip():
                start = spans.pop()[0]  # touching runs read as one phrase
            spans.append((start, end))
            i += size
        else:
            i += 1
    return spans


def highlight(text: str, marks: Marks) -> Markup:
    """``text`` escaped, with the runs ``marks`` allows wrapped in <mark>."""
    text = unicodedata.normalize("NFC", text or "")
    out, last = [], 0
    for start, end in _spans(text, marks):
        out += [html.escape(text[last:start], quote=False), "<mark>",
                html.escape(text[start:end], quote=False), "</mark>"]
        last = end
    out.append(html.escape(text[last:], quote=False))
    return Markup("".join(out))


def _score(text: str, marks: Marks) -> int:
    return sum(len(_WORD.findall(text[a:b])) for a, b in _spans(text, marks))


def _window(text: str, marks: Marks) -> str:
    """About WIDTH characters of ``text`` around its first marked run, cut at spaces."""
    text = " ".join(text.split())
    if len(text) <= WIDTH:
        return text
    spans = _spans(text, marks)
    first = spans[0][0] if spans else 0
    start = max(0, first - WIDTH // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + WIDTH)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text or "") if s.strip()]


def _sources(ids: list[int]) -> dict[int, list[str]]:
    """Per procedure, the sentences of its description, then its documents' names."""
    texts: dict[int, list[str]] = {pid: [] for pid in ids}
    for pid, description in db.session.execute(
            select(Procedure.id, Procedure.description).where(Procedure.id.in_(ids))):
        texts[pid] += sentences(description)
    for pid, name in db.session.execute(
            select(DocumentCase.procedure_id, Document.name)
            .join(Document, Document.case_id == DocumentCase.id)
            .where(DocumentCase.procedure_id.in_(ids))
            .order_by(DocumentCase.position, Document.position)):
        if name and name not in texts[pid]:
            texts[pid].append(name)
    return texts


def snippets(ids: list[int], marks: Marks) -> dict[int, Markup]:
    """A snippet for each procedure id: its best-matching sentence, marked; the first
    sentence of the description when none matches ("" when it has no text at all)."""
    if not ids:
        return {}
    out = {}
    for pid, texts in _sources(ids).items():
        best = max(texts, key=lambda t: _score(t, marks), default="") if marks else ""
        if not best or not _score(best, marks):
            best = texts[0] if texts else ""
        out[pid] = highlight(_window(best, marks), marks)
    return out
