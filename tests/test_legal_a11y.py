"""The register's pages, the marks on procedure pages, the early warnings and the list import
are valid HTML (Nu checker) and pass axe-core in Chromium."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.dates import today_local
from app.extensions import db
from app.models import Fee, LegalDocument, Procedure
from tests.checkers import axe_violations, vnu_errors
from tests.editor_support import browser_sign_in, make_user, read_form, signed_in
from tests.test_import_list import province_list

BIRTH = "1.001193"


def _mark_things(app) -> str:
    """A retired citation and fee basis, a skeleton record, dated fees; the birth page's slug."""
    today = today_local()
    with app.app_context():
        proc = db.session.scalar(select(Procedure).filter_by(code=BIRTH))
        number = proc.legal_bases[0].number
        entry = db.session.scalar(select(LegalDocument).filter_by(number=number))
        entry.status = "expired"
        skeleton = db.session.scalar(select(Procedure).where(
            Procedure.published.is_(True), Procedure.code != BIRTH).limit(1))
        skeleton.document_cases, skeleton.steps = [], []
        fees = list(db.session.scalars(select(Fee).where(
            Fee.procedure_id != proc.id).order_by(Fee.id).limit(3)))
        fees[0].valid_until = today + timedelta(days=5)
        fees[1].valid_from = today + timedelta(days=20)
        fees[2].verified = False
        db.session.commit()
        return proc.slug, skeleton.slug


def _public_paths(app, slug: str, skeleton: str) -> list[str]:
    paths = ["/van-ban-phap-luat", f"/thu-tuc/{slug}", f"/thu-tuc/{skeleton}",
             f"/thu-tuc/{slug}/in"]
    english = [p for p in ("/en/van-ban-phap-luat",) if app.test_client().get(p).status_code
               == 200]
    return paths + english + ["/kiosk/van-ban-phap-luat"]


def test_pages_are_valid_html(app, tmp_path):
    slug, skeleton = _mark_things(app)
    client = app.test_client()
    pages = {}
    for path in _public_paths(app, slug, skeleton):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.get_data(as_text=True)
    admin = signed_in(app, "admin")
    entry = 1
    for url in ("/editor/", "/editor/review/legal-documents",
                f"/editor/review/legal-documents/{entry}", "/editor/review/legal-documents/new",
                "/editor/admin/import-list", "/editor/admin/import"):
        response = admin.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    data = read_form(admin.get("/editor/review/legal-documents/new").get_data(as_text=True))
    data["number"], data["valid_from"], data["url"] = "", "not a date", "ftp://x"
    pages["register errors"] = admin.post("/editor/review/legal-documents/new",
                                          data=data).get_data(as_text=True)
    data = read_form(admin.get("/editor/admin/import-list").get_data(as_text=True))
    data["file"] = (io.BytesIO(province_list(tmp_path).read_bytes()), "danh-muc.xlsx")
    pages["list report"] = admin.post("/editor/admin/import-list", data=data,
                                      content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="warn-ending"' in pages["/editor/"]
    assert vnu_errors(pages) == {}


@pytest.mark.browser
def test_public_pages_pass_axe(app, live_server, browser):
    slug, skeleton = _mark_things(app)
    context = browser.new_context(locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    try:
        for path in _public_paths(app, slug, skeleton):
            page.goto(live_server.url + path)
            assert axe_violations(page) == [], path
    finally:
        context.close()


@pytest.mark.browser
def test_editor_pages_pass_axe(app, live_server, browser):
    _mark_things(app)
    make_user(app, "admin@example.org", "admin")
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        browser_sign_in(page, live_server.url, "admin@example.org")
        for path in ("/editor/", "/editor/review/legal-documents",
                     "/editor/review/legal-documents/1", "/editor/admin/import-list"):
            page.goto(live_server.url + path)
            assert page.url.endswith(path), page.url
            assert axe_violations(page) == [], path
    finally:
        context.close()
