"""Importing the centre's monthly report (``/editor/ket-qua/nhap``): check the file, preview
what it would change, then apply it when the editor confirms; and the template files.

The checked file waits in ``app.uploads_held`` (``IMPORT_DIR``, never served) under a token
only the preview page knows, like the catalogue and the province's list; applying reads and
checks the same bytes again, all or nothing. Until then nothing is written.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select

from app import uploads_held
from app.editor import audit, bp
from app.editor.forms import ApplyImportForm
from app.extensions import db
from app.models import Field
from app.models.quality import RESULT_COLUMNS
from app.quality import importer, present, results
from app.quality import months as m
from app.quality.import_preview import preview

MAX_FILE = 2 * 1024 * 1024
HELD = "monthly-results"  # its kind of held upload (app.uploads_held)


class ReportForm(FlaskForm):
    file = FileField(_l("Monthly report (CSV or XLSX)"), validators=[FileRequired()])


def _check(raw: bytes, name: str) -> importer.Parsed:
    if len(raw) > MAX_FILE:
        return importer.Parsed(errors=[_("The file is larger than 2 MB.")])
    return importer.read(name, raw)


def _page(form: ReportForm, parsed: importer.Parsed | None = None, name: str = "",
          token: str = "") -> str:
    """The import page: the upload form, and for a checked file what it would change (with
    the button that applies it, when it holds a ``token``) or why it cannot be applied."""
    rows = parsed.rows if parsed is not None and parsed.ok else []
    return render_template(
        "editor/quality_import.html", form=form, parsed=parsed, name=name, changes=preview(rows),
        apply_form=ApplyImportForm(formdata=None, token=token) if token else None,
        columns=[(c, importer.HEADERS[c]) for c in RESULT_COLUMNS], label=present.month_label,
        months=[present.month_label(x) for x in sorted({row.month for row in rows})])


@bp.route("/ket-qua/nhap", methods=["GET", "POST"])
def quality_import() -> ResponseReturnValue:
    form = ReportForm()
    if not form.validate_on_submit():
        return _page(form), 422 if form.is_submitted() else 200
    upload = form.file.data
    raw, name = upload.read(MAX_FILE + 1), (upload.filename or "report.csv")[:200]
    parsed = _check(raw, name)
    again = ReportForm(formdata=None)
    if not parsed.ok:
        return _page(again, parsed, name), 422
    return _page(again, parsed, name, uploads_held.hold(HELD, raw, name))


@bp.post("/ket-qua/nhap/ap-dung")
def quality_import_apply() -> ResponseReturnValue:
    """Apply a previewed file: the held bytes are read and checked again, all or nothing."""
    form = ApplyImportForm()
    held = uploads_held.read(HELD, form.token.data or "") if form.validate() else None
    if held is None:
        flash(_("That import has expired or was already applied. Upload the file again."),
              "error")
        return redirect(url_for("editor.quality_import"))
    parsed = _check(held.content, held.name)
    if not parsed.ok:
        return _page(ReportForm(formdata=None), parsed, held.name), 422
    summary = results.apply(parsed.rows, by=current_user.email)
    audit.record("monthly_results_imported", held.name, summary.text())
    db.session.commit()
    uploads_held.release(HELD, form.token.data)
    flash(_("The report is applied: %(summary)s.", summary=summary.text()), "success")
    return redirect(url_for("editor.quality_overview", thang=parsed.rows[-1].month))


TEMPLATE_KINDS = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def template_rows(month: str) -> list[list[object]]:
    """The import's exact headers, then one row per field of the catalogue for ``month``
    with the figures left to fill in."""
    keys = ("month", "field", *RESULT_COLUMNS)
    fields = db.session.scalars(select(Field).order_by(Field.position, Field.name))
    rows: list[list[object]] = [[importer.HEADERS[k] for k in keys]]
    rows += [[month, fld.name, *([""] * len(RESULT_COLUMNS))] for fld in fields]
    return rows


@bp.get("/ket-qua/mau.<kind>")
def quality_template(kind: str) -> ResponseReturnValue:
    """A file to fill in and import (issue #23, item 5): CSV (UTF-8 with a BOM, so a
    spreadsheet opens the Vietnamese right) or XLSX."""
    if kind not in TEMPLATE_KINDS:
        abort(404)
    rows = template_rows(m.accepted()[1])
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        body: bytes = ("\ufeff" + out.getvalue()).encode("utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        body = buffer.getvalue()
    return Response(body, mimetype=TEMPLATE_KINDS[kind], headers={
        "Content-Disposition": f"attachment; filename=ket-qua-mau.{kind}"})
