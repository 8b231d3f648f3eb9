"""The page number a list was asked for, read the same way everywhere."""

from __future__ import annotations

from flask import request

MAX_PAGE = 100_000


def page_arg() -> int:
    """``?page=`` as a page number from 1 to ``MAX_PAGE``; anything odd (text, 0, 10**19) is
    clamped, so it never reaches the database as a huge offset."""
    try:
        return max(1, min(int(request.args.get("page", 1)), MAX_PAGE))
    except (TypeError, ValueError):
        return 1
