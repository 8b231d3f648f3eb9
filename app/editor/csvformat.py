"""The catalogue's procedures as CSV: one row per procedure, in the record format's keys.

Columns are the record keys of docs/record-format.md, in ``COLUMNS`` order. Plain values are
written as text; empty cells are null (or the key's default). Lists and the nested parts
(``applicant_types``, ``keywords``, ``steps``, ``channels``, ``document_cases``,
``legal_bases``, ``agencies``) are JSON cells in exactly the JSON format. Booleans are
``true``/``false``. A text cell that starts with ``= + - @`` is written with a leading ``'``
(so a spreadsheet does not run it as a formula) and read back without it. The file is UTF-8
with a byte-order mark, which spreadsheet programs need to show Vietnamese correctly.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app.records import SCALARS

JSON_COLUMNS = ("applicant_types", "keywords", "steps", "channels", "document_cases",
                "legal_bases", "agencies")
BOOL_COLUMNS = ("code_is_demo", "published")
INT_COLUMNS = ("legacy_level", "popularity")
NULLABLE = ("field", "level", "counter", "replaced_by", "reviewed_at")
COLUMNS = ("code", *SCALARS, *NULLABLE, "steps", "channels", "document_cases", "legal_bases",
           "agencies")
FORMULA_START = ("=", "+", "-", "@")


class CsvError(ValueError):
    """A cell that cannot be read; the message names the row and the column."""


def _cell(key: str, value: Any) -> str:
    if key in JSON_COLUMNS:
        return json.dumps(value or [], ensure_ascii=False)
    if key in BOOL_COLUMNS:
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
    if key in JSON_COLUMNS:
        return json.loads(text) if text.strip() else []
    if key in BOOL_COLUMNS:
        if text.strip().lower() not in ("true", "false", ""):
            raise ValueError("write true or false")
        return text.strip().lower() == "true" if text.strip() else key == "published"
    if key in INT_COLUMNS:
        return int(text) if text.strip() else None
    if key in NULLABLE:
        return text.strip() or None
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def read(text: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """Records from CSV text, and (row, reason) for each row that could not be read."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"code", "official_name", "slug"} - set(reader.fieldnames or ())
    if missing:
        raise CsvError(f"missing columns: {', '.join(sorted(missing))}")
    records, rejected = [], []
    for number, row in enumerate(reader, start=2):
        record, label = {}, str(row.get("code") or f"row {number}")
        try:
            for key, text in row.items():
                if key in COLUMNS:
                    record[key] = _value(key, text or "")
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            rejected.append((label, f"row {number}, column {key}: {exc}"))
            continue
        records.append(record)
    return records, rejected
