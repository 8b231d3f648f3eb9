"""Anonymous signals from the public, and the change sequence the search index follows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.procedure import utcnow
from app.vocab import FeedbackKind, check


class Feedback(db.Model):
    """"Was this page useful?" and "Report wrong information". No IP, no personal data."""

    __table_args__ = (check("kind", FeedbackKind, "ck_feedback_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    useful: Mapped[bool | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    handled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SearchQueryDay(db.Model):
    """How often a plausible query (folded text, no personal data) was asked on one day
    (Asia/Ho_Chi_Minh), and how often it found nothing. Old days are pruned."""

    __table_args__ = (UniqueConstraint("day", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    query: Mapped[str] = mapped_column(String(100))
    asked: Mapped[int] = mapped_column(default=0)
    missed: Mapped[int] = mapped_column(default=0)  # asks that found no procedure


class SearchQuerySpelling(db.Model):
    """How often one folded query of one day was typed in one spelling ("Sổ đỏ", "so do"):
    the dashboard shows the commonest, as people wrote it. Same rules and pruning as
    ``SearchQueryDay``; a few spellings per query and flush are kept."""

    __table_args__ = (UniqueConstraint("day", "query", "spelling"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    query: Mapped[str] = mapped_column(String(100))  # the folded text (SearchQueryDay.query)
    spelling: Mapped[str] = mapped_column(String(100))
    asked: Mapped[int] = mapped_column(default=0)


class SearchChange(db.Model):
    """The outbox: one row per procedure change, written in the same transaction as the change.

    Each node's indexer applies rows with an id above the one its index last applied, so
    several nodes can keep their own index directories in step with one database.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(index=True)  # no FK: deletions are changes too
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
