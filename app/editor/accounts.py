"""Account management and the audit log (administrators only)."""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import queries
from app.editor import admin_bp, audit
from app.editor.forms import UserForm
from app.editor.procedures import page_arg
from app.extensions import db
from app.models import AuditLog, User
from app.vocab import Role


@admin_bp.get("/users")
def users() -> ResponseReturnValue:
    rows = list(db.session.scalars(select(User).order_by(User.email)))
    return render_template("editor/users.html", users=rows)


def _last_admin(user: User) -> bool:
    """True when ``user`` is the only active administrator (who must not be demoted)."""
    others = db.session.scalar(select(func.count(User.id)).where(
        User.role == Role.ADMIN, User.active.is_(True), User.id != user.id))
    return user.role == Role.ADMIN and user.active and not others


@admin_bp.route("/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@admin_bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int | None) -> ResponseReturnValue:
    account = db.session.get(User, user_id) if user_id else None
    if user_id and account is None:
        abort(404)
    form = UserForm(obj=account)
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        clash = db.session.scalar(select(User.id).where(User.email == email))
        if clash is not None and clash != user_id:
            form.email.errors = [_("Another account has this email address.")]
        elif account is None and not form.password.data:
            form.password.errors = [_("Set a password for the new account.")]
        elif account is not None and _last_admin(account) and (
                form.role.data != Role.ADMIN or not form.active.data):
            form.role.errors = [_("This is the only administrator: keep it an active admin.")]
        else:
            return _save(account, form, email)
    return render_template("editor/user.html", form=form, account=account)


def _save(account: User | None, form: UserForm, email: str):
    created = account is None
    if created:
        account = User(email=email, password_hash="")
        db.session.add(account)
    before = (account.email, account.role, account.active)
    account.email, account.role, account.active = email, form.role.data, form.active.data
    details = []
    if before != (account.email, account.role, account.active):
        details.append(f"role {account.role}, {'active' if account.active else 'disabled'}")
    if form.password.data:
        account.set_password(form.password.data)
        details.append("password set")
    elif not account.active:
        account.session_token = secrets.token_urlsafe(24)  # end its sessions now
    db.session.flush()
    audit.record("user_created" if created else "user_changed", f"user:{email}",
                 "; ".join(details))
    db.session.commit()
    flash(_("Account saved."), "success")
    return redirect(url_for(".users"))


@admin_bp.get("/audit")
def audit_log() -> ResponseReturnValue:
    page = page_arg()  # clamped: a huge ?page= must not reach the database as an offset
    stmt = select(AuditLog).order_by(AuditLog.id.desc())
    if action := request.args.get("action", "").strip():
        stmt = stmt.where(AuditLog.action == action)
    return render_template("editor/audit.html", page=queries.paginate(stmt, page, 50),
                           action=action)
