"""HTTP caching: headers for shared caches (nginx, a CDN, browsers), 304s, and a short
per-worker cache of rendered answers.

Contracts:
- **Who may share an answer.** GET/HEAD answers with status 200 of the citizens' blueprints
  (``public`` wherever it is mounted: the site, ``/en/``, the kiosk; ``kiosk``; ``api``) are
  the same for everyone: the address alone (path, query, host) and the day decide them. They
  say ``Cache-Control: public, max-age=N, stale-while-revalidate=M`` and carry a weak
  ``ETag`` (a hash of the body) and a ``Last-Modified`` (when rendered); a matching
  ``If-None-Match`` / ``If-Modified-Since`` gets a 304. A view that sets its own
  ``Cache-Control`` (QR codes, the favicon) keeps it. Nothing made for one visitor can get
  into them: outside ``/editor`` there is no session (``app.sessions``), so a CSRF token or
  a signed-in user's detail cannot even be made there.
- **The editor area** (every endpoint under the ``editor`` blueprint, its sign-in page
  included) says ``private, no-store``.
- **How stale an answer can be.** ``N = PUBLIC_MAX_AGE`` minus the age of the answer when it
  comes from this cache; ``M = PUBLIC_STALE_SECONDS``. One cache that honours these headers
  shows an answer at most ``N + M`` seconds after it was rendered. nginx sends no ``Age``, so
  a browser behind it may start its own ``N + M`` when nginx's ends: two hops, hence
  ``init_app`` refuses ``N + M`` over half of ``MAX_STALENESS`` (60 s). Dated fees switch at
  midnight in the centre's time zone: both hops end by then (``N + M`` is cut to half the
  time left), so no cache shows yesterday's amount after midnight.
- **The per-worker cache** keeps rendered shareable answers for at most
  ``RESPONSE_CACHE_SECONDS`` (capped at ``PUBLIC_MAX_AGE``; ``0`` keeps headers only), keyed
  by host, path, query, language and the centre's date. Catalogue pages are dropped as soon
  as the change sequence moves (the highest ``SearchChange`` id, written in every publishing
  transaction; read at most every 0.2 s per worker and at once after the worker's own
  commits). Search answers (the page, ``/api/v1/search``, ``/api/v1/suggest``) follow the
  search index instead: they are dropped when this worker's view of the index is replaced,
  so a publish appears in cached search results as soon as it is searchable at all. A
  search answer served from here is counted for the editors' query log like a rendered one.
"""

from __future__ import annotations

import hashlib
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, Response, current_app, g, request
from sqlalchemy import func, select
from werkzeug.http import http_date

from app import notices
from app.commits import commits_made
from app.dates import now as clock_now
from app.dates import today_local
from app.extensions import db
from app.i18n import locale_code
from app.models import SearchChange
from app.search.querylog import record_query

SHARED_BLUEPRINTS = frozenset({"public", "kiosk", "api"})  # blueprints' own names
PRIVATE_BLUEPRINT = "editor"
# View names (whatever the mount) whose answers come from the search index.
SEARCH_VIEWS = frozenset({"search", "search_api", "suggest_api"})
MAX_STALENESS = 60  # seconds from a publish to every cache showing it: the README's promise
CACHE_HOPS = 2  # nginx, then the browser's own cache
MAX_BODY = 1024 * 1024
VERSION_CHECK_SECONDS = 0.2
PRIVATE = "private, no-store"


@dataclass(frozen=True)
class Entry:
    body: bytes
    content_type: str
    etag: str
    last_modified: str  # an HTTP date
    rendered: float  # time.monotonic()
    expires: float  # time.monotonic()
    version: object  # the change sequence, or a weak reference to the index view
    counted: tuple[str, bool] | None = None  # a search: (query, found) for app.search.querylog


class ResponseCache:
    """A small LRU of rendered answers, one per worker process."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._version: int | None = None
        self._checked = float("-inf")
        self._commits_seen = -1

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple, version: object) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if not _same_version(entry.version, version) or entry.expires <= time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple, entry: Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def catalogue_version(self) -> int | None:
        """The catalogue's change sequence (its highest ``SearchChange`` id), read from the
        database at most every ``VERSION_CHECK_SECONDS`` under load, and at once after this
        process committed anything (so an editor reads their own publish)."""
        now = time.monotonic()
        if self._commits_seen != commits_made() or now - self._checked >= VERSION_CHECK_SECONDS:
            self._commits_seen = commits_made()
            self._version = db.session.scalar(select(func.max(SearchChange.id)))
            self._checked = now
        return self._version


def _same_version(stored: object, current: object) -> bool:
    if isinstance(stored, weakref.ref):
        return current is not None and stored() is current
    return stored == current


def _index_view() -> object | None:
    """This worker's current view of the search index (replaced when the index changes), or
    None when there is none (the search then answers from the database: nothing cached)."""
    from app.search import readers
    from app.search.indexer import index_root

    try:
        return readers.views.get(index_root())
    except Exception:  # an unavailable index only means "do not cache"
        return None


def get_cache(app: Flask) -> ResponseCache:
    return app.extensions["motcua_response_cache"]


def _setting(name: str) -> float:
    return float(current_app.config.get(name, 0) or 0)


def _ttl() -> float:
    return min(_setting("RESPONSE_CACHE_SECONDS"), _setting("PUBLIC_MAX_AGE"))


def _shared_endpoint() -> bool:
    if request.method not in ("GET", "HEAD") or request.blueprint is None:
        return False
    blueprint = current_app.blueprints.get(request.blueprint)
    return blueprint is not None and blueprint.name in SHARED_BLUEPRINTS


def seconds_to_midnight() -> float:
    """Seconds until the next midnight in the centre's time zone, when dated fees switch."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    now = clock_now().astimezone(zone)  # app.dates: the clock tests can move
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), zone)
    return max((midnight - now).total_seconds(), 0.0)


def _serve_cached() -> Response | None:
    """before_request: answer from the cache when a fresh entry exists."""
    if _ttl() <= 0 or not _shared_endpoint():
        return None
    cache = get_cache(current_app._get_current_object())
    searching = request.endpoint.rsplit(".", 1)[-1] in SEARCH_VIEWS
    version = _index_view() if searching else cache.catalogue_version()
    if version is None and searching:
        return None
    # The local date is part of the key: dated fees switch at midnight (app.fees).
    g.cache_key = (request.host_url, request.environ.get("PATH_INFO", ""),
                   request.environ.get("QUERY_STRING", ""), locale_code(), today_local(),
                   notices.cache_key())  # a notice starting or ending changes every page
    g.cache_version = weakref.ref(version) if searching else version
    entry = cache.get(g.cache_key, version)
    if entry is None:
        return None
    g.cache_entry = entry
    if entry.counted:  # the query log counts asks, not renders
        record_query(*entry.counted)
    return Response(entry.body, content_type=entry.content_type)


def _new_entry(response: Response, now: float) -> Entry | None:
    if not response.is_sequence:  # files (send_file) and streams
        return None
    body = response.get_data()
    if len(body) > MAX_BODY:
        return None
    return Entry(
        body=body,
        content_type=response.content_type or "",
        etag=hashlib.sha256(body).hexdigest()[:24],
        last_modified=http_date(clock_now()),  # app.dates: the clock tests can stop
        rendered=now,
        expires=now + min(_ttl(), seconds_to_midnight()),
        version=g.get("cache_version"),
        counted=g.get("search_query_counted"),
    )


def _freshness(age: float) -> tuple[int, int]:
    """(max-age, stale-while-revalidate) for an answer rendered ``age`` seconds ago."""
    hop = seconds_to_midnight() / CACHE_HOPS
    max_age = int(max(0.0, min(_setting("PUBLIC_MAX_AGE") - age, hop)))
    stale = int(max(0.0, min(_setting("PUBLIC_STALE_SECONDS"), hop - max_age)))
    return max_age, stale


def _add_headers(response: Response) -> Response:
    """after_request: Cache-Control for everyone; validators and 304s on shareable answers."""
    if PRIVATE_BLUEPRINT in request.blueprints:
        response.headers["Cache-Control"] = PRIVATE
        return response
    if (not _shared_endpoint() or response.status_code != 200
            or "Cache-Control" in response.headers):
        return response
    now = time.monotonic()
    entry = g.get("cache_entry")
    if entry is None:
        entry = _new_entry(response, now)
        if entry is None:
            return response
        if "cache_key" in g:
            get_cache(current_app._get_current_object()).put(g.cache_key, entry)
    max_age, stale = _freshness(now - entry.rendered)
    response.headers["Cache-Control"] = (
        f"public, max-age={max_age}, stale-while-revalidate={stale}")
    response.headers["ETag"] = f'W/"{entry.etag}"'
    response.headers["Last-Modified"] = entry.last_modified
    if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
        return response.make_conditional(request)
    return response


def check_settings(config: dict) -> None:
    """Refuse a configuration that lets a shared cache show an answer for more than
    ``MAX_STALENESS`` seconds (the README states that bound)."""
    total = float(config.get("PUBLIC_MAX_AGE", 0)) + float(config.get("PUBLIC_STALE_SECONDS", 0))
    if total * CACHE_HOPS > MAX_STALENESS:
        raise RuntimeError(
            f"PUBLIC_MAX_AGE + PUBLIC_STALE_SECONDS must be at most "
            f"{MAX_STALENESS // CACHE_HOPS} s (got {total:g}): nginx and a browser in a row "
            f"may each keep an answer that long, and {MAX_STALENESS} s is the promise")


def init_app(app: Flask) -> None:
    check_settings(app.config)
    app.extensions["motcua_response_cache"] = ResponseCache(
        int(app.config.get("RESPONSE_CACHE_ENTRIES", 512)))
    app.before_request(_serve_cached)
    app.after_request(_add_headers)
