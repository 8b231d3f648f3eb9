"""Editor sessions kept on the server, so signing out really ends them.

The signed cookie alone cannot be taken back: a copy made before logout would keep working.
So each sign-in creates an ``EditorSession`` row and puts its random secret in the cookie;
the login manager accepts a cookie only while its row exists, has been used within
``EDITOR_IDLE_MINUTES`` and is younger than ``EDITOR_SESSION_HOURS``. Logout deletes the row.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import delete, or_

from app.extensions import db
from app.models import EditorSession, User
from app.models.procedure import utcnow

KEY = "sid"
# last_seen_at is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _limits() -> tuple[timedelta, timedelta]:
    return (timedelta(minutes=current_app.config["EDITOR_IDLE_MINUTES"]),
            timedelta(hours=current_app.config["EDITOR_SESSION_HOURS"]))


def start(user: User) -> None:
    """A new server-side session for ``user`` in this (freshly cleared) cookie session."""
    idle, longest = _limits()
    now = utcnow()
    # Forget expired sessions of everybody while we are here: the table stays small.
    db.session.execute(delete(EditorSession).where(or_(
        EditorSession.last_seen_at < now - idle, EditorSession.created_at < now - longest)))
    secret = secrets.token_urlsafe(32)
    db.session.add(EditorSession(id=_hash(secret), user_id=user.id, created_at=now,
                                 last_seen_at=now))
    session[KEY] = secret


def valid_for(user: User) -> bool:
    """True when this request's cookie names a live session of ``user`` (and mark it used)."""
    secret = session.get(KEY)
    if not isinstance(secret, str) or not secret:
        return False
    row = db.session.get(EditorSession, _hash(secret))
    if row is None or row.user_id != user.id:
        return False
    idle, longest = _limits()
    now = utcnow()
    if now - row.last_seen_at > idle or now - row.created_at > longest:
        db.session.delete(row)
        db.session.commit()
        return False
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return True


def end() -> None:
    """Delete this cookie's server-side session (logout)."""
    secret = session.pop(KEY, None)
    if isinstance(secret, str):
        db.session.execute(delete(EditorSession).where(EditorSession.id == _hash(secret)))


def end_others(user: User) -> None:
    """Delete every session of ``user`` except this request's (a password change)."""
    secret = session.get(KEY)
    keep = _hash(secret) if isinstance(secret, str) else ""
    db.session.execute(delete(EditorSession).where(
        EditorSession.user_id == user.id, EditorSession.id != keep))
