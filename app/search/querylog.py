"""What people asked, counted per day for editors: the one rule for recording queries.

Only text that looks like words a person typed is kept (Latin letters, digits in code-like
words such as "CT07", at most ``MAX_WORDS`` words, a little punctuation); markup, escapes,
control characters and lone symbols are scanners' noise and are never stored. The folded
text is counted (no personal data), one row per (day, text) in the centre's time zone, with
how often it was asked and how often it found nothing; beside it, how often each spelling of
it was typed (trimmed, NFC, at most ``MAX_LENGTH`` characters, at most ``MAX_SPELLINGS`` per
text and flush), so editors read "Sổ đỏ" rather than "so do". Rows older than ``KEEP_DAYS``
are pruned once a day per process.

Anonymous visitors must never contend with editors for the database (on SQLite one writer at
a time; a write per search made an editor's publish fail with "database is locked" under
load). So a search only counts in memory, per worker and per app; the counts are written in
one short transaction (an upsert per distinct text) at most every
``SEARCH_LOG_FLUSH_SECONDS`` (config, default 30 s; 0 writes at once), or sooner when
``FLUSH_ENTRIES`` distinct texts are waiting. In a request the write runs after the response
has been sent (``call_on_close``), so no visitor waits for it; it waits at most
``LOCK_WAIT_MS`` for the database and is best-effort: a busy or failing database keeps the
counts for the next flush (up to ``MAX_PENDING`` texts, then new texts are dropped) and logs
at debug level. A worker that stops gracefully writes what it holds (gunicorn.conf.py's
``worker_exit``). Counts are therefore up to one flush period late, and a worker killed
outright loses its last period: statistics, not records.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, NamedTuple, cast

from flask import Flask, Response, after_this_request, current_app, g, has_request_context
from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from app.dates import today_local
from app.extensions import db
from app.models import SearchQueryDay, SearchQuerySpelling
from app.search.text import fold

log = logging.getLogger(__name__)
MAX_LENGTH = 100
MAX_WORDS = 12  # a whole question ("cho hỏi thủ tục … cần những gì") is about this long
KEEP_DAYS = 90
DEFAULT_FLUSH_SECONDS = 30.0
FLUSH_ENTRIES = 200  # distinct texts waiting that trigger a flush before the period ends
MAX_SPELLINGS = 5  # spellings of one text kept per flush: the commonest come first anyway
MAX_PENDING = 5000  # distinct texts kept while the database refuses; then new ones are dropped
LOCK_WAIT_MS = 100  # a flush gives up (and keeps its counts) rather than wait longer
# Punctuation people use in questions and codes; anything else (<, %, \, =, {, & …) is noise.
_ALLOWED_PUNCTUATION = frozenset(" .,-?!()'’:")
# A word with digits must look like a code people type: KT3, CT07, TK01, 1.001193.
_CODE_WORD = re.compile(r"[^\W\d_]{2,4}\d{1,3}|\d{1,3}|\d\.\d{3,6}")
_pruned_on: dict[str, date] = {}
_EXTENSION = "motcua_query_counts"
_create_lock = threading.Lock()


def _is_latin_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def plausible(query: str) -> bool:
    """True when ``query`` (already cleaned) looks like words a person typed."""
    text = query.strip()
    if not 2 <= len(text) <= MAX_LENGTH:
        return False
    if any(not (_is_latin_letter(c) or c.isdigit() or c in _ALLOWED_PUNCTUATION)
           for c in text):
        return False
    tokens = re.split(r"[\s,?!():’']+", text)
    tokens = [t.strip(".-") for t in tokens if t.strip(".-")]
    if not tokens or len(tokens) > MAX_WORDS:
        return False
    letters = sum(_is_latin_letter(c) for c in text)
    return letters >= 2 and all(
        not any(c.isdigit() for c in t) or _CODE_WORD.fullmatch(t) for t in tokens)


class _Pending:
    """One app's counts in this process that are not written yet: (day, text) → [asked,
    missed]."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[tuple[date, str], list[int]] = {}
        self.spellings: dict[tuple[date, str], dict[str, int]] = {}  # key → spelling → asks
        self.last_flush = time.monotonic()  # the last flush started (or was scheduled)

    def add(self, key: tuple[date, str], asked: int, missed: int,
            spellings: dict[str, int] | None = None) -> bool:
        """Add counts (caller holds the lock); False when a new text had no room."""
        counts = self.counts.get(key)
        if counts is None:
            if len(self.counts) >= MAX_PENDING:
                return False
            counts = self.counts[key] = [0, 0]
        counts[0] += asked
        counts[1] += missed
        known = self.spellings.setdefault(key, {})
        for spelling, times in (spellings or {}).items():
            if spelling in known or len(known) < MAX_SPELLINGS:
                known[spelling] = known.get(spelling, 0) + times
        return True

    def take(self) -> tuple[dict, dict]:
        """Everything waiting, leaving nothing (caller holds the lock)."""
        batch, spelled = self.counts, self.spellings
        self.counts, self.spellings = {}, {}
        return batch, spelled


def _pending(app: Flask) -> _Pending:
    pending = app.extensions.get(_EXTENSION)
    if pending is None:
        with _create_lock:
            pending = app.extensions.setdefault(_EXTENSION, _Pending())
    return pending


def pending_count(app: Flask | None = None) -> int:
    """How many distinct (day, text) counts this process holds unwritten (for tests)."""
    return len(_pending(app or cast(Any, current_app)._get_current_object()).counts)


def spelled(query: str) -> str:
    """What a person typed, as shown to editors: NFC (a decomposed "ổ" reads the same), white
    space trimmed and single, at most ``MAX_LENGTH`` characters."""
    return " ".join(unicodedata.normalize("NFC", query[:4 * MAX_LENGTH]).split())[:MAX_LENGTH]


def record_query(query: str, found: bool) -> None:
    """Count one ask of ``query`` today (and one miss when nothing was ``found``), and the
    spelling it was typed in, if the text is plausible. In memory: the database is written
    by a later flush; never raises."""
    if not plausible(query):
        return
    text = fold(query)[:MAX_LENGTH]
    spelling = spelled(query)
    if not text or not spelling:
        return
    app = cast(Any, current_app)._get_current_object()
    pending = _pending(app)
    period = float(app.config.get("SEARCH_LOG_FLUSH_SECONDS", DEFAULT_FLUSH_SECONDS))
    now = time.monotonic()
    with pending.lock:
        if not pending.add((today_local(), text), 1, 0 if found else 1, {spelling: 1}):
            log.debug("search counts: %d texts waiting, %r not counted", MAX_PENDING, text)
        due = (len(pending.counts) >= FLUSH_ENTRIES or now - pending.last_flush >= period)
        if due:
            pending.last_flush = now  # one flush per period, even if this one never runs
    if has_request_context():
        # What to count again when the per-worker response cache serves this answer.
        g.search_query_counted = (query, found)
    if due:
        _flush_soon(app)


def _flush_soon(app: Flask) -> None:
    """Flush after this request's response has gone out, or now outside a request."""
    if not has_request_context():
        flush(app)
        return

    @after_this_request
    def _after_sending(response: Response) -> Response:
        response.call_on_close(lambda: _flush_in_context(app))
        return response


def _flush_in_context(app: Flask) -> None:
    try:
        with app.app_context():
            flush(app)
    except Exception:  # after the response: nothing may escape into the server's log as an error
        log.debug("search counts: flush after a response failed", exc_info=True)


def flush(app: Flask | None = None) -> bool:
    """Write this process's pending counts for ``app`` (default: the current app; an app
    context is needed) in one short transaction. True when written (or nothing waited);
    False when the database refused: the counts are kept for the next flush."""
    app = app or cast(Any, current_app)._get_current_object()
    pending = _pending(app)
    with pending.lock:
        batch, spelled_as = pending.take()
        pending.last_flush = time.monotonic()
    if not batch:
        return True
    try:
        _write(batch, spelled_as, today_local())
    except SQLAlchemyError:
        log.debug("search counts not written (database busy?); kept for the next flush",
                  exc_info=True)
        with pending.lock:
            for key, (asked, missed) in batch.items():
                pending.add(key, asked, missed, spelled_as.get(key))
        return False
    return True


def _write(batch: dict[tuple[date, str], list[int]],
           spelled_as: dict[tuple[date, str], dict[str, int]], today: date) -> None:
    rows = [{"day": day, "query": text, "asked": asked, "missed": missed}
            for (day, text), (asked, missed) in sorted(batch.items())]
    spellings = [{"day": day, "query": text, "spelling": spelling, "asked": times}
                 for (day, text), counts in sorted(spelled_as.items())
                 for spelling, times in sorted(counts.items())]
    key = str(db.engine.url)
    prune = _pruned_on.get(key) != today
    with db.engine.begin() as conn:
        restore = _wait_briefly(conn)
        try:
            conn.execute(_upsert(conn.dialect.name), rows)
            if spellings:
                conn.execute(_upsert_spellings(conn.dialect.name), spellings)
            if prune:
                for table in (SearchQueryDay, SearchQuerySpelling):
                    conn.execute(delete(table).where(
                        table.day < today - timedelta(days=KEEP_DAYS)))
        finally:
            restore()
    if prune:
        _pruned_on[key] = today


def _wait_briefly(conn: Connection) -> Callable[[], None]:
    """Let this transaction wait at most ``LOCK_WAIT_MS`` for a lock; returns what undoes
    that (SQLite's busy timeout belongs to the pooled connection, editors' requests reuse it)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT_MS}ms'")  # ends with it
        return lambda: None
    if conn.dialect.name != "sqlite":
        return lambda: None
    previous = int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0)
    conn.exec_driver_sql(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")

    def restore() -> None:
        try:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={previous}")
        except SQLAlchemyError:
            conn.invalidate()  # never hand a short timeout back to the pool
            raise
    return restore


def _insert(dialect: str) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    # The two dialects' insert constructs differ in type only; both have ON CONFLICT.
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _upsert_spellings(dialect: str):
    """INSERT … ON CONFLICT (day, query, spelling) DO UPDATE adding the count."""
    stmt = _insert(dialect)(SearchQuerySpelling)
    return stmt.on_conflict_do_update(
        index_elements=[SearchQuerySpelling.day, SearchQuerySpelling.query,
                        SearchQuerySpelling.spelling],
        set_={"asked": SearchQuerySpelling.asked + stmt.excluded.asked})


def _upsert(dialect: str):
    """INSERT … ON CONFLICT (day, query) DO UPDATE adding the counts (SQLite, PostgreSQL)."""
    stmt = _insert(dialect)(SearchQueryDay)
    return stmt.on_conflict_do_update(
        index_elements=[SearchQueryDay.day, SearchQueryDay.query],
        set_={"asked": SearchQueryDay.asked + stmt.excluded.asked,
              "missed": SearchQueryDay.missed + stmt.excluded.missed})


class Asked(NamedTuple):
    """One line of the editors' "most searched": the folded text counted, its asks and
    misses, the last day asked, and the commonest spelling people typed it in."""

    query: str
    asked: int
    missed: int
    last: date
    shown: str


def most_asked(days: int = 30, limit: int = 20, missed_only: bool = False) -> list[Asked]:
    """The queries asked over the last ``days`` days, most asked first; with
    ``missed_only``, those that found nothing at least once, most missed first. ``shown`` is
    the spelling typed most often over those days (the folded text when none was kept).
    Written counts only: what workers still hold appears within a flush period. (Flushing
    here would not help on SQLite: the caller's session already reads an older snapshot.)"""
    since = today_local() - timedelta(days=days - 1)
    asked, missed = func.sum(SearchQueryDay.asked), func.sum(SearchQueryDay.missed)
    stmt = (select(SearchQueryDay.query, asked, missed, func.max(SearchQueryDay.day))
            .where(SearchQueryDay.day >= since).group_by(SearchQueryDay.query))
    if missed_only:
        stmt = stmt.having(missed > 0).order_by(missed.desc(), asked.desc())
    else:
        stmt = stmt.order_by(asked.desc(), missed.desc())
    stmt = stmt.order_by(SearchQueryDay.query).limit(limit)
    rows = [(q, int(a or 0), int(m or 0), d) for q, a, m, d in db.session.execute(stmt)]
    shown = _commonest_spellings([q for q, *_ in rows], since)
    return [Asked(q, a, m, d, shown.get(q, q)) for q, a, m, d in rows]


def _commonest_spellings(queries: list[str], since: date) -> dict[str, str]:
    """Folded text → the spelling typed most often since ``since`` (ties: the first in
    code-point order, so the answer does not depend on the database)."""
    if not queries:
        return {}
    times = func.sum(SearchQuerySpelling.asked)
    stmt = (select(SearchQuerySpelling.query, SearchQuerySpelling.spelling, times)
            .where(SearchQuerySpelling.day >= since, SearchQuerySpelling.query.in_(queries))
            .group_by(SearchQuerySpelling.query, SearchQuerySpelling.spelling))
    best: dict[str, tuple[int, str]] = {}
    for query, spelling, count in db.session.execute(stmt):
        mine = (-int(count or 0), spelling)
        if query not in best or mine < best[query]:
            best[query] = mine
    return {query: spelling for query, (_, spelling) in best.items()}
