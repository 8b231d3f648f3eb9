"""The editors' dashboard: what waits for review, what has not been checked for a long time,
what the public reported, and what people searched for without finding anything."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, or_, select
from werkzeug.wrappers import Response

from app import search
from app.editor import bp, ratelimit
from app.editor.early_warnings import by_procedure, early_warnings
from app.editor.forms import ConfirmForm
from app.editor.todo import todo_lines
from app.extensions import db
from app.models import Feedback, Procedure
from app.models.procedure import utcnow
from app.revisions import drafts
from app.schedule.report import scheduled_report
from app.vocab import FeedbackKind, Role

LIMIT = 20
SEARCH_DAYS = 30  # what citizens asked is shown over this many recent days


def _stale() -> tuple[list[Procedure], int]:
    """Published procedures not reviewed within ``EDITOR_STALE_DAYS``, oldest first."""
    since = utcnow() - timedelta(days=current_app.config["EDITOR_STALE_DAYS"])
    where = (Procedure.published.is_(True),
             or_(Procedure.reviewed_at.is_(None), Procedure.reviewed_at < since))
    total = db.session.scalar(select(func.count(Procedure.id)).where(*where)) or 0
    rows = db.session.scalars(select(Procedure).where(*where).order_by(
        Procedure.reviewed_at.is_not(None), Procedure.reviewed_at, Procedure.id).limit(LIMIT))
    return list(rows), total


def _feedback() -> list[Feedback]:
    return list(db.session.scalars(
        select(Feedback).where(Feedback.handled.is_(False))
        .order_by(Feedback.kind.desc(), Feedback.created_at.desc()).limit(LIMIT)))


def _usefulness() -> list[tuple[Procedure, int, int]]:
    """Procedures people found least useful: (procedure, yes, no), most "no" first."""
    no = func.sum(case((Feedback.useful.is_(False), 1), else_=0))
    yes = func.sum(case((Feedback.useful.is_(True), 1), else_=0))
    stmt = (select(Procedure, yes, no).join(Feedback, Feedback.procedure_id == Procedure.id)
            .where(Feedback.kind == FeedbackKind.USEFUL).group_by(Procedure.id)
            .order_by(no.desc()).limit(10))
    return [(p, int(y or 0), int(n or 0)) for p, y, n in db.session.execute(stmt)]


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    stale, stale_total = _stale()
    waiting = drafts.pending_in("in_review")
    working = drafts.pending_in("draft")
    feedback = _feedback()
    procedures = {p.id: p for p in db.session.scalars(select(Procedure).where(
        Procedure.id.in_({f.procedure_id for f in feedback if f.procedure_id})))}
    asked = search.most_asked(days=SEARCH_DAYS, limit=LIMIT)
    misses = search.most_asked(days=SEARCH_DAYS, limit=LIMIT, missed_only=True)
    warnings = early_warnings()
    todo = todo_lines(warnings, stale, stale_total, waiting, len(scheduled_report()))
    return render_template(
        "editor/dashboard.html", waiting=waiting, working=working, stale=stale,
        stale_total=stale_total, feedback=feedback, feedback_procedures=procedures,
        usefulness=_usefulness(), asked=asked, misses=misses,
        search_days=SEARCH_DAYS, form=ConfirmForm(formdata=None),
        warnings=warnings, todo=todo, by_procedure=by_procedure,
        # Sign-in alerts are for administrators, who can reach the accounts and the audit log.
        signin_alerts=ratelimit.accounts_under_attack()
        if current_user.has_role(Role.ADMIN) else [])


@bp.post("/feedback/<int:feedback_id>/handled")
def feedback_handled(feedback_id: int) -> Response:
    form = ConfirmForm()
    row = db.session.get(Feedback, feedback_id)
    if row is not None and form.validate():
        row.handled = True
        db.session.commit()
        flash(_("Marked as handled."), "success")
    return redirect(url_for(".dashboard") + "#feedback")

