"""Export the catalogue (JSON, lossless; CSV) and import it with a report before anything
changes.

Import is two steps. The upload is parsed and loaded in a transaction that is always rolled
back, giving the report (created, changed with a field-by-field diff, rejected and why). The
parsed file waits in a private directory (``app.formfiles.private_dir``, never served) until an
administrator applies it: then it is loaded again, in one transaction, committed only when
nothing is rejected.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import date
from pathlib import Path

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import formfiles, search, spreadsheet
from app.catalogue_io import LoadReport, export_catalogue, load_catalogue
from app.editor import admin_bp, audit, bp, csvformat, drafts
from app.editor.diff import diff
from app.editor.forms import ApplyImportForm, ImportForm
from app.extensions import db
from app.models import Procedure
from app.records import procedure_to_dict

KEEP_SECONDS = 24 * 3600
MAX_DIFFS = 50


def _attachment(body: str, mimetype: str, extension: str) -> Response:
    name = f"motcua-catalogue-{date.today().isoformat()}.{extension}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={name}",
        "X-Content-Type-Options": "nosniff"})


@bp.get("/export.json")
def export_json() -> Response:
    body = json.dumps(export_catalogue(), ensure_ascii=False, indent=1) + "\n"
    return _attachment(body, "application/json", "json")


@bp.get("/export.csv")
def export_csv() -> Response:
    body = csvformat.write(export_catalogue()["procedures"])
    return _attachment(body, "text/csv", "csv")


def _imports_dir() -> Path:
    path = formfiles.private_dir("imports")  # never under UPLOAD_DIR, which has a public route
    for old in path.glob("*.json"):
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return path


def parse(filename: str, content: bytes) -> tuple[dict, list[tuple[str, str]]]:
    """A catalogue from an uploaded JSON or CSV file, and the rows that could not be read.

    Raises ``ValueError`` with a message when the file as a whole cannot be read.
    """
    try:
        text = spreadsheet.decode(content, spreadsheet.LIMITS)
    except spreadsheet.TooLarge as exc:
        raise ValueError(_("The file is too large to be a catalogue: %(why)s.",
                           why=str(exc))) from None
    except spreadsheet.Unreadable:
        raise ValueError(_("The file is not UTF-8 text.")) from None
    if filename.lower().endswith(".csv"):
        records, rejected = csvformat.read(text)
        return {"procedures": records}, rejected
    try:
        data = spreadsheet.read_json(text, spreadsheet.LIMITS)
    except json.JSONDecodeError as exc:
        raise ValueError(_("The file is not valid JSON: %(reason)s", reason=str(exc))) from None
    except spreadsheet.TooLarge:  # hostile nesting ([[[[…); no catalogue is nested that deep
        raise ValueError(_("The file is nested too deeply to be a catalogue.")) from None
    if not isinstance(data, dict):
        raise ValueError(_("A catalogue file is a JSON object (see the record format)."))
    return data, []


def _load(data: dict, unreadable: list[tuple[str, str]]) -> tuple[LoadReport, list]:
    """Load ``data`` in the open transaction; the caller commits or rolls back."""
    codes = [str(p.get("code")) for p in data.get("procedures", []) if isinstance(p, dict)]
    before = {p.code: procedure_to_dict(p) for p in db.session.scalars(
        select(Procedure).where(Procedure.code.in_(codes)))} if codes else {}
    try:
        report = load_catalogue(data)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        db.session.rollback()
        report = LoadReport(rejected=[("catalogue", f"{type(exc).__name__}: {exc}")])
    report.rejected[:0] = unreadable
    diffs = []
    for item in report.changed[:MAX_DIFFS]:
        kind, _sep, code = item.partition(":")
        proc = db.session.scalar(select(Procedure).filter_by(code=code))
        if kind == "procedure" and proc is not None and code in before:
            diffs.append((code, diff(before[code], procedure_to_dict(proc))))
    return report, diffs


@admin_bp.route("/import", methods=["GET", "POST"])
def import_upload() -> ResponseReturnValue:
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("editor/import.html", form=form), 422 if form.errors else 200
    upload = form.file.data
    try:
        data, unreadable = parse(upload.filename or "", upload.stream.read())
    except ValueError as exc:
        form.file.errors = [str(exc)]
        return render_template("editor/import.html", form=form), 422
    report, diffs = _load(data, unreadable)
    db.session.rollback()  # the first step never changes anything
    token = secrets.token_urlsafe(24)
    pending = {"data": data, "unreadable": unreadable}
    (_imports_dir() / f"{token}.json").write_text(json.dumps(pending, ensure_ascii=False),
                                                  encoding="utf-8")
    return render_template("editor/import_report.html", report=report, diffs=diffs,
                           form=ApplyImportForm(formdata=None, token=token),
                           filename=upload.filename, applied=False)


@admin_bp.post("/import/apply")
def import_apply() -> ResponseReturnValue:
    form = ApplyImportForm()
    path = _imports_dir() / f"{form.token.data}.json"
    if not form.validate() or not path.is_file():
        flash(_("That import has expired or was already applied. Upload the file again."),
              "error")
        return redirect(url_for(".import_upload"))
    pending = json.loads(path.read_text(encoding="utf-8"))
    report, diffs = _load(pending["data"], [tuple(row) for row in pending["unreadable"]])
    if not report.ok:
        db.session.rollback()
        return render_template("editor/import_report.html", report=report, diffs=diffs,
                               form=None, filename="", applied=False), 422
    _record_revisions(report)
    audit.record("import", "catalogue", f"created {len(report.created)}, "
                                        f"changed {len(report.changed)}")
    db.session.commit()
    path.unlink(missing_ok=True)
    search.sync()
    return render_template("editor/import_report.html", report=report, diffs=diffs,
                           form=None, filename="", applied=True)


def _record_revisions(report: LoadReport) -> None:
    """Imported procedures get a revision too, so the history shows where a value came from."""
    for item in (*report.created, *report.changed):
        kind, _sep, code = item.partition(":")
        proc = db.session.scalar(select(Procedure).filter_by(code=code))
        if kind == "procedure" and proc is not None:
            drafts.add_revision(proc, procedure_to_dict(proc), current_user,
                                proc.lock_version, state="published", note="import")
