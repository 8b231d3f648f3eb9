"""Dated changes on the public pages: ``?on=YYYY-MM-DD``, an abolished procedure's page and
what the procedure template's ``dated_changes`` block shows (``macros/dated.html``).

Lists (home, field, agency, life event, fees, online services, search, the API list) take
``?on=`` through ``listing_on``: procedures abolished by then leave (``app.queries`` leaves
them out of its selects and counts), each listed procedure is shown as in force that day
(``listed``), and the page says which date it shows (``macros/notices.html``). Any answer
to an address with ``?on=`` carries ``X-Robots-Tag: noindex``: it is a view of the one
catalogue, never a page of its own; it is cached like any other answer (``app.caching``
keys on the query).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NoReturn
from urllib.parse import urlencode

from flask import Flask, abort, g, redirect, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import queries, schedule
from app.collation import vi_key
from app.dates import today_local
from app.models import Procedure
from app.presenters import site_url

# Far enough for any announced change, near enough that a typo is refused.
YEARS_AROUND = 50


def on_date() -> date | None:
    """``?on=YYYY-MM-DD`` of this request, None when absent; a 400 with a message when wrong."""
    raw = request.args.get("on")
    if raw is None:
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        day = date.fromisoformat(raw)
    except ValueError:
        _bad(_("The date in the address (on=) must be a real date written YYYY-MM-DD, "
               "like 2027-01-01."))
    if abs(day.year - today_local().year) > YEARS_AROUND:
        _bad(_("The date in the address (on=) is too far from today."))
    return day


def _bad(message: str) -> NoReturn:
    g.bad_request_message = message  # the error page says it (templates/errors/error.html)
    abort(400, description=message)


def shown_version(proc: Procedure) -> Procedure:
    """The version of ``proc`` this request asks for (``?on=``); from here on the request's
    "today" is that date (``app.dates.today_local``), so its fees are those of that day."""
    day = on_date()
    shown = schedule.version_on(proc, day)
    if day is not None:
        g.as_of = day
    return shown


def listing_on() -> schedule.CatalogueOn | None:
    """The catalogue as of this list request's ``?on=`` (None without one; 400 when wrong).
    From here on the request's "today" is that date, so fees are those of that day."""
    if "catalogue_on" not in g:
        day = on_date()
        g.catalogue_on = None
        if day is not None:
            schedule.list_as_of(day)
            g.as_of = day  # after list_as_of, which compares the day with the real today
    return g.catalogue_on


def listed(procs: Iterable[Procedure]) -> list[Procedure]:
    """``procs`` as a list as of ``?on=`` shows them (as they are without it)."""
    on = listing_on()
    return on.listed(procs) if on is not None else list(procs)


def online_listed() -> list[Procedure]:
    """The procedures that can be started online, as of ``?on=``: a version in force by then
    may open (or close) the online way, so the changed ones are looked at too."""
    on = listing_on()
    if on is None or not on.records:
        return listed(queries.online_procedures())
    seen = {p.id for p in queries.online_procedures()} | set(on.records)
    shown = [p for p in listed(queries.procedures_by_ids(sorted(seen)))
             if p.online_class != "none"]
    return sorted(shown, key=lambda p: (p.online_class, -(p.legacy_level or 0), vi_key(p.name)))


def listing_day() -> date | None:
    """The date a list page shows, when it was asked for one (``macros/notices.html``)."""
    on = g.get("catalogue_on")
    return on.day if on is not None else None


def without_on() -> str:
    """This page's address as of today: its query without ``on``."""
    rest = [(k, v) for k, v in request.args.items(multi=True) if k != "on"]
    return request.path + (f"?{urlencode(rest)}" if rest else "")


def _no_index(response: Response) -> Response:
    if "on" in request.args and response.status_code == 200:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def abolished_page(slug: str, endpoint: str) -> Procedure | Response:
    """After its date an abolished procedure is unpublished: its address redirects to its
    successor when there is one (301, like a replaced procedure), else shows its last version
    with the notice; anything else is 404."""
    found = schedule.abolished_by_slug(slug) or abort(404)
    proc, change = found
    if change.successor is not None and change.successor.published:
        return redirect(site_url(endpoint, slug=change.successor.slug), code=301)
    return proc


def procedure_changes(procedure: Procedure) -> dict:
    """What the page says about dated changes of ``procedure`` (the shown version)."""
    if procedure.id is None:  # the editor's preview of a new procedure
        return {"abolition": None, "upcoming": [], "recent": [], "on": None}
    day = on_date() if request else None
    upcoming = schedule.upcoming(procedure.id)
    if day is not None:  # the changes after the shown date are still to come
        upcoming = [c for c in upcoming if c.effective_on > day]
    return {"abolition": schedule.abolition_for(procedure.id), "upcoming": upcoming,
            "recent": schedule.recent(procedure.id), "on": day}


def init_app(app: Flask) -> None:
    from app.public.feeds import feed_links

    app.add_template_global(procedure_changes)
    app.add_template_global(listing_day)
    app.add_template_global(without_on)
    app.after_request(_no_index)
    app.add_template_global(feed_links)
