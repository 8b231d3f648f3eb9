"""Service quality: counter tablets and their ratings, and the centre's monthly results.

Ratings are anonymous by construction: a rating row holds the counter, the tablet it came
from, the answer, the reasons picked from the editors' list and the time. Nothing else.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.catalogue import Counter, Field
from app.models.procedure import utcnow
from app.vocab import RatingAnswer, check

# The three answers of the tablet, best first (defined with their labels in app.vocab;
# "satisfied" in the figures means app.vocab.SATISFIED_ANSWERS, the first two).
ANSWERS = RatingAnswer.values()
# The monthly report's columns, in the order of the centre's form (see app.quality.importer).
RESULT_COLUMNS = (
    "carried_over", "received_online", "received_direct", "resolved_early", "resolved_on_time",
    "resolved_late", "pending_on_time", "pending_late", "apologies",
)


class RatingTablet(db.Model):
    """A tablet's token for one counter; revoked tokens stay so old ratings still point at them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id", ondelete="CASCADE"),
                                            index=True)
    # The SHA-256 (hex) of the random token, never the token: a copy of the database opens no
    # tablet. The admin sees the address once, when it is issued (app.quality.tablets).
    token_hash: Mapped[str] = mapped_column("token", String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When its last rating was accepted (the app's clock): the interval check is one
    # conditional UPDATE on this column, atomic on SQLite and PostgreSQL.
    last_rating_at: Mapped[datetime | None] = mapped_column(DateTime)
    counter: Mapped[Counter] = relationship()


class RatingReason(db.Model):
    """One reason offered after "Không hài lòng"; editors manage the list."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


rating_reason_link = db.Table(
    "rating_reason_link",
    db.Column("rating_id", db.ForeignKey("rating.id", ondelete="CASCADE"), primary_key=True),
    db.Column("reason_id", db.ForeignKey("rating_reason.id", ondelete="CASCADE"),
              primary_key=True),
)


class Rating(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id", ondelete="CASCADE"))
    tablet_id: Mapped[int | None] = mapped_column(
        ForeignKey("rating_tablet.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(String(20))
    # The month in the centre's time zone (YYYY-MM), fixed when the rating is made.
    month: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    is_demo: Mapped[bool] = mapped_column(default=False)
    reasons: Mapped[list[RatingReason]] = relationship(secondary=rating_reason_link)

    __table_args__ = (
        Index("ix_rating_month_counter", "month", "counter_id"),
        check("answer", RatingAnswer, "ck_rating_answer"),
    )


class MonthlyResult(db.Model):
    """One row of the monthly report: one month, one field, the counts of applications."""

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("field.id", ondelete="CASCADE"))
    carried_over: Mapped[int] = mapped_column(default=0)
    received_online: Mapped[int] = mapped_column(default=0)
    received_direct: Mapped[int] = mapped_column(default=0)
    resolved_early: Mapped[int] = mapped_column(default=0)
    resolved_on_time: Mapped[int] = mapped_column(default=0)
    resolved_late: Mapped[int] = mapped_column(default=0)
    pending_on_time: Mapped[int] = mapped_column(default=0)
    pending_late: Mapped[int] = mapped_column(default=0)
    apologies: Mapped[int] = mapped_column(default=0)
    is_demo: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    field: Mapped[Field] = relationship()

    __table_args__ = (UniqueConstraint("month", "field_id", name="uq_monthly_result_month_field"),)


class MonthlyResultChange(db.Model):
    """A correction: who changed which figure of a month's row, when, from what to what."""

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("monthly_result.id", ondelete="CASCADE"),
                                           index=True)
    figure: Mapped[str] = mapped_column(String(40))  # a name from RESULT_COLUMNS
    old_value: Mapped[int | None] = mapped_column()
    new_value: Mapped[int] = mapped_column()
    changed_by: Mapped[str] = mapped_column(String(254), default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    result: Mapped[MonthlyResult] = relationship()


class MonthlyResultRemoval(db.Model):
    """A month's row an editor deleted: its figures and the history of its corrections (JSON),
    kept so that a deletion shows in the month's history like any correction."""

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    field_name: Mapped[str] = mapped_column(String(300), default="")
    figures: Mapped[str] = mapped_column(Text, default="{}")
    removed_by: Mapped[str] = mapped_column(String(254), default="")
    removed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MonthlyComplaint(db.Model):
    """Complaints and suggestions (phản ánh, kiến nghị) received in a month and answered on
    time, as editors enter them; one of the national index's measures."""

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    received: Mapped[int] = mapped_column(default=0)
    answered_on_time: Mapped[int] = mapped_column(default=0)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("month", name="uq_monthly_complaint_month"),)
