"""Anonymous signals from the public, and the change sequence the search index follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.procedure import utcnow


class Feedback(db.Model):
    """"Was this page useful?" and "Report wrong information". No IP, no personal data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # useful | report
    useful: Mapped[bool | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    handled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SearchMiss(db.Model):
    """A folded query text that found nothing, counted for editors."""

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200), unique=True)
    count: Mapped[int] = mapped_column(default=0)
    last_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SearchChange(db.Model):
    """The outbox: one row per procedure change, written in the same transaction as the change.

    Each node's indexer applies rows with an id above the one its index last applied, so
    several nodes can keep their own index directories in step with one database.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(index=True)  # no FK: deletions are changes too
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
