"""Months as "YYYY-MM" strings, in the centre's time zone (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

CENTRE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MONTH_PATTERN = r"^(20[0-9]{2})-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)
MAX_SPAN = 120  # months the page offers and one CSV download may hold (ten years)


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


def span(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive (empty when first > last)."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = shift(month, 1)
    return months


def month_of(moment: datetime) -> str:
    """The centre's month of a naive-UTC (as stored) or aware datetime."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CENTRE_ZONE).strftime("%Y-%m")


def current_month() -> str:
    return month_of(datetime.now(UTC))


def year_start(month: str) -> str:
    return f"{month[:4]}-01"
