"""Pages across procedures (fee schedule, online services) and about the site (privacy, how
to send a complaint or a suggestion)."""

from __future__ import annotations

from flask import current_app, render_template, request

from app import queries
from app.public import bp
from app.public.dated import listed, listing_on, online_listed
from app.public.schedule import SORTS, fee_rows, filters


@bp.get("/le-phi")
def fees() -> str:
    listing_on()  # first: the counts and rows below are those of ``?on=``'s day
    fields = [f for f, _count in queries.fields_with_counts()]
    chosen = filters(request.args, fields)
    return render_template("public/fees.html", fields=fields, chosen=chosen, sorts=SORTS,
                           rows=fee_rows(listed(queries.fee_schedule()), chosen))


@bp.get("/dich-vu-truc-tuyen")
def online() -> str:
    return render_template("public/online.html", procedures=online_listed())


@bp.get("/quyen-rieng-tu")
def privacy() -> str:
    return render_template("public/privacy.html")


@bp.get("/phan-anh-kien-nghi")
def complaints() -> str:
    """Where to send a complaint or a suggestion (phản ánh, kiến nghị) about a procedure or the
    staff, and what happens next. The centre's own channels come from its details, which
    administrators edit (/editor/admin/centre); the national portal's from configuration."""
    return render_template("public/complaints.html", centre=queries.centre(),
                           portal_url=current_app.config.get("COMPLAINTS_PORTAL_URL", ""))
