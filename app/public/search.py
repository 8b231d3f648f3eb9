"""The search page (``/tim-kiem``, also under ``/kiosk`` and ``/en/``): the same pipeline as
the API (``search.pipeline.find``), which also records the query.

Unlike the API, the page is forgiving: a filter or sort it cannot use is ignored, so a
hand-edited or old link still shows results. ``tat-ca=1`` lists the less related matches too.
"""

from __future__ import annotations

from urllib.parse import quote_plus

from flask import current_app, render_template, request

from app import queries, search
from app.models.procedure import ONLINE_CLASSES
from app.presenters import PORTAL_HOME, site_url
from app.public import bp
from app.public.dated import listing_on
from app.public.views import page_arg
from app.search.pipeline import find

FILTERS = ("field", "level", "online", "applicant", "free")
EVERYTHING = "tat-ca"  # the URL parameter that lists the less related matches too


def _params() -> dict[str, str]:
    """The query and filters of this search, as they go in a URL (empty ones left out)."""
    args = request.args
    params = {name: args.get(name, "")[:80] for name in ("q", *FILTERS, "sort")}
    if params["online"] not in ONLINE_CLASSES:
        params["online"] = ""
    if params["sort"] not in search.SORTS or params["sort"] == "relevance":
        params["sort"] = ""
    params["free"] = "1" if params["free"] in ("1", "true", "yes") else ""
    params[EVERYTHING] = "1" if args.get(EVERYTHING) == "1" else ""
    on = listing_on()
    params["on"] = on.day.isoformat() if on is not None else ""  # paging and filters keep it
    return {k: v for k, v in params.items() if v}


def search_url(params: dict[str, str], **changes: str | None) -> str:
    """This search with some parameters changed (None or "" removes one); back to page 1."""
    merged = {**params, **changes}
    return site_url("search", **{k: v for k, v in merged.items() if v and k != "page"})


def portal_search_url(query: str) -> str:
    """The national portal's search for ``query`` (``PORTAL_SEARCH_URL_TEMPLATE``)."""
    template = current_app.config.get("PORTAL_SEARCH_URL_TEMPLATE") or ""
    if "{query}" not in template:
        return PORTAL_HOME
    return template.replace("{query}", quote_plus(query))


def page_url(params: dict[str, str], page: int) -> str:
    return site_url("search", **params, **({"page": page} if page > 1 else {}))


@bp.get("/tim-kiem", endpoint="search")
def search_page():
    params = _params()
    found = find(
        params.get("q", ""), field=params.get("field"), level=params.get("level"),
        online=params.get("online"), applicant=params.get("applicant"),
        free=bool(params.get("free")), sort=params.get("sort", "relevance"), page=page_arg(),
        everything=bool(params.get(EVERYTHING)))
    result = found.result
    on = listing_on()
    if on is not None:
        # The index holds today's versions only: the hits loaded leave out what is abolished
        # by then (app.queries) and are shown as in force that day; the page says so.
        found.rows = [(hit, on.version(proc)) for hit, proc in found.rows]
    empty = not result.total
    return render_template(
        "public/search.html", result=result, found=found.rows, params=params,
        search_url=search_url, page_url=page_url, everything=EVERYTHING,
        fields=queries.fields_with_counts() if empty else [],
        centre=queries.centre() if empty else None,
        portal_search_url=portal_search_url(result.query) if empty else "")
