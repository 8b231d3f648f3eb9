"""Show a draft exactly as the public would see it, in the real public template and layout.

The draft becomes an unsaved ``Procedure`` (never added to the session), and the public
template is rendered inside a request context for the public page's own URL, so the layout
(site or kiosk) and the relative links are chosen exactly as for a live page.
"""

from __future__ import annotations

import re

from flask import current_app, render_template, request, url_for
from markupsafe import Markup

from app import queries
from app.extensions import db
from app.models import Procedure
from app.presenters import canonical_url
from app.public.linked_data import government_service
from app.public.summary import calculator
from app.records import apply_procedure

PASSED_HEADERS = ("Cookie", "Accept-Language")


def transient(record: dict, real: Procedure | None = None) -> Procedure:
    """An unsaved procedure holding ``record``; raises ``RecordError`` if it cannot be stored.

    Used to validate a draft against the catalogue (slugs, dates, tiers) and to preview it.
    """
    proc = Procedure()
    with db.session.no_autoflush:
        apply_procedure(proc, record)
    if proc in db.session:
        db.session.expunge(proc)
    if real is not None:
        proc.id = real.id  # for links that use the id (feedback forms); never flushed
    return proc


def page_context(proc: Procedure, real: Procedure | None) -> dict:
    """What ``public.views.procedure`` passes to its template, for an unsaved procedure.

    Keep in step with that view (a shared function there would remove this copy).
    """
    return {
        "procedure": proc,
        "life_events": queries.life_events_for(real) if real is not None else [],
        "calculator": calculator(proc, None),
        "feedback": "",
        "structured": government_service(proc, canonical_url()),
    }


def render(record: dict, real: Procedure | None, kiosk: bool, banner: Markup,
           head: Markup) -> str:
    """The public page of ``record`` as HTML, with ``head`` added to its head (the banner's
    stylesheet) and ``banner`` at the top of its body."""
    proc = transient(record, real)
    endpoint = "kiosk.public.procedure" if kiosk else "public.procedure"
    path = url_for(endpoint, slug=proc.slug)
    headers = {name: request.headers[name] for name in PASSED_HEADERS if name in request.headers}
    lang = request.args.get("lang")
    with current_app.test_request_context(path, headers=headers,
                                          query_string={"lang": lang} if lang else None):
        html = render_template("public/procedure.html", **page_context(proc, real))
    html = html.replace("</head>", str(head) + "</head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + str(banner), html, count=1)
