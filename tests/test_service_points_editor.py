"""Editors keep where and when: weekly hours and exceptions (holidays, Tết, closures,
special hours); bad input is a 422 with a message; the public state follows at once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models.service_points import ServicePoint
from tests.editor_support import en_page, post_form, signed_in
from tests.html import attr_values, every, one, text

PAGE = "/editor/admin/gio-lam-viec"
VN = timezone(timedelta(hours=7))


def _centre_id(app) -> int:
    with app.app_context():
        return db.session.query(ServicePoint.id).filter_by(kind="centre").scalar()


def _state(client) -> str:
    html = client.get("/gio-lam-viec").get_data(as_text=True)
    return text(one(html, ".service-point-state > strong:first-child"))


def test_an_admin_adds_a_closure_and_the_public_page_follows(app):
    app.config["CLOCK"] = lambda: datetime(2026, 12, 15, 9, 0, tzinfo=VN)  # a Tuesday
    editor = signed_in(app, "admin")
    en_page(editor.get(PAGE), h1="Opening hours and counters")
    public = app.test_client()
    assert _state(public) == "Đang mở cửa – đến 11:30"
    point = _centre_id(app)
    added = post_form(editor, f"{PAGE}/{point}/ngay-nghi", {
        "from": "15/12/2026", "until": "", "hours": "", "reason": "Mất điện",
        "reason_en": "Power cut"}, page_url=PAGE)
    assert added.status_code == 302
    assert _state(public) == "Đã nghỉ, mở lại 7:30 ngày mai"
    closures = [" ".join(li.get_text().split()) for li in every(
        public.get("/gio-lam-viec"), "li") if text(li.find("strong")).endswith("15/12/2026")]
    assert any("15/12/2026: Đã nghỉ – Mất điện" in closure for closure in closures)

    with app.app_context():
        exc_id = db.session.get(ServicePoint, point).exceptions[0].id
    assert post_form(editor, f"{PAGE}/ngay-nghi/{exc_id}/xoa", page_url=PAGE).status_code == 302
    assert _state(public) == "Đang mở cửa – đến 11:30"


def test_an_admin_changes_the_weekly_hours(app):
    app.config["CLOCK"] = lambda: datetime(2026, 12, 13, 9, 0, tzinfo=VN)  # a Sunday
    editor = signed_in(app, "admin")
    point = _centre_id(app)
    week = {f"day{d}": "7:30-11:30, 13:30-17:00" for d in range(5)}
    week.update(day5="7:30-11:30", day6="8h00-10h00")
    assert post_form(editor, f"{PAGE}/{point}/gio", week, page_url=PAGE).status_code == 302
    assert _state(app.test_client()) == "Đang mở cửa – đến 10:00"
    assert "8:00-10:00" in attr_values(editor.get(PAGE), "input", "value")


def test_bad_input_is_refused_with_a_message(app):
    editor = signed_in(app, "admin")
    point = _centre_id(app)
    for data, message in (
            ({"day0": "sáng"}, "is not a time span"),
            ({"day0": "17:00-7:30"}, "closing time is not after the opening time"),
    ):
        response = post_form(editor, f"{PAGE}/{point}/gio", data, page_url=PAGE)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    for data, message in (
            ({"from": "hôm nay"}, "Give the first and last day as dates"),
            ({"from": "2027-01-01"}, "dd/mm/yyyy"),  # ISO is for files and the API
            ({"from": "31/02/2027"}, "31/02/2027 is not a real date"),
            ({"from": "02/01/2027", "until": "01/01/2027"}, "last day is before the first"),
            ({"from": "01/01/2027", "until": "01/01/2029"}, "at most a year"),
            ({"from": "01/01/2027", "hours": "8:00-9:00, 10:00-11:00"}, "one time span"),
    ):
        response = post_form(editor, f"{PAGE}/{point}/ngay-nghi", data, page_url=PAGE)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert editor.get(f"{PAGE}/999999/gio").status_code == 405
    assert post_form(editor, f"{PAGE}/999999/gio", {}, page_url=PAGE).status_code == 404


def test_the_editor_page_and_the_public_pages_are_valid_html(app, client):
    from tests.checkers import vnu_errors

    editor = signed_in(app, "admin")
    refused = post_form(editor, f"{PAGE}/{_centre_id(app)}/gio", {"day0": "x"}, page_url=PAGE)
    pages = {"editor": editor.get(PAGE).get_data(as_text=True),
             "editor-errors": refused.get_data(as_text=True)}
    for path in ("/gio-lam-viec", "/en/gio-lam-viec", "/tra-cuu-ho-so", "/en/tra-cuu-ho-so",
                 "/thu-tuc/dang-ky-khai-sinh/in"):
        pages[path] = client.get(path).get_data(as_text=True)
    assert vnu_errors(pages) == {}


@pytest.mark.browser
@pytest.mark.parametrize("path", [PAGE, "/gio-lam-viec", "/tra-cuu-ho-so"])
def test_axe_finds_nothing(app, live_server, browser, path):
    from tests.checkers import axe_violations
    from tests.editor_support import browser_sign_in, make_user

    make_user(app, "admin@example.org", "admin")
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        if path == PAGE:
            browser_sign_in(page, live_server.url, "admin@example.org")
        page.goto(live_server.url + path)
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_print_checklist_says_where_to_check_the_result(app, client):
    lookup = app.config["DOSSIER_LOOKUP_URL"]
    html = client.get("/thu-tuc/dang-ky-khai-sinh/in").get_data(as_text=True)
    term = next(dt for dt in every(html, "dt") if text(dt) == "Tra cứu kết quả")
    url = one(term.find_next_sibling("dd"), "dd > span.url:first-child")
    assert text(url).startswith(lookup)
    site = client.get("/tra-cuu-ho-so").get_data(as_text=True)
    assert lookup in attr_values(site, "a", "href") and "Mã hồ sơ" in site
