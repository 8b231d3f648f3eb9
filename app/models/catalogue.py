"""The centre and the reference tables procedures point at (levels, sectors, fields, agencies)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Described:
    """The columns of an entry citizens browse by (a field, a life event): its name and
    description in both languages and its place in lists."""

    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class Centre(db.Model):
    """The one-stop centre itself; one row in a single-centre deployment."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    opening_hours_en: Mapped[str] = mapped_column(Text, default="")
    counters: Mapped[list[Counter]] = relationship(
        back_populates="centre", order_by="Counter.number", cascade="all, delete-orphan"
    )


class Counter(db.Model):
    """A numbered desk (quầy) of the centre."""

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"))
    number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300), default="")
    name_en: Mapped[str] = mapped_column(String(300), default="")
    # Removing a counter retires it (its past ratings and figures stay); None: in service.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)
    centre: Mapped[Centre] = relationship(back_populates="counters")


class Level(db.Model):
    """A tier of government that performs procedures; data, as tiers change (huyện: gone 2025)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(default=0)


class Sector(db.Model):
    """A group of fields (e.g. "Tư pháp – hộ tịch")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    fields: Mapped[list[Field]] = relationship(back_populates="sector", order_by="Field.position")


class Field(Described, db.Model):
    """A lĩnh vực: the field a procedure belongs to (Hộ tịch, Chứng thực, Đất đai …)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id"))
    sector: Mapped[Sector | None] = relationship(back_populates="fields")


class Agency(db.Model):
    """A government body that performs, decides, is delegated or co-ordinates procedures."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    level_id: Mapped[int | None] = mapped_column(ForeignKey("level.id"))
    level: Mapped[Level | None] = relationship()
