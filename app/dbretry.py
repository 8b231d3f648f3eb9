"""Run a short write transaction again when the database refused it as busy.

SQLite (in WAL mode, with the explicit BEGIN of ``app.extensions``) refuses a transaction's
first write at once with "database is locked" when another process committed after this
transaction's first read: waiting cannot help, since the snapshot it read is already old
(SQLITE_BUSY_SNAPSHOT; the busy timeout does not apply). The cure is to roll back and run
the whole transaction again, reads included. PostgreSQL waits for locks instead, but may
pick a transaction as a deadlock victim, which is cured the same way.

Used by processes that publish outside a request (tests/publisher.py, the load benchmark's
publisher) and by the claim that starts every editor save (``app.revisions.drafts.claim``),
which retries only its first write (``first_write_refused``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from app.extensions import db

T = TypeVar("T")
ATTEMPTS = 5
PAUSE_SECONDS = 0.1
_PG_RETRYABLE = {"40001", "40P01"}  # serialization failure, deadlock detected


def is_busy(exc: OperationalError) -> bool:
    """True when ``exc`` says the transaction lost a race and may simply run again."""
    message = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return "database is locked" in message or "database is busy" in message or (
        code in _PG_RETRYABLE)


def first_write_refused(exc: OperationalError) -> bool:
    """True when SQLite refused a transaction's first write ("locked"). Nothing was written
    yet, so running the write again after a rollback loses nothing; a PostgreSQL deadlock
    victim had written already, so it is not retried here."""
    return "locked" in str(exc.orig)


def retry_when_busy(work: Callable[[], T], attempts: int = ATTEMPTS,
                    pause: float = PAUSE_SECONDS,
                    busy: Callable[[OperationalError], bool] = is_busy) -> T:
    """``work()`` (which reads, writes and commits ``db.session``), run again after a rollback
    and a short, growing pause when the database refused it as busy (``busy(exc)``); other
    errors, and the last refusal, propagate."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as exc:
            db.session.rollback()
            if attempt == attempts or not busy(exc):
                raise
            time.sleep(pause * attempt)
    raise AssertionError("unreachable")  # the loop returns or raises
