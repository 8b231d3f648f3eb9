"""The form for a whole procedure record, and its conversion to and from the record format.

Repeating parts are ``FieldList``s named like ``channels-0-fees-1-amount``, so that
``app.editor.formops`` can add, remove and reorder them by rewriting the submitted names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from app.editor.fields import DecimalDaysField, LinesField, WholeNumberField
from app.editor.formops import walk
from app.editor.forms import SLUG, options
from app.fees import KINDS, UNITS
from app.records import normalise_procedure

CHANNEL_KINDS = {"in_person": _l("In person"), "online": _l("Online"), "post": _l("By post")}
ONLINE_CLASSES = {"full": _l("Fully online (toàn trình)"), "partial": _l("Partly online"),
                  "none": _l("Not online")}
STATUSES = {"in_force": _l("In force"), "not_in_force": _l("No longer in force"),
            "replaced": _l("Replaced by another procedure")}
AGENCY_ROLES = {"performing": _l("Performs it"), "competent": _l("Decides (competent)"),
                "delegated": _l("Delegated"), "coordinating": _l("Co-ordinates")}
LEGACY_LEVELS = [("", _l("Not stated")), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]
WEB = URL(require_tld=False, message=_l("Enter a full web address starting with https://"))
HTTP = Regexp(r"^https?://", message=_l("Enter a full web address starting with https://"))


def _choices(mapping: dict) -> list[SelectChoice]:
    return options(mapping.items())


class TierForm(Form):
    from_unit = WholeNumberField(_l("From unit number"),
                                 validators=[InputRequired(), NumberRange(min=2)],
                                 description=_l("For example 3: from the third page on."))
    amount = WholeNumberField(_l("Amount per unit from then on (đồng)"),
                              validators=[InputRequired()])


class FeeForm(Form):
    name = StringField(_l("Fee name"), validators=[Length(max=200)])
    kind = SelectField(_l("Kind of charge"), choices=_choices(KINDS), default="le_phi")
    amount = WholeNumberField(
        _l("Amount (đồng per unit)"),
        description=_l("0 means free. Leave empty only when the amount is not known."))
    unit = SelectField(_l("Charged"), choices=_choices(UNITS), default="case")
    cap = WholeNumberField(_l("Cap (most it can cost, đồng)"),
                           description=_l("Leave empty when there is no cap."))
    tiers = FieldList(FormField(TierForm))
    exempt_groups = TextAreaField(_l("Who does not pay"))
    legal_basis = StringField(_l("Legal basis of the fee"))
    note = TextAreaField(_l("Note"))


class ChannelForm(Form):
    kind = SelectField(_l("Way to apply"), choices=_choices(CHANNEL_KINDS))
    processing_time = StringField(_l("Processing time (as published)"),
                                  description=_l("For example: 05 ngày làm việc"))
    processing_days = DecimalDaysField(_l("Processing time in working days"),
                                       description=_l("A number, for sorting and comparing."))
    note = TextAreaField(_l("Note"))
    fees = FieldList(FormField(FeeForm))


class DocumentForm(Form):
    name = TextAreaField(_l("Document"), validators=[DataRequired()])
    originals = WholeNumberField(_l("Originals"))
    copies = WholeNumberField(_l("Copies"))
    form_name = StringField(_l("Form name"), validators=[Length(max=300)],
                            description=_l("For example: Tờ khai đăng ký khai sinh"))
    form_url = StringField(_l("Link to the form"),
                           validators=[Optional(), HTTP, WEB, Length(max=500)])
    form_file = SelectField(_l("Uploaded form file"), choices=[], validate_choice=True)


class CaseForm(Form):
    title = TextAreaField(_l("Case (trường hợp)"),
                          description=_l("Leave empty when the documents always apply."))
    documents = FieldList(FormField(DocumentForm))


class LegalBasisForm(Form):
    number = StringField(_l("Number"), validators=[Length(max=120)],
                         description=_l("For example: 123/2015/NĐ-CP"))
    title = TextAreaField(_l("Title"))
    issued_on = DateField(_l("Issued on"), validators=[Optional()],
                          description=_l("Year-month-day, for example 2015-11-15."))
    issuer = StringField(_l("Issued by"), validators=[Length(max=200)])


class AgencyLinkForm(Form):
    agency = SelectField(_l("Agency"), choices=[], validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=_choices(AGENCY_ROLES))


class ProcedureForm(FlaskForm):
    lock_version = HiddenField()
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=60)],
                       description=_l("The national code, for example 1.001193."))
    code_is_demo = BooleanField(_l("Made-up code (demo data): never shown as a national code"))
    local_suffix = StringField(_l("Local suffix"), validators=[Length(max=60)])
    decision_number = StringField(_l("Announcing decision"), validators=[Length(max=120)])
    official_name = TextAreaField(_l("Official name"), validators=[DataRequired()])
    plain_name = StringField(_l("Name people use"), validators=[Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=300)])
    slug = StringField(_l("Address (slug)"), validators=[DataRequired(), Length(max=200), SLUG],
                       description=_l("The end of the page address, for example lam-giay-khai-sinh."
                                      " Changing it breaks printed links."))
    field = SelectField(_l("Field"), choices=[])
    level = SelectField(_l("Level"), choices=[])
    procedure_type = StringField(_l("Type of procedure"), validators=[Length(max=200)])
    applicant_types = LinesField(_l("Who can apply"), description=_l("One per line."))
    description = TextAreaField(_l("Description"))
    description_en = TextAreaField(_l("Description in English"))
    result = TextAreaField(_l("Result"))
    result_en = TextAreaField(_l("Result in English"))
    conditions = TextAreaField(_l("Requirements and conditions"))
    number_of_sets = StringField(_l("Number of sets"), validators=[Length(max=120)])
    intake_place = TextAreaField(_l("Where to apply"))
    counter = SelectField(_l("Counter"), choices=[])
    keywords = LinesField(_l("Keywords"), description=_l("One per line. Words people search for."))
    fee_note = TextAreaField(_l("Fee note"), description=_l("What about fees fits nowhere else."))
    online_class = RadioField(_l("Online service"), choices=_choices(ONLINE_CLASSES),
                              default="none")
    legacy_level = SelectField(_l("Level under Decree 43/2011"), choices=options(LEGACY_LEVELS))
    online_url = StringField(_l("Online service link (override)"),
                             validators=[Optional(), HTTP, WEB, Length(max=500)],
                             description=_l("Leave empty to use the national portal link."))
    status = RadioField(_l("Status"), choices=_choices(STATUSES), default="in_force")
    replaced_by = StringField(_l("Replaced by (code)"), validators=[Length(max=60)],
                              description=_l("Only when the status is replaced."))
    popularity = WholeNumberField(_l("Rank among the most asked"),
                                  description=_l("1 is the most asked. Leave empty if not listed."))
    source = TextAreaField(_l("Source of the facts"))
    source_url = StringField(_l("Source link"), validators=[Optional(), HTTP, Length(max=500)])
    steps = FieldList(TextAreaField(_l("Step"), validators=[DataRequired()]))
    channels = FieldList(FormField(ChannelForm))
    document_cases = FieldList(FormField(CaseForm))
    legal_bases = FieldList(FormField(LegalBasisForm))
    agencies = FieldList(FormField(AgencyLinkForm))
    note = StringField(_l("What did you change?"), validators=[Length(max=500)],
                       description=_l("Optional; shown in the history."))


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
    for key in ("code", "code_is_demo", "local_suffix", "decision_number", "official_name",
                "plain_name", "name_en", "slug", "procedure_type", "applicant_types",
                "description", "description_en", "result", "result_en", "conditions",
                "number_of_sets", "intake_place", "keywords", "fee_note", "online_class",
                "online_url", "status", "popularity", "source", "source_url"):
        value = d[key]
        record[key] = value.strip() if isinstance(value, str) else value
    for key in ("field", "level", "counter", "replaced_by"):
        record[key] = (d[key] or "").strip() or None
    record["legacy_level"] = int(d["legacy_level"]) if d["legacy_level"] else None
    record["steps"] = [s.strip() for s in d["steps"]]
    record["channels"] = [
        {**{k: c[k] for k in ("kind", "processing_time", "processing_days", "note")},
         "fees": [{**f, "tiers": list(f["tiers"])} for f in c["fees"]]}
        for c in d["channels"]
    ]
    record["document_cases"] = [
        {"title": case["title"],
         "documents": [{**doc, "originals": doc["originals"] or 0, "copies": doc["copies"] or 0}
                       for doc in case["documents"]]}
        for case in d["document_cases"]
    ]
    record["legal_bases"] = [
        {**b, "issued_on": b["issued_on"].isoformat() if b["issued_on"] else None}
        for b in d["legal_bases"]
    ]
    record["agencies"] = [dict(a) for a in d["agencies"]]
    return _stripped(normalise_procedure(record))


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
    data = normalise_procedure(record)
    for key in ("field", "level", "counter", "replaced_by"):
        data[key] = data[key] or ""
    data["legacy_level"] = str(data["legacy_level"] or "")
    data["legal_bases"] = [
        {**b, "issued_on": _date(b["issued_on"])} for b in data["legal_bases"]
    ]
    return data


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
