"""Kiosk-only routes and the values the kiosk layout hands to ``kiosk.js``.

Everything a person sees is the public views (nested under ``/kiosk``); this module only adds
what a shared touchscreen needs on top: QR codes for links that must not be followed on the
kiosk, and the idle timings. Nothing of a person is kept on the server (no session, no
cookie), so starting over is only the browser's business (``kiosk.js``).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for

from app.i18n import MOUNTS, default_language, locale_code, page_endpoint
from app.kiosk import bp
from app.kiosk.home import Tiles
from app.kiosk.pictograms import field_pictogram, pictogram
from app.kiosk.qr_targets import may_draw
from app.presenters import STATIC_MAX_AGE, is_kiosk
from app.public.qr import qr_svg_file

# A QR code holding more than this is too dense to scan from a screen; nothing we link is longer.
QR_MAX_URL_LENGTH = 1000
QR_SCHEMES = ("http", "https", "mailto", "tel")
QR_MAX_AGE = 24 * 3600
# The kiosk's render-blocking styles, served as one file (``stylesheet``).
STYLESHEETS = ("css/site.css", "css/kiosk.css")


@bp.get("/qr.svg")
def qr():
    """``?url=`` as a QR code image: how the kiosk hands a link to the person's own phone.
    Only addresses a kiosk page can offer (``app.kiosk.qr_targets``); anything else is 400."""
    url = request.args.get("url", "")
    if not url or len(url) > QR_MAX_URL_LENGTH or urlsplit(url).scheme not in QR_SCHEMES:
        abort(400)
    if not may_draw(url):
        abort(400, description="This address is not one the kiosk links.")
    response = current_app.response_class(qr_svg_file(url), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = QR_MAX_AGE
    return response


@lru_cache(maxsize=1)
def _stylesheet(static_folder: str) -> tuple[bytes, str]:
    body = b"\n".join((Path(static_folder) / name).read_bytes() for name in STYLESHEETS)
    return body, hashlib.sha256(body).hexdigest()[:12]


@bp.get("/kiosk.css")
def stylesheet():
    """The site's styles and the kiosk skin as one stylesheet. Render-blocking styles are
    what a kiosk page waits for before its first paint; one request instead of two saves a
    connection and a round trip (the page's own connection is reused). Served with a content
    hash (``v``) and cached for a year, like the static files."""
    body, digest = _stylesheet(current_app.static_folder)
    response = current_app.response_class(body, mimetype="text/css")
    response.cache_control.public = True
    if request.args.get("v") == digest:
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = 300
    return response


def stylesheet_url() -> str:
    return url_for("kiosk.stylesheet", v=_stylesheet(current_app.static_folder)[1])


@bp.get("/<path:unknown>")
def not_found(unknown: str):
    """A kiosk URL no page matches: the 404 page inside the kiosk frame, so Home and Back and
    the idle reset stay there (a routing 404 belongs to no blueprint, hence the site layout)."""
    abort(404)


for _name, _value in {"kiosk_tiles": Tiles, "pictogram": pictogram,
                      "pictogram_for_field": field_pictogram}.items():
    bp.add_app_template_global(_value, _name)


def _suggest_url() -> str:
    """The kiosk's own suggestions (``app.kiosk.suggest``): names with their kiosk pages."""
    mount = next(m.name for m in MOUNTS if m.kiosk and m.language == locale_code())
    return url_for(f"{mount}.suggest")


@bp.app_context_processor
def _kiosk_context() -> dict:
    """``kiosk``: timings and URLs for the kiosk layout (kiosk requests only).

    App-wide, because an error the router raises before any view (a 405 for a POST to a
    kiosk page) belongs to no blueprint, yet is shown in the kiosk layout, which needs these.
    """
    if not is_kiosk():
        return {}
    config = current_app.config
    home = page_endpoint(True, locale_code(), "home")
    return {"kiosk": {
        "idle_seconds": config["KIOSK_IDLE_SECONDS"],
        "warning_seconds": config["KIOSK_WARNING_SECONDS"],
        "home_url": url_for(home),
        # Where the kiosk's pages live, whatever the language: kiosk.js hands anything
        # outside it to the person's phone as a QR code.
        "root_url": url_for(page_endpoint(True, default_language(), "home")),
        # Every reset starts the next person in Vietnamese, at the attract screen.
        "start_over_url": url_for(page_endpoint(True, default_language(), "home")),
        "qr_url": url_for("kiosk.qr"),
        "stylesheet_url": stylesheet_url(),
        "suggest_url": _suggest_url(),
        # The attract screen belongs to the kiosk's home; kiosk.js shows it to a new person.
        "attract": request.endpoint == home,
    }}
