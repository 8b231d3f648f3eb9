"""Opening hours in words, in the reader's language: "Đang mở cửa – đến 17:00",
"Đã nghỉ, mở lại 7:30 thứ Hai", a week's table and the exceptions ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.dates import dmy
from app.models.service_points import HoursException, ServicePoint
from app.presenters import localized
from app.service_points.hours import State, current_exceptions, local_now, state_at

# Monday first, as datetime.weekday() counts; used inside sentences ("mở lại 7:30 thứ Hai").
WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday"))
# Beyond this many days ahead the date is given as well as the weekday.
NEAR_DAYS = 6


def clock(value: time) -> str:
    """"7:30", "17:00": how the centre writes times, in both languages."""
    return f"{value.hour}:{value.minute:02d}"


def weekday_name(number: int) -> str:
    name = str(WEEKDAYS[number])
    return name[:1].upper() + name[1:]


def state_text(state: State, at: datetime) -> str:
    if state.open and state.until is not None:
        return _("Open now – until %(time)s", time=clock(state.until))
    if state.next_open is None:
        return _("Closed")
    when, days = state.next_open, (state.next_open.date() - at.date()).days
    if days == 0:
        return _("Closed, opens again at %(time)s today", time=clock(when.time()))
    if days == 1:
        return _("Closed, opens again at %(time)s tomorrow", time=clock(when.time()))
    day = str(WEEKDAYS[when.weekday()])
    if days > NEAR_DAYS:
        day = f"{day} {dmy(when.date())}"
    return _("Closed, opens again at %(time)s %(day)s", time=clock(when.time()), day=day)


@dataclass(frozen=True)
class WeekRow:
    weekday: str
    intervals: str  # "7:30–11:30, 13:30–17:00" or "" (closed)


def week(point: ServicePoint) -> list[WeekRow]:
    rows = []
    for number in range(7):
        spans = sorted((h.opens, h.closes) for h in point.hours if h.weekday == number)
        rows.append(WeekRow(weekday_name(number),
                            ", ".join(f"{clock(a)}–{clock(b)}" for a, b in spans)))
    return rows


def exception_dates(exc: HoursException) -> str:
    if exc.start_date == exc.end_date:
        return dmy(exc.start_date)
    return f"{dmy(exc.start_date)} – {dmy(exc.end_date)}"


def exception_hours(exc: HoursException) -> str:
    if exc.closed or exc.opens is None or exc.closes is None:
        return _("Closed")
    return _("Open %(start)s–%(end)s only", start=clock(exc.opens), end=clock(exc.closes))


@dataclass(frozen=True)
class PointView:
    point: ServicePoint
    name: object
    state: str
    open: bool
    week: list[WeekRow]
    exceptions: list[HoursException]


def point_view(point: ServicePoint, at: datetime | None = None) -> PointView:
    at = at or local_now()
    state = state_at(point, at)
    return PointView(point, localized(point, "name"), state_text(state, at), state.open,
                     week(point), current_exceptions(point, at.date()))


def today_line(points: list[ServicePoint], at: datetime | None = None) -> str:
    """The centre's state for the kiosk's home tile ("" when no centre is entered)."""
    centre = next((p for p in points if p.kind == "centre"), None)
    if centre is None:
        return ""
    at = at or local_now()
    return state_text(state_at(centre, at), at)
