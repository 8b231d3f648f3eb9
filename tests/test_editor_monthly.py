"""Monthly figures typed by hand (issue #23, item 5): a row whose resolved plus pending is more
than carried over plus received is refused, saying why and for which field; nothing is
stored; a row that holds is saved."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Field, MonthlyResult
from app.models.quality import RESULT_COLUMNS
from tests.editor_support import csrf_token, signed_in

URL = "/editor/ket-qua/2027-02/nhap-tay"


def test_a_row_breaking_the_cross_check_is_refused_with_the_reason(app):
    with app.app_context():
        fld = db.session.scalar(select(Field).where(Field.slug == "ho-tich"))
        field_id, name = fld.id, fld.name
    app.config["CLOCK"] = lambda: datetime(2027, 2, 10, tzinfo=UTC)
    editor = signed_in(app, "editor")
    token = csrf_token(editor.get(URL).get_data(as_text=True))

    def post(values: list[int]):
        data = {f"v-{field_id}-{c}": str(v) for c, v in zip(RESULT_COLUMNS, values, strict=True)}
        return editor.post(URL, data={"csrf_token": token, **data})

    # carried 2 + received 3 + 4 = 9; resolved 5 + 6 + 0 and pending 1 + 0: 12 > 9
    refused = post([2, 3, 4, 5, 6, 0, 1, 0, 0])
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert f"{name}: resolved (11) plus pending (1) is more than carried over plus received (9)" \
        in html
    with app.app_context():
        assert db.session.scalar(select(MonthlyResult).where(
            MonthlyResult.month == "2027-02", MonthlyResult.field_id == field_id)) is None
    assert post([2, 3, 4, 5, 3, 0, 1, 0, 0]).status_code == 302  # 8 + 1 = 9: holds


def test_the_import_offers_template_files_with_the_exact_headers(app):
    import csv
    import io

    from openpyxl import load_workbook

    from app.quality.importer import HEADERS

    editor = signed_in(app, "editor")
    page = editor.get("/editor/ket-qua/nhap").get_data(as_text=True)
    assert "/editor/ket-qua/mau.csv" in page and "/editor/ket-qua/mau.xlsx" in page
    headers = [HEADERS[k] for k in ("month", "field", *RESULT_COLUMNS)]
    got = editor.get("/editor/ket-qua/mau.csv")
    assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(got.get_data().decode("utf-8-sig"))))
    assert rows[0] == headers
    with app.app_context():
        names = set(db.session.scalars(select(Field.name)))
    assert {row[1] for row in rows[1:]} == names
    book = load_workbook(io.BytesIO(editor.get("/editor/ket-qua/mau.xlsx").get_data()))
    assert [c.value for c in next(book.active.iter_rows(max_row=1))] == headers
    assert editor.get("/editor/ket-qua/mau.pdf").status_code == 404
    # Filled in (figures that hold), the template is accepted by the import's check.
    filled = io.StringIO()
    csv.writer(filled).writerows([rows[0], [*rows[1][:2], 2, 3, 4, 5, 3, 0, 1, 0, 0]])
    token = csrf_token(page)
    checked = editor.post("/editor/ket-qua/nhap", data={
        "csrf_token": token, "file": (io.BytesIO(filled.getvalue().encode()), "mau.csv")},
        content_type="multipart/form-data")
    assert checked.status_code == 200, checked.get_data(as_text=True)[-3000:]


def test_the_entry_shows_totals_per_row_and_column(app):
    from tests.html import every, text

    app.config["CLOCK"] = lambda: datetime(2027, 2, 10, tzinfo=UTC)
    editor = signed_in(app, "editor")
    with app.app_context():
        ids = list(db.session.scalars(select(Field.id).order_by(Field.position, Field.name)))[:2]
    token = csrf_token(editor.get(URL).get_data(as_text=True))
    data = {"csrf_token": token}
    for fid, values in zip(ids, ([2, 3, 4, 5, 3, 0, 1, 0, 0], [10, 0, 0, 9, 0, 0, 1, 0, 7]),
                           strict=True):
        data |= {f"v-{fid}-{c}": str(v) for c, v in zip(RESULT_COLUMNS, values, strict=True)}
    assert editor.post(URL, data=data).status_code == 302
    html = editor.get(URL).get_data(as_text=True)
    footer = {cell["data-column"]: text(cell)
              for cell in every(html, "#column-totals td[data-column]")}
    assert footer["carried_over"] == "12" and footer["resolved_early"] == "14"
    assert footer["apologies"] == "7"
    first = every(html, f"#field-{ids[0]} ~ td.total")
    assert [text(td) for td in first] == ["9", "9"]
