"""Editors keep where and when (``/editor/admin/gio-lam-viec``, administrators): each place's
weekly hours, written as people write them ("7:30-11:30, 13:30-17:00"), and its exceptions
(public holidays, Tết, one-off closures, special hours). Bad input is a 422 with a message."""

from __future__ import annotations

import re
from datetime import time

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.editor import admin_bp, audit
from app.editor.dayfield import FORMAT_HINT, WRONG_FORMAT, NotADay, parse_dmy
from app.extensions import db
from app.models.service_points import HoursException, OpeningHours, ServicePoint
from app.service_points.present import clock, weekday_name
from app.service_points.queries import service_point, service_points

_TIME = r"([01]?[0-9]|2[0-3])[:h.]([0-5][0-9])"
_SPAN = re.compile(_TIME + r"\s*[-–]\s*" + _TIME)  # bounded: applied to one cut part
MAX_TEXT = 300


class BadHours(ValueError):
    """What the editor wrote cannot be read; the message says why."""


def parse_spans(text: str) -> list[tuple[time, time]]:
    """"7:30-11:30, 13:30-17:00" → intervals; "" → closed that day."""
    spans = []
    for part in (p.strip() for p in text[:MAX_TEXT].split(",")):
        if not part:
            continue
        match = _SPAN.fullmatch(part)
        if match is None:
            raise BadHours(_("“%(text)s” is not a time span like 7:30-11:30.", text=part[:40]))
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        opens, closes = time(h1, m1), time(h2, m2)
        if closes <= opens:
            raise BadHours(_("In “%(text)s” the closing time is not after the opening time.",
                             text=part))
        spans.append((opens, closes))
    return sorted(spans)


def week_text(point: ServicePoint) -> list[str]:
    return [", ".join(f"{clock(h.opens)}-{clock(h.closes)}" for h in point.hours
                      if h.weekday == day) for day in range(7)]


def _page(errors: list[str], status: int = 200) -> ResponseReturnValue:
    points = service_points()
    return render_template("editor/service_points.html", points=points, errors=errors,
                           weeks={p.id: week_text(p) for p in points},
                           weekdays=[weekday_name(d) for d in range(7)],
                           form=request.form if errors else {}, day_hint=FORMAT_HINT), status


@admin_bp.get("/gio-lam-viec")
def service_points_edit() -> ResponseReturnValue:
    return _page([])


def _point_or_404(point_id: int) -> ServicePoint:
    return service_point(point_id) or abort(404)


@admin_bp.post("/gio-lam-viec/<int:point_id>/gio")
def service_point_hours(point_id: int) -> ResponseReturnValue:
    point = _point_or_404(point_id)
    try:
        week = [parse_spans(request.form.get(f"day{d}", "")) for d in range(7)]
    except BadHours as exc:
        return _page([str(exc)], 422)
    point.hours = [OpeningHours(weekday=d, opens=a, closes=b)
                   for d, spans in enumerate(week) for a, b in spans]
    audit.record("service_point_hours", point.name)
    db.session.commit()
    flash(_("The opening hours are saved."), "success")
    return redirect(url_for(".service_points_edit"))


def _exception_from_form(form) -> HoursException:
    # dd/mm/yyyy as everywhere in the editor (app.editor.dayfield); ISO stays in the API.
    try:
        first = parse_dmy(form.get("from", ""))
        last = parse_dmy(form.get("until", "")) or first
    except NotADay as exc:
        raise BadHours(str(exc)) from None
    except ValueError:
        raise BadHours(_("Give the first and last day as dates.") + " "
                       + str(WRONG_FORMAT)) from None
    if first is None or last is None:
        raise BadHours(_("Give the first and last day as dates.") + " " + str(WRONG_FORMAT))
    if last < first:
        raise BadHours(_("The last day is before the first day."))
    if (last - first).days > 366:
        raise BadHours(_("An exception lasts at most a year."))
    spans = parse_spans(form.get("hours", ""))
    if len(spans) > 1:
        raise BadHours(_("Give one time span for special hours, or none for closed."))
    opens, closes = spans[0] if spans else (None, None)
    return HoursException(start_date=first, end_date=last, closed=not spans, opens=opens,
                          closes=closes, reason=form.get("reason", "").strip()[:MAX_TEXT],
                          reason_en=form.get("reason_en", "").strip()[:MAX_TEXT])


@admin_bp.post("/gio-lam-viec/<int:point_id>/ngay-nghi")
def service_point_exception_add(point_id: int) -> ResponseReturnValue:
    point = _point_or_404(point_id)
    try:
        exc = _exception_from_form(request.form)
    except BadHours as error:
        return _page([str(error)], 422)
    point.exceptions.append(exc)
    audit.record("service_point_exception_added", point.name,
                 f"{exc.start_date}–{exc.end_date} {exc.reason}")
    db.session.commit()
    flash(_("The exception is saved."), "success")
    return redirect(url_for(".service_points_edit"))


@admin_bp.post("/gio-lam-viec/ngay-nghi/<int:exception_id>/xoa")
def service_point_exception_delete(exception_id: int) -> ResponseReturnValue:
    exc = db.session.get(HoursException, exception_id) or abort(404)
    audit.record("service_point_exception_removed", exc.point.name,
                 f"{exc.start_date}–{exc.end_date} {exc.reason}")
    db.session.delete(exc)
    db.session.commit()
    flash(_("The exception is removed."), "success")
    return redirect(url_for(".service_points_edit"))
