"""Dated changes of the catalogue: a procedure's changes with their public notes (applied now
or scheduled for a local date), notices for the site and kiosk, and the procedures an
announcement decision (Quyết định công bố) adds, amends and abolishes.

The closed sets below are small and used only here; the migration copies them literally.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Revision, User
from app.models.legal import LegalDocument
from app.models.procedure import Procedure, utcnow

CHANGE_KINDS = ("revision", "abolition")
CHANGE_STATES = ("scheduled", "applied", "withdrawn")
NOTICE_SEVERITIES = ("critical", "warning", "info")  # most severe first
ANNOUNCED_ACTIONS = ("add", "amend", "abolish")


def _in(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})", name=name)


class ProcedureChange(db.Model):
    """One change of a procedure for the public: a revision made live (now or on
    ``effective_on``) or an abolition from ``effective_on``; its note is what the citizen
    reads in "Thay đổi gần đây", the feeds and the "from dd/mm/yyyy" notice."""

    __tablename__ = "procedure_change"
    __table_args__ = (_in("kind", CHANGE_KINDS, "ck_procedure_change_kind"),
                      _in("state", CHANGE_STATES, "ck_procedure_change_state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="revision")
    state: Mapped[str] = mapped_column(String(20), default="scheduled", index=True)
    effective_on: Mapped[date] = mapped_column(Date, index=True)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    minor: Mapped[bool] = mapped_column(default=False)
    document_number: Mapped[str] = mapped_column(String(120), default="")
    successor_id: Mapped[int | None] = mapped_column(
        ForeignKey("procedure.id", ondelete="SET NULL"))
    # The record live before this change was applied: what ``?on=`` an earlier date shows.
    previous: Mapped[dict | None] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    procedure: Mapped[Procedure] = relationship(foreign_keys=[procedure_id])
    successor: Mapped[Procedure | None] = relationship(foreign_keys=[successor_id])
    revision: Mapped[Revision | None] = relationship()
    author: Mapped[User | None] = relationship()
    document: Mapped[LegalDocument | None] = relationship(
        primaryjoin=lambda: foreign(ProcedureChange.document_number) == LegalDocument.number,
        viewonly=True, uselist=False)


class Notice(db.Model):
    """A notice for citizens (Tết closure, a portal outage, counters moving), shown on the
    site and the kiosk from ``starts_at`` until ``ends_at`` (UTC, naive, like every stored
    instant); editors type local times."""

    __table_args__ = (_in("severity", NOTICE_SEVERITIES, "ck_notice_severity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    severity: Mapped[str] = mapped_column(String(20), default="info")
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AnnouncedProcedure(db.Model):
    """One row of an announcement decision (Quyết định công bố) in the legal register: a
    procedure code it adds, amends or abolishes, and from which day."""

    __tablename__ = "announced_procedure"
    __table_args__ = (_in("action", ANNOUNCED_ACTIONS, "ck_announced_procedure_action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("legal_document.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60), index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)

    document: Mapped[LegalDocument] = relationship()
