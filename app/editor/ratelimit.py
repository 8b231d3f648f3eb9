"""Login rate limit: failures counted per (account, client) pair, per account and per client.

``LOGIN_MAX_FAILURES`` failures (default 10) from one client for one account lock that pair:
that is how a password is guessed. Failures spread over many clients lock the account only at
``LOGIN_ACCOUNT_MAX_FAILURES`` (default 50), so nobody can lock a colleague out from one place;
one client failing on many accounts (password spraying) is stopped at
``LOGIN_CLIENT_MAX_FAILURES`` (default 50). All within ``LOGIN_WINDOW_SECONDS``. The client is
``app.clientaddr.client_address``, trusting ``X-Forwarded-For`` only through ``PROXY_COUNT``.

The counters are rows (``LoginAttempt``) in the shared database, so the limit holds across
every gunicorn worker and node. A blocked attempt is not recorded, so the block lifts when the
window of the failures that caused it has passed.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import LoginAttempt
from app.models.procedure import utcnow

KEEP = timedelta(days=1)


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def _scopes(email: str, client: str) -> list[tuple[list, int]]:
    """(conditions, limit) for each counter that can block this attempt."""
    config = current_app.config
    return [
        ([LoginAttempt.email == email, LoginAttempt.client == client],
         config["LOGIN_MAX_FAILURES"]),
        ([LoginAttempt.email == email], config["LOGIN_ACCOUNT_MAX_FAILURES"]),
        ([LoginAttempt.client == client], config["LOGIN_CLIENT_MAX_FAILURES"]),
    ]


def retry_after(email: str, client: str) -> int:
    """Seconds until an attempt is allowed again; 0 when it is allowed now."""
    since = utcnow() - _window()
    waits = []
    for conditions, limit in _scopes(email, client):
        times = list(db.session.scalars(
            select(LoginAttempt.created_at)
            .where(*conditions, LoginAttempt.success.is_(False), LoginAttempt.created_at >= since)
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
    """Recent failures of this account from this client (for tests and the audit page)."""
    since = utcnow() - _window()
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.success.is_(False), LoginAttempt.created_at >= since,
            LoginAttempt.email == email, LoginAttempt.client == client)) or 0
