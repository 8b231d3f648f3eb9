"""Editable content around procedures: search synonyms, abbreviations, pointers elsewhere
and life-event journeys."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.catalogue import Described
from app.models.procedure import Procedure


class Synonym(db.Model):
    """A word people type ("sổ đỏ") and the official words it stands for."""

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(200), unique=True)
    # The official words; alternatives are separated by ";" (a comma belongs to a name).
    expansion: Mapped[str] = mapped_column(Text)


class Abbreviation(db.Model):
    """A short form officials and citizens write ("GKS", "GCN QSDĐ") and what it stands for.

    Unlike a synonym, an abbreviation is shorthand for exactly its expansion: search reads
    the expansion as if it had been typed, with the same weight as typed words."""

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(60), unique=True)  # as written, e.g. "GCN QSDĐ"
    expansion: Mapped[str] = mapped_column(Text)


class ElsewherePointer(db.Model):
    """Where to go for a request this centre does not handle ("giấy phép lái xe" → the
    provincial police): shown when a search lists nothing, matched like synonyms.

    ``term`` holds the ways people ask, alternatives separated by ";"; ``url`` is optional
    (an official page that tells more), shown as a link or, at the kiosk, a QR code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(300), unique=True)
    place: Mapped[str] = mapped_column(String(300))  # where to go ("where" in the API)
    place_en: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")


class LifeEvent(Described, db.Model):
    """A journey that crosses procedures (having a baby, getting married …)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    steps: Mapped[list[LifeEventStep]] = relationship(
        order_by="LifeEventStep.position", cascade="all, delete-orphan"
    )


class LifeEventStep(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    life_event_id: Mapped[int] = mapped_column(ForeignKey("life_event.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"))
    procedure: Mapped[Procedure | None] = relationship()
