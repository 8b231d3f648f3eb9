"""``/api/v1/procedures``: the published catalogue as JSON, fees as in force on a date."""

from __future__ import annotations

import re
from datetime import date

from flask import jsonify, request

from app import queries
from app.api import bp, serialize
from app.api.errors import BadParameter, int_param, json_error
from app.api.schema import CODE_MAX_LENGTH, MAX_PAGE, openapi_document
from app.dates import today_local
from app.schedule import list_as_of, version_on

MAX_PER_PAGE = 100
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_param(name: str = "on") -> date:
    """``?on=YYYY-MM-DD``, or today in the centre's time zone."""
    raw = request.args.get(name)
    if raw is None:
        return today_local()
    try:
        # Only YYYY-MM-DD in ASCII digits: fromisoformat also takes "2026-W01-1", "20260101"
        # and other forms that would make one day answer under many addresses.
        if not ISO_DAY.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a date written YYYY-MM-DD, got {raw[:40]!r}") from None


def field_param():
    slug = request.args.get("field")
    if slug is None:
        return None
    field = queries.field_by_slug(slug)
    if field is None:
        raise BadParameter(f"field {slug[:60]!r} is not a known field slug")
    return field


@bp.get("/procedures")
def procedure_list():
    page = int_param(request.args, "page", 1, 1, MAX_PAGE)
    per_page = int_param(request.args, "per_page", 20, 1, MAX_PER_PAGE)
    field, on = field_param(), date_param()
    # As of a date: abolished by then left out, each as in force that day (app.schedule).
    as_of = list_as_of(on) if "on" in request.args else None
    result = queries.procedures_page(page, per_page, field=field)
    page_on = on if as_of else None  # each item's page as of the same date
    items = [serialize.list_item(as_of.version(p) if as_of else p, on, page_on)
             for p in result.items]
    return jsonify(serialize.page(items, result.total, result.page, result.per_page,
                                  result.pages))


@bp.get("/procedures/<code>")
def procedure_detail(code: str):
    on = date_param()
    proc = queries.procedure_by_code(code) if len(code) <= CODE_MAX_LENGTH else None
    if proc is None:
        return json_error(404, f"no published procedure has the code {code[:60]!r}")
    page_on = on if "on" in request.args else None
    # the version in force on ``on``
    return jsonify(serialize.procedure(version_on(proc, on), on, page_on))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
