"""Fee arithmetic and wording: amounts are whole đồng per unit, with optional tiers and a cap."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.models import Fee

# Units a fee is charged per; the code is stored, the label is translated.
UNITS = {
    "case": _l("per case"),
    "page": _l("per page"),
    "copy": _l("per copy"),
    "contract": _l("per contract"),
    "document": _l("per document"),
    "card": _l("per card"),
    "permit": _l("per permit"),
    "time": _l("per time"),
    "set": _l("per set"),
    "person": _l("per person"),
}
# The thing counted, for "from page 3 on" and the calculator's label.
NOUNS = {
    "case": _l("case"), "page": _l("page"), "copy": _l("copy"), "contract": _l("contract"),
    "document": _l("document"), "card": _l("card"), "permit": _l("permit"), "time": _l("time"),
    "set": _l("set"), "person": _l("person"),
}
COUNT_LABELS = {
    "page": _l("Number of pages"), "copy": _l("Number of copies"),
    "document": _l("Number of documents"), "set": _l("Number of sets"),
}
KINDS = {"phi": _l("Charge (phí)"), "le_phi": _l("Fee (lệ phí)"), "other": _l("Other charge")}
MAX_COUNT = 10_000


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
        fee.unit in ("page", "copy", "document", "set") or bool(fee.tiers)
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
