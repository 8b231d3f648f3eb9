"""What a checked monthly report would change, before anything is written (issue #23, item
5): for each month and field of the file, every figure as stored now and as the file would
write it, the changed ones marked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import MonthlyResult
from app.models.quality import RESULT_COLUMNS
from app.quality.importer import Row


@dataclass(frozen=True)
class Figure:
    column: str
    old: int | None  # None: no figure stored for this month and field yet
    new: int

    @property
    def changed(self) -> bool:
        return self.old is not None and self.old != self.new


@dataclass(frozen=True)
class RowChange:
    line: int
    month: str
    field_name: str
    figures: list[Figure]

    @property
    def created(self) -> bool:
        return all(f.old is None for f in self.figures)

    @property
    def changed(self) -> int:
        return sum(f.changed for f in self.figures)


def preview(rows: list[Row]) -> list[RowChange]:
    """The file's rows in month and field order, each figure with what is stored now."""
    months = sorted({row.month for row in rows})  # a report covers a few months
    stored = {(r.month, r.field_id): r for r in db.session.scalars(
        select(MonthlyResult).where(MonthlyResult.month.in_(months)))} if months else {}
    changes = []
    for row in sorted(rows, key=lambda r: (r.month, r.field_name, r.line)):
        now = stored.get((row.month, row.field_id))
        changes.append(RowChange(row.line, row.month, row.field_name, [
            Figure(c, None if now is None else getattr(now, c), row.values[c])
            for c in RESULT_COLUMNS]))
    return changes
