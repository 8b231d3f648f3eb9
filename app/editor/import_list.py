"""The editor's page for the centre's real list (.xlsx): the same report as
``flask catalogue import-list``, then the same apply, by an administrator.

The uploaded file waits in ``app.uploads_held`` (``IMPORT_DIR``) until it is applied or expires.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from app import uploads_held
from app.editor import admin_bp, audit
from app.editor.dayfield import DmyField, day_hint
from app.editor.forms import ApplyImportForm
from app.importlist.cli import MAX_BYTES, run
from app.importlist.decision import Decision
from app.importlist.reader import UnreadableList

if TYPE_CHECKING:
    from app.importlist.apply import ListReport

HELD = "province-list"  # its kind of held upload (app.uploads_held)


class ListUploadForm(FlaskForm):
    file = FileField(_l("List of procedures (.xlsx)"), validators=[FileRequired()],
                     description=_l("The spreadsheet published with the decision announcing "
                                    "the list of procedures (Quyết định công bố danh mục TTHC)."))
    decision_number = StringField(_l("Decision number (optional)"),
                                  validators=[Optional(), Length(max=120)],
                                  description=_l("Like 3249/QĐ-UBND; with a future date below, "
                                                 "every change is scheduled for that date."))
    effective_on = DmyField(_l("The decision's effective date (optional)"),
                            description=day_hint())

    def decision(self) -> Decision | None:
        number = (self.decision_number.data or "").strip()
        if number and self.effective_on.data:
            return Decision(number, self.effective_on.data)
        return None


def _decision_note(decision: Decision | None) -> str:
    """The decision an upload is applied under, kept with the held file until it is applied."""
    if decision is None:
        return ""
    return f"{decision.number}\n{decision.effective_on.isoformat()}"


def _read_decision(note: str) -> Decision | None:
    if "\n" not in note:
        return None
    number, day = note.split("\n", 1)
    return Decision(number, date.fromisoformat(day.strip()))


def _audit(report: ListReport) -> None:
    audit.record("import_list", "catalogue", f"created {len(report.created)}, updated "
                 f"{len(report.updated)}, rejected {len(report.rejected)}")


@admin_bp.route("/import-list", methods=["GET", "POST"])
def import_list_upload() -> ResponseReturnValue:
    form = ListUploadForm()
    if not form.validate_on_submit():
        return render_template("editor/import_list.html", form=form), 422 if form.errors else 200
    content = form.file.data.stream.read(MAX_BYTES + 1)
    name = form.file.data.filename or "list.xlsx"
    try:
        report = run(content, name, apply=False, author=current_user, decision=form.decision())
    except UnreadableList as exc:
        form.file.errors = [_("This file cannot be read: %(reason)s", reason=str(exc))]
        return render_template("editor/import_list.html", form=form), 422
    token = uploads_held.hold(HELD, content, name, _decision_note(form.decision()))
    return render_template("editor/import_list_report.html", report=report, filename=name,
                           applied=False, form=ApplyImportForm(formdata=None, token=token))


@admin_bp.post("/import-list/apply")
def import_list_apply() -> ResponseReturnValue:
    form = ApplyImportForm()
    held = uploads_held.read(HELD, form.token.data or "") if form.validate() else None
    try:
        if held is None:
            raise UnreadableList("expired")
        report = run(held.content, held.name, apply=True, author=current_user,
                     before_commit=_audit, decision=_read_decision(held.note))
    except UnreadableList:
        flash(_("That import has expired or was already applied. Upload the file again."),
              "error")
        return redirect(url_for(".import_list_upload"))
    uploads_held.release(HELD, form.token.data)
    return render_template("editor/import_list_report.html", report=report, filename="",
                           applied=True, form=None)
