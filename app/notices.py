"""Notices for citizens on the site and the kiosk: a Tết closure, a portal or VNeID outage,
counters that move. Each shows from its start to its end (local times typed by an editor,
stored in UTC), most severe first, and leaves by itself.

Every worker keeps the list of current and coming notices in memory (read again at most every
``CHECK_SECONDS``, and at once after this process committed), so a page asks the database
nothing for them; ``cache_key()`` is part of the response cache's key, so a cached page is not
served once a notice has started or ended.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import select

from app.commits import commits_made
from app.dates import CENTRE_ZONE
from app.dates import now as clock_now
from app.extensions import db
from app.models import Notice
from app.models.schedule import NOTICE_SEVERITIES

CHECK_SECONDS = 1.0
SHOWN_ON = frozenset({"public", "kiosk"})


@dataclass(frozen=True)
class Shown:
    """A notice as the templates need it (plain values: no session after the request)."""

    id: int
    severity: str
    title: str
    title_en: str
    body: str
    body_en: str
    starts_at: datetime
    ends_at: datetime


class _Memory:
    def __init__(self) -> None:
        self.notices: list[Shown] = []
        self.read_at = float("-inf")
        self.commits_seen = -1

    def current(self, now: datetime) -> list[Shown]:
        if self.commits_seen != commits_made() or time.monotonic() - self.read_at >= CHECK_SECONDS:
            rows = db.session.scalars(select(Notice).where(Notice.ends_at > now))
            self.notices = [Shown(n.id, n.severity, n.title, n.title_en, n.body, n.body_en,
                                  n.starts_at, n.ends_at) for n in rows]
            self.read_at, self.commits_seen = time.monotonic(), commits_made()
        rank = {s: i for i, s in enumerate(NOTICE_SEVERITIES)}
        return sorted((n for n in self.notices if n.starts_at <= now < n.ends_at),
                      key=lambda n: (rank.get(n.severity, 9), n.starts_at, n.id))


def _utc_now() -> datetime:
    return clock_now().astimezone(UTC).replace(tzinfo=None)


def active() -> list[Shown]:
    """The notices showing now, most severe first."""
    return current_app.extensions["motcua_notices"].current(_utc_now())


def for_page() -> list[Shown]:
    """Notices for this page: the citizens' site and kiosk only."""
    if not has_request_context() or request.blueprint is None:
        return []
    blueprint = current_app.blueprints.get(request.blueprint)
    return active() if blueprint is not None and blueprint.name in SHOWN_ON else []


def cache_key() -> tuple[int, ...]:
    """Which notices show now: part of the response cache's key (``app.caching``)."""
    return tuple(n.id for n in active())


def local_time(value: datetime) -> str:
    """A stored (UTC) instant as people read it here: ``08:00 05/02/2027``."""
    return value.replace(tzinfo=UTC).astimezone(CENTRE_ZONE).strftime("%H:%M %d/%m/%Y")


def init_app(app: Flask) -> None:
    app.extensions["motcua_notices"] = _Memory()
    app.add_template_global(for_page, "page_notices")
    app.add_template_filter(local_time)
