"""The one reader of uploaded tables (XLSX, CSV) and JSON, within resource limits.

Every import reads its file here: the catalogue (JSON, CSV), the province's list of
procedures (XLSX) and the monthly results (CSV, XLSX). A few kilobytes can describe a sheet
of a billion cells (one far-away cell, a huge merged range), a part that unpacks to gigabytes,
a row of a million columns or JSON nested a million deep; each would hold a worker for
seconds to minutes and take gigabytes. So sizes are checked before and while reading, and
the first limit passed stops the reading with ``TooLarge`` naming it:

- the file's size; for XLSX, each part's unpacked size, all parts together and the
  compression ratio, read from the archive's directory (``zipfile`` never unpacks more than
  a part declares) before anything is parsed;
- each sheet's cells, rows, columns (the farthest cell reference) and merged ranges, found by
  a quick scan of the sheet's XML before openpyxl builds it;
- rows, columns per row and cell length while reading; the depth of JSON.

Merged cells give their value to every cell they cover. ``find_header`` is the shared header
search, ``where`` names a cell as people see it ("row 5, column C").
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one import may read; callers tighten with ``LIMITS.but(rows=…)``."""

    file_bytes: int = 10 * MB
    part_bytes: int = 20 * MB  # unpacked size of one XLSX part (a sheet, the shared strings)
    total_bytes: int = 60 * MB  # all parts together
    ratio: int = 100  # unpacked / packed, for parts over 1 MB
    parts: int = 500
    sheets: int = 20
    rows: int = 5000
    columns: int = 100
    cells: int = 50_000  # in the whole workbook (a list or a report has a few thousand)
    merged_ranges: int = 2000
    merged_cells: int = 20_000  # cells covered by all merged ranges of a sheet
    cell_chars: int = 32_000
    json_depth: int = 32

    def but(self, **changes: int) -> Limits:
        return replace(self, **changes)


LIMITS = Limits()


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is one line for people."""


class Unreadable(SpreadsheetError):
    pass


class TooLarge(SpreadsheetError):
    """A limit was passed; ``limit`` names it (e.g. "rows")."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit


def where(row: int, column: int | None = None) -> str:
    """A cell as people see it in a spreadsheet program (1-based)."""
    return f"row {row}" if column is None else f"row {row}, column {get_column_letter(column)}"


@dataclass(frozen=True)
class Cell:
    value: Any = None
    number_format: str = "General"


EMPTY = Cell()


@dataclass
class Sheet:
    """One sheet's cells, row by row (1-based through ``cell``), merged ranges spread."""

    title: str
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def max_row(self) -> int:
        return len(self.rows)

    @property
    def max_column(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def cell(self, row: int, column: int) -> Cell:
        if 1 <= row <= len(self.rows) and 1 <= column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return EMPTY

    def values(self) -> list[list[Any]]:
        return [[cell.value for cell in row] for row in self.rows]


# --- XLSX -----------------------------------------------------------------------------------

_SHEET_PART = re.compile(r"^xl/(?:worksheets|chartsheets|dialogsheets)/[^/]+\.xml$")
_CELL = re.compile(rb"<(?:\w{1,20}:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:\w{1,20}:)?c\s[^>]{0,500}?\br=\"([A-Za-z]{1,4})([0-9]{1,8})\"")
_ROW_REF = re.compile(rb"<(?:\w{1,20}:)?row\s[^>]{0,500}?\br=\"([0-9]{1,8})\"")
_MERGE = re.compile(rb"<(?:\w{1,20}:)?mergeCell\s[^>]{0,200}?\bref=\"([^\"]{0,40})\"")
_RANGE = re.compile(r"([A-Za-z]{1,4})([0-9]{1,8})(?::([A-Za-z]{1,4})([0-9]{1,8}))?")


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise TooLarge("parts", f"the workbook has more than {limits.parts} parts")
    total = 0
    for info in infos:
        if info.file_size > limits.part_bytes:
            raise TooLarge("part size", f"part {info.filename[:80]} unpacks to more than "
                           f"{limits.part_bytes // MB} MB")
        if info.file_size > MB and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise TooLarge("compression ratio", f"part {info.filename[:80]} is compressed "
                           f"more than {limits.ratio} times: not a real spreadsheet")
        total += info.file_size
    if total > limits.total_bytes:
        raise TooLarge("unpacked size", f"the workbook unpacks to more than "
                       f"{limits.total_bytes // MB} MB")
    sheets = [info for info in infos if _SHEET_PART.match(info.filename)]
    if len(sheets) > limits.sheets:
        raise TooLarge("sheets", f"the workbook has more than {limits.sheets} sheets")
    cells = 0
    for info in sheets:
        cells += _check_sheet_xml(info.filename, archive.read(info), limits)
        if cells > limits.cells:
            raise TooLarge("cells", f"the workbook has more than {limits.cells} cells")


def _column(letters: bytes | str) -> int:
    text = letters.decode() if isinstance(letters, bytes) else letters
    try:
        return column_index_from_string(text.upper())
    except ValueError:
        return 10**6  # not a column Excel knows: beyond every limit


def _check_sheet_xml(name: str, xml: bytes, limits: Limits) -> int:
    """Cells, rows, columns and merged ranges, from the sheet's XML before it is parsed;
    returns the number of cells."""
    label = name.rsplit("/", 1)[-1]
    cells = len(_CELL.findall(xml))
    if cells > limits.cells:
        raise TooLarge("cells", f"sheet {label} has more than {limits.cells} cells")
    rows = max((int(row) for row in _ROW_REF.findall(xml)), default=0)
    for letters, row in _CELL_REF.findall(xml):
        rows = max(rows, int(row))
        if _column(letters) > limits.columns:
            raise TooLarge("columns", f"sheet {label} has a cell beyond column "
                           f"{get_column_letter(limits.columns)} ({limits.columns} columns)")
    if rows > limits.rows:
        raise TooLarge("rows", f"sheet {label} has more than {limits.rows} rows")
    merged = _MERGE.findall(xml)
    if len(merged) > limits.merged_ranges:
        raise TooLarge("merged ranges",
                       f"sheet {label} has more than {limits.merged_ranges} merged ranges")
    covered = 0
    for ref in merged:
        match = _RANGE.fullmatch(ref.decode("ascii", "replace"))
        if match is None:
            raise Unreadable(f"sheet {label} has a merged range that is not a range")
        first_col, first_row = _column(match[1]), int(match[2])
        last_col, last_row = _column(match[3] or match[1]), int(match[4] or match[2])
        if max(first_col, last_col) > limits.columns or max(first_row, last_row) > limits.rows:
            raise TooLarge("merged ranges", f"sheet {label} has a merged range beyond "
                           f"{limits.rows} rows or {limits.columns} columns")
        covered += (abs(last_row - first_row) + 1) * (abs(last_col - first_col) + 1)
    if covered > limits.merged_cells:
        raise TooLarge("merged cells", f"the merged ranges of sheet {label} cover more than "
                       f"{limits.merged_cells} cells")
    return cells


def _size(content: bytes, limits: Limits) -> None:
    if len(content) > limits.file_bytes:
        raise TooLarge("file size", f"the file is larger than {limits.file_bytes // MB} MB")


def read_xlsx(content: bytes, limits: Limits = LIMITS) -> list[Sheet]:
    """Every worksheet of a workbook (values as last saved), or ``SpreadsheetError``."""
    from openpyxl import load_workbook

    _size(content, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_archive(archive, limits)
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError) as exc:
        raise Unreadable(f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            book = load_workbook(io.BytesIO(content), data_only=True)
        return [_sheet(sheet, limits) for sheet in book.worksheets]
    except (SpreadsheetError, MemoryError):  # MemoryError: app.budget's limit, named there
        raise
    except Exception as exc:  # malformed XML inside the archive takes many shapes
        raise Unreadable(f"not a readable .xlsx workbook ({type(exc).__name__})") from None


def _put(rows: list[list[Cell]], r: int, c: int, cell: Cell) -> None:
    while len(rows) < r:
        rows.append([])
    row = rows[r - 1]
    if len(row) < c:
        row.extend([EMPTY] * (c - len(row)))
    row[c - 1] = cell


def _sheet(sheet: Any, limits: Limits) -> Sheet:
    """The sheet's cells as rows. Built from the cells the file has (``_cells``), never
    through ``iter_rows``, which creates every empty cell of the sheet's bounding box."""
    if sheet.max_row > limits.rows or sheet.max_column > limits.columns:
        raise TooLarge("rows", f"sheet {sheet.title[:40]} is larger than {limits.rows} rows "
                       f"by {limits.columns} columns")
    rows: list[list[Cell]] = []
    for (r, c), cell in sorted(sheet._cells.items()):
        value = cell.value
        if value is None:
            continue
        if isinstance(value, str) and len(value) > limits.cell_chars:
            raise TooLarge("cell length", f"sheet {sheet.title[:40]}, {where(r, c)}: more "
                           f"than {limits.cell_chars} characters")
        _put(rows, r, c, Cell(value, cell.number_format or "General"))
    result = Sheet(sheet.title, rows)
    for merged in sheet.merged_cells.ranges:  # bounded by _check_sheet_xml
        top = result.cell(merged.min_row, merged.min_col)
        for r, c in ((r, c) for r in range(merged.min_row, merged.max_row + 1)
                     for c in range(merged.min_col, merged.max_col + 1)):
            if top is not EMPTY:
                _put(rows, r, c, top)
    return result


# --- CSV --------------------------------------------------------------------------------------

def decode(content: bytes, limits: Limits = LIMITS) -> str:
    """UTF-8 text (a byte-order mark dropped), within the file size limit."""
    _size(content, limits)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("the file is not UTF-8 text") from None


def read_csv(content: bytes | str, limits: Limits = LIMITS, sniff: bool = False,
             ) -> list[list[str]]:
    """The rows of a CSV file (blank rows kept as ``[]``). ``sniff`` guesses the delimiter
    among comma, semicolon and TAB (spreadsheet programs in Vietnamese write semicolons)."""
    text = decode(content, limits) if isinstance(content, bytes) else content.lstrip("\ufeff")
    if len(text) > limits.file_bytes:
        raise TooLarge("file size", f"the file is larger than {limits.file_bytes // MB} MB")
    dialect: Any = "excel"
    if sniff and text.strip():
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = "excel"
    return list(_csv_rows(csv.reader(io.StringIO(text), dialect), limits))


def _csv_rows(reader: Iterator[list[str]], limits: Limits) -> Iterator[list[str]]:
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. "field larger than field limit (131072)"
            raise Unreadable(f"{where(number + 1)}: {exc}") from None
        number += 1
        if number > limits.rows + 1:  # the header row comes on top
            raise TooLarge("rows", f"the file has more than {limits.rows} rows")
        if len(row) > limits.columns:
            raise TooLarge("columns", f"{where(number)} has more than {limits.columns} "
                           "columns")
        for c, cell in enumerate(row, start=1):
            if len(cell) > limits.cell_chars:
                raise TooLarge("cell length", f"{where(number, c)}: more than "
                               f"{limits.cell_chars} characters")
        yield row


# --- JSON -------------------------------------------------------------------------------------

def read_json(text: str, limits: Limits = LIMITS) -> Any:
    """Parsed JSON no deeper than ``limits.json_depth``; ``json.JSONDecodeError`` (a
    ValueError) for bad syntax, ``TooLarge`` for depth."""
    if len(text) > limits.file_bytes:
        raise TooLarge("file size", f"the text is larger than {limits.file_bytes // MB} MB")
    try:
        data = json.loads(text)
    except RecursionError:
        data = None
        depth_passed = True
    else:
        depth_passed = _depth(data) > limits.json_depth
    if depth_passed:
        raise TooLarge("JSON depth", f"JSON nested more than {limits.json_depth} levels deep")
    return data


def _depth(data: Any) -> int:
    """Nesting depth without recursion (a hostile document must not blow the stack)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children
                         if isinstance(child, dict | list))
    return deepest


# --- headers ----------------------------------------------------------------------------------

def find_header(rows: list[list[Any]], is_header: Callable[[int, list[Any]], Any],
                within: int = 15) -> tuple[int, Any] | None:
    """The first of the first ``within`` rows (0-based index) for which ``is_header(index,
    row)`` returns something true, with that result; None when no row qualifies."""
    for index, row in enumerate(rows[:within]):
        found = is_header(index, row)
        if found:
            return index, found
    return None
