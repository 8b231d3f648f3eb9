""""Was this page useful?" and "Report wrong information": stored anonymously for editors.

Nothing that identifies a person is kept: no IP address, no cookie, no account, and anything
typed that looks like an e-mail address or a phone or ID number is blanked before storing.

The forms carry no per-visitor token (citizens' pages set no cookie, so a proxy may cache
them). Forgery is refused instead by what browsers say about where a POST comes from
(``app.security.cross_site``); every client is rate-limited in shared storage; the body is
capped before it is parsed and the reason is cut to its limit before any pattern sees it.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from app import ratelimit
from app.clientaddr import client_address
from app.extensions import csrf, db
from app.models import Feedback
from app.presenters import site_url
from app.public import bp
from app.public.views import live_procedure
from app.security import cross_site
from app.vocab import FeedbackKind

MAX_REASON = 1000
# The fields plus a 1,000-character reason even if every letter has diacritics (up to 3 UTF-8
# bytes, 9 once URL-encoded).
MAX_BODY = 16 * 1024
# Bounded on both sides of "@", and a match may only start where a word starts (the
# lookbehind), so each position costs O(1) unless it begins a word: linear in the text (the
# unbounded form took seconds on 40,000 characters).
_EMAIL = re.compile(r"(?<![^\s@])[^\s@]{1,64}@[^\s@]{1,255}")
_LONG_NUMBER = re.compile(r"(?:\+?\d[\s.\-]?){8,40}")


def scrub(text: str) -> str:
    """The reason as typed, cut to its limit, minus anything that looks like an e-mail address
    or a long number."""
    text = _EMAIL.sub("[…]", text[:MAX_REASON])
    return _LONG_NUMBER.sub("[…] ", text).strip()[:MAX_REASON]


def _parse(form) -> tuple[Feedback | None, str]:
    """A Feedback row, or None and the error code the page explains."""
    kind = form.get("kind")
    reason = scrub(form.get("reason", "")[:MAX_REASON])
    if kind == FeedbackKind.USEFUL:
        answer = form.get("useful")
        if answer not in ("yes", "no"):
            return None, "choose"
        return Feedback(kind=FeedbackKind.USEFUL, useful=answer == "yes", reason=reason), ""
    if kind == FeedbackKind.REPORT:
        if not reason:
            return None, "describe"
        return Feedback(kind=FeedbackKind.REPORT, reason=reason), ""
    return None, "choose"


def _refused(status: int, message: str, retry_after: int | None = None):
    """A page in the site's layout saying why the feedback was not taken."""
    headers = {"Cache-Control": "no-store"}
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    page = render_template("public/feedback_refused.html", status=status, message=message)
    return page, status, headers


def _limiter_key() -> str:
    # Keyed by a keyed hash of the address, so the shared table never holds an IP address.
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, client_address().encode(), hashlib.sha256).hexdigest()[:32]
    return f"feedback:{digest}"


def _within_rate() -> tuple[bool, int]:
    limit = int(current_app.config.get("FEEDBACK_RATE_LIMIT", 10))
    window = float(current_app.config.get("FEEDBACK_RATE_WINDOW", 600))
    key = _limiter_key()
    if ratelimit.allow(key, limit, window):
        ratelimit.prune()  # feedback is rare: keeping the shared table small costs little here
        return True, 0
    return False, max(1, int(ratelimit.remaining_wait(key, limit, window)) + 1)


@bp.post("/thu-tuc/<slug>/y-kien")
@csrf.exempt  # no per-visitor token: see the module docstring
def feedback(slug: str) -> Response:
    if cross_site():
        return _refused(403, _("This form can only be sent from this site's own pages."))
    request.max_content_length = MAX_BODY
    try:
        form = request.form
    except RequestEntityTooLarge:
        return _refused(413, _("The message is too long. Keep it under %(num)s characters.",
                               num=MAX_REASON))
    proc = live_procedure(slug)
    if isinstance(proc, Response):
        return proc
    allowed, wait = _within_rate()
    db.session.commit()  # the attempt counts whatever the form holds
    if not allowed:
        return _refused(429, _("Too many messages were sent from your connection. Please try "
                               "again in a few minutes."), retry_after=wait)
    row, error = _parse(form)
    if row is None:
        reporting = form.get("kind") == FeedbackKind.REPORT
        anchor = FeedbackKind.REPORT if reporting else FeedbackKind.USEFUL
        return redirect(site_url("procedure", slug=proc.slug, feedback=error,
                                 _anchor=anchor), code=303)
    row.procedure_id = proc.id
    db.session.add(row)
    db.session.commit()
    return redirect(site_url("procedure", slug=proc.slug, feedback="thanks",
                             _anchor="feedback"), code=303)
