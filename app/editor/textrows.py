"""How many rows a textarea in an editor's form gets: enough for what it holds, so a long note
is read whole instead of scrolled in a box of two lines (issue #23, item 3). Computed on the
server, so it holds without JavaScript; the browser still lets people resize the box."""

from __future__ import annotations

from math import ceil

LEAST = 3  # an empty box still looks like a place for a paragraph
MOST = 30  # past this a page of text would push the rest of the form off the screen
WIDTH = 70  # characters on one line of a field (editor.css: .field max-width 40rem)
MAX_READ = 20_000  # longer texts are capped at MOST rows anyway: count no further


def rows_for(text: object, least: int = LEAST, most: int = MOST, width: int = WIDTH) -> int:
    """Rows for ``text``: its lines, each as many rows as it wraps to at ``width``
    characters, one row more to type into, within ``least``…``most``."""
    value = "" if text is None else str(text)[:MAX_READ]
    lines = value.replace("\r\n", "\n").split("\n")
    needed = sum(max(1, ceil(len(line) / width)) for line in lines) + 1
    return max(least, min(most, needed))
