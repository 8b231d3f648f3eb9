"""Editors' pages for service quality, under ``/editor/ket-qua`` (the editor guard applies):
the month's ratings by counter and the reasons given, a month-on-month comparison, and entry
by hand with history. (Importing a report: ``app.editor.quality_import``.)"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.editor import audit, bp
from app.extensions import db
from app.models import Field, MonthlyResult
from app.models.quality import RESULT_COLUMNS
from app.quality import crosscheck, importer, present, results
from app.quality import months as m
from app.quality.stats import figures, ratings_by_counter, reasons_given, share
from app.vocab import SATISFIED_ANSWERS


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


from app.editor import (  # noqa: E402,F401
    quality_import,  # importing a report: check, preview, apply; template files
    quality_months,  # deleting a month's report
)
