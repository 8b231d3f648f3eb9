"""Procedure views: the list, a new procedure, the overview, the whole-record editor, preview."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app import queries
from app.editor import bp, editing, preview
from app.editor.diff import diff
from app.editor.forms import ConfirmForm
from app.extensions import db
from app.models import Procedure, Revision
from app.paging import page_arg
from app.records import RecordError, procedure_to_dict
from app.revisions import drafts

PER_PAGE = 50
NEW_RECORD = {"channels": [{"kind": "in_person"}], "online_class": "none", "status": "in_force"}


def get_procedure(procedure_id: int) -> Procedure:
    return db.session.get(Procedure, procedure_id) or abort(404)


@bp.get("/procedures")
def procedure_list() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()[:100]
    stmt = select(Procedure)
    if q:
        needle = q.lower()
        stmt = stmt.where(or_(*(func.lower(column).contains(needle, autoescape=True) for column
                                in (Procedure.code, Procedure.official_name,
                                    Procedure.plain_name, Procedure.slug))))
    page = queries.paginate_by_name(stmt, page_arg(), PER_PAGE)
    return render_template("editor/procedures.html", page=page, q=q,
                           drafts=drafts.pending_for([p.id for p in page.items]))


@bp.route("/procedures/new", methods=["GET", "POST"])
def new_procedure() -> ResponseReturnValue:
    if request.method == "GET":
        return editing.render(editing.form_for(NEW_RECORD, 0), None)
    form, record, answer = editing.posted(None)
    if answer is not None:
        return answer
    try:
        proc, _rev = drafts.create(record, current_user, form.note.data or "")
        db.session.commit()
    except (IntegrityError, RecordError):
        db.session.rollback()
        form.form_errors.append(_("The procedure could not be created: its code or address "
                                  "was taken a moment ago. Check them and save again."))
        return editing.render(form, None, 409)
    flash(_("Draft saved. It is not public until a publisher publishes it."), "success")
    return redirect(url_for(".procedure", procedure_id=proc.id))


@bp.get("/procedures/<int:procedure_id>")
def procedure(procedure_id: int) -> ResponseReturnValue:
    proc = get_procedure(procedure_id)
    state = drafts.state(proc)
    changes, compared_with = None, None
    if state.draft is not None:
        if proc.published:
            changes, compared_with = diff(procedure_to_dict(proc), state.draft.data), "live"
        elif (last := drafts.last_published(proc.id)) is not None:
            changes, compared_with = diff(last.data, state.draft.data), "last_published"
    form = ConfirmForm(formdata=None, lock_version=str(proc.lock_version))
    unverified = [f for f in proc.fees if not f.verified]
    return render_template("editor/procedure.html", procedure=proc, state=state,
                           changes=changes, compared_with=compared_with, form=form,
                           unverified=unverified)


@bp.route("/procedures/<int:procedure_id>/edit", methods=["GET", "POST"])
def edit_procedure(procedure_id: int) -> ResponseReturnValue:
    proc = get_procedure(procedure_id)
    if request.method == "GET":
        return editing.render(editing.form_for(drafts.working_record(proc), proc.lock_version),
                              proc)
    form, record, answer = editing.posted(proc)
    if answer is not None:
        return answer
    try:
        rev = drafts.save_draft(proc, record, current_user, form.lock_version.data,
                                note=form.note.data or "")
    except drafts.Conflict:
        db.session.rollback()
        return _conflict(form, proc, record)
    db.session.commit()
    flash(_("Draft saved as revision %(number)s.", number=rev.number), "success")
    return redirect(url_for(".procedure", procedure_id=proc.id))


def _conflict(form, proc: Procedure, mine: dict):
    """Someone saved first: show what they have and what you typed; keep your input.

    The form now carries the current version, so saving it again is a deliberate overwrite.
    """
    db.session.refresh(proc)
    theirs = drafts.working_record(proc)
    form.lock_version.data = str(proc.lock_version)
    info = {"revision": drafts.head(proc.id), "changes": diff(theirs, mine)}
    return editing.render(form, proc, 409, conflict=info)


@bp.get("/procedures/<int:procedure_id>/preview")
def preview_procedure(procedure_id: int) -> ResponseReturnValue:
    proc = get_procedure(procedure_id)
    number = request.args.get("revision", type=int)
    if number is not None:
        rev = db.session.scalar(select(Revision).filter_by(procedure_id=proc.id, number=number))
        if rev is None:
            abort(404)
    else:
        rev = drafts.pending(proc.id)
    record = rev.data if rev is not None else procedure_to_dict(proc)
    kiosk = request.args.get("layout") == "kiosk"
    banner = Markup(render_template("editor/_preview_banner.html", procedure=proc,
                                    revision=rev, kiosk=kiosk))
    try:
        return preview.render(record, proc, kiosk, banner)
    except RecordError as exc:
        flash(_("This version cannot be shown: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for(".procedure", procedure_id=proc.id))
