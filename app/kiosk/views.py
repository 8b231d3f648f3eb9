"""Kiosk-only routes and the values the kiosk layout hands to ``kiosk.js``.

Everything a person sees is the public views (nested under ``/kiosk``); this module only adds
what a shared touchscreen needs on top: QR codes for links that must not be followed on the
kiosk, a "start over" that forgets the last person, and the idle timings.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno
from flask import abort, current_app, request, session, url_for

from app.kiosk import bp

# A QR code holding more than this is too dense to scan from a screen; nothing we link is longer.
QR_MAX_URL_LENGTH = 1000
QR_SCHEMES = ("http", "https", "mailto", "tel")
QR_MAX_AGE = 24 * 3600
# The versioned API path is a public contract; the endpoint is built in the search issue.
SUGGEST_PATH = "/api/v1/suggest"


def qr_svg(data: str) -> bytes:
    """A scalable SVG QR code (black on white, with its quiet zone) for ``data``."""
    code = segno.make(data, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", border=4, omitsize=True, xmldecl=False, dark="#000",
              light="#fff", svgclass="qr", lineclass=None)
    return out.getvalue()


@bp.get("/qr.svg")
def qr():
    """``?url=`` as a QR code image: how the kiosk hands a link to the person's own phone."""
    url = request.args.get("url", "")
    if not url or len(url) > QR_MAX_URL_LENGTH or urlsplit(url).scheme not in QR_SCHEMES:
        abort(400)
    response = current_app.response_class(qr_svg(url), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = QR_MAX_AGE
    return response


@bp.get("/bat-dau-lai")
def start_over():
    """Forget the last person's server-side traces (session, language) and show the attract
    screen. ``kiosk.js`` wipes the browser side and comes here with ``location.replace``."""
    session.clear()
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    # ?lang= resets the language cookie (see app.i18n) to the kiosk's default language.
    response = current_app.redirect(url_for("kiosk.public.home", lang=default))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<path:unknown>")
def not_found(unknown: str):
    """A kiosk URL no page matches: the 404 page inside the kiosk frame, so Home and Back and
    the idle reset stay there (a routing 404 belongs to no blueprint, hence the site layout)."""
    abort(404)


def _suggest_url() -> str:
    if "api.suggest" in current_app.view_functions:
        return url_for("api.suggest")
    return request.script_root + SUGGEST_PATH


@bp.context_processor
def _kiosk_context() -> dict:
    """``kiosk``: timings and URLs for the kiosk layout (kiosk requests only)."""
    config = current_app.config
    return {"kiosk": {
        "idle_seconds": config["KIOSK_IDLE_SECONDS"],
        "warning_seconds": config["KIOSK_WARNING_SECONDS"],
        "home_url": url_for("kiosk.public.home"),
        "start_over_url": url_for("kiosk.start_over"),
        "qr_url": url_for("kiosk.qr"),
        "suggest_url": _suggest_url(),
        # The attract screen belongs to the kiosk's home; kiosk.js shows it to a new person.
        "attract": request.endpoint == "kiosk.public.home",
    }}
