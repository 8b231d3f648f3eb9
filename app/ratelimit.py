"""A sliding-window rate limit in shared storage (the database).

Every gunicorn worker and every node behind the load balancer sees the same counts, which an
in-process counter could not give. ``allow`` counts and records in the caller's transaction;
the caller commits (or the request's teardown does).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models.limits import RateEvent
from app.models.procedure import utcnow


def allow(key: str, limit: int, window_seconds: float) -> bool:
    """Record one event under ``key`` and say whether it is within ``limit`` per window.

    A refused event is not recorded, so a client that keeps trying is let through again as
    soon as its older events leave the window.
    """
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    key = key[:200]
    used = db.session.scalar(
        select(func.count(RateEvent.id)).where(RateEvent.key == key, RateEvent.created_at > since)
    ) or 0
    if used >= limit:
        return False
    db.session.add(RateEvent(key=key, created_at=now))
    db.session.flush()
    return True


def remaining_wait(key: str, limit: int, window_seconds: float) -> float:
    """Seconds until ``key`` may act again (0 when it may now)."""
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    times = db.session.scalars(
        select(RateEvent.created_at).where(RateEvent.key == key[:200], RateEvent.created_at > since)
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
