"""Editors' pages for service quality, under ``/editor/ket-qua`` (the editor guard applies):
the month's ratings by counter and the reasons given, a month-on-month comparison, the import
of the monthly report with a report before applying, and entry by hand with history."""

from __future__ import annotations

import base64
import binascii
import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select

from app.editor import audit, bp
from app.extensions import db
from app.models import Field, MonthlyResult
from app.models.quality import RESULT_COLUMNS
from app.quality import crosscheck, importer, present, results
from app.quality import months as m
from app.quality.stats import figures, ratings_by_counter, reasons_given, share
from app.vocab import SATISFIED_ANSWERS

MAX_FILE = 2 * 1024 * 1024


class ReportForm(FlaskForm):
    file = FileField(_l("Monthly report (CSV or XLSX)"), validators=[FileRequired()])


def _month(value: str | None) -> str:
    try:
        return m.parse_month(value, "thang") if value else m.current_month()
    except m.BadMonth:
        abort(404)


@bp.get("/ket-qua")
def quality_overview() -> ResponseReturnValue:
    month = _month(request.args.get("thang"))
    previous, this = figures([m.shift(month, -1), month])
    counters = [(counter, answers, share(sum(answers[a] for a in SATISFIED_ANSWERS),
                                         sum(answers.values())))
                for counter, answers in ratings_by_counter(month)]
    return render_template(
        "editor/quality_overview.html", month=month, this=this, previous=previous,
        counters=counters, reasons=reasons_given(month),
        compare=list(zip(present.headlines(previous), present.headlines(this), strict=True)),
        label=present.month_label, percent=present.percent, count=present.count,
        earlier=m.shift(month, -1), later=m.shift(month, 1),
        outside=results.months_outside_window())


def _check(raw: bytes, name: str) -> importer.Parsed:
    if len(raw) > MAX_FILE:
        return importer.Parsed(errors=[_("The file is larger than 2 MB.")])
    return importer.read(name, raw)


@bp.route("/ket-qua/nhap", methods=["GET", "POST"])
def quality_import() -> ResponseReturnValue:
    form = ReportForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("editor/quality_import.html", form=form, parsed=None), status
    upload = form.file.data
    raw, name = upload.read(MAX_FILE + 1), upload.filename or "report.csv"
    parsed = _check(raw, name)
    return render_template(
        "editor/quality_import.html", form=ReportForm(formdata=None), parsed=parsed, name=name,
        payload=base64.b64encode(raw).decode() if parsed.ok else "",
        months=[present.month_label(x) for x in sorted({row.month for row in parsed.rows})],
    ), 200 if parsed.ok else 422


@bp.post("/ket-qua/nhap/ap-dung")
def quality_import_apply() -> ResponseReturnValue:
    """Apply a checked file: the same bytes are read and checked again, all or nothing."""
    name = request.form.get("name", "report.csv")[:200]
    try:
        raw = base64.b64decode(request.form.get("payload", ""), validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    parsed = _check(raw, name)
    if not parsed.ok:
        return render_template("editor/quality_import.html", form=ReportForm(formdata=None),
                               parsed=parsed, name=name, payload="", months=[]), 422
    summary = results.apply(parsed.rows, by=current_user.email)
    audit.record("monthly_results_imported", name, summary.text())
    db.session.commit()
    flash(_("The report is applied: %(summary)s.", summary=summary.text()), "success")
    return redirect(url_for("editor.quality_overview", thang=parsed.rows[-1].month))


def _entry_values(fields: list[Field]) -> tuple[dict[int, dict[str, int]], list[str]]:
    """The typed figures per field (rows left wholly empty are skipped) and the problems."""
    values, problems = {}, []
    for fld in fields:
        raw = {c: request.form.get(f"v-{fld.id}-{c}", "").strip()[:20] for c in RESULT_COLUMNS}
        if not any(raw.values()):
            continue
        row = {}
        for column, text in raw.items():
            number = importer.number_or_reason(text)
            if isinstance(number, str):
                problems.append(f"{fld.name}, {importer.HEADERS[column]}: {number}")
            else:
                row[column] = number
        if len(row) == len(RESULT_COLUMNS):  # complete: check what must hold between them
            problems += [f"{fld.name}: {p}" for p in crosscheck.row_problems(row)]
        values[fld.id] = row
    return values, problems


def _complaint_values() -> tuple[tuple[int, int] | None, list[str]]:
    """The typed complaints and suggestions (None when both boxes are empty) and problems."""
    raw = [request.form.get(name, "").strip()[:20] for name in ("c-received", "c-on-time")]
    if not any(raw):
        return None, []
    numbers = [importer.number_or_reason(text) for text in raw]
    labels = (_("Complaints and suggestions received"), _("Answered on time"))
    problems = [f"{label}: {n}" for label, n in zip(labels, numbers, strict=True)
                if isinstance(n, str)]
    if problems:
        return None, problems
    received, on_time = numbers
    if on_time > received:
        return None, [_("More complaints answered on time (%(a)s) than received (%(r)s).",
                        a=on_time, r=received)]
    return (received, on_time), []


def _save_entry(month: str, values: dict, complaint: tuple[int, int] | None) -> None:
    outcomes = [results.store(month, fid, row, current_user.email) for fid, row in values.items()]
    if complaint is not None:
        results.store_complaints(month, *complaint, by=current_user.email)
    audit.record("monthly_results_entered", month,
                 f"{outcomes.count('created')} created, {outcomes.count('updated')} corrected"
                 + (f"; complaints {complaint[0]}, on time {complaint[1]}" if complaint else ""))
    db.session.commit()


@bp.route("/ket-qua/<month>/nhap-tay", methods=["GET", "POST"])
def quality_entry(month: str) -> ResponseReturnValue:
    month = _month(month)
    fields = db.session.scalars(select(Field).order_by(Field.position, Field.name)).all()
    stored = {r.field_id: r for r in db.session.scalars(
        select(MonthlyResult).where(MonthlyResult.month == month))}
    problems: list[str] = []
    if request.method == "POST":
        values, problems = _entry_values(fields)
        complaint, more = _complaint_values()
        problems += more
        if not m.is_accepted(month):
            first, last = m.accepted()
            problems.append(_("%(month)s is outside the months figures may be entered for "
                              "(%(first)s to %(last)s).", month=present.month_label(month),
                              first=present.month_label(first), last=present.month_label(last)))
        if not problems:
            _save_entry(month, values, complaint)
            flash(_("The figures for %(month)s are saved.", month=present.month_label(month)),
                  "success")
            return redirect(url_for("editor.quality_entry", month=month))
    shown = {fld.id: {c: (request.form.get(f"v-{fld.id}-{c}", "")[:20]
                          if request.method == "POST"
                          else getattr(stored[fld.id], c) if fld.id in stored else "")
                      for c in RESULT_COLUMNS} for fld in fields}
    row_totals, column_totals = crosscheck.totals(shown, RESULT_COLUMNS)
    return render_template(
        "editor/quality_entry.html", month=month, fields=fields, stored=stored,
        row_totals=row_totals, column_totals=column_totals,
        columns=[(c, importer.HEADERS[c]) for c in RESULT_COLUMNS], problems=problems,
        history=results.history(month), removals=results.removals(month),
        complaints=results.complaints(month), label=present.month_label,
        form=request.form if request.method == "POST" else None), 422 if problems else 200


from app.editor import quality_months  # noqa: E402,F401  (deleting a month's report)

TEMPLATE_KINDS = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def template_rows(month: str) -> list[list[object]]:
    """The import's exact headers, then one row per field of the catalogue for ``month``
    with the figures left to fill in."""
    keys = ("month", "field", *RESULT_COLUMNS)
    fields = db.session.scalars(select(Field).order_by(Field.position, Field.name))
    return [[importer.HEADERS[k] for k in keys],
            *([month, fld.name, *([""] * len(RESULT_COLUMNS))] for fld in fields)]


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
