"""Sign-in limits: a lock per (account, client) pair, a growing delay, and an alert.

The policy (also in docs/deployment.md):

- ``LOGIN_MAX_FAILURES`` failures (default 10) from one client for one account lock that pair
  for ``LOGIN_WINDOW_SECONDS``: that is how a password is guessed from one place.
- One client failing on many accounts (password spraying) is stopped at
  ``LOGIN_CLIENT_MAX_FAILURES`` (default 50).
- No account is ever locked as a whole: other clients' failures must not deny the owner sign-in
  from their own address. Instead, once an account has ``LOGIN_ACCOUNT_ALERT_FAILURES``
  (default 20) failures in the window, every client that failed on it waits before its next
  try, a delay doubling with its own failures (2 s, 4 s, 8 s … at most
  ``LOGIN_DELAY_MAX_SECONDS``), and administrators see the account on the dashboard
  (``accounts_under_attack``). A client with no failure on the account (the owner) never waits.

The client is ``app.clientaddr.client_address``, trusting ``X-Forwarded-For`` only through
``PROXY_COUNT``. Attempts are rows (``LoginAttempt``) in the shared database. ``claim`` checks
the limits and records the attempt (as a failure until the password proves right) in one
atomic step (``app.ratelimit.hold``), so concurrent guesses cannot slip past a limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app import ratelimit
from app.extensions import db
from app.models import LoginAttempt
from app.models.procedure import utcnow

KEEP = timedelta(days=1)


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def _failed_since(*conditions) -> list[datetime]:
    """Times of recent failures matching ``conditions``, newest first."""
    since = utcnow() - _window()
    return list(db.session.scalars(
        select(LoginAttempt.created_at)
        .where(*conditions, LoginAttempt.success.is_(False), LoginAttempt.created_at >= since)
        .order_by(LoginAttempt.created_at.desc())))


def _lock_wait(times: list[datetime], limit: int) -> float:
    """Seconds until the oldest of the last ``limit`` failures leaves the window."""
    if len(times) < limit:
        return 0.0
    return (times[limit - 1] + _window() - utcnow()).total_seconds()


def delay_for(failures: int) -> float:
    """The pause a client with ``failures`` on an account under attack waits between tries."""
    if failures <= 0:
        return 0.0
    return float(min(current_app.config["LOGIN_DELAY_MAX_SECONDS"], 2 ** min(failures, 30)))


def retry_after(email: str, client: str) -> int:
    """Seconds until an attempt is allowed again; 0 when it is allowed now."""
    config = current_app.config
    pair = _failed_since(LoginAttempt.email == email, LoginAttempt.client == client)
    waits = [_lock_wait(pair, config["LOGIN_MAX_FAILURES"]),
             _lock_wait(_failed_since(LoginAttempt.client == client),
                        config["LOGIN_CLIENT_MAX_FAILURES"])]
    if pair and account_failures(email) >= config["LOGIN_ACCOUNT_ALERT_FAILURES"]:
        waits.append((pair[0] + timedelta(seconds=delay_for(len(pair))) - utcnow())
                     .total_seconds())
    wait = max(waits)
    return max(1, int(wait) + 1) if wait > 0 else 0


def claim(email: str, client: str) -> tuple[int, LoginAttempt | None]:
    """Check the limits and count this attempt, atomically: ``(wait, None)`` when it must
    wait, else ``(0, attempt)`` with the attempt recorded as a failure (``succeeded`` turns it
    into a success). The caller commits straight away, which ends the hold."""
    ratelimit.hold(f"login:{client}")  # every counter here includes this client
    wait = retry_after(email, client)
    if wait:
        return wait, None
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - KEEP))
    attempt = LoginAttempt(email=email[:254], client=client[:64], success=False,
                           created_at=utcnow())
    db.session.add(attempt)
    db.session.flush()
    return 0, attempt


def succeeded(attempt: LoginAttempt) -> None:
    attempt.success = True


def failures(email: str, client: str) -> int:
    """Recent failures of this account from this client (for tests and the audit page)."""
    return len(_failed_since(LoginAttempt.email == email, LoginAttempt.client == client))


def account_failures(email: str) -> int:
    since = utcnow() - _window()
    return db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.email == email, LoginAttempt.success.is_(False),
        LoginAttempt.created_at >= since)) or 0


@dataclass(frozen=True)
class UnderAttack:
    email: str
    failures: int
    clients: int
    last: datetime


def accounts_under_attack() -> list[UnderAttack]:
    """Accounts with at least ``LOGIN_ACCOUNT_ALERT_FAILURES`` failures in the window (for the
    administrators' dashboard), most failures first."""
    since = utcnow() - _window()
    threshold = current_app.config["LOGIN_ACCOUNT_ALERT_FAILURES"]
    count = func.count(LoginAttempt.id)
    rows = db.session.execute(
        select(LoginAttempt.email, count, func.count(func.distinct(LoginAttempt.client)),
               func.max(LoginAttempt.created_at))
        .where(LoginAttempt.success.is_(False), LoginAttempt.created_at >= since)
        .group_by(LoginAttempt.email).having(count >= threshold)
        .order_by(count.desc()).limit(20))
    return [UnderAttack(email, int(n), int(clients), last) for email, n, clients, last in rows]
