"""Long texts get textareas that fit their content (issue #23, item 3): rows computed on the
server from the text's lines and length, within a minimum and a maximum."""

from __future__ import annotations

import json
from math import ceil

from sqlalchemy import select

from app.editor.textrows import LEAST, MOST, WIDTH, rows_for
from app.extensions import db
from app.models import Procedure
from app.revisions import drafts
from tests.editor_support import signed_in
from tests.html import every


def _largest(app) -> int:
    """The demo procedure whose record holds the most text."""
    with app.app_context():
        sizes = {p.id: len(json.dumps(drafts.working_record(p), ensure_ascii=False))
                 for p in db.session.scalars(select(Procedure))}
    return max(sizes, key=sizes.get)


def _wrapped(text: str) -> int:
    return sum(max(1, ceil(len(line) / WIDTH)) for line in text.split("\n"))


def test_rows_follow_lines_and_length_within_bounds():
    assert rows_for("") == rows_for(None) == LEAST
    assert rows_for("một dòng") == LEAST
    assert rows_for("\n".join(["dòng"] * 6)) == 7  # six lines and one to type into
    assert rows_for("x" * (WIDTH * 5)) == 6  # one long line wraps to five
    assert rows_for("x\r\n" * 10) == 12  # CRLF counts once
    assert rows_for("x\n" * 10_000) == MOST
    assert rows_for("x" * 10**7) == MOST  # a huge text costs no more than a long one


def test_the_largest_record_s_textareas_fit_their_text(app):
    editor = signed_in(app, "editor")
    pid = _largest(app)
    pages = [f"/editor/procedures/{pid}/edit",
             *(f"/editor/procedures/{pid}/edit/{part}" for part in ("about", "documents",
                                                                    "steps", "fees"))]
    longest = ("", "")
    for url in pages:
        html = editor.get(url).get_data(as_text=True)
        boxes = every(html, "textarea")
        assert boxes, url
        for box in boxes:
            content = box.get_text().removeprefix("\n")  # the newline WTForms writes first
            rows = int(box.get("rows", 0))
            assert LEAST <= rows <= MOST, (url, box.get("name"), rows)
            assert rows >= min(MOST, _wrapped(content)), (url, box.get("name"), rows)
            if len(content) > len(longest[1]):
                longest = (box.get("name"), content)
    assert _wrapped(longest[1]) > 2, longest  # the record has a text longer than two rows
