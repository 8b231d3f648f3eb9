"""Every import's file is read within a hard time and memory budget (issue #20, item 2):
``app.budget`` runs the parse in a child process with ``RLIMIT_AS``/``RLIMIT_CPU`` and a
wall-clock timeout. A real file too slow or too big for a small test budget is refused within
2 s with a message naming the limit; the database writes stay in the request."""

from __future__ import annotations

import io
import json
import os
import time

import pytest
from openpyxl import Workbook

from app import budget
from app.quality.importer import HEADERS
from tests.editor_support import post_file, signed_in

MB = 1024 * 1024


def _spin() -> None:
    while True:
        pass


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * MB))


def _refuse(ok: bool) -> str:
    if not ok:
        raise ValueError("the parse's own refusal")
    return "rows"


def test_the_budget_gives_back_what_the_parse_returns_or_raises(app):
    with app.app_context():
        assert budget.run(sorted, [3, 1, 2]) == [1, 2, 3]
        assert budget.run(_refuse, True) == "rows"
        with pytest.raises(ValueError, match="own refusal"):
            budget.run(_refuse, False)
        assert budget.run(_allocate, 8, megabytes=64) == 8 * MB


@pytest.mark.parametrize("work", [lambda: time.sleep(30), _spin], ids=["waiting", "computing"])
def test_a_parse_past_the_time_budget_is_stopped_and_named(app, work):
    with app.test_request_context("/editor/", headers={"Accept-Language": "en"}):
        started = time.perf_counter()
        with pytest.raises(budget.OverBudget, match=r"took longer than 0\.3 s"):
            budget.run(work, seconds=0.3)
        assert time.perf_counter() - started < 2


def test_a_parse_past_the_memory_budget_is_stopped_and_named(app):
    with app.test_request_context("/editor/", headers={"Accept-Language": "en"}):
        started = time.perf_counter()
        with pytest.raises(budget.OverBudget, match="needed more than 64 MB"):
            budget.run(_allocate, 300, megabytes=64)
        assert time.perf_counter() - started < 2


def test_the_configuration_sets_the_budget(app):
    assert (app.config["IMPORT_PARSE_SECONDS"], app.config["IMPORT_PARSE_MEMORY_MB"]) == (10, 512)
    app.config.update(IMPORT_PARSE_SECONDS=0.3, IMPORT_PARSE_MEMORY_MB=32)
    with app.app_context():
        assert budget.limits() == (0.3, 32)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _long_list() -> bytes:
    """A real province list of 4,000 rows, within every size limit: openpyxl needs seconds."""
    rows: list[list[object]] = [["STT", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực"]]
    rows += [[i + 1, f"1.{i:06d}", f"Thủ tục số {i} về đăng ký khai sinh", "Hộ tịch"]
             for i in range(4000)]
    return _xlsx(rows)


def _timed_post(client, url: str, name: str, content: bytes):
    """The answer, and the CPU seconds it cost this process and the child it waited for: on a
    loaded machine the wall clock measures the other processes too (the wall-clock budget
    itself is tested with a parse that waits, above)."""
    before = os.times()
    response = post_file(client, url, url, name, content)
    after = os.times()
    spent = sum(getattr(after, k) - getattr(before, k)
                for k in ("user", "system", "children_user", "children_system"))
    return response, spent


def _long_report() -> bytes:
    """A monthly report of 4,000 rows, under the report's 50,000 cells."""
    rows: list[list[object]] = [list(HEADERS.values())]
    rows += [[f"20{10 + i % 15}-{1 + i % 12:02d}", "Hộ tịch", 3, 40, 60, 20, 70, 5, 6, 2, 5]
             for i in range(4000)]
    return _xlsx(rows)


def _big_catalogue() -> bytes:
    """About 7 MB of JSON (within the 10 MB upload limit) that takes some 70 MB to hold:
    a million short strings."""
    procedures = [{"code": f"1.{i:06d}", "official_name": "Thủ tục", "slug": f"t-{i}",
                   "keywords": ["ks"] * 400} for i in range(3000)]
    return json.dumps({"procedures": procedures}, ensure_ascii=False).encode()


@pytest.mark.parametrize(("role", "budget_setting", "url", "name", "content", "message"), [
    pytest.param("admin", {"IMPORT_PARSE_SECONDS": 0.3}, "/editor/admin/import-list",
                 "list.xlsx", _long_list, "took longer than 0.3 s to read",
                 id="province-list-past-the-time-budget"),
    pytest.param("editor", {"IMPORT_PARSE_SECONDS": 0.3}, "/editor/ket-qua/nhap",
                 "report.xlsx", _long_report, "took longer than 0.3 s to read",
                 id="monthly-report-past-the-time-budget"),
    pytest.param("admin", {"IMPORT_PARSE_MEMORY_MB": 16}, "/editor/admin/import",
                 "catalogue.json", _big_catalogue, "needed more than 16 MB of memory",
                 id="catalogue-past-the-memory-budget"),
])
def test_a_file_past_its_budget_gets_a_page_naming_it(app, role, budget_setting, url, name,
                                                        content, message):
    client = signed_in(app, role)
    app.config.update(budget_setting)
    response, seconds = _timed_post(client, url, name, content())
    assert response.status_code == 422 and seconds < 2
    assert message in response.get_data(as_text=True)


def test_normal_files_still_import_within_the_default_budget(app):
    admin = signed_in(app, "admin")
    listed = _xlsx([["STT", "Mã TTHC", "Tên thủ tục hành chính"],
                    [1, "1.001193", "Thủ tục đăng ký khai sinh"]])
    response, _seconds = _timed_post(admin, "/editor/admin/import-list", "list.xlsx", listed)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    catalogue = json.dumps({"procedures": []}).encode()
    response, _seconds = _timed_post(admin, "/editor/admin/import", "c.json", catalogue)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    report = _xlsx([list(HEADERS.values()), ["2026-10", "Hộ tịch", 3, 40, 60, 20, 70, 5, 6, 2, 5]])
    response, _seconds = _timed_post(admin, "/editor/ket-qua/nhap", "report.xlsx", report)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
