"""Login rate limit: failures per account and per client, counted in the database.

The counters are rows (``LoginAttempt``) in the shared database, so the limit holds across
every gunicorn worker and node. A blocked attempt is not recorded, so the block lifts when the
window of the failures that caused it has passed.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from app.extensions import db
from app.models import LoginAttempt
from app.models.procedure import utcnow

KEEP = timedelta(days=1)


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def retry_after(email: str, client: str) -> int:
    """Seconds until an attempt is allowed again; 0 when it is allowed now."""
    since = utcnow() - _window()
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    waits = []
    for column, value in ((LoginAttempt.email, email), (LoginAttempt.client, client)):
        times = list(db.session.scalars(
            select(LoginAttempt.created_at)
            .where(column == value, LoginAttempt.success.is_(False),
                   LoginAttempt.created_at >= since)
            .order_by(LoginAttempt.created_at.desc()).limit(limit)))
        if len(times) >= limit:
            # Allowed again once the oldest of the last `limit` failures leaves the window.
            waits.append((times[-1] + _window() - utcnow()).total_seconds())
    return max(1, int(max(waits)) + 1) if waits else 0


def record(email: str, client: str, success: bool) -> None:
    """Remember one attempt (in the caller's transaction) and forget day-old ones."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - KEEP))
    db.session.add(LoginAttempt(email=email[:254], client=client[:64], success=success))


def failures(email: str, client: str) -> int:
    """Recent failures for this account or this client (for tests and the audit page)."""
    since = utcnow() - _window()
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.success.is_(False), LoginAttempt.created_at >= since,
            or_(LoginAttempt.email == email, LoginAttempt.client == client))) or 0
