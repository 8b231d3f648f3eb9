"""Editor accounts, the revision history of procedures, the audit log and login attempts.

A procedure's rows (``app.models.procedure``) are its *live* version. Every save in the editor
is a ``Revision`` holding the whole record as JSON (``app.records`` format); the newest
revision of a procedure in state ``draft`` or ``in_review`` is its working draft.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.procedure import Procedure, utcnow
from app.vocab import PENDING_STATES, RevisionState, Role, check

PASSWORD_METHOD = "scrypt"


def _token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """An editor account. ``session_token`` is part of the session id, so rotating it (on a
    password change or deactivation) signs the account out everywhere else."""

    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL
    __table_args__ = (check("role", Role, "ck_user_account_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.EDITOR.value)
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), default=_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        self.password_changed_at = utcnow()
        self.session_token = _token()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def has_role(self, role: str) -> bool:
        """True when this account's role is ``role`` or above it."""
        return Role(self.role).includes(role)


class EditorSession(db.Model):
    """One signed-in browser. The cookie holds a random secret; only its SHA-256 is stored
    here (``id``), so the table cannot be used to take over a session. Logging out deletes the
    row; ``app.editor.sessions`` refuses a row idle or older than the configured limits."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Revision(db.Model):
    """One save of a procedure: the whole record, who saved it and from which version."""

    __table_args__ = (UniqueConstraint("procedure_id", "number"),
                      check("state", RevisionState, "ck_revision_state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()  # 1, 2, 3 … per procedure
    state: Mapped[str] = mapped_column(String(20), default=RevisionState.DRAFT.value)
    data: Mapped[dict] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The procedure's lock_version the author started from (optimistic locking).
    base_lock_version: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    restored_from: Mapped[int | None] = mapped_column()  # the revision number restored

    author: Mapped[User | None] = relationship()
    procedure: Mapped[Procedure] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES


class AuditLog(db.Model):
    """Who did what: logins, account changes, publishing. ``actor`` keeps the e-mail address
    even when the account is later deleted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    client: Mapped[str] = mapped_column(String(64), default="")


class LoginAttempt(db.Model):
    """One login attempt; the rate limit counts recent failures per account and per client
    here, in the shared database, so it holds across workers and nodes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class FormFile(db.Model):
    """An uploaded form (mẫu đơn); the bytes live under ``UPLOAD_DIR`` as ``stored_name``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(200), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))  # pdf | doc | docx | odt
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()
