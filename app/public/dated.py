"""Dated changes on the public pages: ``?on=YYYY-MM-DD``, an abolished procedure's page and
what the procedure template's ``dated_changes`` block shows (``macros/dated.html``)."""

from __future__ import annotations

from datetime import date

from flask import Flask, abort, redirect, request
from werkzeug.wrappers import Response

from app import schedule
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
        abort(400, description="on= must be a date written YYYY-MM-DD")
    if abs(day.year - today_local().year) > YEARS_AROUND:
        abort(400, description="on= is too far from today")
    return day


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
    app.add_template_global(feed_links)
