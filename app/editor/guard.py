"""The one guard of the editor area: it fails closed.

Anonymous visitors go to the login page (with a safe ``next``); a signed-in account whose role
is below what the blueprint needs gets 403. Only ``OPEN_ENDPOINTS`` skip the check, so a new
view is protected without anyone remembering to protect it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.editor import bp
from app.vocab import Role

OPEN_ENDPOINTS = frozenset({"editor.login"})
ROLE_BY_BLUEPRINT = {"editor.review": Role.PUBLISHER, "editor.admin": Role.ADMIN}
DEFAULT_ROLE = Role.EDITOR


def required_role(endpoint: str | None, blueprints: list[str]) -> str | None:
    """The least role an endpoint needs, or None when it is open to anonymous visitors."""
    if endpoint in OPEN_ENDPOINTS:
        return None
    needed = [ROLE_BY_BLUEPRINT[name] for name in blueprints if name in ROLE_BY_BLUEPRINT]
    return max(needed, key=Role.values().index, default=DEFAULT_ROLE)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path inside the editor area, else None (no open redirect)."""
    if not target or any(ch in target for ch in "\\\r\n\t") or len(target) > 2000:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    prefix = url_for("editor.dashboard").rstrip("/")
    if parts.path != prefix and not parts.path.startswith(prefix + "/"):
        return None
    return target


@bp.before_request
def guard() -> ResponseReturnValue | None:
    role = required_role(request.endpoint, request.blueprints)
    if role is None:
        return None
    if not current_user.is_authenticated:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("editor.login", next=safe_next(target)))
    if not current_user.has_role(role):
        abort(403)
    return None


@bp.after_request
def _no_store(response):
    # Editor pages show drafts and accounts: never keep them in a shared cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response
