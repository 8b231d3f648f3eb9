"""What the kiosk's home tiles show: the most asked procedures in the editors' order (their
"rank among the most asked"), the fields, and where a tile leads.

Fewer taps for a person standing at the screen: a field holding a single procedure leads
straight to that procedure rather than to a one-item list.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app import queries
from app.extensions import db
from app.models import Field, Procedure
from app.service_points.present import today_line
from app.service_points.queries import service_points

# The kiosk's home holds this many "most asked" tiles (the editors rank them; the demo ranks 10).
POPULAR_TILES = 10


@dataclass(frozen=True)
class FieldTile:
    field: Field
    count: int
    only_slug: str | None  # the procedure a single-procedure field opens directly


def popular_tiles() -> list[Procedure]:
    return queries.popular_procedures(POPULAR_TILES)


def field_tiles() -> list[FieldTile]:
    """Every field with published procedures, in the editors' order; the slug of the one
    procedure of a field that has only one (a replaced one still counts: its page redirects)."""
    fields = queries.fields_with_counts()
    single = [f.id for f, count in fields if count == 1]
    slugs: dict[int, str] = {}
    if single:
        stmt = (select(Procedure.field_id, func.min(Procedure.slug))
                .where(Procedure.published.is_(True), Procedure.field_id.in_(single))
                .group_by(Procedure.field_id))
        slugs = dict(db.session.execute(stmt).all())
    return [FieldTile(f, count, slugs.get(f.id) if count == 1 else None) for f, count in fields]


def today_state() -> str:
    """The centre's state now, for the "Opening hours, counters" tile ("" if not entered)."""
    return today_line(service_points())


class Tiles:
    """What the kiosk's home template asks for (a Jinja global: ``kiosk_tiles``)."""

    popular = staticmethod(popular_tiles)
    fields = staticmethod(field_tiles)
    today = staticmethod(today_state)
