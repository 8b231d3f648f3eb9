"""Helpers to check a rendered page: status, <title>, <html lang>, one <h1>."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.title = ""
        self.h1: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in ("title", "h1"):
            self._in = tag
            if tag == "h1":
                self.h1.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1[-1] += data


def check_page(response, status: int = 200, lang: str = "vi", h1: str | None = None) -> _Outline:
    """Assert the basics every HTML page must have, and return its outline."""
    assert response.status_code == status, response.status_code
    assert response.mimetype == "text/html"
    outline = _Outline()
    outline.feed(response.get_data(as_text=True))
    assert outline.lang == lang
    assert outline.title.strip(), "empty <title>"
    assert len(outline.h1) == 1, f"expected one <h1>, got {outline.h1}"
    if h1 is not None:
        assert h1 in re.sub(r"\s+", " ", outline.h1[0])
    return outline
