"""THE record: one procedure as the catalogue format, drafts, imports and exports hold it.

Every key is declared once here, with its type, default, label and (``Input``) how the
editor's form asks for it. Loading and validation (``app.records``), export, CSV columns
(``app.editor.csvformat``), the editor's form (``app.editor.schema_form``: its fields, their
order and sections), its labels and diff (``app.editor.diff``), and the synthetic generator
derive from these classes. To add a key: add it here, add the column to the model and a
migration (docs/record-format.md).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.schema.slugs import unique_slugs
from app.schema.types import (
    Count,
    Day,
    Days,
    Input,
    Instant,
    KeyText,
    Label,
    OptionalKey,
    RequiredText,
    Text,
    TextList,
    WebAddress,
    WholeNumber,
)
from app.vocab import AgencyRole, ChannelKind, FeeKind, FeeUnit, FormSource, OnlineClass, Status

CaseSlug = Annotated[Text, Field(max_length=80, pattern=r"^([a-z0-9]+(-[a-z0-9]+)*)?$")]


class Part(BaseModel):
    """A part of the record: unknown keys are ignored (older or newer files still load)."""

    model_config = ConfigDict(extra="ignore", validate_default=False)


class Tier(Part):
    from_unit: Annotated[int, Label(_l("From unit")), Field(ge=2, strict=True),
                         Input(hint=_l("For example 3: from the third page on."))]
    amount: Annotated[int, Label(_l("Amount per unit from then on (đồng)")),
                      Field(ge=0, strict=True)]


class Fee(Part):
    """The keys before ``tiers`` are the fee's row in the editor's form; the rest follow it.

    A fee is entered once and names the ways to apply it is charged on (``channels``; empty:
    every way). Files of the older format, with a copy of the fee under each channel, still
    load: ``ProcedureRecord`` merges identical copies into one fee.
    """

    channels: Annotated[list[ChannelKind], Label(_l("Charged when applying")), Input(
        hint=_l("Tick none when the fee is the same on every way to apply."))] = []
    name: Annotated[Text, Label(_l("Fee name")), Field(max_length=200)] = ""
    name_en: Annotated[Text, Label(_l("Fee name in English")), Field(max_length=200)] = ""
    kind: Annotated[FeeKind, Label(_l("Kind of charge"))] = FeeKind.LE_PHI
    amount: Annotated[WholeNumber, Label(_l("Amount (đồng per unit)")), Input(
        hint=_l("0 means free. Leave empty only when the amount is not known."))] = None
    unit: Annotated[FeeUnit, Label(_l("Charged per"))] = FeeUnit.CASE
    cap: Annotated[WholeNumber, Label(_l("Cap (most it can cost, đồng)")),
                   Input(hint=_l("Leave empty when there is no cap."))] = None
    valid_from: Annotated[Day, Label(_l("Applies from")),
                          Input(hint=_l("Leave empty when it has always applied."))] = None
    valid_until: Annotated[Day, Label(_l("Applies until (last day)")), Input(
        hint=_l("The last day it applies. Leave empty when open."))] = None
    condition: Annotated[KeyText, Label(_l("Only when")), Input(
        database=True, hint=_l("Leave empty for the general amount."))] = None
    tiers: Annotated[list[Tier], Label(_l("Tiers"))] = []
    exempt_groups: Annotated[Text, Label(_l("Who does not pay"))] = ""
    legal_basis: Annotated[Text, Label(_l("Legal basis of the fee")), Input(
        one_line=True, hint=_l("Shown when no document number is given."))] = ""
    basis_document: Annotated[OptionalKey, Label(_l("Set by document (number)")),
                              Input(hint=_l("For example: 64/2025/TT-BTC"))] = None
    basis_article: Annotated[Text, Label(_l("Article")),
                             Input(one_line=True, hint=_l("For example: Điều 1"))] = ""
    checked_on: Annotated[Day, Label(_l("Checked on"))] = None
    verified: Annotated[bool, Label(_l("Verified by an editor")), Input(
        hint=_l("Unverified amounts are shown to the public as to be checked with the "
                "centre."))] = True
    note: Annotated[Text, Label(_l("Note"))] = ""

    @field_validator("channels")
    @classmethod
    def _channels_in_order(cls, value: list[ChannelKind]) -> list[ChannelKind]:
        # One order for the same set, so a record read back from the form compares equal.
        order = ChannelKind.values()
        return sorted(value, key=lambda kind: order.index(kind))

    @field_validator("valid_until")
    @classmethod
    def _not_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise ValueError("valid_until is before valid_from")
        return value

    @model_validator(mode="before")
    @classmethod
    def _tiers_in_order(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("tiers"), list):
            tiers = data["tiers"]
            if all(isinstance(t, dict) for t in tiers):
                data = {**data, "tiers": sorted(
                    tiers, key=lambda t: t.get("from_unit") if isinstance(
                        t.get("from_unit"), int) else 0)}
        return data


class Channel(Part):
    kind: Annotated[ChannelKind, Label(_l("Way to apply"))]
    processing_time: Annotated[Text, Label(_l("Processing time (as published)")), Input(
        one_line=True, hint=_l("For example: 05 ngày làm việc"))] = ""
    processing_time_en: Annotated[Text, Label(_l("Processing time in English")), Input(
        one_line=True, hint=_l("The same facts as the Vietnamese, for example: the same "
                               "day; the next working day when received after 3 pm"))] = ""
    processing_days: Annotated[Days, Label(_l("Processing time in working days")),
                               Input(hint=_l("A number, for sorting and comparing."))] = None
    note: Annotated[Text, Label(_l("Note"))] = ""


class Document(Part):
    name: Annotated[RequiredText, Label(_l("Document"))]
    originals: Annotated[Count, Label(_l("Originals"))] = 0
    copies: Annotated[Count, Label(_l("Copies"))] = 0
    form_name: Annotated[Text, Label(_l("Form name")), Field(max_length=300),
                         Input(hint=_l("For example: Tờ khai đăng ký khai sinh"))] = ""
    form_url: Annotated[WebAddress, Label(_l("Link to the form"))] = ""
    form_file: Annotated[Text, Label(_l("Uploaded form file")), Input(database=True)] = ""
    form_source: Annotated[FormSource, Label(_l("Where to get the form"))] = FormSource.AUTO
    form_counter: Annotated[KeyText, Label(_l("Counter that hands out the form")), Input(
        hint=_l("A counter number; leave empty for the procedure's counter."))] = None
    # The 2025 reform: authorities read some papers from a national database themselves.
    from_database: Annotated[bool, Label(_l("Not to bring: read from a national database")),
                             Input(hint=_l("Only where a legal text says the authority reads "
                                           "it itself."))] = False
    from_database_basis: Annotated[Text, Label(_l("Basis (document, article)")),
                                   Field(max_length=300), Input(
        one_line=True, hint=_l("For example: Nghị định 216/2026/NĐ-CP, Điều 23"))] = ""


class DocumentCase(Part):
    title: Annotated[Text, Label(_l("Case (trường hợp)")), Input(
        hint=_l("Leave empty when the documents always apply."))] = ""
    title_en: Annotated[Text, Label(_l("Case in English"))] = ""
    slug: Annotated[CaseSlug, Label(_l("Case address (slug)")), Input(
        one_line=True, hint=_l("Made from the title when left empty; used in links such as "
                               "?truong-hop=tre-sinh-o-nuoc-ngoai. Changing it breaks "
                               "printed links."))] = ""
    documents: Annotated[list[Document], Label(_l("Documents"))] = []


class LegalBasis(Part):
    number: Annotated[Text, Label(_l("Number")), Field(max_length=120),
                      Input(hint=_l("For example: 123/2015/NĐ-CP"))] = ""
    title: Annotated[Text, Label(_l("Title"))] = ""
    issued_on: Annotated[Day, Label(_l("Issued on"))] = None
    issuer: Annotated[Text, Label(_l("Issued by")), Field(max_length=200)] = ""
    articles: Annotated[Text, Label(_l("Articles")),
                        Input(one_line=True, hint=_l("For example: Điều 5, Điều 6"))] = ""


class AgencyLink(Part):
    agency: Annotated[RequiredText, Label(_l("Agency")), Input(database=True)]
    role: Annotated[AgencyRole, Label(_l("Role"))]


class ProcedureRecord(Part):
    """One procedure; the key order is the order of exports, CSV columns and diffs."""

    code: Annotated[RequiredText, Label(_l("Code")), Field(max_length=60), Input(
        section="identity", hint=_l("The national code, for example 1.001193."))]
    code_is_demo: Annotated[bool, Label(_l("Made-up code")), Input(
        section="identity", hint=_l("Demo data: never shown as a national code."))] = False
    portal_id: Annotated[OptionalKey, Label(_l("National portal id")), Input(
        section="identity", hint=_l("The national portal's own id for this procedure, "
                                    "when known; its links use it."))] = None
    local_suffix: Annotated[Text, Label(_l("Local suffix")), Field(max_length=60),
                            Input(section="identity")] = ""
    decision_number: Annotated[Text, Label(_l("Announcing decision")),
                               Field(max_length=120), Input(section="identity")] = ""
    official_name: Annotated[RequiredText, Label(_l("Official name")),
                             Input(section="identity")]
    plain_name: Annotated[Text, Label(_l("Name people use")), Field(max_length=300),
                          Input(section="identity")] = ""
    name_en: Annotated[Text, Label(_l("Name in English")), Field(max_length=300),
                       Input(section="identity")] = ""
    slug: Annotated[RequiredText, Label(_l("Address (slug)")), Field(max_length=200), Input(
        section="identity",
        hint=_l("The end of the page address, for example lam-giay-khai-sinh."
                " Changing it breaks printed links."))]
    procedure_type: Annotated[Text, Label(_l("Type of procedure")), Field(max_length=200),
                              Input(section="identity")] = ""
    applicant_types: Annotated[TextList, Label(_l("Who can apply")),
                               Input(hint=_l("One per line."))] = []
    description: Annotated[Text, Label(_l("Description"))] = ""
    description_en: Annotated[Text, Label(_l("Description in English"))] = ""
    result: Annotated[Text, Label(_l("Result"))] = ""
    result_en: Annotated[Text, Label(_l("Result in English"))] = ""
    conditions: Annotated[Text, Label(_l("Requirements and conditions"))] = ""
    number_of_sets: Annotated[Text, Label(_l("Number of sets")), Field(max_length=120)] = ""
    intake_place: Annotated[Text, Label(_l("Where to apply"))] = ""
    keywords: Annotated[TextList, Label(_l("Keywords")),
                        Input(hint=_l("One per line. Words people search for."))] = []
    fee_note: Annotated[Text, Label(_l("Fee note")),
                        Input(hint=_l("What about fees fits nowhere else."))] = ""
    online_class: Annotated[OnlineClass, Label(_l("Online service")),
                            Input(section="online", radio=True)] = OnlineClass.NONE
    legacy_level: Annotated[Literal[1, 2, 3, 4] | None,
                            Label(_l("Level under Decree 43/2011")),
                            Input(section="online")] = None
    online_url: Annotated[WebAddress, Label(_l("Online service link")), Input(
        section="online", hint=_l("Leave empty to use the national portal link."))] = ""
    # Dated facts of the 2025 reform, each with the text that says so.
    online_only_from: Annotated[Day, Label(_l("Filed online only from")), Input(
        section="online", hint=_l("The centre then takes only online filings and helps "
                                  "people file them."))] = None
    online_only_basis: Annotated[Text, Label(_l("Basis for online-only filing")), Input(
        section="online", one_line=True,
        hint=_l("For example: Nghị định 217/2026/NĐ-CP, Điều 54 khoản 1"))] = ""
    any_centre_in_province: Annotated[bool, Label(_l("Can be filed at any centre in the "
                                                     "province")), Input(section="online")] = False
    any_centre_basis: Annotated[Text, Label(_l("Basis for filing at any centre")), Input(
        section="online", one_line=True,
        hint=_l("The province's list or decision that says so"))] = ""
    status: Annotated[Status, Label(_l("Status")),
                      Input(section="identity", radio=True)] = Status.IN_FORCE
    popularity: Annotated[WholeNumber, Label(_l("Rank among the most asked")), Input(
        section="source", hint=_l("1 is the most asked. Leave empty if not listed."))] = None
    source: Annotated[Text, Label(_l("Source of the facts")), Input(section="source")] = ""
    source_url: Annotated[WebAddress, Label(_l("Source link")), Input(section="source")] = ""
    published: Annotated[bool, Label(_l("Published")), Input(edited=False)] = True
    field: Annotated[KeyText, Label(_l("Field")),
                     Input(section="identity", database=True)] = None
    level: Annotated[KeyText, Label(_l("Level")),
                     Input(section="identity", database=True)] = None
    counter: Annotated[KeyText, Label(_l("Counter")), Input(database=True)] = None
    replaced_by: Annotated[KeyText, Label(_l("Replaced by")), Input(
        section="identity", hint=_l("Only when the status is replaced."))] = None
    reviewed_at: Annotated[Instant, Label(_l("Last reviewed")), Input(edited=False)] = None
    steps: Annotated[TextList, Label(_l("Steps")), Input(repeat=True)] = []
    channels: Annotated[list[Channel], Label(_l("Ways to apply"))] = []
    fees: Annotated[list[Fee], Label(_l("Fees"))] = []
    document_cases: Annotated[list[DocumentCase], Label(_l("Documents to bring"))] = []
    legal_bases: Annotated[list[LegalBasis], Label(_l("Legal bases"))] = []
    agencies: Annotated[list[AgencyLink], Label(_l("Agencies"))] = []

    @model_validator(mode="after")
    def _parts_agree(self) -> ProcedureRecord:
        """Each way to apply at most once (fees name them by kind); a fee names only ways to
        apply the record has; case slugs are unique, made from the title when left empty."""
        kinds = [c.kind for c in self.channels]
        if len(set(kinds)) != len(kinds):
            raise ValueError("channels: each way to apply may appear once")
        for i, fee in enumerate(self.fees):
            unknown = [k.value for k in fee.channels if k not in kinds]
            if unknown:
                raise ValueError(f"fees[{i}].channels: the record has no way to apply "
                                 f"{', '.join(unknown)}")
            if len(set(fee.channels)) != len(fee.channels):
                raise ValueError(f"fees[{i}].channels: a way to apply is named twice")
        given = [c.slug for c in self.document_cases if c.slug]
        if len(set(given)) != len(given):
            raise ValueError("document_cases: two cases have the same slug")
        slugs = unique_slugs([c.slug for c in self.document_cases],
                             [c.title for c in self.document_cases], "truong-hop")
        for case, slug in zip(self.document_cases, slugs, strict=True):
            case.slug = slug
        return self


# Repeating parts, by key, with the words for one entry ("Channel 2, fee 1").
PARTS = {
    "steps": _l("Step %(n)s"), "channels": _l("Channel %(n)s"), "fees": _l("Fee %(n)s"),
    "tiers": _l("tier %(n)s"), "document_cases": _l("Case %(n)s"),
    "documents": _l("document %(n)s"), "legal_bases": _l("Legal basis %(n)s"),
    "agencies": _l("Agency %(n)s"),
}
MODELS: tuple[type[Part], ...] = (ProcedureRecord, Channel, Fee, Tier, DocumentCase, Document,
                                  LegalBasis, AgencyLink)
