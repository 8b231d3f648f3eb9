""""Was this page useful?" and "Report wrong information": stored anonymously for editors.

Nothing that identifies a person is kept: no IP address, no cookie, no account, and anything
typed that looks like an e-mail address or a phone or ID number is blanked before storing.
"""

from __future__ import annotations

import re

from flask import redirect, request
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Feedback
from app.presenters import site_url
from app.public import bp
from app.public.views import live_procedure

MAX_REASON = 1000
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_LONG_NUMBER = re.compile(r"(?:\+?\d[\s.\-]?){8,}")


def scrub(text: str) -> str:
    """The reason as typed, minus anything that looks like an e-mail address or a long number."""
    text = _EMAIL.sub("[…]", text)
    return _LONG_NUMBER.sub("[…] ", text).strip()[:MAX_REASON]


def _parse(form) -> tuple[Feedback | None, str]:
    """A Feedback row, or None and the error code the page explains."""
    kind = form.get("kind")
    reason = scrub(form.get("reason", ""))
    if kind == "useful":
        answer = form.get("useful")
        if answer not in ("yes", "no"):
            return None, "choose"
        return Feedback(kind="useful", useful=answer == "yes", reason=reason), ""
    if kind == "report":
        if not reason:
            return None, "describe"
        return Feedback(kind="report", reason=reason), ""
    return None, "choose"


@bp.post("/thu-tuc/<slug>/y-kien")
def feedback(slug: str) -> Response:
    proc = live_procedure(slug)
    if isinstance(proc, Response):
        return proc
    row, error = _parse(request.form)
    if row is None:
        anchor = "report" if request.form.get("kind") == "report" else "useful"
        return redirect(site_url("procedure", slug=proc.slug, feedback=error,
                                 _anchor=anchor), code=303)
    row.procedure_id = proc.id
    db.session.add(row)
    db.session.commit()
    return redirect(site_url("procedure", slug=proc.slug, feedback="thanks",
                             _anchor="feedback"), code=303)
