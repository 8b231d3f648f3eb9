"""Workflow steps: submit for review (editors), send back, unpublish and confirm
(publishers); publishing, which asks for a change note, is ``scheduling.publish``. Each step
claims the version the page was shown at, so a step taken on a stale page is refused instead
of acting on something the person has not seen.

Unpublishing updates the search index at once: the change is queued with
``search.index``/``search.remove`` in the same transaction and applied by ``search.sync``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import search
from app.editor import audit, bp, review_bp
from app.editor.forms import ConfirmForm
from app.editor.procedures import get_procedure
from app.extensions import db
from app.models import Procedure
from app.records import RecordError
from app.revisions import drafts


def _step(procedure_id: int, action: Callable[[Procedure, str | None], object],
          done: str, audit_action: str | None = None, reindex: bool = False) -> Response:
    proc = get_procedure(procedure_id)
    form = ConfirmForm()
    back = redirect(url_for("editor.procedure", procedure_id=proc.id))
    if not form.validate():
        flash(_("The form was incomplete; nothing was done."), "error")
        return back
    try:
        action(proc, form.lock_version.data)
    except drafts.Conflict:
        db.session.rollback()
        flash(_("Someone changed this procedure after you opened the page. Nothing was done: "
                "check the current version below and try again."), "error")
        return back
    except (drafts.WorkflowError, RecordError) as exc:
        db.session.rollback()
        flash(_("Nothing was done: %(reason)s", reason=str(exc)), "error")
        return back
    if audit_action:
        audit.record(audit_action, f"procedure:{proc.code}", form.note.data or "")
    if reindex:
        (search.index if proc.published else search.remove)(proc.id)
    db.session.commit()
    if reindex:
        search.sync()
    flash(done, "success")
    return back


@bp.post("/procedures/<int:procedure_id>/submit")
def submit(procedure_id: int) -> Response:
    return _step(procedure_id, drafts.submit, _("Sent for review."), "submit")


@review_bp.post("/procedures/<int:procedure_id>/send-back")
def send_back(procedure_id: int) -> Response:
    return _step(procedure_id, drafts.send_back, _("Sent back to the editors as a draft."),
                 "send_back")


@review_bp.post("/procedures/<int:procedure_id>/unpublish")
def unpublish(procedure_id: int) -> Response:
    return _step(procedure_id, drafts.unpublish,
                 _("Unpublished. The public page is gone; drafts and history are kept."),
                 "unpublish", reindex=True)


@review_bp.post("/procedures/<int:procedure_id>/reviewed")
def mark_reviewed(procedure_id: int) -> Response:
    return _step(procedure_id, drafts.mark_reviewed,
                 _("Marked as checked today."), "reviewed")
