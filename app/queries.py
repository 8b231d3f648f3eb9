"""The read side shared by the public, kiosk and API views. Only published procedures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import selectinload

from app.collation import sorted_vi, vi_key
from app.extensions import db
from app.models import (
    Agency,
    Centre,
    DocumentCase,
    Fee,
    Field,
    LifeEvent,
    LifeEventStep,
    Procedure,
    ProcedureAgency,
    Sector,
)

FULL_RECORD = (
    selectinload(Procedure.steps),
    selectinload(Procedure.channels),
    selectinload(Procedure.fees).selectinload(Fee.tiers),
    selectinload(Procedure.fees).selectinload(Fee.condition),
    selectinload(Procedure.document_cases).selectinload(DocumentCase.documents),
    selectinload(Procedure.legal_bases),
    selectinload(Procedure.agency_links).selectinload(ProcedureAgency.agency),
    selectinload(Procedure.field),
    selectinload(Procedure.level),
    selectinload(Procedure.counter),
    selectinload(Procedure.replaced_by),
)
LIST_ROW = (
    selectinload(Procedure.field),
    selectinload(Procedure.channels),
    selectinload(Procedure.fees).selectinload(Fee.tiers),
)


class Paging:
    """Page arithmetic for anything with ``total``, ``page`` and ``per_page``."""

    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class Page(Paging):
    items: list[Any]
    total: int
    page: int
    per_page: int


# What people see as the name: the plain name, else the official one (see Procedure.name).
NAME_ORDER = func.coalesce(func.nullif(Procedure.plain_name, ""), Procedure.official_name)


def _gone() -> frozenset[int]:
    """Procedures a list asked for as of a later date no longer holds: abolished by then
    (``?on=``, set for the request by ``app.public.dated.listing_on``; detail pages never)."""
    on = g.get("catalogue_on") if has_request_context() else None
    return on.gone if on is not None else frozenset()


def is_listed() -> ColumnElement[bool]:
    """Published, and not abolished by the date a list is asked for."""
    gone = _gone()
    clause = Procedure.published.is_(True)
    return clause & Procedure.id.not_in(gone) if gone else clause


def published() -> Select:
    return select(Procedure).where(is_listed())


def paginate(stmt: Select, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total or 0, page, per_page)


def paginate_by_name(stmt: Select, page: int, per_page: int, popular_first: bool = False,
                     options: tuple = ()) -> Page:
    """``stmt`` (a select of Procedure) one page at a time in Vietnamese alphabetical order of
    the name people see (the most asked first when ``popular_first``). Neither database orders
    names that way everywhere (app.collation), so the ids and names are read and ordered here,
    then one page of rows is loaded."""
    rows = db.session.execute(stmt.with_only_columns(
        Procedure.id, Procedure.popularity, NAME_ORDER).order_by(None)).all()
    rows.sort(key=lambda r: ((r[1] is None, r[1] or 0) if popular_first else (), vi_key(r[2])))
    ids = [r[0] for r in rows[(page - 1) * per_page: page * per_page]]
    loaded = {p.id: p for p in db.session.scalars(
        select(Procedure).options(*options).where(Procedure.id.in_(ids)))} if ids else {}
    return Page([loaded[i] for i in ids if i in loaded], len(rows), page, per_page)


def by_name(procedures: Iterable[Procedure]) -> list[Procedure]:
    """Procedures in Vietnamese alphabetical order of the name people see (app.collation)."""
    return sorted_vi(procedures, lambda p: p.name)


def procedures_page(page: int, per_page: int, field: Field | None = None,
                    agency: Agency | None = None) -> Page:
    """The most asked first, then by name in Vietnamese alphabetical order."""
    stmt = published()
    if field is not None:
        stmt = stmt.where(Procedure.field_id == field.id)
    if agency is not None:
        stmt = stmt.where(Procedure.agency_links.any(ProcedureAgency.agency_id == agency.id))
    return paginate_by_name(stmt, page, per_page, popular_first=True, options=LIST_ROW)


def procedure_by_slug(slug: str) -> Procedure | None:
    return db.session.scalar(published().options(*FULL_RECORD).where(Procedure.slug == slug))


def procedure_by_code(code: str) -> Procedure | None:
    return db.session.scalar(published().options(*FULL_RECORD).where(Procedure.code == code))


def procedures_by_ids(ids: list[int]) -> list[Procedure]:
    """Rows for search hits, in the hits' order."""
    if not ids:
        return []
    rows = {p.id: p for p in db.session.scalars(published().options(*LIST_ROW)
                                                 .where(Procedure.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def field_by_slug(slug: str) -> Field | None:
    return db.session.scalar(select(Field).where(Field.slug == slug))


def agency_by_slug(slug: str) -> Agency | None:
    return db.session.scalar(select(Agency).where(Agency.slug == slug))


def fields_with_counts() -> list[tuple[Field, int]]:
    """Every field that has published procedures, with how many, in the editors' order."""
    count = func.count(Procedure.id)
    stmt = (
        select(Field, count)
        .join(Procedure, Procedure.field_id == Field.id)
        .where(is_listed())
        .group_by(Field.id)
        .order_by(Field.position, Field.name)
    )
    return [(f, n) for f, n in db.session.execute(stmt)]


def sectors() -> list[Sector]:
    return list(db.session.scalars(select(Sector).order_by(Sector.position)))


def agencies_with_counts() -> list[tuple[Agency, int]]:
    count = func.count(ProcedureAgency.procedure_id.distinct())
    stmt = (
        select(Agency, count)
        .join(ProcedureAgency, ProcedureAgency.agency_id == Agency.id)
        .join(Procedure, Procedure.id == ProcedureAgency.procedure_id)
        .where(is_listed())
        .group_by(Agency.id)
    )
    return sorted_vi(((a, n) for a, n in db.session.execute(stmt)), lambda row: row[0].name)


def popular_procedures(limit: int = 8) -> list[Procedure]:
    stmt = (published().options(*LIST_ROW).where(Procedure.popularity.is_not(None))
            .order_by(Procedure.popularity).limit(limit))
    return list(db.session.scalars(stmt))


def online_procedures() -> list[Procedure]:
    stmt = (published().options(*LIST_ROW).where(Procedure.online_class != "none")
            .order_by(Procedure.online_class, Procedure.legacy_level.desc().nulls_last(),
                      NAME_ORDER))
    return list(db.session.scalars(stmt))


def online_count() -> int:
    stmt = select(func.count(Procedure.id)).where(is_listed(), Procedure.online_class != "none")
    return db.session.scalar(stmt) or 0


def fee_schedule() -> list[Procedure]:
    """Every published procedure with a page of its own, with its fees (each stored once) and
    channels, for the fee schedule; in Vietnamese alphabetical order."""
    stmt = (published().where(Procedure.status != "replaced")
            .options(selectinload(Procedure.field), selectinload(Procedure.channels),
                     selectinload(Procedure.fees).selectinload(Fee.tiers),
                     selectinload(Procedure.fees).selectinload(Fee.condition)))
    return by_name(db.session.scalars(stmt))


def life_events() -> list[LifeEvent]:
    return list(db.session.scalars(select(LifeEvent).order_by(LifeEvent.position)))


def life_event_by_slug(slug: str) -> LifeEvent | None:
    return db.session.scalar(
        select(LifeEvent).options(selectinload(LifeEvent.steps)
                                  .selectinload(LifeEventStep.procedure))
        .where(LifeEvent.slug == slug))


def life_events_for(procedure: Procedure) -> list[LifeEvent]:
    # In the life events' own order: without it, the order was whatever plan the database
    # chose for DISTINCT (it changed on PostgreSQL with the table's statistics).
    stmt = (select(LifeEvent).join(LifeEventStep)
            .where(LifeEventStep.procedure_id == procedure.id).distinct()
            .order_by(LifeEvent.position))
    return list(db.session.scalars(stmt))


def centre() -> Centre | None:
    return db.session.scalar(select(Centre).options(selectinload(Centre.counters)))


def replacement_for_slug(slug: str) -> Procedure | None:
    """The procedure that replaces a published, replaced one (its URL redirects there)."""
    proc = db.session.scalar(published().where(Procedure.slug == slug))
    if proc is not None and proc.status == "replaced" and proc.replaced_by is not None:
        return proc.replaced_by
    return None


def listed_procedures() -> list[Procedure]:
    """Every published procedure with a page of its own (replaced ones redirect), by name."""
    stmt = published().where(Procedure.status != "replaced")
    return by_name(db.session.scalars(stmt))
