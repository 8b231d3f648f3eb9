"""Small editors for reference data (administrators): fields, agencies, search synonyms and
abbreviations, the conditions a fee may apply under, and where to send requests the centre
does not handle (pointers elsewhere, shown by search).

One set of views serves every kind; ``KINDS`` says how each maps to its form. These rows
are live at once (they have no drafts); changes that alter procedure pages queue the affected
procedures for re-indexing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from app import search
from app.editor import admin_bp, audit
from app.editor.forms import (
    AbbreviationForm,
    AgencyForm,
    ConfirmForm,
    ElsewhereForm,
    FeeConditionForm,
    FieldForm,
    SynonymForm,
    options,
)
from app.extensions import db
from app.models import (
    Abbreviation,
    Agency,
    ElsewherePointer,
    Fee,
    FeeCondition,
    Field,
    Level,
    Procedure,
    ProcedureAgency,
    Sector,
    Synonym,
)


def _options(model: type, order: Any) -> list[SelectChoice]:
    return options([("", _("— none —"))] + [(row.slug, row.name) for row in
                                             db.session.scalars(select(model).order_by(order))])


def _field_in(form: FieldForm, row: Field | None) -> None:
    form.sector.choices = _options(Sector, Sector.position)
    if row is not None and not form.is_submitted():
        form.sector.data = row.sector.slug if row.sector else ""
        form.position.data = row.position


def _field_out(form: FieldForm, row: Field) -> None:
    for name in ("slug", "name", "name_en", "description", "description_en"):
        setattr(row, name, form[name].data.strip())
    row.position = form.position.data or 0
    row.sector = db.session.scalar(select(Sector).filter_by(slug=form.sector.data or None))


def _agency_in(form: AgencyForm, row: Agency | None) -> None:
    form.level.choices = _options(Level, Level.position)
    if row is not None and not form.is_submitted():
        form.level.data = row.level.slug if row.level else ""


def _agency_out(form: AgencyForm, row: Agency) -> None:
    for name in ("slug", "name", "name_en"):
        setattr(row, name, form[name].data.strip())
    row.level = db.session.scalar(select(Level).filter_by(slug=form.level.data or None))


def _condition_out(form: FeeConditionForm, row: FeeCondition) -> None:
    for name in ("slug", "name", "name_en"):
        setattr(row, name, form[name].data.strip())
    row.position = form.position.data or 0


def _condition_users(row: FeeCondition) -> list[int]:
    return list(db.session.scalars(
        select(Fee.procedure_id)
        .where(Fee.condition_id == row.id).distinct()))


def _synonym_out(form: SynonymForm, row: Synonym) -> None:
    row.term = form.term.data.strip().lower()
    row.expansion = form.expansion.data.strip()


def _abbreviation_out(form: AbbreviationForm, row: Abbreviation) -> None:
    row.term = " ".join(form.term.data.split())  # kept as written: "GCN QSDĐ"
    row.expansion = form.expansion.data.strip()


def _elsewhere_out(form: ElsewhereForm, row: ElsewherePointer) -> None:
    row.term = " ".join(form.term.data.split())
    for name in ("place", "place_en", "url"):
        setattr(row, name, (form[name].data or "").strip())


@dataclass(frozen=True)
class Kind:
    model: type
    form: type[FlaskForm]
    title: Any
    key: str  # the natural key, unique
    order: Any
    load: Callable[[Any, Any], None] | None
    store: Callable[[Any, Any], None]
    users: Callable[[Any], list[int]]  # ids of procedures whose pages show this row


KINDS = {
    "fields": Kind(Field, FieldForm, _l("Fields"), "slug", Field.position, _field_in,
                   _field_out, lambda row: list(db.session.scalars(
                       select(Procedure.id).where(Procedure.field_id == row.id)))),
    "agencies": Kind(Agency, AgencyForm, _l("Agencies"), "slug", Agency.name, _agency_in,
                     _agency_out, lambda row: list(db.session.scalars(
                         select(ProcedureAgency.procedure_id).where(
                             ProcedureAgency.agency_id == row.id).distinct()))),
    "synonyms": Kind(Synonym, SynonymForm, _l("Search synonyms"), "term", Synonym.term, None,
                     _synonym_out, lambda row: []),
    "abbreviations": Kind(Abbreviation, AbbreviationForm, _l("Search abbreviations"), "term",
                          Abbreviation.term, None, _abbreviation_out, lambda row: []),
    "fee-conditions": Kind(FeeCondition, FeeConditionForm, _l("Fee conditions"), "slug",
                           FeeCondition.position, None, _condition_out, _condition_users),
    "elsewhere": Kind(ElsewherePointer, ElsewhereForm, _l("Requests handled elsewhere"),
                      "term", ElsewherePointer.term, None, _elsewhere_out, lambda row: []),
}
KIND_PATH = ("<any(fields, agencies, synonyms, abbreviations, 'fee-conditions', elsewhere)"
             ":kind>")


def _kind(kind: str) -> Kind:
    return KINDS[kind]


@admin_bp.get(f"/{KIND_PATH}")
def reference_list(kind: str) -> ResponseReturnValue:
    spec = _kind(kind)
    rows = list(db.session.scalars(select(spec.model).order_by(spec.order)))
    return render_template("editor/reference_list.html", kind=kind, spec=spec, rows=rows,
                           form=ConfirmForm(formdata=None))


@admin_bp.route(f"/{KIND_PATH}/new", methods=["GET", "POST"], defaults={"row_id": None})
@admin_bp.route(f"/{KIND_PATH}/<int:row_id>", methods=["GET", "POST"])
def reference_edit(kind: str, row_id: int | None) -> ResponseReturnValue:
    spec = _kind(kind)
    row = db.session.get(spec.model, row_id) if row_id else None
    if row_id and row is None:
        abort(404)
    form = spec.form(obj=row)
    if spec.load:
        spec.load(form, row)
    if form.validate_on_submit():
        value = " ".join(form[spec.key].data.split())
        key = getattr(spec.model, spec.key)
        # SQLite's lower() leaves "Đ" alone: compare as stored too (abbreviations keep case).
        clash = db.session.scalar(select(spec.model.id).where(
            or_(func.lower(key) == value.lower(), key == value)))
        if clash is not None and clash != row_id:
            form[spec.key].errors = [_("This is already in use.")]
        else:
            return _save(kind, spec, row, form)
    return render_template("editor/reference_edit.html", kind=kind, spec=spec, row=row,
                           form=form)


def _save(kind: str, spec: Kind, row: Any, form: FlaskForm) -> Response:
    if row is None:
        row = spec.model()
        db.session.add(row)
    spec.store(form, row)
    db.session.flush()
    affected = spec.users(row)
    for procedure_id in affected:
        search.index(procedure_id)
    audit.record(f"{kind}_saved", f"{kind}:{getattr(row, spec.key)}")
    db.session.commit()
    if affected:
        search.sync()
    flash(_("Saved."), "success")
    return redirect(url_for(".reference_list", kind=kind))


@admin_bp.post(f"/{KIND_PATH}/<int:row_id>/delete")
def reference_delete(kind: str, row_id: int) -> Response:
    spec = _kind(kind)
    row = db.session.get(spec.model, row_id) or abort(404)
    if not ConfirmForm().validate():
        abort(400)
    if spec.users(row):
        flash(_("Still used by procedures: change them first."), "error")
        return redirect(url_for(".reference_list", kind=kind))
    audit.record(f"{kind}_deleted", f"{kind}:{getattr(row, spec.key)}")
    db.session.delete(row)
    db.session.commit()
    flash(_("Deleted."), "success")
    return redirect(url_for(".reference_list", kind=kind))
