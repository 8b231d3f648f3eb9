"""Fee arithmetic and selection: amounts are whole đồng per unit, with optional tiers and a cap;
versions of a fee apply between dates, some only under a condition.

"In force" always means on a given day in the centre's time zone (``app.dates.today_local``);
nothing here caches, so a fee that ends tonight is gone from every page at local midnight.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from app.dates import today_local
from app.models import Channel, Fee, Procedure
from app.vocab import COUNTABLE_UNITS

MAX_COUNT = 10_000


def applies_on(fee: Fee, day: date) -> bool:
    """True when ``day`` lies within the fee's dates (either end may be open; both inclusive)."""
    return ((fee.valid_from is None or fee.valid_from <= day)
            and (fee.valid_until is None or day <= fee.valid_until))


def fees_in_force(source: Procedure | Channel | Iterable[Fee],
                  on: date | None = None) -> list[Fee]:
    """The fees in force on ``on`` (default: today in the centre's zone), conditional ones
    included, in record order: of a whole procedure, of one channel, or of a list of fees."""
    day = on or today_local()
    if isinstance(source, Procedure):
        fees: Iterable[Fee] = source.fees
    elif isinstance(source, Channel):
        fees = source.fees
    else:
        fees = source
    return [fee for fee in fees if applies_on(fee, day)]


def general(fees: Iterable[Fee]) -> list[Fee]:
    """The fees that apply without a condition (what most people pay)."""
    return [fee for fee in fees if fee.condition_id is None and fee.condition is None]


def starts_after(fee: Fee, day: date) -> bool:
    """True for a version announced for later: it comes into force after ``day``."""
    return fee.valid_from is not None and fee.valid_from > day


def ends_within(fee: Fee, day: date, days: int) -> bool:
    """True when the fee is in force on ``day`` and its last day is at most ``days`` later."""
    return (applies_on(fee, day) and fee.valid_until is not None
            and fee.valid_until <= day + timedelta(days=days))


def has_ended(fee: Fee, day: date) -> bool:
    """True when the fee's last day is before ``day`` (history, no longer shown)."""
    return fee.valid_until is not None and fee.valid_until < day


def scheduled(channel: Channel, on: date | None = None) -> list[Fee]:
    """Fee versions of a channel that start after ``on``: announced, not yet in force."""
    day = on or today_local()
    return sorted((f for f in channel.fees if starts_after(f, day)),
                  key=lambda f: f.valid_from)


def amount_for(fee: Fee, count: int) -> int | None:
    """What ``count`` units cost: tiered per-unit prices, then the cap. None if not known.

    Each tier says "from unit N on, each unit costs X"; before the first tier the base amount
    applies. E.g. 2,000 đ/page, 1,000 đ from page 3, at most 200,000 đ: 5 pages = 7,000 đ.
    """
    if fee.amount is None:
        return None
    if count < 1:
        return 0
    count = min(count, MAX_COUNT)
    breaks = [(1, fee.amount)] + [(t.from_unit, t.amount) for t in fee.tiers]
    total = 0
    for i, (start, price) in enumerate(breaks):
        end = breaks[i + 1][0] - 1 if i + 1 < len(breaks) else count
        units = max(0, min(end, count) - start + 1)
        total += units * price
    return min(total, fee.cap) if fee.cap is not None else total


def is_countable(fee: Fee) -> bool:
    """True when the amount depends on a count a person can enter (pages, copies …)."""
    return fee.amount is not None and fee.amount > 0 and (
        fee.unit in COUNTABLE_UNITS or bool(fee.tiers)
    )


def is_free(fees: list[Fee]) -> bool:
    """True when there are fees and every one of them is known to be 0 đ."""
    return bool(fees) and all(fee.amount == 0 for fee in fees)


def lowest_amount(fees: list[Fee]) -> int | None:
    """The smallest known amount above 0, or None when no fee has a known positive amount."""
    amounts = [fee.amount for fee in fees if fee.amount]
    return min(amounts) if amounts else None


def parse_count(text: str | None) -> int | None:
    """A count typed by a person: a whole number from 1 to ``MAX_COUNT``, else None."""
    cleaned = (text or "").strip().replace(".", "").replace(",", "").replace(" ", "")
    if not cleaned.isdigit():
        return None
    value = int(cleaned)
    return value if 1 <= value <= MAX_COUNT else None
