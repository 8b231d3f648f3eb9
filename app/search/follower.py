"""The per-node indexer loop (``flask search follow``): next to no work while nothing changes.

A full round (``indexer.step``: open the index, take Whoosh's writer, which makes a new
segment and its temporary files, read the position, query the outbox, cancel) costs a few
milliseconds of CPU and tens of file operations. Run every 0.3 s on an idle node that was
1–25 % of a core, depending on the machine, for nothing. So the loop keeps in memory how far
this node's index has followed the outbox (its ``Position``) and first asks cheaply whether
anything is left to do:

- **the database**: one indexed query for a visible change beyond that position, on a
  connection the loop keeps (no pool checkout, ping or ORM on the way). On PostgreSQL the
  loop sleeps on ``LISTEN`` and the publishing transaction's ``NOTIFY`` wakes it at commit,
  with this query as a safety net every ``SEARCH_SAFETY_SECONDS`` (a notification lost
  while the connection was down); on SQLite the query runs every ``SEARCH_POLL_SECONDS``;
- **the disk**: a ``stat`` of ``CURRENT`` and of the live generation (a deleted or replaced
  index is seen within one poll).

Only then does it run a round, and after it re-reads the position from the index. The
position can only lag the index (another process may have applied more), never lead it, so
the cheap check errs towards an extra round, never towards a missed change. A full round
also runs every ``SEARCH_HEALTH_SECONDS`` whatever the checks say: a damaged index is found
and rebuilt as before.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection

from app.extensions import db
from app.models import Procedure, SearchChange
from app.search import backend, readers
from app.search.documents import document_for, published_procedures
from app.search.indexer import index_root, step
from app.search.outbox import CHANNEL, Position

log = logging.getLogger("app.search.indexer")
SAFETY_SECONDS = 2.0  # PostgreSQL: the outbox is read this often even without a notification
HEALTH_SECONDS = 60.0  # a full round this often, whatever the cheap checks say
WAIT_SLICE = 1.0  # longest sleep in one go, so a stop request is seen within it
MAX_BACKOFF = 5.0  # between failed rounds (the database or the disk is in trouble)


class Listener:
    """``LISTEN`` on the outbox channel over a connection of its own (PostgreSQL only)."""

    def __init__(self) -> None:
        self._raw = db.engine.raw_connection()
        try:
            # psycopg's own connection: LISTEN and notifies() are not in the DB-API.
            conn: Any = self._raw.driver_connection
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANNEL}")
            self._conn = conn
        except BaseException:
            self._raw.invalidate()
            raise

    @classmethod
    def open(cls) -> Listener | None:
        """A listener, or None where there is nothing to listen to (SQLite) or the server
        cannot be reached now (the loop polls until it can)."""
        if db.engine.dialect.name != "postgresql":
            return None
        try:
            return cls()
        except Exception as exc:
            log.warning("cannot LISTEN for published changes (polling instead): %s", exc)
            return None

    def wait(self, timeout: float) -> bool:
        """True when a notification came within ``timeout`` seconds (any already queued are
        taken too: one round answers them all)."""
        got = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            got = True
        if got:
            for _ in self._conn.notifies(timeout=0.0):
                pass
        return got

    def close(self) -> None:
        try:
            self._raw.invalidate()  # never back to the pool: it is listening
        except Exception:  # already broken; nothing left to release
            log.debug("closing the listener failed", exc_info=True)


class Probe:
    """Is there a visible change beyond a position? One indexed query on a kept connection:
    tens of microseconds, where an ORM session and a pool checkout with its ping cost
    a millisecond."""

    def __init__(self) -> None:
        self._raw: PoolProxiedConnection | None = None
        mark = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
        self._sql = (f"SELECT id FROM {SearchChange.__tablename__} WHERE id > {mark} "
                     f"ORDER BY id LIMIT {mark}")

    def pending(self, position: Position) -> bool:
        if self._raw is None:
            self._raw = db.engine.raw_connection()
        raw = self._raw
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(self._sql, (position.seq, len(position.above) + 1))
                ids = [row[0] for row in cursor.fetchall()]
            finally:
                cursor.close()
            raw.rollback()  # hold no snapshot (SQLite's WAL, PostgreSQL's vacuum)
        except Exception:
            self.close()
            raise
        return any(cid not in position.above for cid in ids)

    def close(self) -> None:
        if self._raw is not None:
            raw, self._raw = self._raw, None
            try:
                raw.invalidate()
            except Exception:  # already broken; nothing left to release
                log.debug("closing the probe's connection failed", exc_info=True)


def _stat(path: Path | None) -> tuple[int, int] | None:
    try:
        found = os.stat(path) if path is not None else None
    except OSError:
        return None
    return (found.st_ino, found.st_mtime_ns) if found else None


def _warm() -> None:
    """Build one procedure's document, writing nothing: the loader's queries are compiled
    and cached now, at start, not by the first publish after a quiet start (which paid for
    them with most of a second on a busy machine)."""
    with Session(db.engine) as session:
        first = session.scalar(select(Procedure.id).where(Procedure.published.is_(True))
                               .order_by(Procedure.id).limit(1))
        for proc in published_procedures(session, [first] if first else []):
            document_for(proc)


def _indexed_position(root: Path) -> Position:
    """How far the live index has followed the outbox, read from the index itself."""
    readers.views.invalidate(root)
    view = readers.views.get(root)
    return Position.loads(backend.read_position(view.searcher))


class Follower:
    """Keeps this node's index in step with the outbox; see the module's docstring."""

    def __init__(self) -> None:
        config = current_app.config
        self.root = index_root()
        self.poll = float(config.get("SEARCH_POLL_SECONDS", 0.3))
        self.safety = float(config.get("SEARCH_SAFETY_SECONDS", SAFETY_SECONDS))
        self.health = float(config.get("SEARCH_HEALTH_SECONDS", HEALTH_SECONDS))
        self.position: Position | None = None  # None: unknown, a round is due
        self.disk: tuple = ()  # stat of CURRENT and of the generation it named
        self.generation: Path | None = None
        self.probe = Probe()
        self.next_health = 0.0
        self.next_probe = 0.0
        self.failures = 0
        self.rounds = 0  # full rounds run (for tests and the curious)
        self.listener: Listener | None = None

    def changed(self) -> bool:
        """The cheap checks: True when a full round is needed."""
        if self.position is None or self._disk() != self.disk:
            return True
        return self.probe.pending(self.position)

    def _disk(self) -> tuple:
        return (_stat(self.root / backend.POINTER), _stat(self.generation))

    def round(self) -> None:
        self.rounds += 1
        step()
        self.generation = backend.current_path(self.root)
        self.disk = self._disk()
        self.position = _indexed_position(self.root)

    def turn(self, woken: bool) -> None:
        """One turn: a round when health is due, else the cheap checks when due (or woken)
        and a round when they say so."""
        now = time.monotonic()
        if now >= self.next_health:
            self.next_health = now + self.health
            self.round()
        elif not (woken or now >= self.next_probe or self.position is None):
            return
        elif self.changed():
            self.round()
        interval = self.safety if self.listener is not None else self.poll
        self.next_probe = time.monotonic() + interval

    def wait(self, stop: threading.Event) -> bool:
        """Sleep until the next probe is due, a notification comes or ``stop`` is set; True
        when woken by a notification."""
        pause = max(0.0, self.next_probe - time.monotonic())
        if self.failures:
            pause = min(MAX_BACKOFF, self.poll * 2 ** self.failures)
        if self.listener is None:
            stop.wait(min(pause, WAIT_SLICE))
            return False
        try:
            return self.listener.wait(min(pause, WAIT_SLICE))
        except Exception as exc:  # the server went away: poll until it is back
            log.warning("lost the LISTEN connection (polling until it is back): %s", exc)
            self.listener.close()
            self.listener = None
            return False

    def run(self, stop: threading.Event) -> None:
        woken = False
        try:
            _warm()
        except Exception:  # only a head start; the database may be down now
            log.warning("could not warm up the indexer", exc_info=True)
        try:
            while not stop.is_set():
                if self.listener is None and db.engine.dialect.name == "postgresql":
                    # Listen before looking: a change committed in between still wakes us.
                    self.listener = Listener.open()
                    woken = True
                try:
                    self.turn(woken)
                    self.failures = 0
                except Exception:  # the database may be down for a while: keep following
                    log.exception("search indexer round failed")
                    self.failures += 1
                    self.position = None
                    db.session.remove()
                woken = self.wait(stop)
        finally:
            self.probe.close()
            if self.listener is not None:
                self.listener.close()


def follow(stop: threading.Event | None = None) -> None:
    """Keep this node's index in step with the database until ``stop`` is set."""
    Follower().run(stop or threading.Event())
