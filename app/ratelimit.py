"""The one rate limiter: sliding windows counted in shared storage (the database).

Every gunicorn worker and every node sees the same counts, which an in-process counter could
not give. The check and the count are one atomic step: ``hold`` serialises everyone acting
under a key until the transaction ends (PostgreSQL: a transaction-level advisory lock;
SQLite: its single write lock, taken by a first write), so two requests can never both see
"one left" and both act. ``allow`` is hold + count + record; the sign-in limits
(``app.editor.ratelimit``) hold their keys and count their own rows the same way.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, false, func, select

from app.extensions import db
from app.models.limits import RateEvent
from app.models.procedure import utcnow

MAX_KEY = 200


def _lock_id(key: str) -> int:
    """A signed 64-bit number for ``pg_advisory_xact_lock``, the same in every process."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def hold(*keys: str) -> None:
    """Serialise, until the caller's transaction ends, every transaction holding any of ``keys``.

    PostgreSQL: advisory locks (sorted, so two holders of the same keys cannot deadlock).
    SQLite has one writer at a time: a write that changes nothing takes its lock now (write
    requests already took it at BEGIN, see ``app.extensions``).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        for lock_id in sorted({_lock_id(key[:MAX_KEY]) for key in keys}):
            db.session.execute(select(func.pg_advisory_xact_lock(lock_id)))
    else:
        db.session.execute(delete(RateEvent).where(false()))


def allow(key: str, limit: int, window_seconds: float) -> bool:
    """Record one event under ``key`` and say whether it is within ``limit`` per window.

    Atomic (``hold``): of many concurrent callers at most ``limit`` get True per window. A
    refused event is not recorded, so a client that keeps trying is let through again as
    soon as its older events leave the window. The caller commits (which releases the hold).
    """
    key = key[:MAX_KEY]
    hold(key)
    now = utcnow()
    used = count(key, window_seconds)
    if used >= limit:
        return False
    db.session.add(RateEvent(key=key, created_at=now))
    db.session.flush()
    return True


def count(key: str, window_seconds: float) -> int:
    """Events under ``key`` in the last ``window_seconds``."""
    since = utcnow() - timedelta(seconds=window_seconds)
    return db.session.scalar(
        select(func.count(RateEvent.id)).where(RateEvent.key == key[:MAX_KEY],
                                               RateEvent.created_at > since)) or 0


def remaining_wait(key: str, limit: int, window_seconds: float) -> float:
    """Seconds until ``key`` may act again (0 when it may now)."""
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    times = db.session.scalars(
        select(RateEvent.created_at).where(RateEvent.key == key[:MAX_KEY],
                                           RateEvent.created_at > since)
        .order_by(RateEvent.created_at.desc()).limit(limit)
    ).all()
    if len(times) < limit:
        return 0.0
    return max(0.0, (times[-1] - since).total_seconds())


def prune(older_than_seconds: float = 86400) -> int:
    """Delete events older than any window in use; returns how many went."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    result = db.session.execute(delete(RateEvent).where(RateEvent.created_at < cutoff))
    return result.rowcount or 0
