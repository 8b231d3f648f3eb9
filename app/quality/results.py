"""Storing monthly results, imported or typed, with the history of every correction."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models.procedure import utcnow
from app.models.quality import RESULT_COLUMNS, MonthlyResult, MonthlyResultChange
from app.quality.importer import Row


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
