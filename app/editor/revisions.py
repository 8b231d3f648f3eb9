"""History: every saved revision of a procedure, what each changed, and restore."""

from __future__ import annotations

from itertools import pairwise

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.editor import bp
from app.editor.diff import diff
from app.editor.forms import ConfirmForm
from app.editor.procedures import get_procedure
from app.extensions import db
from app.models import Procedure, Revision
from app.records import procedure_to_dict
from app.revisions import drafts


def _revisions(proc: Procedure) -> list[Revision]:
    return list(db.session.scalars(
        select(Revision).options(selectinload(Revision.author))
        .where(Revision.procedure_id == proc.id).order_by(Revision.number.desc())))


def _revision(proc: Procedure, number: int) -> Revision:
    rev = db.session.scalar(select(Revision).filter_by(procedure_id=proc.id, number=number))
    return rev or abort(404)


@bp.get("/procedures/<int:procedure_id>/history")
def history(procedure_id: int) -> ResponseReturnValue:
    proc = get_procedure(procedure_id)
    revisions = _revisions(proc)
    counts = {rev.number: len(diff(older.data, rev.data))
              for rev, older in pairwise(revisions)}
    head = revisions[0] if revisions else None
    return render_template("editor/history.html", procedure=proc, revisions=revisions,
                           counts=counts, head=head)


@bp.get("/procedures/<int:procedure_id>/revisions/<int:number>")
def revision(procedure_id: int, number: int) -> ResponseReturnValue:
    proc = get_procedure(procedure_id)
    rev = _revision(proc, number)
    previous = db.session.scalar(
        select(Revision).where(Revision.procedure_id == proc.id, Revision.number < number)
        .order_by(Revision.number.desc()).limit(1))
    form = ConfirmForm(formdata=None, lock_version=str(proc.lock_version))
    return render_template(
        "editor/revision.html", procedure=proc, revision=rev, previous=previous,
        changes=diff(previous.data if previous else None, rev.data),
        against_live=diff(procedure_to_dict(proc), rev.data), form=form)


@bp.post("/procedures/<int:procedure_id>/revisions/<int:number>/restore")
def restore(procedure_id: int, number: int) -> Response:
    proc = get_procedure(procedure_id)
    rev = _revision(proc, number)
    form = ConfirmForm()
    if not form.validate():
        abort(400)
    try:
        new = drafts.restore(proc, rev, current_user, form.lock_version.data)
    except drafts.Conflict:
        db.session.rollback()
        flash(_("Someone changed this procedure after you opened the page. Nothing was "
                "restored: look at the history again and retry."), "error")
        return redirect(url_for(".history", procedure_id=proc.id))
    db.session.commit()
    flash(_("Revision %(old)s restored as a new draft, revision %(new)s.",
            old=rev.number, new=new.number), "success")
    return redirect(url_for(".procedure", procedure_id=proc.id))
