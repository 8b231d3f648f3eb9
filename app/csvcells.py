"""Cells of every CSV the site writes, made safe for spreadsheet programs.

A text cell that starts with ``= + - @``, a TAB or a CR would run as a formula when the file
is opened (CSV injection): it is written with a leading ``'``, which spreadsheets show as
text, and readers of our own files take off again (``restore``).
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: object) -> str:
    """The cell's text, with a leading ``'`` when it would otherwise start a formula.
    Numbers are written as they are (a negative count is not a formula)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def restore(text: str) -> str:
    """A cell as written by ``neutral``, read back."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text
