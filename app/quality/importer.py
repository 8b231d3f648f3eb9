"""Reading the centre's monthly report (CSV or XLSX) into checked rows, writing nothing.

One row per month and field. The header is found in the first 15 rows, by its Vietnamese
names, either as one row or as the two-row header one-stop software exports: "Số hồ sơ tiếp
nhận", "Đã giải quyết" and "Đang giải quyết" merged over their columns, with the short names
("Trực tuyến", "Đúng hạn", "Quá hạn" …) below. Any problem (a missing column, a negative or
empty number, an unknown field, a month twice) makes the whole file refused, so a wrong
report never half-applies.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import budget, spreadsheet
from app.csvcells import restore
from app.extensions import db
from app.models import Field
from app.models.quality import RESULT_COLUMNS
from app.quality.crosscheck import row_problems
from app.quality.months import MONTH_PATTERN, accepted, is_accepted
from app.search.text import fold

HEADER_ROWS = 15
MAX_ROWS = 5000
MAX_VALUE = 10_000_000
# Read by the shared reader (app.spreadsheet): a report is a few hundred rows of 11 columns.
LIMITS = spreadsheet.LIMITS.but(file_bytes=2 * spreadsheet.MB, rows=MAX_ROWS, columns=60,
                                cell_chars=500)
# The report's own column names, in its order (also the CSV export's header).
HEADERS = {
    "month": "Tháng", "field": "Lĩnh vực",
    "carried_over": "Kỳ trước chuyển qua", "received_online": "Tiếp nhận trực tuyến",
    "received_direct": "Tiếp nhận trực tiếp và bưu chính",
    "resolved_early": "Giải quyết trước hạn", "resolved_on_time": "Giải quyết đúng hạn",
    "resolved_late": "Giải quyết quá hạn", "pending_on_time": "Đang giải quyết trong hạn",
    "pending_late": "Đang giải quyết quá hạn", "apologies": "Thư xin lỗi",
}
# Names under a merged group header, keyed "group|short name".
_GROUPED = {
    "carried_over": [("Số hồ sơ tiếp nhận", "Kỳ trước chuyển qua")],
    "received_online": [("Số hồ sơ tiếp nhận", "Trực tuyến")],
    "received_direct": [("Số hồ sơ tiếp nhận", "Trực tiếp và bưu chính"),
                        ("Số hồ sơ tiếp nhận", "Trực tiếp, bưu chính")],
    "resolved_early": [("Đã giải quyết", "Trước hạn")],
    "resolved_on_time": [("Đã giải quyết", "Đúng hạn")],
    "resolved_late": [("Đã giải quyết", "Quá hạn")],
    "pending_on_time": [("Đang giải quyết", "Trong hạn")],
    "pending_late": [("Đang giải quyết", "Quá hạn")],
}
_PARENS = re.compile(r"\([^)]{0,40}\)")
_MONTH = re.compile(MONTH_PATTERN)
_SLASH_MONTH = re.compile(r"^(0?[1-9]|1[0-2])/(20[0-9]{2})$")
_THOUSANDS = re.compile(r"^[0-9]{1,3}([.,][0-9]{3})+$")


def _key(text: object) -> str:
    return fold(_PARENS.sub(" ", str(text or "")[:200]))


NAMES = {_key(name): column for column, name in HEADERS.items()}
NAMES.update({f"{_key(g)}|{_key(s)}": col for col, pairs in _GROUPED.items() for g, s in pairs})


@dataclass
class Row:
    line: int
    month: str
    field_id: int
    field_name: str
    values: dict[str, int]


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def messages(self) -> list[str]:
        return [*self.errors, *self.notes]


def read(filename: str, data: bytes) -> Parsed:
    """Parse a report; ``errors`` say why it cannot be applied (nothing is written here).

    The file is read and checked within the import budget (``app.budget``: a child process
    with a time and memory limit), against the catalogue's fields read here beforehand."""
    try:
        return budget.run(_parse, filename, data, _fields())
    except budget.OverBudget as exc:
        return Parsed(errors=[_("The file could not be read: %(why)s.", why=str(exc))])


def _parse(filename: str, data: bytes, fields: dict[str, tuple[int, str]]) -> Parsed:
    try:
        grid = _xlsx_grid(data) if filename.lower().endswith(".xlsx") else _csv_grid(data)
    except MemoryError:  # the budget's limit, which app.budget names
        raise
    except spreadsheet.TooLarge as exc:  # a limit of the shared reader, named
        return Parsed(errors=[_("The file is too large to be a monthly report: %(why)s.",
                                why=str(exc))])
    except Exception as exc:  # any unreadable file is one clear message, never a 500
        return Parsed(errors=[_("The file could not be read as CSV or XLSX (%(why)s).",
                                why=type(exc).__name__)])
    parsed = Parsed()
    found = _header(grid, parsed)
    if found is None:
        return parsed
    columns, start = found
    _rows(grid, start, columns, parsed, fields)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(_("The file has a header but no rows."))
    return parsed


def _csv_grid(data: bytes) -> list[list[object]]:
    return spreadsheet.read_csv(data, LIMITS, sniff=True)


def _xlsx_grid(data: bytes) -> list[list[object]]:
    """The first sheet's values; a merged range's value is in each of its cells."""
    return spreadsheet.read_xlsx(data, LIMITS)[0].values()


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _two_row_columns(top: list[str], below: list[str]) -> dict[int, str]:
    """Columns of a two-row header: the short name below, qualified by the group above."""
    columns, group = {}, ""
    for c, name in enumerate(top):
        group = name or group  # a CSV export leaves a merged group's other cells empty
        sub = below[c] if c < len(below) else ""
        if not sub or sub == name:  # a cell merged down both rows ("Tháng")
            column = NAMES.get(name)
        else:
            column = NAMES.get(sub) or NAMES.get(f"{group}|{sub}")
        if column:
            columns[c] = column
    return columns


def _header(grid: list[list[object]], parsed: Parsed) -> tuple[dict[int, str], int] | None:
    """Columns by position and the first data row, from the first row naming Tháng and Lĩnh
    vực (and the row below when it holds the short names of a two-row header)."""
    for index, row in enumerate(grid[:HEADER_ROWS]):
        top = [_key(v) for v in row]
        if not {"thang", "linh vuc"} <= set(top):
            continue
        below = [_key(v) for v in grid[index + 1]] if index + 1 < len(grid) else []
        one = {c: NAMES[name] for c, name in enumerate(top) if name in NAMES}
        two = _two_row_columns(top, below)
        columns, start = (two, index + 2) if len(two) > len(one) else (one, index + 1)
        labels = grid[index + 1] if start == index + 2 else [None] * len(row)
        for c, value in enumerate(row):
            text = str(value or _cell(labels, c) or "").strip()
            if c not in columns and text:
                parsed.notes.append(_("Column %(n)s (“%(name)s”) is not a column of the report; "
                                      "it is ignored.", n=c + 1, name=text[:60]))
        for column in set(columns.values()):
            if list(columns.values()).count(column) > 1:
                parsed.errors.append(_("Column “%(name)s” appears twice.", name=HEADERS[column]))
        missing = [HEADERS[k] for k in HEADERS if k not in columns.values()]
        if missing:
            parsed.errors.append(_("The header (row %(n)s) lacks the columns: %(names)s.",
                                   n=index + 1, names="; ".join(missing)))
        return None if parsed.errors else (columns, start)
    parsed.errors.append(_("No header row found: the first %(n)s rows must include one with "
                           "“Tháng” and “Lĩnh vực”.", n=HEADER_ROWS))
    return None


def _month(value: object) -> str | None:
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"  # strftime drops a year's zeros
    text = str(value or "").strip()
    if _MONTH.match(text):
        return text
    slash = _SLASH_MONTH.match(text)
    return f"{slash[2]}-{int(slash[1]):02d}" if slash else None


def _checked_month(value: object) -> tuple[str | None, str | None]:
    """The month of a row, or None and the reason: not a month, or outside the window of
    accepted months (a date cell of 9999-12 would stretch every page's range)."""
    month = _month(value)
    if month is None:
        return None, _("Tháng: “%(value)s” is not a month like 2026-10",
                       value=str(value or "")[:20])
    if not is_accepted(month):
        first, last = accepted()
        return None, _("Tháng: %(month)s is outside the months a report may be for "
                       "(%(first)s to %(last)s)", month=month, first=first, last=last)
    return month, None


def number_or_reason(value: object) -> int | str:
    """A count, or the reason it is not one (as a message)."""
    if isinstance(value, bool) or value is None or str(value).strip() == "":
        return _("empty (write 0 when there were none)")
    if isinstance(value, int | float):
        number = value
    else:
        text = str(value).strip()
        if _THOUSANDS.match(text):
            text = re.sub(r"[.,]", "", text)
        try:
            number = float(text) if "." in text or "e" in text.lower() else int(text)
        except ValueError:
            return _("“%(value)s” is not a whole number", value=text[:20])
    if not math.isfinite(number):  # "1e999" is a float, but no count
        return _("“%(value)s” is not a whole number", value=str(value).strip()[:20])
    if number != int(number):
        return _("%(value)s is not a whole number", value=number)
    if number < 0:
        return _("%(value)s is negative", value=int(number))
    if number > MAX_VALUE:
        return _("%(value)s is too large", value=int(number))
    return int(number)


def _fields() -> dict[str, tuple[int, str]]:
    """The catalogue's fields by folded name and by slug: (id, name)."""
    known = {}
    for item in db.session.scalars(select(Field)):
        known[_key(item.name)] = known[item.slug] = (item.id, item.name)
    return known


def _rows(grid: list[list[object]], start: int, columns: dict[int, str], parsed: Parsed,
          fields: dict[str, tuple[int, str]]) -> None:
    seen: dict[tuple[str, int], int] = {}
    at = {name: c for c, name in columns.items()}
    for index in range(start, len(grid)):
        row, line = grid[index], index + 1
        if all(str(v or "").strip() == "" for v in row):
            continue
        field_text = str(_cell(row, at["field"]) or "").strip()
        if _key(field_text) in ("tong", "tong cong", "cong"):
            parsed.notes.append(_("Row %(n)s is a total; it is skipped.", n=line))
            continue
        month, problem = _checked_month(_cell(row, at["month"]))
        fld = fields.get(_key(restore(field_text)))
        problems = [problem] if problem else []
        if fld is None:
            problems.append(_("Lĩnh vực: “%(value)s” is not a field of the catalogue",
                              value=field_text[:60]))
        values = {}
        for column in RESULT_COLUMNS:
            number = number_or_reason(_cell(row, at[column]))
            if isinstance(number, str):
                problems.append(f"{HEADERS[column]}: {number}")
            else:
                values[column] = number
        if len(values) == len(RESULT_COLUMNS):  # the same rule, and words, as manual entry
            problems += row_problems(values)
        if month and fld and (month, fld[0]) in seen:
            problems.append(_("the same month and field as row %(n)s", n=seen[(month, fld[0])]))
        if problems:
            parsed.errors.append(_("Row %(n)s: %(problems)s.", n=line,
                                   problems="; ".join(problems)))
            continue
        seen[(month, fld[0])] = line
        parsed.rows.append(Row(line, month, fld[0], fld[1], values))
