"""Imports within resource limits (issue 20 item 2): crafted files that used to hold a worker
for 30 s or more (a huge merged range, one far-away cell, a sheet that unpacks hugely, a row of
900,000 columns, JSON nested far too deep) are refused within 2 s and 200 MB, with a message
naming the limit; every import reads through ``app.spreadsheet``."""

from __future__ import annotations

import contextlib
import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from app import spreadsheet
from app.editor import csvformat
from app.importlist.reader import UnreadableList, read_list
from app.quality import importer
from tests.editor_support import post_file, signed_in

LIST_HEADER = ["STT", "Mã TTHC", "Tên thủ tục hành chính"]
REPORT_HEADER = list(importer.HEADERS.values())


def _workbook(header: list[str]) -> bytes:
    book = Workbook()
    book.active.append(header)
    book.active.append([1, "1.001193", "Thủ tục đăng ký khai sinh"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(info.filename, data)
    return out.getvalue()


def _merged(xml: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                       b'<mergeCell ref="A3:XFD1048576"/></mergeCells>')


def _far_cell(xml: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                       b"<is><t>x</t></is></c></row></sheetData>")


def _expanding(xml: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b"</sheetData>" + b" " * (60 * 2**20))


def _many_cells(xml: bytes) -> bytes:
    cells = b"".join(b'<c r="%s%d"><v>1</v></c>' % (b"A", r) for r in range(3, 3000))
    rows = b"".join(b'<row r="%d">' % r + b'<c r="B%d"><v>1</v></c>' * 50 % tuple([r] * 50)
                    + b"</row>" for r in range(3, 2600))
    return xml.replace(b"</sheetData>", cells[:0] + rows + b"</sheetData>")


CRAFTED_XLSX = {"merged range": _merged, "far-away cell": _far_cell,
                "expanding part": _expanding, "many cells": _many_cells}
LIMIT_WORDS = ("merged", "rows", "column", "part", "compress", "unpack", "cells")


def _budget(work) -> tuple[float, int, object]:
    """Seconds, peak bytes allocated, and the result or exception of ``work()``."""
    start = time.perf_counter()
    try:
        result = work()
    except Exception as exc:  # the outcome is what the test looks at
        result = exc
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        with contextlib.suppress(Exception):
            work()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak, result


@pytest.mark.parametrize("kind", sorted(CRAFTED_XLSX))
def test_crafted_province_lists_are_refused_quickly_naming_the_limit(kind):
    content = _rewrite(_workbook(LIST_HEADER), CRAFTED_XLSX[kind])
    seconds, peak, outcome = _budget(lambda: read_list(content))
    assert isinstance(outcome, UnreadableList), outcome
    assert any(word in str(outcome) for word in LIMIT_WORDS), str(outcome)
    assert seconds < 2 and peak < 200 * 2**20, (seconds, peak)


@pytest.mark.parametrize("kind", sorted(CRAFTED_XLSX))
def test_crafted_monthly_reports_are_refused_quickly_naming_the_limit(app, kind):
    content = _rewrite(_workbook(REPORT_HEADER), CRAFTED_XLSX[kind])
    with app.test_request_context():
        seconds, peak, parsed = _budget(lambda: importer.read("report.xlsx", content))
    assert not parsed.ok and any(word in parsed.errors[0] for word in LIMIT_WORDS), parsed.errors
    assert seconds < 2 and peak < 200 * 2**20, (seconds, peak)


def test_a_csv_row_of_900000_columns_is_refused_in_every_csv_import(app):
    wide = ("Tháng," + "," * 900_000 + "\n").encode()
    with app.test_request_context():
        seconds, _peak, parsed = _budget(lambda: importer.read("report.csv", wide))
    assert not parsed.ok and "columns" in parsed.errors[0] and seconds < 2
    catalogue = "code,official_name,slug" + "," * 900_000 + "\n"
    with pytest.raises(csvformat.CsvError, match="more than 200 columns"):
        csvformat.read(catalogue)


def test_json_depth_is_limited_in_a_csv_cell_and_in_a_file():
    deep = "[" * 5000 + "]" * 5000
    records, rejected = csvformat.read(f'code,official_name,slug,steps\n1.1,A,a,"{deep}"\n')
    assert records == [] and "nested more than 32 levels" in rejected[0][1]
    with pytest.raises(spreadsheet.TooLarge, match="JSON"):
        spreadsheet.read_json("[" * 100_000 + "]" * 100_000)
    assert spreadsheet.read_json('{"a": [[1]]}') == {"a": [[1]]}


def test_rows_cells_and_file_size_are_limited():
    limits = spreadsheet.LIMITS.but(rows=3, cell_chars=5, file_bytes=100)
    with pytest.raises(spreadsheet.TooLarge, match="rows"):
        spreadsheet.read_csv("a\nb\nc\nd\ne\n", limits)
    with pytest.raises(spreadsheet.TooLarge, match="row 2, column B"):
        spreadsheet.read_csv("a,b\nc,dddddd\n", limits)
    with pytest.raises(spreadsheet.TooLarge, match="larger than"):
        spreadsheet.read_csv(b"a" * 101, limits)


def test_the_editor_pages_answer_a_crafted_upload_with_a_message(app):
    admin = signed_in(app, "admin")
    content = _rewrite(_workbook(LIST_HEADER), _merged)
    started = time.perf_counter()
    response = post_file(admin, "/editor/admin/import-list", "/editor/admin/import-list",
                         "list.xlsx", content)
    assert response.status_code == 422 and time.perf_counter() - started < 2
    assert "merged" in response.get_data(as_text=True)


def test_merged_cells_and_number_formats_come_through_the_shared_reader():
    book = Workbook()
    sheet = book.active
    sheet.append(["Group", None, None])
    sheet.merge_cells("A1:C1")
    sheet.append([2.00074])
    sheet["A2"].number_format = "0.000000"
    out = io.BytesIO()
    book.save(out)
    read = spreadsheet.read_xlsx(out.getvalue())[0]
    assert [read.cell(1, c).value for c in (1, 2, 3)] == ["Group"] * 3
    assert read.cell(2, 1).number_format == "0.000000"
    assert read.cell(9, 9) is spreadsheet.EMPTY
