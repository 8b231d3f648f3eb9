"""The centre's details and counters (administrators)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from app import queries
from app.editor import admin_bp, audit, formops
from app.editor.forms import CentreForm
from app.extensions import db
from app.models import Centre, Counter, Procedure
from app.quality import tablets

TEXTS = ("name", "name_en", "address", "phone", "email", "opening_hours", "opening_hours_en")


def _bind() -> tuple[CentreForm, str | None, bool]:
    """The posted form with an add/remove/move op applied; (form, focus id, was an op)."""
    op = formops.parse(request.form.get("op"))
    form = CentreForm(formdata=formops.rewrite(request.form, op) if op else request.form)
    focus = formops.add_entry(form, op) if op and op.action == "add" else None
    return form, focus, op is not None


@admin_bp.route("/centre", methods=["GET", "POST"])
def centre() -> ResponseReturnValue:
    row = queries.centre()
    focus = None
    if request.method == "GET":
        data = {name: getattr(row, name) for name in TEXTS} if row else {}
        data["counters"] = [{"number": c.number, "name": c.name, "name_en": c.name_en}
                            for c in (row.counters if row else []) if c.retired_at is None]
        form = CentreForm(formdata=None, data=data)
    else:
        form, focus, was_op = _bind()
        if not was_op and form.validate() and _counters_ok(form, row):
            _store(form, row)
            flash(_("The centre's details are saved."), "success")
            return redirect(url_for(".centre"))
    errors = [(f.id if f is not None else None, "", m) for f, m in formops.errors(form)]
    status = 422 if errors else 200
    return render_template("editor/centre.html", form=form, focus=focus, errors=errors), status


def _counters_ok(form: CentreForm, row: Centre | None) -> bool:
    numbers = [entry.form.number.data.strip() for entry in form.counters]
    if len(set(numbers)) != len(numbers):
        form.form_errors.append(_("Two counters have the same number."))
        return False
    in_use = set(db.session.scalars(select(Counter.number).join(
        Procedure, Procedure.counter_id == Counter.id)))
    missing = sorted(in_use - set(numbers))
    if missing:
        form.form_errors.append(_("Counters %(numbers)s are named by procedures; keep them.",
                                  numbers=", ".join(missing)))
        return False
    return True


def _store(form: CentreForm, row: Centre | None) -> None:
    if row is None:
        row = Centre(name="")
        db.session.add(row)
    for name in TEXTS:
        setattr(row, name, (form[name].data or "").strip())
    known = {c.number: c for c in row.counters}
    kept = set()
    for entry in form.counters:
        number = entry.form.number.data.strip()
        counter = known.get(number)
        if counter is None:
            counter = Counter(number=number)
            row.counters.append(counter)
        counter.name = entry.form.name.data.strip()
        counter.name_en = entry.form.name_en.data.strip()
        counter.retired_at = None  # a number given again is back in service
        kept.add(number)
    # A removed counter is retired, not deleted: its past ratings and the published figures
    # built from them stay as they were (app.quality.tablets.retire).
    for number, counter in known.items():
        if number not in kept and counter.retired_at is None:
            tablets.retire(counter)
    audit.record("centre_saved", "centre")
    db.session.commit()
