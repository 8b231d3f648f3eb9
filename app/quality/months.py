"""Months as "YYYY-MM" strings, in the centre's time zone (Asia/Ho_Chi_Minh).

Two bounds keep every month walk small. A month written in an address is one of 2000-01 …
2099-12 (``parse_month``); a month *stored* (a report, an entry) must lie in the accepted
window, from ``QUALITY_FIRST_MONTH`` (2000-01) to next month (``accepted``), so a report dated
9999-12 is refused instead of stretching every page's range. ``span`` refuses to walk more
than ``MAX_WALK`` months whatever it is given.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from app.dates import now as clock_now

CENTRE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MONTH_PATTERN = r"^(20[0-9]{2})-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)
MAX_SPAN = 120  # months the page offers and one CSV download may hold (ten years)
MAX_WALK = 1200  # no code path walks more months than 2000-01 … 2099-12 holds
FIRST_ACCEPTED = "2000-01"


class BadMonth(ValueError):
    """A month that is not YYYY-MM between 2000-01 and 2099-12."""


def parse_month(text: str, name: str = "month") -> str:
    """``text`` when it is a month like 2026-10, else ``BadMonth`` naming ``name``."""
    text = text or ""
    if len(text) != 7 or not _MONTH.match(text):
        raise BadMonth(f"{name} must be a month written YYYY-MM (2000-01 to 2099-12), "
                       f"got {text[:20]!r}")
    return text


def shift(month: str, delta: int) -> str:
    """The month ``delta`` months after (or before) ``month``."""
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def distance(first: str, last: str) -> int:
    """How many months ``last`` is after ``first`` (negative when before)."""
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:])


def span(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive (empty when first > last).

    Computed from the distance, never by walking until a bound is met, and refused beyond
    ``MAX_WALK`` months: a stray far-future month can never make a page loop."""
    count = distance(first, last) + 1
    if count > MAX_WALK:
        raise ValueError(f"{first}…{last} is more than {MAX_WALK} months")
    return [shift(first, k) for k in range(max(count, 0))]


def month_of(moment: datetime) -> str:
    """The centre's month of a naive-UTC (as stored) or aware datetime."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CENTRE_ZONE).strftime("%Y-%m")


def current_month() -> str:
    """This month in the centre's time zone, by the app's clock (``app.dates.now``)."""
    return month_of(clock_now())


def accepted() -> tuple[str, str]:
    """The window of months a report or an entry may be for: ``QUALITY_FIRST_MONTH`` (default
    2000-01) to next month (a report is filed after its month ends; one month of slack)."""
    first = FIRST_ACCEPTED
    if has_app_context():
        first = current_app.config.get("QUALITY_FIRST_MONTH") or FIRST_ACCEPTED
    return first, shift(current_month(), 1)


def is_accepted(month: str) -> bool:
    first, last = accepted()
    return first <= month <= last


def year_start(month: str) -> str:
    return f"{month[:4]}-01"
