"""Opening hours as arithmetic on wall-clock times in Asia/Ho_Chi_Minh.

An exception covering a day replaces that day's usual hours: closed, or one special
interval. Everything takes a naive local ``datetime`` (``local_now()`` gives the app's clock
in the centre's zone), so tests move the clock and a holiday closes the whole day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.dates import CENTRE_ZONE, now
from app.models.service_points import HoursException, ServicePoint

# How far ahead "opens again" looks (Tết closes a week or so; a longer closure reads "closed").
LOOKAHEAD_DAYS = 45


def local_now() -> datetime:
    """The app's clock in the centre's zone, without the zone (what wall clocks show)."""
    return now().astimezone(CENTRE_ZONE).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class State:
    """Open now (until when) or closed (and when it opens again, if within the lookahead)."""

    open: bool
    until: time | None = None
    next_open: datetime | None = None
    exception: HoursException | None = None  # the exception that governs today, if any


def exception_on(point: ServicePoint, day: date) -> HoursException | None:
    for exc in point.exceptions:
        if exc.start_date <= day <= exc.end_date:
            return exc
    return None


def intervals_on(point: ServicePoint, day: date) -> list[tuple[time, time]]:
    """The day's open intervals, in order."""
    exc = exception_on(point, day)
    if exc is not None:
        if exc.closed or exc.opens is None or exc.closes is None:
            return []
        return [(exc.opens, exc.closes)]
    return sorted((h.opens, h.closes) for h in point.hours if h.weekday == day.weekday())


def state_at(point: ServicePoint, at: datetime) -> State:
    """Whether ``point`` is open at local time ``at``; if not, its next opening."""
    today = at.date()
    exc = exception_on(point, today)
    clock = at.time()
    for opens, closes in intervals_on(point, today):
        if opens <= clock < closes:
            return State(True, until=closes, exception=exc)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = today + timedelta(days=offset)
        for opens, _closes in intervals_on(point, day):
            if offset or opens > clock:
                return State(False, next_open=datetime.combine(day, opens), exception=exc)
    return State(False, exception=exc)


def current_exceptions(point: ServicePoint, day: date) -> list[HoursException]:
    """The exceptions that have not ended by ``day`` (past ones are history)."""
    return [exc for exc in point.exceptions if exc.end_date >= day]
