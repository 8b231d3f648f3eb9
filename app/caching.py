"""HTTP caching of procedure pages and the read API: validators, 304s and a per-worker cache.

What is cached: the endpoints in ``CACHED_ENDPOINTS`` (procedure pages, home and field pages,
on the site and the kiosk; the procedures API), for GET/HEAD answers with status 200.

Contracts:
- **Validators.** Each such answer gets a weak ``ETag`` (a hash of the body) and a
  ``Last-Modified``; a matching ``If-None-Match``/``If-Modified-Since`` gets a 304.
- **Per-session tokens.** A page may hold a CSRF token (the feedback form). The body is
  hashed and stored with the token cut out; each visitor gets their own token filled in, and
  the ETag of such a page also depends on the visitor's session secret, so a 304 never
  confirms a page whose token belongs to someone else.
- **Language.** The key holds the resolved locale (``?lang=``, cookie, Accept-Language),
  the full URL (host included: API answers hold absolute URLs) and the kiosk prefix.
- **Freshness.** An entry is used only while the catalogue's change sequence (the highest
  ``SearchChange`` id, written in every publishing transaction) is the one it was rendered
  at — read at most every 0.2 s per worker, and at once after the worker's own commits — and
  for at most ``RESPONSE_CACHE_SECONDS`` (for edits that write no change row, such as the
  centre's opening hours). ``RESPONSE_CACHE_SECONDS = 0`` keeps the validators only.
- **Who gets shared answers.** Only anonymous sessions holding nothing but a CSRF secret (no
  signed-in editor, no flashed message); anything else is rendered for that visitor alone.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from werkzeug.http import http_date

from app.extensions import db
from app.i18n import locale_code
from app.models import SearchChange

# Catalogue views only: they change when something is published. Not search results (the
# index follows the database a moment later) and nothing personal.
CACHED_ENDPOINTS = frozenset({
    "public.procedure", "kiosk.public.procedure",
    "public.procedure_print", "kiosk.public.procedure_print",
    "public.home", "kiosk.public.home", "public.field", "kiosk.public.field",
    "api.procedure_list", "api.procedure_detail", "api.openapi",
})
# A CSRF secret, and what Flask-Login's session protection marks on anonymous sessions.
SHAREABLE_SESSION_KEYS = frozenset({"csrf_token", "_fresh", "_permanent"})
TOKEN_SLOT = b"\x00motcua-csrf-token\x00"  # NUL never occurs in rendered HTML or JSON
MAX_BODY = 1024 * 1024
VERSION_CHECK_SECONDS = 0.2
_commits = [0]  # commits made by this process (any session, any app)


@event.listens_for(Session, "after_commit")
def _count_commit(session: Session) -> None:
    _commits[0] += 1


@dataclass(frozen=True)
class Entry:
    body: bytes  # with TOKEN_SLOT where the visitor's CSRF token goes
    has_token: bool
    content_type: str
    digest: str
    last_modified: str  # an HTTP date
    version: int | None
    expires: float


class ResponseCache:
    """A small LRU of rendered answers, one per worker process."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._version: int | None = None
        self._checked = float("-inf")
        self._commits_seen = -1

    def get(self, key: tuple, version: int | None) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.version != version or entry.expires < time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple, entry: Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def version(self) -> int | None:
        """The catalogue's change sequence (its highest ``SearchChange`` id), read from the
        database at most every ``VERSION_CHECK_SECONDS`` under load, and at once after this
        process committed anything (so an editor reads their own publish)."""
        now = time.monotonic()
        if self._commits_seen != _commits[0] or now - self._checked >= VERSION_CHECK_SECONDS:
            self._commits_seen = _commits[0]
            self._version = db.session.scalar(select(func.max(SearchChange.id)))
            self._checked = now
        return self._version


def _ttl() -> float:
    return float(current_app.config.get("RESPONSE_CACHE_SECONDS", 0) or 0)


def _applies() -> bool:
    return request.endpoint in CACHED_ENDPOINTS and request.method in ("GET", "HEAD")


def _shareable_session() -> bool:
    if "remember_token" in request.cookies:
        return False
    return set(session.keys()) <= SHAREABLE_SESSION_KEYS


def get_cache(app: Flask) -> ResponseCache:
    return app.extensions["motcua_response_cache"]


def _serve_cached() -> Response | None:
    """before_request: answer from the cache when a fresh shareable entry exists."""
    if not _applies() or _ttl() <= 0 or not _shareable_session():
        return None
    cache = get_cache(current_app._get_current_object())
    g.cache_key = (request.host_url, request.environ.get("PATH_INFO", ""),
                   request.environ.get("QUERY_STRING", ""), locale_code())
    g.cache_version = cache.version()
    entry = cache.get(g.cache_key, g.cache_version)
    if entry is None:
        return None
    g.cache_entry = entry
    body = entry.body
    if entry.has_token:
        body = body.replace(TOKEN_SLOT, generate_csrf().encode())
    return Response(body, content_type=entry.content_type)


def _entry_from(response: Response) -> Entry | None:
    """The shareable form of a freshly rendered answer, or None when it is personal."""
    if not _shareable_session():
        return None
    body = response.get_data()
    if len(body) > MAX_BODY:
        return None
    token = g.get("csrf_token")
    has_token = bool(token) and token.encode() in body
    if has_token:
        body = body.replace(token.encode(), TOKEN_SLOT)
    return Entry(
        body=body,
        has_token=has_token,
        content_type=response.content_type or "",
        digest=hashlib.sha256(body).hexdigest()[:24],
        last_modified=http_date(datetime.now(UTC)),
        version=g.get("cache_version"),
        expires=time.monotonic() + _ttl(),
    )


def _add_validators(response: Response) -> Response:
    """after_request: ETag, Last-Modified, Cache-Control; 304 when the client has it."""
    if (not _applies() or response.status_code != 200 or response.direct_passthrough
            or response.is_streamed):
        return response
    entry = g.get("cache_entry")
    if entry is None:
        entry = _entry_from(response)
        if entry is None:
            response.cache_control.private = True
            response.cache_control.no_cache = True
            return response
        if "cache_key" in g and _ttl() > 0:
            get_cache(current_app._get_current_object()).put(g.cache_key, entry)
    etag = entry.digest
    if entry.has_token:
        secret = str(session.get("csrf_token", "")).encode()
        etag += "-" + hashlib.sha256(secret).hexdigest()[:8]
    # Stored, but revalidated each time (a 304 is cheap); "private" when the page holds a token.
    response.headers["Cache-Control"] = "private, no-cache" if entry.has_token else (
        "public, no-cache")
    response.headers["ETag"] = f'W/"{etag}"'
    response.headers["Last-Modified"] = entry.last_modified
    if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
        return response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.extensions["motcua_response_cache"] = ResponseCache(
        int(app.config.get("RESPONSE_CACHE_ENTRIES", 512)))
    app.before_request(_serve_cached)
    app.after_request(_add_validators)
