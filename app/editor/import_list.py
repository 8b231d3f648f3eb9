"""The editor's page for the centre's real list (.xlsx): the same report as
``flask catalogue import-list``, then the same apply, by an administrator.

The uploaded file waits outside every public directory until it is applied or expires.
"""

from __future__ import annotations

import secrets
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from app.editor import admin_bp, audit
from app.editor.forms import ApplyImportForm
from app.importlist.cli import MAX_BYTES, run
from app.importlist.decision import Decision
from app.importlist.reader import UnreadableList

if TYPE_CHECKING:
    from app.importlist.apply import ListReport

KEEP_SECONDS = 24 * 3600


class ListUploadForm(FlaskForm):
    file = FileField(_l("List of procedures (.xlsx)"), validators=[FileRequired()],
                     description=_l("The spreadsheet published with the decision announcing "
                                    "the list of procedures (Quyết định công bố danh mục TTHC)."))
    decision_number = StringField(_l("Decision number (optional)"),
                                  validators=[Optional(), Length(max=120)],
                                  description=_l("Like 3249/QĐ-UBND; with a future date below, "
                                                 "every change is scheduled for that date."))
    effective_on = DateField(_l("The decision's effective date (optional)"),
                             validators=[Optional()])

    def decision(self) -> Decision | None:
        number = (self.decision_number.data or "").strip()
        if number and self.effective_on.data:
            return Decision(number, self.effective_on.data)
        return None


def _save_decision(path: Path, decision: Decision | None) -> None:
    if decision is not None:
        path.write_text(f"{decision.number}\n{decision.effective_on.isoformat()}",
                        encoding="utf-8")


def _read_decision(path: Path) -> Decision | None:
    if not path.is_file():
        return None
    number, day = path.read_text(encoding="utf-8").split("\n", 1)
    return Decision(number, date.fromisoformat(day.strip()))


def _pending_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]).resolve().parent / "pending-lists"
    path.mkdir(parents=True, exist_ok=True)
    for old in path.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return path


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
    token = secrets.token_urlsafe(24)
    (_pending_dir() / f"{token}.xlsx").write_bytes(content)
    (_pending_dir() / f"{token}.name").write_text(name[:200], encoding="utf-8")
    _save_decision(_pending_dir() / f"{token}.decision", form.decision())
    return render_template("editor/import_list_report.html", report=report, filename=name,
                           applied=False, form=ApplyImportForm(formdata=None, token=token))


@admin_bp.post("/import-list/apply")
def import_list_apply() -> ResponseReturnValue:
    form = ApplyImportForm()
    path = _pending_dir() / f"{form.token.data}.xlsx"
    if not form.validate() or not path.is_file():
        flash(_("That import has expired or was already applied. Upload the file again."),
              "error")
        return redirect(url_for(".import_list_upload"))
    try:
        name = path.with_suffix(".name").read_text(encoding="utf-8")
        report = run(path.read_bytes(), name, apply=True, author=current_user,
                     before_commit=_audit, decision=_read_decision(path.with_suffix(".decision")))
    except (OSError, UnreadableList):
        flash(_("That import has expired or was already applied. Upload the file again."),
              "error")
        return redirect(url_for(".import_list_upload"))
    path.unlink(missing_ok=True)
    path.with_suffix(".name").unlink(missing_ok=True)
    path.with_suffix(".decision").unlink(missing_ok=True)
    return render_template("editor/import_list_report.html", report=report, filename="",
                           applied=True, form=None)
