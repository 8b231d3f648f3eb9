"""The demo places and hours (``app/data/service_points/demo.json``), loaded by ``flask
setup`` on an empty database and by the tests. Idempotent: places already entered are kept."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Centre
from app.models.service_points import HoursException, OpeningHours, ServicePoint

DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "service_points" / "demo.json"


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def point_from(entry: dict, position: int) -> ServicePoint:
    point = ServicePoint(
        position=position, kind=entry["kind"], name=entry["name"],
        name_en=entry.get("name_en", ""), address=entry.get("address", ""),
        phone=entry.get("phone", ""), note=entry.get("note", ""),
        note_en=entry.get("note_en", ""))
    for weekday, spans in entry.get("hours", {}).items():
        for span in spans:
            opens, closes = span.split("-")
            point.hours.append(OpeningHours(weekday=int(weekday), opens=_time(opens),
                                            closes=_time(closes)))
    for exc in entry.get("exceptions", []):
        point.exceptions.append(HoursException(
            start_date=date.fromisoformat(exc["from"]), end_date=date.fromisoformat(exc["until"]),
            closed=exc.get("closed", True), reason=exc.get("reason", ""),
            reason_en=exc.get("reason_en", "")))
    return point


def load(path: Path = DEMO_FILE) -> str:
    """Add the demo places when none is entered; the centre's point shows the centre's counters."""
    if db.session.scalar(select(func.count(ServicePoint.id))):
        return "service points: kept the places already entered"
    entries = json.loads(path.read_text(encoding="utf-8"))["points"]
    centre = db.session.scalar(select(Centre))
    for position, entry in enumerate(entries):
        point = point_from(entry, position)
        if point.kind == "centre":
            point.centre = centre
        db.session.add(point)
    db.session.flush()
    return f"service points: {len(entries)} demo places"
