"""``/api/v1/service-points``: where and when, as the pages ``/gio-lam-viec`` show it.

Times are wall-clock times in Asia/Ho_Chi_Minh written ``HH:MM``; weekdays are ISO numbers
(1 = Monday … 7 = Sunday); ``exceptions`` lists those that have not ended by the day asked
about; ``open_now`` is as of the request's local time, or ``?at=`` a local date-time.
"""

from __future__ import annotations

from datetime import datetime, time

from flask import jsonify, request
from werkzeug.wrappers import Response

from app.api import bp
from app.api.errors import BadParameter
from app.models.service_points import HoursException, ServicePoint
from app.service_points.hours import current_exceptions, local_now, state_at
from app.service_points.queries import service_points


def at_param() -> datetime:
    """``?at=`` a local date-time (minutes or seconds, no zone; the centre's zone is implied,
    ``app.api.schema.SP_AT_PATTERN``), or now."""
    raw = request.args.get("at")
    if raw is None:
        return local_now()
    try:
        if not 16 <= len(raw) <= 19 or raw[10:11] != "T":
            raise ValueError
        return datetime.fromisoformat(raw)
    except ValueError:
        raise BadParameter("at must be a local date-time written YYYY-MM-DDTHH:MM "
                           f"(Asia/Ho_Chi_Minh, no zone), got {raw[:40]!r}") from None


def hhmm(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def exception_json(exc: HoursException) -> dict:
    closed = exc.closed or exc.opens is None or exc.closes is None
    return {"from": exc.start_date.isoformat(), "until": exc.end_date.isoformat(),
            "closed": closed, "opens": None if closed else hhmm(exc.opens),
            "closes": None if closed else hhmm(exc.closes), "reason": exc.reason}


def point_json(point: ServicePoint, at: datetime) -> dict:
    counters = point.centre.counters if point.centre else []
    return {
        "name": point.name,
        "kind": point.kind,
        "address": point.address,
        "counters": [{"number": c.number, "handles": c.name} for c in counters],
        "opening_hours": [{"weekday": h.weekday + 1, "opens": hhmm(h.opens),
                           "closes": hhmm(h.closes)} for h in point.hours],
        "exceptions": [exception_json(e) for e in current_exceptions(point, at.date())],
        "open_now": state_at(point, at).open,
    }


@bp.get("/service-points")
def service_points_api() -> Response:
    at = at_param()
    return jsonify({"items": [point_json(p, at) for p in service_points()]})
