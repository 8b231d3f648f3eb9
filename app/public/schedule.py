"""The fee schedule: each distinct fee in force today (and each version announced for later)
of every published procedure, once, naming the ways to apply only where it is not all of
them; a procedure with no fee in the record is listed as not yet known."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.dates import today_local
from app.fees import applies_on, starts_after
from app.models import Fee, Field, Procedure
from app.public.summary import fee_channels, unverified

SORTS = {"name": _l("Procedure name"), "amount": _l("Amount, lowest first"),
         "-amount": _l("Amount, highest first")}


@dataclass(frozen=True)
class Filters:
    field: Field | None
    free_only: bool
    sort: str


@dataclass(frozen=True)
class FeeRow:
    """One fee of one procedure (``fee`` None: the record has no fee: "not yet known").
    ``channels``: the ways to apply in words, "" for all; ``notice``: say once, on this
    procedure's first row, that an amount is unverified."""

    procedure: Procedure
    fee: Fee | None
    channels: str = ""
    upcoming: bool = False  # announced, in force from ``fee.valid_from``
    notice: bool = False


def filters(args, fields: list[Field]) -> Filters:
    """Filters from the query string; unknown values are ignored rather than refused."""
    by_slug = {f.slug: f for f in fields}
    sort = args.get("sort", "name")
    return Filters(field=by_slug.get(args.get("field", "")),
                   free_only=args.get("free") == "1",
                   sort=sort if sort in SORTS else "name")


def _amount_key(row: FeeRow, descending: bool) -> tuple:
    amount = row.fee.amount if row.fee is not None else None
    # Unknown amounts go last whichever way the list is sorted.
    if amount is None:
        return (1, 0)
    return (0, -amount if descending else amount)


def _rows_of(proc: Procedure, today) -> list[FeeRow]:
    fees = [f for f in proc.fees if applies_on(f, today) or starts_after(f, today)]
    if not fees:
        return [FeeRow(proc, None)]
    return [FeeRow(proc, f, fee_channels(f, proc), upcoming=not applies_on(f, today))
            for f in fees]


def fee_rows(procedures: list[Procedure], chosen: Filters) -> list[FeeRow]:
    today = today_local()
    out = [row for proc in procedures if chosen.field is None or proc.field_id == chosen.field.id
           for row in _rows_of(proc, today)]
    if chosen.free_only:
        out = [r for r in out if r.fee is not None and r.fee.amount == 0 and not r.upcoming]
    if chosen.sort in ("amount", "-amount"):
        # A stable sort keeps the name order among equal amounts.
        out.sort(key=lambda r: _amount_key(r, chosen.sort == "-amount"))
    return _notices(out)


def _notices(rows: list[FeeRow]) -> list[FeeRow]:
    """The unverified notice on the first shown row of each procedure that needs it."""
    doubtful = {r.procedure.id for r in rows if r.fee is not None and unverified([r.fee])}
    out, said = [], set()
    for row in rows:
        pid = row.procedure.id
        if pid in doubtful and pid not in said:
            said.add(pid)
            row = FeeRow(row.procedure, row.fee, row.channels, row.upcoming, notice=True)
        out.append(row)
    return out
