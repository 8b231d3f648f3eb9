"""Administrators issue, rotate and revoke the counters' tablet tokens
(``/editor/admin/may-danh-gia``), as ``flask counters tablet-url`` does."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.editor import admin_bp, audit
from app.extensions import db
from app.models import Counter
from app.quality import tablets

ACTIONS = ("issue", "rotate", "revoke")


@admin_bp.get("/may-danh-gia")
def rating_tablets() -> ResponseReturnValue:
    counters = db.session.scalars(select(Counter).order_by(Counter.number)).all()
    rows = []
    for counter in counters:
        tablet = tablets.live_tablet(counter)
        rows.append((counter, tablet, tablets.tablet_url(tablet) if tablet else None))
    return render_template("quality/editor_tablets.html", rows=rows)


@admin_bp.post("/may-danh-gia/<number>")
def rating_tablet_action(number: str) -> ResponseReturnValue:
    counter = tablets.counter_by_number(number)
    action = request.form.get("action", "")
    if counter is None or action not in ACTIONS:
        abort(404 if counter is None else 400)
    if action == "revoke":
        done = tablets.revoke(counter)
        message = (_("Counter %(n)s's tablet token is revoked.", n=number) if done
                   else _("Counter %(n)s had no token.", n=number))
    else:
        _tablet, done = tablets.issue(counter, by=current_user.email, rotate=action == "rotate")
        message = _("Counter %(n)s has a new tablet address; open it on the tablet.", n=number)
    if done:
        audit.record(f"rating_tablet_{action}", f"counter {number}")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("editor.admin.rating_tablets"))
