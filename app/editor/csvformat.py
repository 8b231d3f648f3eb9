"""The catalogue's procedures as CSV: one row per procedure, in the record format's keys.

Columns are the record's keys in schema order (``app.schema``). Plain values are written as
text; empty cells are null (or the key's default). Lists and the nested parts are JSON cells in
exactly the JSON format. Booleans are ``true``/``false``. A text cell that starts with
``= + - @``, a TAB or a CR is written with a leading ``'`` (so a spreadsheet does not run it as
a formula) and read back without it. The file is UTF-8 with a byte-order mark, which
spreadsheet programs need to show Vietnamese correctly. The file is read by
``app.spreadsheet``: a file past one of its limits (rows, columns, cell length, JSON depth) is
unreadable as a whole, with the limit and the row named.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app import spreadsheet
from app.csvcells import FORMULA_START
from app.schema import column_kinds

KINDS = column_kinds()
COLUMNS = tuple(KINDS)
# A catalogue has a few thousand procedures; JSON cells (steps, documents) may be long, up to
# the csv module's own field limit.
LIMITS = spreadsheet.LIMITS.but(rows=20_000, columns=200, cell_chars=131_072)


class CsvError(ValueError):
    """A file that cannot be read; the message names the row (and column when known)."""


def _cell(key: str, value: Any) -> str:
    kind = KINDS[key]
    if kind == "json":
        return json.dumps(value or [], ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write(procedures: list[dict]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for record in procedures:
        writer.writerow({key: _cell(key, record.get(key)) for key in COLUMNS})
    return out.getvalue()


def _value(key: str, text: str) -> Any:
    kind = KINDS[key]
    if kind == "json":
        return spreadsheet.read_json(text, LIMITS) if text.strip() else []
    if kind == "bool":
        if text.strip().lower() not in ("true", "false", ""):
            raise ValueError("write true or false")
        return text.strip().lower() == "true" if text.strip() else key == "published"
    if kind == "int":
        return int(text) if text.strip() else None
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text if text.strip() else None  # empty: the key's default (text or null)


def read(text: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """Records from CSV text, and (row, reason) for each row that could not be read.

    Read by ``app.spreadsheet`` within ``LIMITS``; a file past a limit raises ``CsvError``
    naming it."""
    try:
        rows = spreadsheet.read_csv(text, LIMITS)
    except spreadsheet.SpreadsheetError as exc:
        raise CsvError(str(exc)) from None
    header = rows[0] if rows else []
    missing = {"code", "official_name", "slug"} - set(header)
    if missing:
        raise CsvError(f"missing columns: {', '.join(sorted(missing))}")
    records, rejected = [], []
    cells = [row for row in rows[1:] if row]  # blank lines are not records
    for number, row in enumerate(cells, start=2):
        named = dict(zip(header, row, strict=False))
        record, label = {}, str(named.get("code") or f"row {number}")[:60]
        try:
            for key, cell in named.items():
                if key in KINDS:
                    record[key] = _value(key, cell or "")
        except ValueError as exc:  # json.JSONDecodeError and too deep JSON are ValueErrors
            rejected.append((label, f"row {number}, column {key}: {str(exc)[:200]}"))
            continue
        records.append(record)
    return records, rejected
