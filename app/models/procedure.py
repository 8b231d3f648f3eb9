"""A procedure record as the national database publishes it, with its repeating parts as rows.

The row set here is the *live* version the public sees. Drafts and history are stored as
serialised records (see ``app.records``) so that a published page stays live while the next
version is drafted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.catalogue import Agency, Counter, Field, Level
from app.vocab import (
    LEGACY_LEVELS,
    AgencyRole,
    ChannelKind,
    FeeKind,
    FeeUnit,
    FormSource,
    OnlineClass,
    Status,
    check,
)

# Derived from app.vocab for modules that import it from here (search facets, API).
ONLINE_CLASSES = OnlineClass.values()


class _LegacyLevelRange:
    """The integers 1–4 for ``check`` (legacy_level is stored as a number)."""

    @staticmethod
    def values() -> tuple[int, ...]:
        return LEGACY_LEVELS


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Procedure(db.Model):
    __table_args__ = (
        check("online_class", OnlineClass, "ck_procedure_online_class"),
        check("status", Status, "ck_procedure_status"),
        check("legacy_level", _LegacyLevelRange, "ck_procedure_legacy_level", nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    # The national portal's own id of this procedure, when known (its detail pages use it).
    portal_id: Mapped[str | None] = mapped_column(String(120))
    # True for codes made up for demo or synthetic data: never shown as a national code.
    code_is_demo: Mapped[bool] = mapped_column(default=False)
    local_suffix: Mapped[str] = mapped_column(String(60), default="")
    decision_number: Mapped[str] = mapped_column(String(120), default="")
    official_name: Mapped[str] = mapped_column(Text)
    plain_name: Mapped[str] = mapped_column(String(300), default="")
    name_en: Mapped[str] = mapped_column(String(300), default="")
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    field_id: Mapped[int | None] = mapped_column(ForeignKey("field.id"), index=True)
    level_id: Mapped[int | None] = mapped_column(ForeignKey("level.id"))
    procedure_type: Mapped[str] = mapped_column(String(200), default="")
    applicant_types: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    result_en: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    number_of_sets: Mapped[str] = mapped_column(String(120), default="")
    intake_place: Mapped[str] = mapped_column(Text, default="")
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    fee_note: Mapped[str] = mapped_column(Text, default="")
    online_class: Mapped[str] = mapped_column(String(20), default="none")
    legacy_level: Mapped[int | None] = mapped_column()
    online_url: Mapped[str] = mapped_column(String(500), default="")  # per-record override
    online_only_from: Mapped[date | None] = mapped_column(Date)
    online_only_basis: Mapped[str] = mapped_column(Text, default="")
    any_centre_in_province: Mapped[bool] = mapped_column(default=False)
    any_centre_basis: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="in_force")
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"))
    popularity: Mapped[int | None] = mapped_column()  # rank among the most asked; None = not listed
    source: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    published: Mapped[bool] = mapped_column(default=True, index=True)
    lock_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)

    field: Mapped[Field | None] = relationship()
    level: Mapped[Level | None] = relationship()
    counter: Mapped[Counter | None] = relationship()
    replaced_by: Mapped[Procedure | None] = relationship(remote_side=[id])
    steps: Mapped[list[Step]] = relationship(
        order_by="Step.position", cascade="all, delete-orphan"
    )
    channels: Mapped[list[Channel]] = relationship(
        order_by="Channel.position", cascade="all, delete-orphan", back_populates="procedure"
    )
    # Each fee is stored once and names the ways to apply it is charged on (``Fee.channels``).
    fees: Mapped[list[Fee]] = relationship(
        order_by="Fee.position", cascade="all, delete-orphan"
    )
    document_cases: Mapped[list[DocumentCase]] = relationship(
        order_by="DocumentCase.position", cascade="all, delete-orphan"
    )
    legal_bases: Mapped[list[LegalBasis]] = relationship(
        order_by="LegalBasis.position", cascade="all, delete-orphan"
    )
    agency_links: Mapped[list[ProcedureAgency]] = relationship(
        order_by="ProcedureAgency.position", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        """The name people use, falling back to the official name."""
        return self.plain_name or self.official_name

    @property
    def full_code(self) -> str:
        return f"{self.code}.{self.local_suffix}" if self.local_suffix else self.code

    def portal_url(self, template: str) -> str | None:
        """``template`` filled with ``{portal_id}`` / ``{code}``; None when a value it needs is
        unknown (a demo code is never a national code), so no broken link is ever shown."""
        if not template:
            return None
        values = {"portal_id": self.portal_id or "",
                  "code": "" if self.code_is_demo else (self.code or "")}
        needed = [key for key in values if "{" + key + "}" in template]
        if any(not values[key] for key in needed):
            return None
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return None  # a misconfigured template: no link rather than a 500

    def online_service_url(self, template: str) -> str | None:
        """The online service link: the per-record override, else the portal template."""
        if self.online_url:
            return self.online_url
        if self.online_class == "none":
            return None
        return self.portal_url(template)


class Step(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)


class Channel(db.Model):
    """One way to submit (in person, online, post), with its own time and fees."""

    __table_args__ = (check("kind", ChannelKind, "ck_channel_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    processing_time: Mapped[str] = mapped_column(Text, default="")
    processing_time_en: Mapped[str] = mapped_column(Text, default="")
    processing_days: Mapped[float | None] = mapped_column()  # working days, when known
    note: Mapped[str] = mapped_column(Text, default="")
    procedure: Mapped[Procedure] = relationship(back_populates="channels")

    @property
    def fees(self) -> list[Fee]:
        """The procedure's fees charged on this way to apply (read-only: a fee is stored once,
        on the procedure, and may apply to several channels)."""
        proc = self.procedure
        return [fee for fee in proc.fees if fee.applies_to(self.kind)] if proc else []


class FeeCondition(db.Model):
    """A condition under which a fee version applies instead of the general amount
    (e.g. "applied online with a level-2 VNeID account"); an editable list."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    name_en: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class Fee(db.Model):
    """A phí or lệ phí. ``amount`` is whole đồng per unit: 0 is free, None is not known.

    Versions of a fee coexist: each applies from ``valid_from`` to ``valid_until`` (inclusive;
    None is open), optionally only under ``condition``. ``app.fees`` picks what is in force.
    """

    __table_args__ = (check("kind", FeeKind, "ck_fee_kind"),
                      check("unit", FeeUnit, "ck_fee_unit"))

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # The channel kinds (``ChannelKind``) this fee is charged on; empty: every way to apply.
    # A kind, not a channel row, because a procedure has each way to apply at most once and
    # the record format names them so.
    channels: Mapped[list] = mapped_column(JSON, default=list)
    name: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="le_phi")  # phi | le_phi | other
    amount: Mapped[int | None] = mapped_column()
    unit: Mapped[str] = mapped_column(String(30), default="case")
    cap: Mapped[int | None] = mapped_column()
    exempt_groups: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    condition_id: Mapped[int | None] = mapped_column(ForeignKey("fee_condition.id"))
    # The number of the legal document that sets the fee (the register joins on it).
    basis_document: Mapped[str | None] = mapped_column(String(120))
    basis_article: Mapped[str] = mapped_column(Text, default="")
    checked_on: Mapped[date | None] = mapped_column(Date)
    verified: Mapped[bool] = mapped_column(default=True)
    condition: Mapped[FeeCondition | None] = relationship()
    tiers: Mapped[list[FeeTier]] = relationship(
        order_by="FeeTier.from_unit", cascade="all, delete-orphan"
    )

    def applies_to(self, kind: str) -> bool:
        """True when the fee is charged on the way to apply ``kind``."""
        return not self.channels or kind in self.channels


class FeeTier(db.Model):
    """From the ``from_unit``-th unit on, each unit costs ``amount`` (e.g. 1,000 đ from page 3)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    fee_id: Mapped[int] = mapped_column(ForeignKey("fee.id"), index=True)
    from_unit: Mapped[int] = mapped_column()
    amount: Mapped[int] = mapped_column()


class DocumentCase(db.Model):
    """A trường hợp: a group of documents that applies in one situation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str] = mapped_column(Text, default="")
    # Unique within the procedure; the page's ``?truong-hop=`` names it (``app.schema.slugs``).
    slug: Mapped[str] = mapped_column(String(80), default="")
    documents: Mapped[list[Document]] = relationship(
        order_by="Document.position", cascade="all, delete-orphan"
    )


class Document(db.Model):
    __table_args__ = (check("form_source", FormSource, "ck_document_form_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("document_case.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(Text)
    originals: Mapped[int] = mapped_column(default=0)
    copies: Mapped[int] = mapped_column(default=0)
    form_name: Mapped[str] = mapped_column(String(300), default="")
    form_url: Mapped[str] = mapped_column(String(500), default="")
    form_file: Mapped[str] = mapped_column(String(200), default="")  # stored upload name
    form_source: Mapped[str] = mapped_column(String(20), default="auto")
    form_counter: Mapped[str | None] = mapped_column(String(20))  # None: the procedure's
    from_database: Mapped[bool] = mapped_column(default=False)
    from_database_basis: Mapped[str] = mapped_column(String(300), default="")


class LegalBasis(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    number: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    articles: Mapped[str] = mapped_column(Text, default="")


class ProcedureAgency(db.Model):
    __table_args__ = (check("role", AgencyRole, "ck_procedure_agency_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    agency: Mapped[Agency] = relationship()
