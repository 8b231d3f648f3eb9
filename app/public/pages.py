"""Pages across procedures (fee schedule, online services) and about the site (privacy)."""

from __future__ import annotations

from flask import render_template, request

from app import queries
from app.public import bp
from app.public.schedule import SORTS, fee_rows, filters


@bp.get("/le-phi")
def fees() -> str:
    fields = [f for f, _count in queries.fields_with_counts()]
    chosen = filters(request.args, fields)
    return render_template("public/fees.html", fields=fields, chosen=chosen, sorts=SORTS,
                           rows=fee_rows(queries.fee_schedule(), chosen))


@bp.get("/dich-vu-truc-tuyen")
def online() -> str:
    return render_template("public/online.html", procedures=queries.online_procedures())


@bp.get("/quyen-rieng-tu")
def privacy() -> str:
    return render_template("public/privacy.html")
