"""Read a Quyết định công bố danh mục TTHC spreadsheet into rows.

The workbook is read by ``app.spreadsheet`` (within its limits, merged cells spread). The
header row is looked for in the first ``HEADER_SEARCH_ROWS`` rows of each sheet, columns
are found by their Vietnamese headers, group rows ("I. Lĩnh vực Hộ tịch") set the field of the
rows under them, and a code typed as
a number (2.000720 shown with six decimals) comes back as the text people see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from app import spreadsheet
from app.search.text import fold
from app.spreadsheet import Cell, Sheet

HEADER_SEARCH_ROWS = 15
MAX_ROWS = 5000  # a province's list has a few hundred rows; more is not a list
MAX_CELL = 4000
# A list is a few hundred rows of a dozen columns; 20 MB is the upload limit of the page.
LIMITS = spreadsheet.LIMITS.but(file_bytes=20 * spreadsheet.MB, rows=MAX_ROWS + 100,
                                columns=200)
CODE_DIGITS = 6  # national codes have six digits after the first dot (1.001193)

# Folded header text → column key; the first rule that matches wins (order matters: "Mã số"
# before anything that contains "so").
COLUMN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern)) for key, pattern in (
        ("number", r"^(stt|tt|so tt|so thu tu)$"),
        ("code", r"^(ma (tthc|thu tuc|so)|ma$)"),
        ("name", r"^ten (thu tuc|tthc)"),
        ("field", r"^linh vuc"),
        ("time", r"^thoi han"),
        ("fee", r"^(phi|le phi)"),
        ("channels", r"^cach thuc"),
        ("agency", r"^co quan"),
        ("level", r"^cap thuc hien"),
        ("legal", r"^can cu"),
        ("note", r"^ghi chu"),
    ))
REQUIRED = ("code", "name")
GROUP_ROW = re.compile(r"^\s*([IVXLC]{1,6}|\d{1,2}|[A-Z])\s*[.)/-]\s*(.{1,200})$")
ROMAN = re.compile(r"[IVXLC]{1,6}")
OTHER_HEADINGS = ("thu tuc hanh chinh", "danh muc", "phan ", "tthc")
FIELD_WORDS = re.compile(r"^(?:lĩnh vực|linh vuc)\s*[:\-]?\s*", re.IGNORECASE)
CODE = re.compile(r"^(\d\.\d{6})((?:\.[0-9A-Za-z]+){0,6})$")


class UnreadableList(ValueError):
    """The file as a whole cannot be read; the message is one line for people."""


@dataclass
class ListRow:
    """One numbered row: where it is, its cells by column key, and the group it sits under."""

    sheet: str
    number: int
    cells: dict[str, str]
    group: str = ""
    abolished: bool = False  # under a heading "… bị bãi bỏ"

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.number}"


@dataclass
class ListSheet:
    rows: list[ListRow] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)  # sheet → keys found
    skipped_sheets: list[str] = field(default_factory=list)


def read_list(content: bytes) -> ListSheet:
    """Every sheet with a recognisable header, as rows; raises ``UnreadableList`` (also when
    the file passes a limit of ``app.spreadsheet``, named in the message)."""
    try:
        sheets = spreadsheet.read_xlsx(content, LIMITS)
    except spreadsheet.SpreadsheetError as exc:
        raise UnreadableList(str(exc)) from None
    result = ListSheet()
    for sheet in sheets:
        found = _read_sheet(sheet)
        if found is None:
            result.skipped_sheets.append(sheet.title)
            continue
        keys, rows = found
        result.columns[sheet.title] = keys
        result.rows.extend(rows)
    if not result.columns:
        raise UnreadableList("no sheet has a header row with “Mã TTHC” and “Tên thủ tục hành "
                             f"chính” in its first {HEADER_SEARCH_ROWS} rows")
    return result


def cell_text(cell: Cell) -> str:
    """A cell as the text its reader sees; numbers keep the decimals its format shows."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | int):
        return _number_text(value, cell.number_format or "General")
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())[:MAX_CELL]


def _number_text(value: float | int, number_format: str) -> str:
    match = re.search(r"\.(0+)", number_format)
    if match:
        return f"{value:.{len(match.group(1))}f}"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _header_columns(sheet: Sheet, row: int) -> dict[int, str] | None:
    columns: dict[int, str] = {}
    for col in range(1, min(sheet.max_column, 40) + 1):
        text = fold(cell_text(sheet.cell(row, col)))
        key = next((k for k, rule in COLUMN_RULES if rule.search(text)), None)
        if key and key not in columns.values():
            columns[col] = key
    return columns if all(key in columns.values() for key in REQUIRED) else None


def _read_sheet(sheet: Sheet) -> tuple[list[str], list[ListRow]] | None:
    found = spreadsheet.find_header(sheet.rows, lambda i, _row: _header_columns(sheet, i + 1),
                                    within=HEADER_SEARCH_ROWS)
    if found is None:
        return None
    header_row, columns = found[0] + 1, found[1]
    code_col = next(col for col, key in columns.items() if key == "code")
    header_code = fold(cell_text(sheet.cell(header_row, code_col)))
    rows: list[ListRow] = []
    group, abolished = "", False
    last = min(sheet.max_row, header_row + MAX_ROWS)
    for number in range(header_row + 1, last + 1):
        cells = {key: _code_text(sheet, number, col) if key == "code"
                 else cell_text(sheet.cell(number, col))
                 for col, key in columns.items()}
        texts = [cell_text(sheet.cell(number, col))
                 for col in range(1, min(sheet.max_column, 40) + 1)]
        if not any(texts) or fold(texts[code_col - 1]) == header_code:
            continue  # an empty row, or the second row of a two-row (merged) header
        heading = _group_heading(cells, texts)
        if heading is not None:
            group = heading  # a heading naming no field ends the previous field
            abolished = _abolishing(" ".join(texts), abolished)
            continue
        if _is_column_numbering(cells):
            continue
        rows.append(ListRow(sheet.title, number, cells, group, abolished))
    return list(columns.values()), rows


def _abolishing(heading: str, before: bool) -> bool:
    """Whether the rows under a heading are procedures the decision abolishes (bãi bỏ):
    a part heading says so; a field heading keeps what the part said."""
    folded = fold(heading)
    if "bai bo" in folded:
        return True
    if any(words in folded for words in ("ban hanh moi", "sua doi", "bo sung", "thay the",
                                         "cong bo")):
        return False
    return before


def _code_text(sheet: Sheet, row: int, col: int) -> str:
    """A code cell: a number is padded to the six digits national codes always have."""
    cell = sheet.cell(row, col)
    text = cell_text(cell)
    if isinstance(cell.value, float) and "." in text:
        whole, decimals = text.split(".", 1)
        text = f"{whole}.{decimals.ljust(CODE_DIGITS, '0')}"
    return text.replace(" ", "")


def _group_heading(cells: dict[str, str], texts: list[str]) -> str | None:
    """For a heading row (no code, one text across the row, maybe after its numeral): the
    field it names, or "" for a heading that names none ("A. Thủ tục hành chính cấp tỉnh").
    None for anything else, which is then a row like the others."""
    if CODE.match(cells.get("code", "")):
        return None
    distinct = [t for t in dict.fromkeys(texts) if t]
    if not 1 <= len(distinct) <= 2:
        return None
    match = GROUP_ROW.match(". ".join(distinct))
    if match is None:
        if len(distinct) == 1 and fold(distinct[0]).startswith(OTHER_HEADINGS):
            return ""  # "Phần II. Danh mục thủ tục hành chính bị bãi bỏ"
        return _field_name(distinct[0]) if len(distinct) == 1 else None
    numeral, body = match.group(1), match.group(2)
    named = _field_name(body)
    if named is not None:
        return named
    if fold(body).startswith(OTHER_HEADINGS):
        return ""
    return body.strip(" .:") if ROMAN.fullmatch(numeral) else None


def _field_name(text: str) -> str | None:
    return FIELD_WORDS.sub("", text).strip(" .:") if FIELD_WORDS.match(text) else None


def _is_column_numbering(cells: dict[str, str]) -> bool:
    """The "(1) (2) (3)" or "1 2 3" row some lists print under the header."""
    values = [v for v in cells.values() if v]
    return bool(values) and all(re.fullmatch(r"\(?\d{1,2}\)?", v) for v in values) \
        and not CODE.match(cells.get("code", ""))
