"""Where and when: the centre and the other places to apply or get help, with structured
opening hours and the exceptions editors enter (public holidays, Tết, one-off closures).

Times are wall-clock times in the centre's zone (Asia/Ho_Chi_Minh); ``app.service_points.hours``
turns them into "open now" and "opens again". A point of kind ``centre`` linked to the
``Centre`` row shows that centre's counters (one definition of the counters).
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import Date, ForeignKey, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.catalogue import Centre
from app.vocab import ServicePointKind, check


class ServicePoint(db.Model):
    __tablename__ = "service_point"
    __table_args__ = (check("kind", ServicePointKind, "ck_service_point_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20), default=ServicePointKind.RECEPTION.value)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centre.id", ondelete="SET NULL"))
    centre: Mapped[Centre | None] = relationship()
    hours: Mapped[list[OpeningHours]] = relationship(
        back_populates="point", cascade="all, delete-orphan",
        order_by="(OpeningHours.weekday, OpeningHours.opens)")
    exceptions: Mapped[list[HoursException]] = relationship(
        back_populates="point", cascade="all, delete-orphan",
        order_by="HoursException.start_date")


class OpeningHours(db.Model):
    """One open interval on a weekday (0 = Monday … 6 = Sunday); a day may have several."""

    __tablename__ = "opening_hours"
    id: Mapped[int] = mapped_column(primary_key=True)
    service_point_id: Mapped[int] = mapped_column(
        ForeignKey("service_point.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column()
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    point: Mapped[ServicePoint] = relationship(back_populates="hours")


class HoursException(db.Model):
    """Days (``start_date`` to ``end_date``, both included) when the usual hours do not hold:
    closed (a holiday, Tết, a one-off closure) or open only ``opens``–``closes``."""

    __tablename__ = "hours_exception"
    id: Mapped[int] = mapped_column(primary_key=True)
    service_point_id: Mapped[int] = mapped_column(
        ForeignKey("service_point.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(default=True)
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)
    reason: Mapped[str] = mapped_column(String(300), default="")
    reason_en: Mapped[str] = mapped_column(String(300), default="")
    point: Mapped[ServicePoint] = relationship(back_populates="exceptions")
