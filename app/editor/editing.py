"""The whole-record form in use: binding, repeating-part ops, checks and rendering.

Validation has three layers, all reported next to the field they concern: the form's own
validators, the catalogue checks here (unique code and slug, replacement), and the record
format's rules (``app.records.validate_procedure`` and a dry-run ``apply_procedure``).
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import FieldList, FormField, SelectChoice

from app.editor import formops, preview
from app.editor.context import errors_of
from app.editor.forms import options
from app.editor.record_form import (
    ProcedureForm,
    form_data_from_record,
    record_from_form,
    set_choices,
)
from app.extensions import db
from app.models import Agency, Counter, FeeCondition, Field, FormFile, Level, Procedure
from app.records import RecordError, validate_procedure


def choices() -> dict[str, list[SelectChoice]]:
    none = [("", _("— none —"))]
    pairs = {
        "field": none + [(f.slug, f.name) for f in
                         db.session.scalars(select(Field).order_by(Field.position, Field.name))],
        "level": none + [(x.slug, x.name) for x in
                         db.session.scalars(select(Level).order_by(Level.position))],
        "counter": none + [(c.number, f"{c.number} – {c.name}") for c in
                           db.session.scalars(select(Counter).order_by(Counter.number))],
        "agency": [("", _("Choose an agency"))] + [
            (a.slug, a.name) for a in db.session.scalars(select(Agency).order_by(Agency.name))],
        "condition": [("", _("— always (general amount) —"))] + [
            (c.slug, c.name) for c in
            db.session.scalars(select(FeeCondition).order_by(FeeCondition.position))],
        "form_file": [("", _("No file"))] + [
            (f.stored_name, f.original_name) for f in
            db.session.scalars(select(FormFile).order_by(FormFile.created_at.desc()))],
    }
    return {key: options(values) for key, values in pairs.items()}


def form_for(record: dict, lock_version: int | None) -> ProcedureForm:
    """A form showing a stored record (never bound to the request)."""
    form = ProcedureForm(formdata=None, data=form_data_from_record(record))
    form.lock_version.data = str(lock_version or 0)
    set_choices(form, choices())
    return form


def submitted() -> tuple[ProcedureForm, formops.Op | None, str | None]:
    """The posted form; for an add/remove/move button, with that op applied.

    Returns the form, the op (None for a save) and the id of the field to focus.
    """
    op = formops.parse(request.form.get("op"))
    formdata = formops.rewrite(request.form, op) if op else request.form
    form = ProcedureForm(formdata=formdata)
    focus = formops.add_entry(form, op) if op and op.action == "add" else None
    set_choices(form, choices())
    return form, op, focus


def posted(proc: Procedure | None) -> tuple[ProcedureForm, dict | None, Any]:
    """The posted form of ``proc`` (None: a new one) and its record when it is ready to save;
    otherwise no record and the page to answer with: the form again after an add/remove/move
    button, or with its errors (422)."""
    form, op, focus = submitted()
    if op:
        return form, None, render(form, proc, focus=focus)
    record = check(form, proc)
    if record is None:
        return form, None, render(form, proc, 422)
    return form, record, None


def _field_for(form: ProcedureForm, path: str):
    """The form field at a record path (``channels[1].fees[0].amount`` is the field named
    ``channels-1-fees-0-amount``); None for a path that is a repeating part or unknown."""
    name = path.replace("[", "-").replace("]", "").replace(".", "-")
    found = next((f for f in formops.walk(form) if f.name == name), None)
    if found is None or isinstance(found, FieldList | FormField):
        return None  # a message about a repeating part goes to the summary
    return found


def _add_error(form: ProcedureForm, field, message: str) -> None:
    if field is None:
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]


def check(form: ProcedureForm, proc: Procedure | None) -> dict | None:
    """Validate everything; the record when all is well, else None with errors on fields."""
    if not form.validate():
        return None
    record = record_from_form(form)
    own_id = proc.id if proc is not None else None
    for key, message in (("code", _("Another procedure already has this code.")),
                         ("slug", _("Another procedure already uses this address."))):
        other = db.session.scalar(select(Procedure.id).filter_by(**{key: record[key]}))
        if other is not None and other != own_id:
            _add_error(form, form[key], message)
    _check_replacement(form, record)
    if not formops.errors(form):
        try:
            validate_procedure(record)
            preview.transient(record)
        except RecordError as exc:
            for path, message in exc.problems:
                field = _field_for(form, path)
                _add_error(form, field, message if field is not None else f"{path}: {message}")
    return None if formops.errors(form) else record


def _check_replacement(form: ProcedureForm, record: dict) -> None:
    code = record["replaced_by"]
    if record["status"] == "replaced" and not code:
        _add_error(form, form.replaced_by, _("Give the code of the procedure that replaces it."))
    elif code and record["status"] != "replaced":
        _add_error(form, form.replaced_by, _("Only a replaced procedure has a replacement."))
    elif code and code == record["code"]:
        _add_error(form, form.replaced_by, _("A procedure cannot replace itself."))
    elif code and db.session.scalar(select(Procedure.id).filter_by(code=code)) is None:
        _add_error(form, form.replaced_by, _("No procedure has this code."))


def render(form: ProcedureForm, proc: Procedure | None, status: int = 200,
           focus: str | None = None, conflict: dict | None = None):
    return render_template(
        "editor/procedure_form.html", form=form, procedure=proc, focus=focus,
        errors=errors_of(form), conflict=conflict), status
