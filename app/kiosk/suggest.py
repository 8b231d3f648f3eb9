"""``/kiosk/goi-y``: the on-screen keyboard's suggestions, each with its procedure's kiosk
page, so a tap on a suggestion opens the procedure instead of running a search.

The names are the search's own (``app.search.suggest``, the same as ``/api/v1/suggest``,
whose contract stays a list of names); this only adds where each one leads in the kiosk.
"""

from __future__ import annotations

from flask import abort, jsonify, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app import search
from app.extensions import db
from app.i18n import locale_code, page_endpoint
from app.kiosk import bp
from app.models import Procedure

MAX_QUERY_LENGTH = 200


def _slugs(names: list[str]) -> dict[str, str]:
    """Name → slug of the published procedure each suggested name belongs to."""
    if not names:
        return {}
    shown = func.coalesce(func.nullif(Procedure.plain_name, ""), Procedure.official_name)
    stmt = (select(shown, Procedure.slug)
            .where(Procedure.published.is_(True), shown.in_(names))
            .order_by(Procedure.popularity.is_(None), Procedure.popularity, Procedure.id))
    found: dict[str, str] = {}
    for name, slug in db.session.execute(stmt):
        found.setdefault(name, slug)
    return found


@bp.get("/goi-y")
def suggest() -> Response:
    """``?q=`` what has been typed → ``[{"name", "url"}]`` (``url`` absent when unknown)."""
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY_LENGTH or "\x00" in text:
        abort(400, description=f"q must be at most {MAX_QUERY_LENGTH} characters of text")
    names = search.suggest(text)
    slugs = _slugs(names)
    endpoint = page_endpoint(True, locale_code(), "procedure")
    items = [{"name": name, **({"url": url_for(endpoint, slug=slugs[name])}
                               if name in slugs else {})} for name in names]
    return jsonify(items)
