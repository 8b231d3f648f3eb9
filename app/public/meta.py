"""Files for browsers and crawlers: sitemap.xml, robots.txt, favicon.ico (form files:
``app.public.files``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask import Response, abort, current_app, render_template, request, send_from_directory

from app import queries
from app.i18n import page_endpoint
from app.presenters import STATIC_MAX_AGE, has_page
from app.public import bp
from app.siteurl import absolute_url_for

STATIC_PAGES = ("home", "agencies", "life_events", "fees", "online", "privacy",
                "legal_documents")


def _only_at_the_root() -> None:
    # The blueprint is mounted under /en and /kiosk too; crawler files belong to the root only.
    if request.blueprints[-1:] != ["public"]:
        abort(404)


def _pages() -> Iterator[tuple[str, dict, datetime | None]]:
    """Every listed public page as (view, arguments, last modified)."""
    for name in STATIC_PAGES:
        if has_page(name):
            yield name, {}, None
    for f, _count in queries.fields_with_counts():
        yield "field", {"slug": f.slug}, None
    for a, _count in queries.agencies_with_counts():
        yield "agency", {"slug": a.slug}, None
    for e in queries.life_events():
        yield "life_event", {"slug": e.slug}, None
    for p in queries.listed_procedures():
        yield "procedure", {"slug": p.slug}, p.updated_at


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every page in every language, each with its other-language versions (hreflang)."""
    _only_at_the_root()
    languages = current_app.config["LANGUAGES"]
    pages = [({lang: absolute_url_for(page_endpoint(False, lang, view), **values)
               for lang in languages}, modified) for view, values, modified in _pages()]
    xml = render_template("public/sitemap.xml", pages=pages,
                          default=current_app.config["BABEL_DEFAULT_LOCALE"])
    return Response(xml, mimetype="application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    _only_at_the_root()
    lines = ["User-agent: *", "Disallow: /kiosk/", "Disallow: /editor/", "Disallow: /api/",
             "Disallow: /*/y-kien", "Allow: /",
             f"Sitemap: {absolute_url_for('public.sitemap')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon() -> Response:
    response = send_from_directory(current_app.static_folder, "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = STATIC_MAX_AGE // 365  # a day: this URL is not hashed
    return response
