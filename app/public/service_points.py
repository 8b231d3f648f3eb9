"""``/gio-lam-viec``: opening hours, today's state, counters and the other places to apply
or get help (site and kiosk: a route of the public blueprint)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from app.public import bp
from app.service_points.present import exception_dates, exception_hours, point_view
from app.service_points.queries import service_points
from app.vocab import ServicePointKind


@bp.get("/gio-lam-viec", endpoint="service_points")
def service_points_page() -> str:
    return render_template("public/service_points.html",
                           points=[point_view(p) for p in service_points()])


_GLOBALS: dict[str, Any] = {"service_point_kinds": ServicePointKind.labels(),
                            "exception_dates": exception_dates,
                            "exception_hours": exception_hours}
for _name, _value in _GLOBALS.items():
    bp.add_app_template_global(_value, _name)
