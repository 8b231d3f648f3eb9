"""The centre's clock: what day it is in Asia/Ho_Chi_Minh, and dates as people write them.

Every "in force today" decision goes through ``today_local()`` so the switch happens at local
midnight by itself. Tests move the clock by setting config ``CLOCK`` to a callable returning an
aware ``datetime`` (or by monkeypatching ``now``), never by sleeping; tests of real server
processes set ``MOTCUA_TEST_CLOCK_FILE`` (config ``TEST_CLOCK_FILE``) and write the instant in
that file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, has_app_context, has_request_context

CENTRE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current instant (aware); config ``CLOCK`` overrides it, for tests, and so does
    ``TEST_CLOCK_FILE`` for tests of several server processes (refused in production)."""
    if not has_app_context():
        return datetime.now(UTC)
    clock: Callable[[], datetime] | None = current_app.config.get("CLOCK")
    if clock is not None:
        return clock()
    if current_app.config.get("TEST_CLOCK_FILE"):
        return _file_clock(current_app.config["TEST_CLOCK_FILE"])
    return datetime.now(UTC)


def _file_clock(path: str) -> datetime:
    """The instant written in ``path`` (ISO 8601 with its offset), read at every call so a
    test moves every worker at once; the real time while the file is missing or empty."""
    try:
        with open(path, encoding="utf-8") as clock_file:
            text = clock_file.read().strip()
    except FileNotFoundError:
        text = ""
    return datetime.fromisoformat(text) if text else datetime.now(UTC)


def today_local() -> date:
    """Today's date in the centre's time zone (Asia/Ho_Chi_Minh); on a page asked for as of
    another date (``?on=``, ``app.public.dated.shown_version``), that date, so every dated
    fact on it (fees, documents in force) is the one of that day."""
    as_of = g.get("as_of") if has_request_context() else None
    return as_of if as_of is not None else now().astimezone(CENTRE_ZONE).date()


def dmy(value: date | None) -> str:
    """A date as people write it in Vietnam, in both languages: ``31/12/2026``."""
    return value.strftime("%d/%m/%Y") if value is not None else ""


def local_date(stored: datetime) -> date:
    """The centre's calendar day of a stored (naive UTC) time."""
    return stored.replace(tzinfo=UTC).astimezone(CENTRE_ZONE).date()
