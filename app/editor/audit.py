"""The audit log: one call per event worth keeping (logins, account changes, publishing).

The client recorded is the real one behind our proxies (``app.clientaddr``, ``PROXY_COUNT``)."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from app.clientaddr import client_address
from app.extensions import db
from app.models import AuditLog, User


def record(action: str, target: str = "", detail: str = "", user: User | None = None) -> None:
    """Add an entry in the caller's transaction; ``user`` defaults to the signed-in account."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user._get_current_object()
    db.session.add(AuditLog(
        action=action, target=target[:300], detail=detail,
        user_id=user.id if user else None, actor=user.email if user else "",
        client=client_address()[:64],
    ))
