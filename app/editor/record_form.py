"""The form for a whole procedure record, and its conversion to and from the record format.

Repeating parts are ``FieldList``s named like ``channels-0-fees-1-amount``, so that
``app.editor.formops`` can add, remove and reorder them by rewriting the submitted names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import Length

from app.editor.formops import walk
from app.editor.schema_form import form_class, part_layout, part_model, sections
from app.schema import RecordError, normalise, record_keys
from app.schema.record import MODELS, ProcedureRecord

DATES = ("valid_from", "valid_until", "checked_on", "issued_on", "online_only_from")

# The whole record's form: every key of the schema (app.editor.schema_form), plus the two
# fields of an edit that are not part of the record.
ProcedureForm = form_class(ProcedureRecord, base=FlaskForm, extra={
    "lock_version": HiddenField(),
    "note": StringField(_l("What did you change?"), validators=[Length(max=500)],
                        description=_l("Optional; shown in the history.")),
})
# What the template lays out: top-level keys by section, and each repeating part's fields.
LAYOUT = {"sections": sections(ProcedureRecord),
          **{key: part_layout(part) for model in MODELS
             for key, info in model.model_fields.items()
             if (part := part_model(info)) is not None}}


# Keys whose empty text is "none" (links by slug, code or number).
LINKS = ("field", "level", "counter", "replaced_by", "portal_id")
# Top-level keys the form edits as they are (links, lists and workflow keys are handled apart).
TOP_LEVEL = tuple(k for k in record_keys() if k in ProcedureForm.__dict__
                  and k not in (*LINKS, "legacy_level", "steps") and k not in LAYOUT)


def set_choices(form: ProcedureForm, choices: dict[str, list[SelectChoice]]) -> None:
    """Fill the select lists that come from the database, at every depth."""
    for field in walk(form):
        key = field.short_name
        if isinstance(field, SelectField) and key in choices:
            field.choices = choices[key]


def record_from_form(form: ProcedureForm, base: dict | None = None) -> dict:
    """The record a (validated) form describes; keys the form does not edit come from ``base``."""
    d = form.data
    record: dict[str, Any] = dict(base or {})
    for key in TOP_LEVEL:
        value = d[key]
        record[key] = value.strip() if isinstance(value, str) else (
            value.isoformat() if isinstance(value, date) else value)
    for key in LINKS:
        record[key] = (d[key] or "").strip() or None
    record["legacy_level"] = int(d["legacy_level"]) if d["legacy_level"] else None
    record["steps"] = [s.strip() for s in d["steps"]]
    record["channels"] = [dict(c) for c in d["channels"]]
    record["fees"] = [
        _iso({**f, "channels": list(f["channels"] or []), "tiers": list(f["tiers"]),
              "condition": f["condition"] or None,
              "basis_document": (f["basis_document"] or "").strip() or None})
        for f in d["fees"]]
    record["document_cases"] = [
        {"title": case["title"], "title_en": case["title_en"], "slug": case["slug"],
         "documents": [{**doc, "originals": doc["originals"] or 0, "copies": doc["copies"] or 0,
                        "form_counter": (doc["form_counter"] or "").strip() or None}
                       for doc in case["documents"]]}
        for case in d["document_cases"]
    ]
    record["legal_bases"] = [_iso(dict(b)) for b in d["legal_bases"]]
    record["agencies"] = [dict(a) for a in d["agencies"]]
    record = _stripped(record)
    try:
        return normalise(record)
    except RecordError:
        return record  # the caller's validation reports each problem at its field


def _iso(part: dict) -> dict:
    """Dates of a part as record text."""
    return {k: (v.isoformat() if k in DATES and v else (None if k in DATES else v))
            for k, v in part.items()}


def _stripped(value: Any) -> Any:
    """Text without surrounding white space and with LF line ends, at every depth."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, list):
        return [_stripped(v) for v in value]
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items()}
    return value


def form_data_from_record(record: dict) -> dict:
    """``ProcedureForm(data=…)`` input for a stored record."""
    try:
        data = normalise(record)
    except RecordError:
        data = dict(record)  # an old draft: show what it holds, the save will say what is wrong
    for key in LINKS:
        data[key] = data.get(key) or ""
    data["legacy_level"] = str(data.get("legacy_level") or "")
    data["online_only_from"] = _date(data.get("online_only_from"))  # the one top-level date
    data["legal_bases"] = [_dates(b) for b in data.get("legal_bases") or []]
    data["fees"] = [{**_dates(f), "condition": f.get("condition") or "",
                     "basis_document": f.get("basis_document") or ""}
                    for f in data.get("fees") or []]
    return data


def _dates(part: dict) -> dict:
    return {k: _date(v) if k in DATES else v for k, v in part.items()}


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
