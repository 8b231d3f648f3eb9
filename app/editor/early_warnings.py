"""The dashboard's early warnings: what will stop being true soon, or already has.

Fees ending within ``WARN_DAYS``, fee versions scheduled to start, procedures citing documents
no longer in force (named), and fees no editor has verified. Only published procedures count:
they are what the public reads. (Procedures not reviewed for 180 days are the dashboard's own
``stale`` list.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from sqlalchemy import Select, select

from app.dates import today_local
from app.extensions import db
from app.fees import ends_within, has_ended, starts_after
from app.legal.citations import ReviewNeeded, needing_review
from app.models import Fee, Procedure

WARN_DAYS = 30
LIMIT = 50


@dataclass
class EarlyWarnings:
    today: date
    ending: list[tuple[Procedure, Fee]] = field(default_factory=list)
    scheduled: list[tuple[Procedure, Fee]] = field(default_factory=list)
    documents: list[ReviewNeeded] = field(default_factory=list)
    unverified: list[tuple[Procedure, Fee]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ending) + len(self.scheduled) + len(self.documents) \
            + len(self.unverified)


def _live_fees() -> Select:
    return (select(Procedure, Fee).join(Fee, Fee.procedure_id == Procedure.id)
            .where(Procedure.published.is_(True)))


def _first(query: Select, keep) -> list[tuple[Procedure, Fee]]:
    """The first ``LIMIT`` rows of ``query`` that ``keep`` accepts, read in batches.

    What counts as ending, scheduled or ended is decided by ``app.fees`` (the rule the public
    pages use), not restated in SQL; the query only narrows to dated or unverified fees.
    """
    rows = db.session.execute(query.execution_options(yield_per=200))
    try:
        return list(islice(((proc, fee) for proc, fee in rows if keep(fee)), LIMIT))
    finally:
        rows.close()  # stopped early: release the server-side cursor (PostgreSQL)


def early_warnings(today: date | None = None) -> EarlyWarnings:
    today = today or today_local()
    found = EarlyWarnings(today)
    found.ending = _first(_live_fees().where(Fee.valid_until.is_not(None))
                          .order_by(Fee.valid_until, Procedure.id),
                          lambda fee: ends_within(fee, today, WARN_DAYS))
    found.scheduled = _first(_live_fees().where(Fee.valid_from.is_not(None))
                             .order_by(Fee.valid_from, Procedure.id),
                             lambda fee: starts_after(fee, today))
    found.unverified = _first(_live_fees().where(Fee.verified.is_(False)).order_by(Procedure.id),
                              lambda fee: not has_ended(fee, today))
    found.documents = needing_review(today)[:LIMIT]
    return found
