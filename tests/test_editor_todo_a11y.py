"""The pages of issue #23 (to-do dashboard, register filters, fee timeline and new rate,
section pages, counter tablets with a QR code) are valid HTML and pass axe-core."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from app.dates import CENTRE_ZONE
from app.extensions import db
from app.models import Fee
from tests.checkers import axe_violations, vnu_errors
from tests.editor_support import browser_sign_in, csrf_token, make_user, signed_in


def _at(app, day: date) -> None:
    moment = datetime.combine(day, time(9), CENTRE_ZONE).astimezone(UTC)
    app.config["CLOCK"] = lambda: moment


def _urls(app) -> list[str]:
    with app.app_context():
        pid = db.session.scalar(select(Fee.procedure_id).filter_by(
            name="Lệ phí cấp đổi thẻ căn cước").limit(1))
        doc = "/editor/review/legal-documents"
    return ["/editor/", f"{doc}", f"{doc}?show=expiring", f"{doc}?show=cited", f"{doc}/1",
            f"/editor/procedures/{pid}", f"/editor/procedures/{pid}/fees/0/new-rate",
            f"/editor/procedures/{pid}/edit/identity", f"/editor/procedures/{pid}/edit/fees",
            f"/editor/procedures/{pid}/edit/documents", "/editor/admin/may-danh-gia"]


def test_the_pages_are_valid_html(app):
    _at(app, date(2027, 2, 10))
    admin = signed_in(app, "admin")
    pages = {}
    for url in _urls(app):
        response = admin.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    listed = pages["/editor/admin/may-danh-gia"]
    pages["tablet issued"] = admin.post("/editor/admin/may-danh-gia/3", data={
        "csrf_token": csrf_token(listed), "action": "issue"}).get_data(as_text=True)
    pages["new rate refused"] = admin.post(_urls(app)[6], data={
        "csrf_token": csrf_token(pages[_urls(app)[6]]), "starts_on": "31/02/2027"}
    ).get_data(as_text=True)
    assert vnu_errors(pages) == {}


@pytest.mark.browser
def test_the_pages_pass_axe(app, live_server, browser):
    _at(app, date(2027, 2, 10))
    make_user(app, "admin@example.org", "admin")
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        browser_sign_in(page, live_server.url, "admin@example.org")
        for url in _urls(app):
            page.goto(live_server.url + url)
            if url == "/editor/":
                page.locator("#early-warnings details").evaluate_all(
                    "all => all.forEach(d => { d.open = true; })")
            found[url] = axe_violations(page)
        page.goto(live_server.url + "/editor/admin/may-danh-gia")
        page.locator("form[action$='/may-danh-gia/3'] button[value=issue]").click()
        page.wait_for_selector("#tablet-qr svg")
        found["tablet issued"] = axe_violations(page)
    finally:
        context.close()
    assert {url: v for url, v in found.items() if v} == {}
