"""Addresses the site handed out in earlier releases and no longer serves itself.

Procedure and kiosk addresses end up on posters, in QR codes and in browsers that stay open
for days (a kiosk keeps its page until the next reset), so an address that goes away answers
301 to its successor rather than 404. ``tests/test_public_pages.py::test_public_url_snapshot``
lists every old address, so removing one is a deliberate act.

Only paths are redirected (a relative ``Location``, never built from the ``Host``), like the
``?lang=`` redirects of ``app.i18n``: a kiosk reached on a LAN address stays on it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, redirect, url_for

from app.i18n import default_language, page_endpoint

bp = Blueprint("legacy", __name__)


@bp.get("/kiosk/bat-dau-lai")
def kiosk_start_over() -> Response:
    """The kiosk's old reset address (it cleared a server session; the server now keeps
    nothing). A kiosk still showing a page from before the update resets here once."""
    return redirect(url_for(page_endpoint(True, default_language(), "home")), code=301)


@bp.get("/files/<string(maxlength=40):name>")
def form_file(name: str) -> Response:
    """The form files' old second public address; ``/mau-don/<name>`` is the one that serves
    them, and only while a published procedure links the file (404 otherwise)."""
    return redirect(url_for(page_endpoint(False, default_language(), "form_file"), name=name),
                    code=301)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
