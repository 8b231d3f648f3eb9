"""Public pages. Each view asks ``queries`` and renders; shaping lives in macros/presenters."""

from __future__ import annotations

from flask import abort, redirect, render_template, request

from app import queries
from app.presenters import site_url
from app.public import bp


def page_arg() -> int:
    """A page number from the query string; anything odd is page 1."""
    try:
        return max(1, min(int(request.args.get("page", 1)), 100_000))
    except ValueError:
        return 1


@bp.get("/")
def home():
    return render_template(
        "public/home.html",
        fields=queries.fields_with_counts(),
        popular=queries.popular_procedures(),
        centre=queries.centre(),
        life_events=queries.life_events(),
    )


@bp.get("/linh-vuc/<slug>")
def field(slug: str):
    found = queries.field_by_slug(slug) or abort(404)
    return render_template("public/field.html", field=found,
                           result=queries.procedures_page(page_arg(), 20, field=found))


@bp.get("/thu-tuc/<slug>")
def procedure(slug: str):
    proc = queries.procedure_by_slug(slug)
    if proc is None:
        abort(404)
    if proc.status == "replaced" and proc.replaced_by is not None:
        return redirect(site_url("procedure", slug=proc.replaced_by.slug), code=301)
    return render_template("public/procedure.html", procedure=proc,
                           life_events=queries.life_events_for(proc))
