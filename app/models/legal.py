"""The register of legal documents (văn bản pháp luật) that procedures and fees cite.

Citations stay keyed by the document's number (``LegalBasis.number``, ``Fee.basis_document``):
the record format and its loader need no ids, and a citation whose number has no entry yet
still shows as cited text. The relationships below join on the number and are read-only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from app.dates import local_date
from app.extensions import db
from app.models.procedure import Fee, LegalBasis
from app.vocab import NOT_IN_FORCE, DocumentKind, DocumentStatus, check


class LegalDocument(db.Model):
    __tablename__ = "legal_document"
    __table_args__ = (check("status", DocumentStatus, "ck_legal_document_status", nullable=True),
                      check("kind", DocumentKind, "ck_legal_document_kind", blank=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(60), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    # The last day in force ("đến hết ngày …"), inclusive.
    valid_until: Mapped[date | None] = mapped_column(Date)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("legal_document.id"))
    # Stored only when an editor sets it by hand; otherwise derived from dates and replaced_by.
    status: Mapped[str | None] = mapped_column(String(20))
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    url: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    replaced_by: Mapped[LegalDocument | None] = relationship(remote_side=[id])
    citations: Mapped[list[LegalBasis]] = relationship(
        primaryjoin=lambda: LegalDocument.number == foreign(LegalBasis.number),
        viewonly=True, order_by=lambda: LegalBasis.procedure_id)

    def status_on(self, day: date) -> str:
        """The status on ``day``: what an editor set, else what the dates and replacement say."""
        if self.status:
            return self.status
        successor = self.replaced_by
        if successor is not None and (successor.valid_from is None or successor.valid_from <= day):
            return "replaced"
        if self.valid_from and day < self.valid_from:
            return "not_yet_in_force"
        if self.valid_until and day > self.valid_until:
            return "expired"
        return "in_force"

    def out_of_force_since(self, day: date) -> date | None:
        """The day the document stopped being in force, as of ``day``; None while it is.

        Procedures reviewed on or after that day no longer need review because of it.
        """
        if self.status_on(day) not in NOT_IN_FORCE:
            return None
        successor = self.replaced_by
        candidates = [
            local_date(self.status_changed_at) if self.status_changed_at else None,
            successor.valid_from if successor is not None else None,
            # date.max (9999-12-31) has no next day: such a document never stops by date.
            self.valid_until + timedelta(days=1)
            if self.valid_until and self.valid_until < date.max else None,
        ]
        # The latest event counts: a review before it could not have taken it into account.
        return max((d for d in candidates if d is not None and d <= day), default=None)


LegalBasis.document = relationship(
    LegalDocument, primaryjoin=lambda: foreign(LegalBasis.number) == LegalDocument.number,
    viewonly=True, uselist=False)

Fee.document = relationship(
    LegalDocument, primaryjoin=lambda: foreign(Fee.basis_document) == LegalDocument.number,
    viewonly=True, uselist=False)
