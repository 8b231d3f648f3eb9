"""Events counted against a rate limit, in the database so every worker and node shares them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.procedure import utcnow


class RateEvent(db.Model):
    """One counted action (a feedback post, a tablet rating…) under a limiter key."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_rate_event_key_created", "key", "created_at"),)
