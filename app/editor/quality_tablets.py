"""Administrators issue, rotate and revoke the counters' tablet tokens
(``/editor/admin/may-danh-gia``), as ``flask counters tablet-url`` does. A new address is
shown once, in the answer to the post that issued it, as a QR code to scan with the tablet
(never as text: a token on screen is a token in screenshots and over shoulders); only its
hash is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urldefrag

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.dates import CENTRE_ZONE
from app.editor import admin_bp, audit
from app.extensions import db
from app.models import Counter
from app.public.qr import qr_svg
from app.quality import tablets

ACTIONS = ("issue", "rotate", "revoke")


def _rows() -> list[tuple[Counter, object]]:
    counters = db.session.scalars(select(Counter).order_by(Counter.number)).all()
    rows = [(counter, tablets.live_tablet(counter)) for counter in counters]
    # A retired counter is listed only while its tablet still holds a live token.
    return [(c, t) for c, t in rows if c.retired_at is None or t is not None]


def stamp(value: datetime | None) -> str:
    """A stored (UTC) time as dd/mm/yyyy HH:MM in the centre's zone."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CENTRE_ZONE).strftime("%d/%m/%Y %H:%M")


def _page(issued: tuple[str, str] | None = None) -> ResponseReturnValue:
    qr = shown = None
    if issued is not None:
        number, url = issued
        qr = qr_svg(url, _("QR code of counter %(n)s's tablet address", n=number), scale=6)
        shown = urldefrag(url)[0]  # the address without its token
    return render_template("editor/quality_tablets.html", rows=_rows(), issued=issued,
                           issued_qr=qr, issued_address=shown, stamp=stamp)


@admin_bp.get("/may-danh-gia")
def rating_tablets() -> ResponseReturnValue:
    return _page()


@admin_bp.post("/may-danh-gia/<number>")
def rating_tablet_action(number: str) -> ResponseReturnValue:
    counter = tablets.counter_by_number(number)
    action = request.form.get("action", "")
    if counter is None or action not in ACTIONS:
        abort(404 if counter is None else 400)
    if action == "revoke":
        done = tablets.revoke(counter)
        if done:
            audit.record("rating_tablet_revoke", f"counter {number}")
        db.session.commit()
        flash(_("Counter %(n)s's tablet token is revoked.", n=number) if done
              else _("Counter %(n)s had no token.", n=number), "success")
        return redirect(url_for("editor.admin.rating_tablets"))
    if counter.retired_at is not None:
        abort(400, description=_("Counter %(n)s is retired.", n=number))
    tablet, token = tablets.issue(counter, by=current_user.email, rotate=action == "rotate")
    if token is None:  # already had one (a second click): nothing new to show
        flash(_("Counter %(n)s already has a tablet token; rotate to get a new address.",
                n=number), "success")
        return redirect(url_for("editor.admin.rating_tablets"))
    audit.record(f"rating_tablet_{action}", f"counter {number}")
    db.session.commit()
    return _page((number, tablets.tablet_url(tablet, token)))
