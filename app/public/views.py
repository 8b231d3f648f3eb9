"""Public pages about procedures and where to find them. Each view asks ``queries`` and
renders; shaping lives in ``app.public.summary`` and the macros."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request
from werkzeug.wrappers import Response

from app import queries
from app.models import Procedure
from app.paging import page_arg
from app.presenters import canonical_url, is_kiosk, public_url, site_url
from app.public import bp
from app.public.answer import ALL_CASES, CASE_ARG, case_choice
from app.public.dated import abolished_page, listed, listing_on, online_listed, shown_version
from app.public.linked_data import government_service
from app.public.summary import calculator


def per_page() -> int:
    return current_app.config["PER_PAGE"]


@bp.get("/")
def home() -> str:
    if is_kiosk():  # one screen of large tiles (templates/kiosk/home.html, app.kiosk.home)
        return render_template("kiosk/home.html", centre=queries.centre())
    dated = listing_on() is not None
    return render_template(
        "public/home.html",
        fields=queries.fields_with_counts(),
        popular=listed(queries.popular_procedures()),
        online_count=len(online_listed()) if dated else queries.online_count(),
        centre=queries.centre(),
        life_events=queries.life_events(),
    )


@bp.get("/linh-vuc/<slug>")
def field(slug: str) -> str:
    found = queries.field_by_slug(slug) or abort(404)
    listing_on()
    return render_template("public/field.html", field=found, result=_listed_page(
        queries.procedures_page(page_arg(), per_page(), field=found)))


@bp.get("/co-quan")
def agencies() -> str:
    return render_template("public/agencies.html", agencies=queries.agencies_with_counts())


@bp.get("/co-quan/<slug>")
def agency(slug: str) -> str:
    found = queries.agency_by_slug(slug) or abort(404)
    listing_on()
    return render_template("public/agency.html", agency=found, result=_listed_page(
        queries.procedures_page(page_arg(), per_page(), agency=found)))


def _listed_page(page: queries.Page) -> queries.Page:
    """A page of procedures as of ``?on=`` (its selects already left out the abolished)."""
    page.items = listed(page.items)
    return page


def live_procedure(slug: str, endpoint: str = "procedure") -> Procedure | Response:
    """The published procedure, or a 301 to its replacement's ``endpoint`` page, or 404."""
    proc = queries.procedure_by_slug(slug)
    if proc is None:
        return abolished_page(slug, endpoint)
    if proc.status == "replaced" and proc.replaced_by is not None and proc.replaced_by.published:
        return redirect(site_url(endpoint, slug=proc.replaced_by.slug), code=301)
    return proc


@bp.get("/thu-tuc/<slug>")
def procedure(slug: str) -> str | Response:
    proc = live_procedure(slug)
    if isinstance(proc, Response):
        return proc
    return render_template("public/procedure.html", **procedure_context(
        shown_version(proc), proc, request.args.get("count"),
        request.args.get("feedback", ""), request.args.get(CASE_ARG)))


def procedure_context(proc: Procedure, real: Procedure | None, count: str | None = None,
                      feedback: str = "", case: str | None = None) -> dict:
    """What the procedure page renders; the editor's preview passes an unsaved ``proc`` and
    the stored one as ``real`` (for its life events), so both pages share this one context."""
    return {
        "procedure": proc,
        "life_events": queries.life_events_for(real) if real is not None else [],
        "calculator": calculator(proc, count),
        "feedback": feedback,
        "structured": government_service(proc, canonical_url()),
        **_case_context(proc, case),
    }


def _case_context(proc: Procedure, asked: str | None) -> dict:
    """The case the address asks for, and the query arguments that keep it in links."""
    choice = case_choice(proc, asked)
    keep = {CASE_ARG: choice.chosen.slug} if choice.several and choice.chosen else {}
    if choice.several and choice.chosen is None:
        keep = {CASE_ARG: ALL_CASES}
    return {"choice": choice, "choice_args": keep}


@bp.get("/thu-tuc/<slug>/in")
def procedure_print(slug: str) -> str | Response:
    proc = live_procedure(slug, "procedure_print")
    if isinstance(proc, Response):
        return proc
    shown = shown_version(proc)
    cases = _case_context(shown, request.args.get(CASE_ARG))
    return render_template("public/procedure_print.html", procedure=shown, **cases,
                           page_url=public_url("procedure", slug=proc.slug,
                                               **cases["choice_args"]))


@bp.get("/su-kien-cuoc-song")
def life_events() -> str:
    return render_template("public/life_events.html", life_events=queries.life_events())


@bp.get("/su-kien-cuoc-song/<slug>")
def life_event(slug: str) -> str:
    found = queries.life_event_by_slug(slug) or abort(404)
    shown: dict[int, Procedure] = {}
    for step in found.steps:  # a step's procedure as of ``?on=``; none when gone or unpublished
        if step.procedure is not None and step.procedure.published:
            shown.update((step.id, proc) for proc in listed([step.procedure]))
    return render_template("public/life_event.html", event=found, shown=shown)
