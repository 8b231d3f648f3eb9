"""``flask catalogue import-list`` and its reader, on realistic workbooks built with openpyxl:
title rows above the header, a column-numbering row, group rows, merged cells, codes typed as
numbers, an empty row in the middle, a second sheet, and a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.importlist.reader import UnreadableList, read_list

HEADER = ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí",
          "Cách thức thực hiện", "Cơ quan thực hiện", "Căn cứ pháp lý", "Ghi chú"]


def province_list(path: Path, list_on_second_sheet: bool = False) -> Path:
    """A list laid out as provinces publish it with their Quyết định công bố."""
    book = Workbook()
    first = book.active
    if list_on_second_sheet:
        first.title = "Quyết định"
        first["A1"] = "Kèm theo Quyết định số 1234/QĐ-UBND"
        sheet = book.create_sheet("Danh mục")
    else:
        sheet = first
        sheet.title = "Danh mục"
        notes = book.create_sheet("Ghi chú")
        notes["A1"] = "Các thủ tục dưới đây thay thế danh mục cũ."
    sheet["A1"] = "ỦY BAN NHÂN DÂN TỈNH AN GIANG"
    sheet.merge_cells("A1:I1")
    sheet["A3"] = "DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND CẤP XÃ"
    sheet.merge_cells("A3:I3")
    sheet.append([])
    sheet.append([])
    sheet.append(HEADER)  # row 6
    sheet.append([f"({n})" for n in range(1, 10)])  # row 7
    sheet.append(["I. Lĩnh vực Hộ tịch"])  # row 8
    sheet.merge_cells("A8:I8")
    sheet.append([1, "1.001193", "Thủ tục đăng ký khai sinh", "Ngay trong ngày", "Miễn",
                  "Trực tiếp; trực tuyến", "UBND cấp xã", "Luật Hộ tịch 60/2014/QH13"])  # 9
    sheet.append([2, "1.001022", "Thủ tục đăng ký nhận cha, mẹ, con", "03 ngày làm việc",
                  "Theo Nghị quyết của HĐND tỉnh", "Trực tiếp", "UBND cấp xã", ""])  # 10
    sheet.append([])  # 11: an empty row in the middle
    sheet.append(["II", "Lĩnh vực Thi đua, khen thưởng"])  # 12: a new field
    sheet.append([3, 2.00074, "Thủ tục tặng Giấy khen của Chủ tịch UBND cấp xã", "20 ngày",
                  "Không", "Trực tiếp, bưu chính", "UBND cấp xã",
                  "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP"])  # 13
    sheet["B13"].number_format = "0.000000"
    sheet.append([4, 1.00089, "Thủ tục xét tặng danh hiệu Lao động tiên tiến", "",
                  "", "Trực tiếp", "", ""])  # 14: a numeric code, General format
    sheet.merge_cells("G13:G14")  # one agency over two rows
    sheet.append([5, "abc", "Thủ tục có mã sai"])  # 15
    sheet.append([6, None, "Thủ tục không có mã"])  # 16
    sheet.append([7, "2.000740", "Trùng mã với dòng 13"])  # 17
    path = path / "danh-muc.xlsx"
    book.save(path)
    return path


def test_reader_finds_header_groups_merged_cells_and_numeric_codes(tmp_path):
    sheet = read_list(province_list(tmp_path).read_bytes())
    assert sheet.skipped_sheets == ["Ghi chú"]
    by_row = {row.number: row for row in sheet.rows}
    assert sorted(by_row) == [9, 10, 13, 14, 15, 16, 17]  # no title, numbering, group, empty
    assert by_row[9].group == "Hộ tịch"
    assert by_row[13].group == "Thi đua, khen thưởng"
    assert by_row[13].cells["code"] == "2.000740"  # typed as a number with six decimals
    assert by_row[14].cells["code"] == "1.000890"  # General format: padded to six digits
    assert by_row[14].cells["agency"] == "UBND cấp xã"  # from the merged cell above
    assert by_row[9].cells["name"] == "Thủ tục đăng ký khai sinh"


def test_reader_finds_the_list_on_a_second_sheet(tmp_path):
    sheet = read_list(province_list(tmp_path, list_on_second_sheet=True).read_bytes())
    assert sheet.skipped_sheets == ["Quyết định"]
    assert sheet.rows[0].where == "Danh mục!9"


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really a zip", b"%PDF-1.4"])
def test_reader_refuses_a_file_that_is_not_a_workbook(content):
    with pytest.raises(UnreadableList):
        read_list(content)


def test_reader_refuses_a_workbook_without_the_header(tmp_path):
    book = Workbook()
    book.active.append(["Họ và tên", "Địa chỉ"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(UnreadableList, match="Mã TTHC"):
        read_list((tmp_path / "other.xlsx").read_bytes())


def _counts(app):
    from app.extensions import db
    from app.models import Field, Procedure, Revision

    with app.app_context():
        return tuple(db.session.scalar(select(db.func.count()).select_from(model))
                     for model in (Procedure, Revision, Field))


def test_dry_run_reports_every_row_and_writes_nothing(app, tmp_path):
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["catalogue", "import-list",
                                                str(province_list(tmp_path))])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "created Danh mục!13 2.000740" in out
    assert "created Danh mục!14 1.000890" in out
    assert "updated Danh mục!10 1.001022: filled fee_note" in out
    assert "unchanged Danh mục!9 1.001193" in out
    assert "rejected Danh mục!15: 'abc' is not a procedure code" in out
    assert "rejected Danh mục!16: no procedure code" in out
    assert "rejected Danh mục!17: code 2.000740 already on row Danh mục!13" in out
    assert "new field Thi đua, khen thưởng" in out
    assert "2 created, 1 updated, 1 unchanged, 3 rejected, 1 new fields" in out
    assert "nothing was changed" in out
    assert _counts(app) == before


def test_apply_stores_skeleton_drafts_and_fills_only_empty_fields(app, tmp_path):
    from app.extensions import db
    from app.models import Field, Procedure
    from app.revisions import drafts

    with app.app_context():
        known = db.session.scalar(select(Procedure).filter_by(code="1.001022"))
        documents_before = len(known.document_cases)
        name_before = known.official_name
    result = app.test_cli_runner().invoke(args=["catalogue", "import-list", "--apply",
                                                str(province_list(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "rejected Danh mục!15" in result.output
    with app.app_context():
        new = db.session.scalar(select(Procedure).filter_by(code="2.000740"))
        assert new is not None and not new.published  # a draft, not public
        assert new.official_name == "Thủ tục tặng Giấy khen của Chủ tịch UBND cấp xã"
        assert new.field.name == "Thi đua, khen thưởng"
        assert [c.kind for c in new.channels] == ["in_person", "post"]
        assert new.channels[0].processing_time == "20 ngày"
        assert new.fee_note == "Không"
        assert [b.number for b in new.legal_bases] == ["06/2022/QH15", "98/2023/NĐ-CP"]
        assert db.session.scalar(select(Field).filter_by(name="Thi đua, khen thưởng"))
        known = db.session.scalar(select(Procedure).filter_by(code="1.001022"))
        draft = drafts.pending(known.id)
        assert draft is not None and draft.state == "draft"
        assert draft.data["fee_note"] == "Theo Nghị quyết của HĐND tỉnh"
        assert draft.data["official_name"] == name_before  # never overwritten
        assert len(draft.data["document_cases"]) == documents_before  # never removed
        assert known.published and known.fee_note == ""  # the live page waits for review
    again = app.test_cli_runner().invoke(args=["catalogue", "import-list",
                                               str(province_list(tmp_path))])
    assert "unchanged Danh mục!13 2.000740" in again.output


def test_unreadable_file_exits_non_zero_with_one_line(app, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    before = _counts(app)
    for path in (broken, tmp_path / "missing.xlsx"):
        result = app.test_cli_runner().invoke(
            args=["catalogue", "import-list", "--apply", str(path)])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert "nothing was changed" in result.stderr
    assert _counts(app) == before


def test_two_row_header_abolished_part_and_the_code_2_000720(tmp_path):
    """A header merged over two rows (with sub-headers), a part the decision abolishes, and
    the issue's own example: 2.000720 typed as a number comes back with its trailing zero."""
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Mã số TTHC", "Tên TTHC", "Thời hạn giải quyết", None, "Lĩnh vực"])
    sheet.append([None, None, None, "Trực tiếp", "Trực tuyến", None])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"):
        sheet.merge_cells(cells)
    sheet.append(["Phần I. Danh mục thủ tục hành chính ban hành mới"])
    sheet.append([1, 2.00072, "Thủ tục A", "5 ngày", "3 ngày", "Hộ tịch"])
    sheet["B4"].number_format = "0.000000"
    sheet.append(["Phần II. Danh mục thủ tục hành chính bị bãi bỏ"])
    sheet.append([1, "1.000001", "Thủ tục B", "", "", "Hộ tịch"])
    book.save(tmp_path / "two.xlsx")
    rows = read_list((tmp_path / "two.xlsx").read_bytes()).rows
    assert [(r.number, r.cells["code"], r.cells["field"], r.abolished) for r in rows] == [
        (4, "2.000720", "Hộ tịch", False), (6, "1.000001", "Hộ tịch", True)]
    assert rows[0].cells["time"] == "5 ngày"
