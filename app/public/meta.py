"""Files for browsers and crawlers: sitemap.xml, robots.txt, favicon.ico, and editors' forms."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, send_from_directory, url_for

from app import queries
from app.presenters import STATIC_MAX_AGE, is_kiosk
from app.public import bp

STATIC_PAGES = ("home", "agencies", "life_events", "fees", "online", "privacy")


def _not_in_kiosk() -> None:
    # The blueprint is mounted under /kiosk too; crawler files belong to the site root only.
    if is_kiosk():
        abort(404)


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    _not_in_kiosk()
    urls = [(url_for(f"public.{name}", _external=True), None) for name in STATIC_PAGES]
    urls += [(url_for("public.field", slug=f.slug, _external=True), None)
             for f, _count in queries.fields_with_counts()]
    urls += [(url_for("public.agency", slug=a.slug, _external=True), None)
             for a, _count in queries.agencies_with_counts()]
    urls += [(url_for("public.life_event", slug=e.slug, _external=True), None)
             for e in queries.life_events()]
    urls += [(url_for("public.procedure", slug=p.slug, _external=True), p.updated_at)
             for p in queries.listed_procedures()]
    xml = render_template("public/sitemap.xml", urls=urls)
    return Response(xml, mimetype="application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    _not_in_kiosk()
    lines = ["User-agent: *", "Disallow: /kiosk/", "Disallow: /editor/", "Disallow: /api/",
             "Disallow: /*/y-kien", "Allow: /",
             f"Sitemap: {url_for('public.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon() -> Response:
    response = send_from_directory(current_app.static_folder, "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = STATIC_MAX_AGE // 365  # a day: this URL is not hashed
    return response


@bp.get("/mau-don/<path:name>")
def form_file(name: str) -> Response:
    """A form (mẫu đơn) an editor uploaded, served as a download."""
    return send_from_directory(current_app.config["UPLOAD_DIR"], name, as_attachment=True)
