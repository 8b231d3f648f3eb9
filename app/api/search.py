"""``/api/v1/search`` and ``/api/v1/suggest``: the site's search as JSON.

Any text is a query (never an error); parameters that are not text (page, filters, sort)
are checked and answered with 400 when they cannot be used.
"""

from __future__ import annotations

import re

from flask import jsonify, request
from sqlalchemy import select

from app import queries, search
from app.api import bp
from app.api.errors import BadParameter, int_param
from app.api.schema import MAX_QUERY_LENGTH
from app.extensions import db
from app.models import Level
from app.models.procedure import ONLINE_CLASSES
from app.search.pipeline import find
from app.search.results import SearchResult
from app.siteurl import absolute_url_for

MAX_PER_PAGE = 50
TRUE, FALSE = ("1", "true", "yes"), ("", "0", "false", "no")
_KEY = re.compile(r"[a-z0-9-]{1,80}")


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.args.get(name, "")
    if value and value not in allowed:
        raise BadParameter(f"{name} must be one of {', '.join(allowed)}, got {value[:40]!r}")
    return value or None


def _filters() -> dict:
    args = request.args
    field, level, applicant = args.get("field"), args.get("level"), args.get("applicant")
    if field and queries.field_by_slug(field) is None:
        raise BadParameter(f"field {field[:60]!r} is not a known field slug")
    if level and db.session.scalar(select(Level.id).where(Level.slug == level)) is None:
        raise BadParameter(f"level {level[:60]!r} is not a known level slug")
    if applicant and not _KEY.fullmatch(applicant):
        raise BadParameter("applicant must be an applicant key such as 'cong-dan-viet-nam'")
    free = args.get("free", "").lower()
    if free not in TRUE + FALSE:
        raise BadParameter("free must be true or false")
    return {"field": field or None, "level": level or None, "applicant": applicant or None,
            "online": _choice("online", ONLINE_CLASSES), "free": free in TRUE or None,
            "sort": _choice("sort", search.SORTS) or "relevance"}


def query_param() -> str:
    """``q``: any text is a query, but not an unbounded one (openapi.json says the limit)."""
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY_LENGTH:
        raise BadParameter(f"q must be at most {MAX_QUERY_LENGTH} characters, got {len(text)}")
    return text


def _facets(result: SearchResult) -> dict:
    return {name: [{"value": v.value, "count": v.count, "label": v.label or v.value}
                   for v in values] for name, values in result.facets.items()}


@bp.get("/search")
def search_api():
    page = int_param(request.args, "page", 1, 1, search.MAX_PAGE)
    per_page = int_param(request.args, "per_page", 20, 1, MAX_PER_PAGE)
    everything = request.args.get("all", "").lower()
    if everything not in TRUE + FALSE:
        raise BadParameter("all must be true or false")
    found = find(query_param(), page=page, per_page=per_page,
                 everything=everything in TRUE, **_filters())
    result = found.result
    items = [{"code": proc.code, "name": proc.name,
              "url": absolute_url_for("public.procedure", slug=proc.slug),
              "score": hit.score, "snippet": str(hit.snippet)}
             for hit, proc in found.rows]
    # total counts the listed matches; more counts the less related ones (see ?all=true)
    return jsonify({"query": result.query, "total": result.total, "more": result.more,
                    "items": items, "suggestion": result.suggestion, "page": result.page,
                    "pages": result.pages, "facets": _facets(result),
                    "elsewhere": [{"term": p.term, "where": p.place, "where_en": p.place_en,
                                   "url": p.url or None} for p in result.elsewhere]})


@bp.get("/suggest")
def suggest_api():
    """Names (the kiosk's keyboard shows them); with ``detail=true`` the procedures, so a
    suggestion can open its page (the site's search box)."""
    detail = request.args.get("detail", "").lower()
    if detail not in TRUE + FALSE:
        raise BadParameter("detail must be true or false")
    if detail not in TRUE:
        return jsonify(search.suggest(query_param()))
    return jsonify([{"name": s.name, "code": s.code, "slug": s.slug,
                     "url": absolute_url_for("public.procedure", slug=s.slug)}
                    for s in search.suggest_procedures(query_param())])
