"""The monthly report: CSV and XLSX (two-row merged header), refused files, history."""

from __future__ import annotations

import io

from app.quality.importer import HEADERS

NUMBERS = ["3", "40", "60", "20", "70", "5", "6", "2", "5"]


def _csv(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    lines = [header or list(HEADERS.values()), *rows]
    return "\n".join(",".join(cells) for cells in lines).encode("utf-8")


def _two_row_xlsx(rows: list[list[object]]) -> bytes:
    """The layout one-stop software exports: a title, then groups merged over their columns."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC"])
    sheet.append([])
    sheet.append(["Tháng", "Lĩnh vực", "Số hồ sơ tiếp nhận", None, None, "Đã giải quyết", None,
                  None, "Đang giải quyết", None, "Thư xin lỗi"])
    sheet.append([None, None, "Kỳ trước chuyển qua", "Trực tuyến", "Trực tiếp và bưu chính",
                  "Trước hạn", "Đúng hạn", "Quá hạn", "Trong hạn", "Quá hạn", None])
    for cells in ("A3:A4", "B3:B4", "C3:E3", "F3:H3", "I3:J3", "K3:K4"):
        sheet.merge_cells(cells)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _stored(app, month: str) -> dict[str, dict[str, int]]:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Field, MonthlyResult

    with app.app_context():
        rows = db.session.execute(select(MonthlyResult, Field.slug).join(Field).where(
            MonthlyResult.month == month)).all()
        return {slug: {"late": r.resolved_late, "online": r.received_online,
                       "pending_late": r.pending_late, "demo": r.is_demo} for r, slug in rows}


def _cli(app, tmp_path, name: str, data: bytes, *args: str):
    path = tmp_path / name
    path.write_bytes(data)
    return app.test_cli_runner().invoke(args=["stats", "import", str(path), *args])


def test_cli_reports_then_applies_a_csv_with_history(app, tmp_path):
    data = _csv([["2026-12", "Hộ tịch", *NUMBERS], ["2026-12", "chung-thuc", *NUMBERS]])
    checked = _cli(app, tmp_path, "r.csv", data)
    assert checked.exit_code == 0 and "2 rows" in checked.output
    assert _stored(app, "2026-12") == {}
    applied = _cli(app, tmp_path, "r.csv", data, "--apply")
    assert applied.exit_code == 0, applied.output
    assert _stored(app, "2026-12")["ho-tich"] == {"late": 5, "online": 40, "pending_late": 2,
                                                   "demo": False}
    # A correction keeps the old value, the new value, who and when.
    corrected = _csv([["2026-12", "Hộ tịch", *NUMBERS[:5], "3", *NUMBERS[6:]]])
    assert _cli(app, tmp_path, "c.csv", corrected, "--apply").exit_code == 0
    from app.extensions import db
    from app.quality import results

    with app.app_context():
        changes = [c for c in results.history("2026-12") if c.old_value is not None]
        assert [(c.figure, c.old_value, c.new_value, c.changed_by) for c in changes] == [
            ("resolved_late", 5, 3, "flask stats import")]
        assert changes[0].changed_at is not None
        db.session.remove()


def test_wrong_header_changes_nothing_and_says_why(app, tmp_path):
    header = list(HEADERS.values())
    header[6] = "Giải quyết đúng hạng"  # a typo
    result = _cli(app, tmp_path, "bad.csv", _csv([["2026-12", "Hộ tịch", *NUMBERS]], header),
                  "--apply")
    assert result.exit_code == 1
    assert "Giải quyết đúng hạn" in result.output and "nothing was changed" in result.output
    assert _stored(app, "2026-12") == {}


def test_negative_number_changes_nothing_and_says_why(app, tmp_path):
    rows = [["2026-12", "Hộ tịch", *NUMBERS],
            ["2026-12", "Chứng thực", *NUMBERS[:5], "-3", *NUMBERS[6:]]]
    result = _cli(app, tmp_path, "neg.csv", _csv(rows), "--apply")
    assert result.exit_code == 1
    assert "-3" in result.output and "Giải quyết quá hạn" in result.output
    assert "3" in result.output  # the row number
    assert _stored(app, "2026-12") == {}  # the good row is not applied either


def test_other_bad_rows_are_named(app, tmp_path):
    rows = [["2026-13", "Hộ tịch", *NUMBERS], ["2026-12", "Không có", *NUMBERS],
            ["2026-12", "Hộ tịch", *NUMBERS[:8], ""], ["2026-12", "Hộ tịch", *NUMBERS[:8], "1.5"]]
    result = _cli(app, tmp_path, "rows.csv", _csv(rows))
    assert result.exit_code == 1
    for line in ("Row 2", "Row 3", "Row 4", "Row 5"):
        assert line in result.output


def test_two_row_merged_xlsx_header_is_read(app, tmp_path):
    from datetime import datetime

    rows = [["2026-12", "Hộ tịch", 3, 40, 60, 20, 70, 5, 6, 2, 5],
            [datetime(2026, 12, 1), "Cư trú", 1, 10, 20, 5, 20, 1, 4, 0, 1],
            [None] * 11,
            ["", "Tổng cộng", 4, 50, 80, 25, 90, 6, 10, 2, 6]]
    result = _cli(app, tmp_path, "bao-cao.xlsx", _two_row_xlsx(rows), "--apply")
    assert result.exit_code == 0, result.output
    stored = _stored(app, "2026-12")
    assert stored["ho-tich"]["late"] == 5 and stored["ho-tich"]["pending_late"] == 2
    assert stored["cu-tru"] == {"late": 1, "online": 10, "pending_late": 0, "demo": False}
    assert set(stored) == {"ho-tich", "cu-tru"}


def test_unreadable_file_is_one_clear_line(app, tmp_path):
    result = _cli(app, tmp_path, "x.xlsx", b"not a spreadsheet")
    assert result.exit_code == 1 and "could not be read" in result.output


def test_tablet_url_command_issues_keeps_and_rotates(app):
    app.config["SITE_URL"] = "https://motcua.example.vn"
    runner = app.test_cli_runner()
    first = runner.invoke(args=["counters", "tablet-url", "2"])
    assert first.exit_code == 0, first.output
    url = first.stdout.strip()
    assert url.startswith("https://motcua.example.vn/danh-gia/quay/2#t=")
    # Stored hashed: the address cannot be printed again; --rotate gives a new one.
    again = runner.invoke(args=["counters", "tablet-url", "2"])
    assert again.exit_code == 1 and "--rotate" in again.output and url not in again.output
    rotated = runner.invoke(args=["counters", "tablet-url", "2", "--rotate"]).stdout.strip()
    assert rotated != url and rotated.startswith("https://motcua.example.vn/danh-gia/quay/2#t=")
    client = app.test_client()
    for address, status in ((url, 403), (rotated, 303)):
        token = address.split("#t=", 1)[1]
        assert client.post("/danh-gia/quay/2/ket-noi", data={"t": token}).status_code == status
    missing = runner.invoke(args=["counters", "tablet-url", "99"])
    assert missing.exit_code == 1 and "99" in missing.output


def test_setup_loads_twelve_demo_months_deterministically(tmp_path):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import MonthlyResult, Rating
    from app.quality import demo
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path / "index")
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        months = db.session.scalars(select(MonthlyResult.month).distinct()
                                    .order_by(MonthlyResult.month)).all()
        assert months[0] == "2025-12" and months[-1] == "2026-11" and len(months) == 12
        def totals():
            return (db.session.scalar(select(func.count(MonthlyResult.id))),
                    db.session.scalar(select(func.sum(MonthlyResult.received_online))),
                    db.session.scalar(select(func.count(Rating.id))))

        counts = totals()
        assert db.session.scalar(select(func.count()).where(MonthlyResult.is_demo.is_(False))
                                 .select_from(MonthlyResult)) == 0
        demo.load()  # again: the same figures (fixed seed), not twice as many
        db.session.commit()
        assert totals() == counts
        db.engine.dispose()
