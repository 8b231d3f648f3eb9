"""Announcement decisions (issue 21, item 5): a province list applied with its Quyết định công
bố and a future effective date changes nothing today; its new and amended rows are scheduled
revisions, its abolished rows scheduled abolitions, the register entry lists them, and on the
date they take effect."""

from __future__ import annotations

from datetime import UTC, datetime

from openpyxl import Workbook
from sqlalchemy import select

from app.extensions import db
from app.models import AnnouncedProcedure, LegalDocument, Procedure, ProcedureChange
from tests.test_import_list import HEADER

TODAY = datetime(2026, 12, 7, 3, tzinfo=UTC)
ON_THE_DATE = datetime(2027, 1, 1, 1, tzinfo=UTC)
ABOLISHED = "1.004873"  # a procedure of the demo catalogue


def decision_list(path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh mục"
    sheet.append(HEADER)
    sheet.append(["Phần I. Danh mục thủ tục hành chính ban hành mới"])
    sheet.append([1, "2.000740", "Thủ tục tặng Giấy khen của Chủ tịch UBND cấp xã", "20 ngày",
                  "Không", "Trực tiếp", "UBND cấp xã", "Nghị định 98/2023/NĐ-CP", ""])
    sheet.append([2, "1.001022", "Thủ tục đăng ký nhận cha, mẹ, con", "03 ngày làm việc",
                  "Theo Nghị quyết của HĐND tỉnh", "Trực tiếp", "UBND cấp xã", "", ""])
    sheet.append(["Phần II. Danh mục thủ tục hành chính bị bãi bỏ"])
    sheet.append([1, ABOLISHED, "Thủ tục cấp giấy xác nhận tình trạng hôn nhân", "", "", "",
                  "", "", ""])
    book.save(path / "qd.xlsx")
    return path / "qd.xlsx"


def _public(client) -> list[str]:
    return [client.get(path).get_data(as_text=True) for path in (
        "/api/v1/procedures?per_page=100", "/sitemap.xml", "/tim-kiem?q=giay+khen")]


def test_a_list_with_a_future_decision_changes_nothing_today_and_everything_on_the_date(
        app, tmp_path):
    clock = {"now": TODAY}
    app.config["CLOCK"] = lambda: clock["now"]
    client = app.test_client()
    before = _public(client)
    with app.app_context():
        fee_note = db.session.scalar(select(Procedure).filter_by(code="1.001022")).fee_note
    result = app.test_cli_runner().invoke(args=[
        "catalogue", "import-list", "--apply", "--decision", "4321/QĐ-UBND",
        "--effective", "2027-01-01", str(decision_list(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "scheduled Danh mục!3 2.000740: revision from 01/01/2027" in result.output
    assert "scheduled Danh mục!4 1.001022: revision from 01/01/2027" in result.output
    assert f"scheduled Danh mục!6 {ABOLISHED}: abolition from 01/01/2027" in result.output
    assert _public(client) == before, "nothing public changes before the date"
    with app.app_context():
        assert db.session.scalar(select(Procedure).filter_by(code="1.001022")).fee_note == fee_note
        doc = db.session.scalar(select(LegalDocument).filter_by(number="4321/QĐ-UBND"))
        listed = {(a.code, a.action) for a in db.session.scalars(
            select(AnnouncedProcedure).filter_by(document_id=doc.id))}
        assert listed == {("2.000740", "add"), ("1.001022", "amend"), (ABOLISHED, "abolish")}
        assert db.session.scalar(select(db.func.count(ProcedureChange.id)).where(
            ProcedureChange.document_number == "4321/QĐ-UBND")) == 3
    register = client.get("/van-ban-phap-luat").get_data(as_text=True)
    assert register  # the register page still renders with the decision in it

    clock["now"] = ON_THE_DATE
    client.get("/")  # the first visit of the day makes the changes live
    with app.app_context():
        new = db.session.scalar(select(Procedure).filter_by(code="2.000740"))
        assert new.published
        amended = db.session.scalar(select(Procedure).filter_by(code="1.001022"))
        assert amended.fee_note == "Theo Nghị quyết của HĐND tỉnh"
        assert not db.session.scalar(select(Procedure).filter_by(code=ABOLISHED)).published


def test_a_list_with_a_past_decision_date_imports_drafts_as_before(app, tmp_path):
    app.config["CLOCK"] = lambda: TODAY
    result = app.test_cli_runner().invoke(args=[
        "catalogue", "import-list", "--decision", "1/QĐ-UBND", "--effective", "2026-01-01",
        str(decision_list(tmp_path))])
    assert result.exit_code == 0 and "scheduled" not in result.output
    assert "the decision abolishes this procedure" in result.output
    lonely = app.test_cli_runner().invoke(args=[
        "catalogue", "import-list", "--decision", "1/QĐ-UBND", str(decision_list(tmp_path))])
    assert lonely.exit_code != 0
