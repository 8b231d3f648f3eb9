"""The dashboard's early warnings: what will stop being true soon, or already has.

Fees ending within ``WARN_DAYS``, fee versions scheduled to start, procedures citing documents
no longer in force (named), and fees no editor has verified. Only published procedures count:
they are what the public reads. (Procedures not reviewed for 180 days are the dashboard's own
``stale`` list.)

A fee is one row whatever the ways to apply it is charged on (``Fee.channels``), so each
warning counts a fee once. An ending fee whose next version is already recorded (same
procedure, name and condition, starting the day after it ends) needs nothing: it is listed
with its successor and counted apart, as handled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from sqlalchemy import Select, select

from app.dates import today_local
from app.extensions import db
from app.fees import ends_within, has_ended, starts_after
from app.legal.citations import ReviewNeeded, needing_review
from app.models import Fee, Procedure

WARN_DAYS = 30


@dataclass
class EarlyWarnings:
    today: date
    ending: list[tuple[Procedure, Fee]] = field(default_factory=list)
    scheduled: list[tuple[Procedure, Fee]] = field(default_factory=list)
    documents: list[ReviewNeeded] = field(default_factory=list)
    unverified: list[tuple[Procedure, Fee]] = field(default_factory=list)
    # fee id → the version that follows it, for the ending fees that have one
    successors: dict[int, Fee] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.ending) + len(self.scheduled) + len(self.documents) \
            + len(self.unverified)

    def successor(self, fee: Fee) -> Fee | None:
        return self.successors.get(fee.id)

    @property
    def unhandled(self) -> list[tuple[Procedure, Fee]]:
        """Ending fees with no next version: an editor must add one (or confirm the end)."""
        return [(p, f) for p, f in self.ending if f.id not in self.successors]

    @property
    def handled(self) -> list[tuple[Procedure, Fee]]:
        return [(p, f) for p, f in self.ending if f.id in self.successors]


def by_procedure(rows: Iterable[tuple[Procedure, Fee]]) -> list[tuple[Procedure, list[Fee]]]:
    """Rows grouped by procedure, in the order each procedure first appears."""
    order: dict[int, tuple[Procedure, list[Fee]]] = {}
    for proc, fee in rows:
        order.setdefault(proc.id, (proc, []))[1].append(fee)
    return list(order.values())


def by_day(rows: Iterable[tuple[Procedure, Fee]],
           day: Callable[[Fee], date | None]) -> list[tuple[date | None, list[Fee]]]:
    """Fees grouped by a date of theirs (rows already sorted by it)."""
    return [(key, [fee for _, fee in group])
            for key, group in groupby(rows, key=lambda row: day(row[1]))]


def _live_fees() -> Select:
    return (select(Procedure, Fee).join(Fee, Fee.procedure_id == Procedure.id)
            .where(Procedure.published.is_(True)))


def _kept(query: Select, keep: Callable[[Fee], bool]) -> list[tuple[Procedure, Fee]]:
    """The rows of ``query`` that ``keep`` accepts, one per fee, read in batches.

    What counts as ending, scheduled or ended is decided by ``app.fees`` (the rule the public
    pages use), not restated in SQL; the query only narrows to dated or unverified fees.
    """
    seen: set[int] = set()
    out = []
    for proc, fee in db.session.execute(query.execution_options(yield_per=200)):
        if fee.id not in seen and keep(fee):
            seen.add(fee.id)
            out.append((proc, fee))
    return out


def next_version(fee: Fee, siblings: Iterable[Fee]) -> Fee | None:
    """The version of ``fee`` that starts the day after it ends: same name and condition."""
    if fee.valid_until is None:
        return None
    starts = fee.valid_until + timedelta(days=1)
    for other in siblings:
        if (other.id != fee.id and other.valid_from == starts and other.name == fee.name
                and other.condition_id == fee.condition_id):
            return other
    return None


def early_warnings(today: date | None = None) -> EarlyWarnings:
    today = today or today_local()
    found = EarlyWarnings(today)
    found.ending = _kept(_live_fees().where(Fee.valid_until.is_not(None))
                         .order_by(Fee.valid_until, Procedure.id, Fee.position, Fee.id),
                         lambda fee: ends_within(fee, today, WARN_DAYS))
    found.scheduled = _kept(_live_fees().where(Fee.valid_from.is_not(None))
                            .order_by(Fee.valid_from, Procedure.id, Fee.position, Fee.id),
                            lambda fee: starts_after(fee, today))
    found.unverified = _kept(_live_fees().where(Fee.verified.is_(False))
                             .order_by(Procedure.id, Fee.position, Fee.id),
                             lambda fee: not has_ended(fee, today))
    for proc, fee in found.ending:
        if (successor := next_version(fee, proc.fees)) is not None:
            found.successors[fee.id] = successor
    found.documents = needing_review(today)
    return found
