"""Publishing, now or on a date ("có hiệu lực từ"), always with a public change note (or
marked minor); scheduling an abolition and withdrawing either before its date (publishers).
The timeline in the history and the dashboard's list of scheduled changes read ``app.schedule``.

A dated publish does not touch the live rows: the reviewed draft becomes a ``scheduled``
revision and ``app.schedule.apply`` makes it live at local midnight of its date.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app import schedule, search
from app.dates import today_local
from app.editor import audit, bp, review_bp
from app.editor.dayfield import DmyField, day_hint, required_day
from app.editor.procedures import get_procedure
from app.extensions import db
from app.models import AnnouncedProcedure, LegalDocument, Procedure, ProcedureChange
from app.records import RecordError
from app.revisions import drafts
from app.schedule.changes import ScheduleError
from app.schedule.report import scheduled_report

# The document fields offer the legal register's numbers (``register_numbers`` in
# editor/_dated.html); the dashboard warns when a change's document is not in it.
REGISTER_LIST = {"list": "register-numbers"}


class PublishForm(FlaskForm):
    """Publish the reviewed draft now or from a date, with its public change note."""

    lock_version = HiddenField()
    effective_on = DmyField(_l("In force from (leave empty: now)"), description=day_hint(
        _l("A local date (Asia/Ho_Chi_Minh). Until then the current version stays live.")))
    change_note = TextAreaField(
        _l("Public change note"), validators=[Length(max=500)],
        description=_l("One or two sentences: what changes for the citizen, and the document "
                       "behind it."))
    document_number = StringField(_l("Document"), validators=[Length(max=120)],
                                  description=_l("As printed, like 3249/QĐ-UBND."),
                                  render_kw=REGISTER_LIST)
    minor = BooleanField(_l("Minor correction (typo): not listed for the public"))

    def validate_change_note(self, field: TextAreaField) -> None:
        # Citizens read the note in "Thay đổi gần đây" and the feeds: only a typo fix may
        # go out without one, and it is then not listed.
        if not (field.data or "").strip() and not self.minor.data:
            raise ValidationError(_l("write a public change note (what changes for the "
                                     "citizen), or mark the publication as a minor correction."))


class AbolishForm(FlaskForm):
    effective_on = DmyField(_l("Abolished from"), validators=[required_day],
                            description=day_hint())
    document_number = StringField(_l("Deciding document"),
                                  validators=[DataRequired(), Length(max=120)],
                                  render_kw=REGISTER_LIST)
    successor_code = StringField(_l("Code of the procedure that replaces it (if any)"),
                                 validators=[Optional(), Length(max=60)])
    change_note = TextAreaField(_l("Public change note"), validators=[Length(max=500)])


class WithdrawForm(FlaskForm):
    lock_version = HiddenField()


def _back(proc: Procedure) -> Response:
    return redirect(url_for("editor.procedure", procedure_id=proc.id))


def _refused(proc: Procedure, reason: object) -> Response:
    db.session.rollback()
    flash(_("Nothing was done: %(reason)s", reason=str(reason)), "error")
    return _back(proc)


def _conflict(proc: Procedure) -> Response:
    db.session.rollback()
    flash(_("Someone changed this procedure after you opened the page. Nothing was done: "
            "check the current version below and try again."), "error")  # as workflow._step
    return _back(proc)


def _incomplete(proc: Procedure, form: FlaskForm) -> Response:
    messages = [f"{form[name].label.text}: {message}"
                for name, errors in form.errors.items() for message in errors]
    return _refused(proc, " ".join(messages) or _("the form was incomplete."))


def _publish_now(proc: Procedure, form: PublishForm) -> Response:
    rev = drafts.publish(proc, form.lock_version.data)
    schedule.record_note(proc, form.change_note.data or "", form.minor.data,
                         form.document_number.data or "", rev, current_user)
    audit.record("publish", f"procedure:{proc.code}", form.change_note.data or "")
    search.index(proc.id)
    db.session.commit()
    search.sync()
    flash(_("Published. The public now sees this version."), "success")
    return _back(proc)


@review_bp.post("/procedures/<int:procedure_id>/publish")
def publish(procedure_id: int) -> Response:
    """The one way to publish: the reviewed draft (or an unpublished procedure as it is) now,
    or the draft from a later date; either way with its change note."""
    proc = get_procedure(procedure_id)
    form = PublishForm()
    if not form.validate():
        return _incomplete(proc, form)
    day = form.effective_on.data
    try:
        if day is None or day <= today_local():
            return _publish_now(proc, form)
        draft = drafts.pending(proc.id)
        if draft is None or draft.state != "in_review":
            raise drafts.WorkflowError(_l("the draft has not been sent for review."))
        drafts.claim(proc, form.lock_version.data)
        schedule.schedule_revision(proc, draft, day, form.change_note.data or "",
                                   form.minor.data, form.document_number.data or "",
                                   current_user)
    except drafts.Conflict:
        return _conflict(proc)
    except (drafts.WorkflowError, RecordError, ScheduleError) as exc:
        return _refused(proc, exc)
    audit.record("schedule", f"procedure:{proc.code}", day.isoformat())
    db.session.commit()
    flash(_("Scheduled: this version becomes the public page on %(date)s.",
            date=day.strftime("%d/%m/%Y")), "success")
    return _back(proc)


@review_bp.post("/procedures/<int:procedure_id>/abolish")
def abolish(procedure_id: int) -> Response:
    proc = get_procedure(procedure_id)
    form = AbolishForm(prefix="abolish")  # beside the publish form on one page: own ids
    if not form.validate():
        return _incomplete(proc, form)
    successor = None
    if form.successor_code.data:
        successor = db.session.scalar(select(Procedure).filter_by(
            code=form.successor_code.data.strip()))
        if successor is None or successor.id == proc.id:
            return _refused(proc, _("the replacing procedure's code is not in the catalogue."))
    try:
        drafts.claim(proc, request.form.get("lock_version"))
        schedule.schedule_abolition(proc, form.effective_on.data, form.document_number.data,
                                    form.change_note.data or "", successor, current_user)
    except drafts.Conflict:
        return _conflict(proc)
    except ScheduleError as exc:
        return _refused(proc, exc)
    audit.record("schedule_abolition", f"procedure:{proc.code}",
                 form.effective_on.data.isoformat())
    db.session.commit()
    flash(_("Abolition scheduled for %(date)s.",
            date=form.effective_on.data.strftime("%d/%m/%Y")), "success")
    return _back(proc)


@review_bp.post("/procedures/<int:procedure_id>/changes/<int:change_id>/withdraw")
def withdraw(procedure_id: int, change_id: int) -> Response:
    proc = get_procedure(procedure_id)
    change = db.session.get(ProcedureChange, change_id)
    if change is None or change.procedure_id != proc.id:
        abort(404)
    if not WithdrawForm().validate():
        abort(400)
    try:
        schedule.withdraw(change)
    except ScheduleError as exc:
        return _refused(proc, exc)
    audit.record("withdraw_change", f"procedure:{proc.code}", change.effective_on.isoformat())
    db.session.commit()
    flash(_("Withdrawn: the public page stays as it is."), "success")
    return _back(proc)


def _register_document_numbers(limit: int = 1000) -> list[str]:
    return list(db.session.scalars(select(LegalDocument.number)
                                   .order_by(LegalDocument.number).limit(limit)))


def _announced_for(document_id: int) -> list[AnnouncedProcedure]:
    """The procedures an announcement decision adds, amends and abolishes."""
    return list(db.session.scalars(select(AnnouncedProcedure).filter_by(
        document_id=document_id).order_by(AnnouncedProcedure.action, AnnouncedProcedure.code)))


@bp.context_processor
def _dated() -> dict:
    """For the editor's procedure page, history and dashboard (``editor/_dated.html``)."""
    return {"dated_timeline": schedule.timeline, "scheduled_report": scheduled_report,
            "announced_for": _announced_for,
            "register_document_numbers": _register_document_numbers,
            "PublishForm": PublishForm, "AbolishForm": AbolishForm,
            "WithdrawForm": WithdrawForm}
