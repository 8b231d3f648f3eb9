"""Show a draft exactly as the public would see it, in the real public template and layout.

The draft becomes an unsaved ``Procedure`` (never added to the session), and the public
template is rendered inside a request context for the public page's own URL, so the layout
(site or kiosk) and the relative links are chosen exactly as for a live page.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from markupsafe import Markup

from app.extensions import db
from app.i18n import locale_code, page_endpoint
from app.models import Procedure
from app.public.views import procedure_context
from app.records import apply_procedure


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


def render(record: dict, real: Procedure | None, kiosk: bool, banner: Markup) -> str:
    """The public page of ``record`` as HTML, rendered through the public view's own context
    and template, with ``banner`` in the layout's banner block."""
    proc = transient(record, real)
    # In the editor's own language: the public page's address carries it (app.i18n).
    path = url_for(page_endpoint(kiosk, locale_code(), "procedure"), slug=proc.slug)
    with current_app.test_request_context(path):
        return render_template("editor/preview.html", preview_banner=banner,
                               **procedure_context(proc, real))
