"""The read side of where and when (shared by the pages, the kiosk tile and the API)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Centre
from app.models.service_points import ServicePoint


def service_points() -> list[ServicePoint]:
    """Every place, the centre first, in the editors' order, with hours, exceptions and the
    centre's counters loaded."""
    stmt = (select(ServicePoint)
            .options(selectinload(ServicePoint.hours), selectinload(ServicePoint.exceptions),
                     selectinload(ServicePoint.centre).selectinload(Centre.counters))
            .order_by(ServicePoint.kind != "centre", ServicePoint.position, ServicePoint.id))
    return list(db.session.scalars(stmt))


def service_point(point_id: int) -> ServicePoint | None:
    return db.session.get(ServicePoint, point_id)
