"""The fee schedule: every fee in force today (and every version announced for later) of every
published procedure, filtered and sorted."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.dates import today_local
from app.fees import applies_on, starts_after
from app.models import Channel, Fee, Field, Procedure

SORTS = {"name": _l("Procedure name"), "amount": _l("Amount, lowest first"),
         "-amount": _l("Amount, highest first")}


@dataclass(frozen=True)
class Filters:
    field: Field | None
    free_only: bool
    sort: str


@dataclass(frozen=True)
class FeeRow:
    procedure: Procedure
    channel: Channel
    fee: Fee
    upcoming: bool = False  # announced, in force from ``fee.valid_from``


def filters(args, fields: list[Field]) -> Filters:
    """Filters from the query string; unknown values are ignored rather than refused."""
    by_slug = {f.slug: f for f in fields}
    sort = args.get("sort", "name")
    return Filters(field=by_slug.get(args.get("field", "")),
                   free_only=args.get("free") == "1",
                   sort=sort if sort in SORTS else "name")


def _amount_key(row: FeeRow, descending: bool) -> tuple:
    amount = row.fee.amount
    # Unknown amounts go last whichever way the list is sorted.
    if amount is None:
        return (1, 0)
    return (0, -amount if descending else amount)


def fee_rows(rows: list[tuple[Procedure, Channel, Fee]], chosen: Filters) -> list[FeeRow]:
    today = today_local()
    out = [FeeRow(p, c, f, upcoming=not applies_on(f, today)) for p, c, f in rows
           if applies_on(f, today) or starts_after(f, today)]
    if chosen.field is not None:
        out = [r for r in out if r.procedure.field_id == chosen.field.id]
    if chosen.free_only:
        out = [r for r in out if r.fee.amount == 0 and not r.upcoming]
    if chosen.sort in ("amount", "-amount"):
        # A stable sort keeps the name order among equal amounts.
        out.sort(key=lambda r: _amount_key(r, chosen.sort == "-amount"))
    return out
