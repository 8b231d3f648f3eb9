"""Sign in, sign out and change password.

Sign-in is rate-limited per (account, client) pair and per client, and slowed for clients
failing on an account under attack (``app.editor.ratelimit``, which states the policy), the
client being ``app.clientaddr.client_address``; the
answer to a wrong email and to a wrong password is the same, and takes as long. A session lives
on the server too (``app.editor.sessions``): logout, idle and age limits end it for good.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from app import i18n
from app.clientaddr import client_address
from app.editor import audit, bp, ratelimit, sessions
from app.editor.forms import LoginForm, PasswordForm
from app.editor.guard import safe_next
from app.extensions import db, login_manager
from app.models import User
from app.models.accounts import PASSWORD_METHOD
from app.models.procedure import utcnow

# Checked when the email is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not a password", method=PASSWORD_METHOD)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The account for a session id ``"<id>:<token>"``; None once the token was rotated or
    this browser's server-side session ended (logout, idle, too old)."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user if sessions.valid_for(user) else None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def _too_many(form: LoginForm, wait: int):
    minutes = max(1, -(-wait // 60))
    message = ngettext(
        "Too many failed sign-in attempts. For your security, signing in is paused: try again "
        "in %(num)s minute.",
        "Too many failed sign-in attempts. For your security, signing in is paused: try again "
        "in %(num)s minutes.", minutes)
    response = render_template("editor/login.html", form=form, blocked=message)
    return response, 429, {"Retry-After": str(wait)}


def _fresh_session() -> None:
    """Empty the cookie session, keeping only the editor's language choice."""
    language = session.get(i18n.SESSION_KEY)
    session.clear()
    if language:
        session[i18n.SESSION_KEY] = language


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for(".dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("editor/login.html", form=form, blocked=None)
    email, client = form.email.data.strip().lower(), client_address()
    wait, attempt = ratelimit.claim(email, client)
    db.session.commit()  # the attempt counts (as a failure) before the password is checked
    if attempt is None:
        return _too_many(form, wait)
    user = find_user(email)
    if user is not None:
        ok = user.check_password(form.password.data) and user.active
    else:
        check_password_hash(_DUMMY_HASH, form.password.data)
        ok = False
    if not ok:
        audit.record("login_failed", f"user:{email}", user=user)
        db.session.commit()
        form.password.errors = [_("The email address or the password is wrong.")]
        return render_template("editor/login.html", form=form, blocked=None), 200
    ratelimit.succeeded(attempt)
    _fresh_session()  # no fixation
    sessions.start(user)
    login_user(user)
    user.last_login_at = utcnow()
    audit.record("login", f"user:{user.email}", user=user)
    db.session.commit()
    return redirect(safe_next(form.next.data) or url_for(".dashboard"))


@bp.post("/logout")
def logout() -> Response:
    audit.record("logout", f"user:{current_user.email}")
    sessions.end()
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for(".login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current.data):
            form.current.errors = [_("This is not your current password.")]
        else:
            user.set_password(form.new.data)  # rotates the token: other sessions end
            sessions.end_others(user)
            audit.record("password_changed", f"user:{user.email}")
            db.session.commit()
            login_user(user)  # keep this session, under the new token
            flash(_("Your password has been changed. Other sessions were signed out."),
                  "success")
            return redirect(url_for(".dashboard"))
    return render_template("editor/password.html", form=form)
