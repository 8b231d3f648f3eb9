"""Export the catalogue (JSON, lossless; CSV) and import it with a report before anything
changes.

Import is two steps. The upload is parsed and loaded in a transaction that is always rolled
back, giving the report (created, changed with a field-by-field diff, rejected and why). The
parsed file waits in ``app.uploads_held`` (``IMPORT_DIR``, never served) until an
administrator applies it: then it is loaded again, in one transaction, committed only when
nothing is rejected.
"""

from __future__ import annotations

import json
from datetime import date

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app import budget, search, spreadsheet, uploads_held
from app.catalogue_io import LoadReport, database_reason, export_catalogue, load_catalogue
from app.editor import admin_bp, audit, bp, csvformat
from app.editor.diff import diff
from app.editor.forms import ApplyImportForm, ImportForm
from app.extensions import db
from app.models import Procedure
from app.records import procedure_to_dict
from app.revisions import drafts

HELD = "catalogue"  # its kind of held upload (app.uploads_held)
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
        report = LoadReport(rejected=[("catalogue", f"{type(exc).__name__}: {str(exc)[:200]}")])
    except (SQLAlchemyError, OverflowError, RecursionError) as exc:  # refused by the database
        db.session.rollback()
        report = LoadReport(rejected=[("catalogue", database_reason(exc))])
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
    try:  # read in a child process within the import budget (app.budget); loaded here
        data, unreadable = budget.run(parse, upload.filename or "", upload.stream.read())
    except ValueError as exc:  # budget.OverBudget is one, naming the limit
        form.file.errors = [str(exc)]
        return render_template("editor/import.html", form=form), 422
    report, diffs = _load(data, unreadable)
    db.session.rollback()  # the first step never changes anything
    pending = {"data": data, "unreadable": unreadable}
    token = uploads_held.hold(HELD, json.dumps(pending, ensure_ascii=False).encode(),
                              upload.filename or "")
    return render_template("editor/import_report.html", report=report, diffs=diffs,
                           form=ApplyImportForm(formdata=None, token=token),
                           filename=upload.filename, applied=False)


@admin_bp.post("/import/apply")
def import_apply() -> ResponseReturnValue:
    form = ApplyImportForm()
    held = uploads_held.read(HELD, form.token.data or "") if form.validate() else None
    if held is None:
        flash(_("That import has expired or was already applied. Upload the file again."),
              "error")
        return redirect(url_for(".import_upload"))
    pending = json.loads(held.content)  # written by import_upload, already checked
    report, diffs = _load(pending["data"], [tuple(row) for row in pending["unreadable"]])
    if not report.ok:
        db.session.rollback()
        return render_template("editor/import_report.html", report=report, diffs=diffs,
                               form=None, filename="", applied=False), 422
    _record_revisions(report)
    audit.record("import", "catalogue", f"created {len(report.created)}, "
                                        f"changed {len(report.changed)}")
    db.session.commit()
    uploads_held.release(HELD, form.token.data)
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
