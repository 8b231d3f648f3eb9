"""What must hold between a month's figures for one field, whether typed or imported: what
was resolved plus what is still pending cannot be more than what was carried over plus what
was received. (Negative counts are refused earlier, by ``importer.number_or_reason``.)"""

from __future__ import annotations

from flask_babel import gettext as _

HAD = ("carried_over", "received_online", "received_direct")
DONE = ("resolved_early", "resolved_on_time", "resolved_late")
PENDING = ("pending_on_time", "pending_late")


def row_problems(values: dict[str, int]) -> list[str]:
    """The rules a complete row of figures breaks, as messages (empty when it holds)."""
    had = sum(values.get(c, 0) for c in HAD)
    done = sum(values.get(c, 0) for c in DONE)
    pending = sum(values.get(c, 0) for c in PENDING)
    if done + pending > had:
        return [_("resolved (%(done)s) plus pending (%(pending)s) is more than carried over "
                  "plus received (%(had)s)", done=done, pending=pending, had=had)]
    return []


def _count(value: object) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


def totals(rows: dict[int, dict[str, object]], columns: tuple[str, ...]) -> tuple[
        dict[int, tuple[int, int]], dict[str, int]]:
    """For the figures shown (field id → column → value as shown): per row, (carried over
    plus received, resolved plus pending); per column, the sum over the rows. Values that
    are not counts yet count as nothing."""
    per_row, per_column = {}, dict.fromkeys(columns, 0)
    for fid, row in rows.items():
        counts = {c: _count(row.get(c)) for c in columns}
        if all(v is None for v in counts.values()):
            continue
        per_row[fid] = (sum(counts.get(c) or 0 for c in HAD),
                        sum(counts.get(c) or 0 for c in DONE + PENDING))
        for c, v in counts.items():
            per_column[c] += v or 0
    return per_row, per_column
