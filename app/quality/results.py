"""Storing monthly results, imported or typed, with the history of every correction; deleting
a month's report (the deletion is history too); the month's complaints and suggestions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models.procedure import utcnow
from app.models.quality import (
    RESULT_COLUMNS,
    MonthlyComplaint,
    MonthlyResult,
    MonthlyResultChange,
    MonthlyResultRemoval,
)
from app.quality.importer import Row
from app.quality.months import accepted


@dataclass
class Summary:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)

    def text(self) -> str:
        return _("created %(c)s, corrected %(u)s, unchanged %(n)s", c=len(self.created),
                 u=len(self.updated), n=len(self.unchanged))


def store(month: str, field_id: int, values: dict[str, int], by: str) -> str:
    """Create or correct one month's row for one field; every changed figure is recorded
    (who, when, old and new value). Returns "created", "updated" or "unchanged"."""
    row = db.session.scalar(select(MonthlyResult).where(
        MonthlyResult.month == month, MonthlyResult.field_id == field_id))
    outcome = "updated"
    if row is None:
        row = MonthlyResult(month=month, field_id=field_id, **dict.fromkeys(RESULT_COLUMNS, 0))
        db.session.add(row)
        db.session.flush()
        outcome = "created"
    now = utcnow()
    changed = False
    for column in RESULT_COLUMNS:
        old = None if outcome == "created" else getattr(row, column)
        if old == values[column] and outcome != "created":
            continue
        setattr(row, column, values[column])
        db.session.add(MonthlyResultChange(result_id=row.id, figure=column, old_value=old,
                                           new_value=values[column], changed_by=by[:254],
                                           changed_at=now))
        changed = True
    if not changed:
        return "unchanged"
    # A figure an editor stored is real, whatever the row was generated as.
    row.is_demo = False
    row.updated_at = now
    return outcome


def apply(rows: list[Row], by: str) -> Summary:
    """Store checked rows (from ``importer.read``) in the caller's transaction."""
    summary = Summary()
    for row in rows:
        outcome = store(row.month, row.field_id, row.values, by)
        getattr(summary, outcome).append(row.line)
    return summary


def history(month: str) -> list[MonthlyResultChange]:
    """The changes to ``month``'s rows, newest first."""
    return list(db.session.scalars(
        select(MonthlyResultChange).join(MonthlyResult)
        .where(MonthlyResult.month == month)
        .order_by(MonthlyResultChange.changed_at.desc(), MonthlyResultChange.id.desc())))


def remove_month(month: str, by: str) -> int:
    """Delete ``month``'s report (every field's row), keeping for each row its figures and the
    history of its corrections in a ``MonthlyResultRemoval``. Returns how many rows went.
    Any stored month may go, even one outside the accepted window (that is the point: a
    9999-12 imported before the window existed)."""
    rows = db.session.scalars(select(MonthlyResult).where(MonthlyResult.month == month)).all()
    now = utcnow()
    for row in rows:
        changes = db.session.scalars(select(MonthlyResultChange).where(
            MonthlyResultChange.result_id == row.id).order_by(MonthlyResultChange.id)).all()
        kept = {"values": {c: getattr(row, c) for c in RESULT_COLUMNS}, "demo": row.is_demo,
                "history": [{"figure": c.figure, "old": c.old_value, "new": c.new_value,
                             "by": c.changed_by, "at": c.changed_at.isoformat()}
                            for c in changes]}
        db.session.add(MonthlyResultRemoval(
            month=month, field_name=row.field.name[:300], figures=json.dumps(kept),
            removed_by=by[:254], removed_at=now))
        for change in changes:
            db.session.delete(change)
        db.session.delete(row)
    db.session.flush()
    return len(rows)


def removals(month: str) -> list[tuple[MonthlyResultRemoval, dict]]:
    """The month's deleted rows, newest first, with their figures as stored then."""
    found = db.session.scalars(select(MonthlyResultRemoval).where(
        MonthlyResultRemoval.month == month).order_by(MonthlyResultRemoval.id.desc())).all()
    return [(item, json.loads(item.figures)) for item in found]


def months_outside_window() -> list[str]:
    """Stored months outside the accepted window, which pages ignore and editors may delete."""
    first, last = accepted()
    return list(db.session.scalars(
        select(MonthlyResult.month).where(~MonthlyResult.month.between(first, last))
        .distinct().order_by(MonthlyResult.month)))


def store_complaints(month: str, received: int, answered_on_time: int, by: str) -> None:
    """Create or correct the month's complaints and suggestions (caller checks the values)."""
    row = db.session.scalar(select(MonthlyComplaint).where(MonthlyComplaint.month == month))
    if row is None:
        row = MonthlyComplaint(month=month)
        db.session.add(row)
    row.received, row.answered_on_time = received, answered_on_time
    row.updated_by, row.updated_at = by[:254], utcnow()


def complaints(month: str) -> MonthlyComplaint | None:
    return db.session.scalar(select(MonthlyComplaint).where(MonthlyComplaint.month == month))
