"""``/api/v1/procedures``: the published catalogue as JSON."""

from __future__ import annotations

from flask import current_app, jsonify, request, url_for

from app import queries
from app.api import bp
from app.api.errors import BadParameter, int_param, json_error
from app.api.schema import openapi_document
from app.fees import amount_for
from app.models import Fee, Procedure
from app.records import procedure_to_dict

MAX_PER_PAGE = 100


def fee_summary(fee: Fee) -> dict:
    return {"name": fee.name, "kind": fee.kind, "amount": fee.amount, "unit": fee.unit,
            "cap": fee.cap, "free": fee.amount == 0, "example_amount_for_1": amount_for(fee, 1)}


def list_item(proc: Procedure) -> dict:
    return {
        "code": proc.code,
        "name": proc.name,
        "official_name": proc.official_name,
        "slug": proc.slug,
        "url": url_for("public.procedure", slug=proc.slug, _external=True),
        "field": proc.field.slug if proc.field else None,
        "online_class": proc.online_class,
        "fees": [dict(fee_summary(f), channel=c.kind) for c in proc.channels for f in c.fees],
    }


@bp.get("/procedures")
def procedure_list():
    page = int_param(request.args, "page", 1, 1, 100_000)
    per_page = int_param(request.args, "per_page", 20, 1, MAX_PER_PAGE)
    field = None
    if slug := request.args.get("field"):
        field = queries.field_by_slug(slug)
        if field is None:
            raise BadParameter(f"field {slug[:60]!r} is not a known field slug")
    result = queries.procedures_page(page, per_page, field=field)
    return jsonify({"items": [list_item(p) for p in result.items], "total": result.total,
                    "page": result.page, "per_page": result.per_page, "pages": result.pages})


@bp.get("/procedures/<code>")
def procedure_detail(code: str):
    proc = queries.procedure_by_code(code)
    if proc is None:
        return json_error(404, f"no published procedure has the code {code[:60]!r}")
    record = procedure_to_dict(proc)
    record["url"] = url_for("public.procedure", slug=proc.slug, _external=True)
    record["online_service_url"] = proc.online_service_url(
        current_app.config["ONLINE_SERVICE_URL_TEMPLATE"])
    record["updated_at"] = proc.updated_at.isoformat()
    return jsonify(record)


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
