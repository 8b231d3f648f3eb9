"""Export (JSON lossless, CSV) and import with a report first, applied in one transaction."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.catalogue_io import export_catalogue
from app.editor import csvformat
from app.extensions import db
from app.models import Procedure, Revision
from tests.editor_support import en_page, post_file, read_form, signed_in
from tests.html import every


def _export(app, client, kind: str) -> bytes:
    response = client.get(f"/editor/export.{kind}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return response.data


def _check(client, name: str, content: bytes):
    return post_file(client, "/editor/admin/import", "/editor/admin/import", name, content)


def _apply(client, report_html: str):
    return client.post("/editor/admin/import/apply", data=read_form(report_html))


def _catalogue(app) -> dict:
    with app.app_context():
        return export_catalogue()


def test_the_json_export_is_the_whole_catalogue(app):
    editor = signed_in(app, "editor")
    assert json.loads(_export(app, editor, "json")) == _catalogue(app)


def test_importing_the_export_changes_nothing(app):
    admin = signed_in(app, "admin")
    before = _catalogue(app)
    report = _check(admin, "export.json", _export(app, admin, "json"))
    en_page(report, h1="Import report")
    html = report.get_data(as_text=True)
    assert "Created (0)" in html and "Changed (0)" in html
    assert _apply(admin, html).status_code == 200
    assert _catalogue(app) == before


def test_a_change_is_reported_field_by_field_then_applied(app, monkeypatch):
    import app.search as search_module

    synced = []
    monkeypatch.setattr(search_module, "sync", lambda: synced.append(1))
    admin = signed_in(app, "admin")
    data = json.loads(_export(app, admin, "json"))
    copy = next(p for p in data["procedures"] if p["code"] == "2.000815")
    copy["fees"][0]["amount"] = 2500
    new = {**copy, "code": "9.100001", "slug": "thu-tuc-nhap-moi", "code_is_demo": True,
           "official_name": "Thủ tục nhập mới", "popularity": None}
    data["procedures"].append(new)
    report = _check(admin, "catalogue.json", json.dumps(data).encode())
    html = report.get_data(as_text=True)
    assert "procedure:9.100001" in html and "procedure:2.000815" in html
    assert "Fee 1: Amount" in html and "2500" in html
    with app.app_context():  # the report changed nothing
        assert db.session.scalar(select(Procedure).filter_by(code="9.100001")) is None
    applied = _apply(admin, html)
    assert applied.status_code == 200 and "Import applied" in applied.get_data(as_text=True)
    with app.app_context():
        proc = db.session.scalar(select(Procedure).filter_by(code="2.000815"))
        assert proc.fees[0].amount == 2500
        assert db.session.scalar(select(Procedure).filter_by(code="9.100001")) is not None
        notes = set(db.session.scalars(select(Revision.note)))
    assert notes == {"import"} and synced
    again = _apply(admin, html)  # a token is used once
    assert "expired or was already applied" in admin.get(again.location).get_data(as_text=True)


def test_a_bad_file_changes_nothing(app):
    admin = signed_in(app, "admin")
    before = _catalogue(app)
    data = json.loads(_export(app, admin, "json"))
    data["procedures"][0]["plain_name"] = "Đổi tên"
    data["procedures"][1]["channels"][0]["kind"] = "pigeon"
    data["procedures"][2]["agencies"] = [{"agency": "khong-co", "role": "performing"}]
    report = _check(admin, "bad.json", json.dumps(data).encode())
    html = report.get_data(as_text=True)
    assert "This file cannot be imported" in html
    assert "channels[0].kind" in html and "khong-co" in html
    assert "Apply the import" not in html
    assert every(html, "[name=token]") == []
    assert _catalogue(app) == before
    for content in (b"{not json", b"[1, 2]", "é".encode("latin-1")):
        response = _check(admin, "x.json", content)
        assert response.status_code == 422
    assert _catalogue(app) == before


def test_the_csv_export_reimports_to_the_same_catalogue(app):
    admin = signed_in(app, "admin")
    before = _catalogue(app)
    content = _export(app, admin, "csv")
    assert content.startswith("\ufeff".encode())
    rows = content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("code,code_is_demo,")
    with app.app_context():
        assert len(csvformat.read(content.decode("utf-8-sig"))[0]) == db.session.scalar(
            select(func.count(Procedure.id)))
    report = _check(admin, "export.csv", content)
    assert "Changed (0)" in report.get_data(as_text=True)
    _apply(admin, report.get_data(as_text=True))
    assert _catalogue(app) == before


def test_csv_formula_cells_are_neutralised_and_read_back(app):
    records = [{"code": "1", "official_name": "=HYPERLINK(\"x\")", "slug": "a",
                "steps": ["- bước một"], "published": True}]
    text = csvformat.write(records)
    assert "'=HYPERLINK" in text
    read, rejected = csvformat.read(text)
    assert not rejected and read[0]["official_name"] == "=HYPERLINK(\"x\")"
    assert read[0]["steps"] == ["- bước một"]


def test_a_broken_csv_row_is_rejected_with_its_row_and_column(app):
    admin = signed_in(app, "admin")
    before = _catalogue(app)
    text = _export(app, admin, "csv").decode("utf-8-sig")
    lines = text.splitlines()
    lines[2] = lines[2].replace('[{""kind""', '[{kind', 1)
    report = _check(admin, "broken.csv", "\n".join(lines).encode())
    html = report.get_data(as_text=True)
    assert "This file cannot be imported" in html and "row 3, column channels" in html
    assert _catalogue(app) == before
