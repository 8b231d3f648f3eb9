"""In Chromium: the counter tablet by touch, and the quality bars of the results page."""

from __future__ import annotations

import io
import re

import pytest

from app.quality import months as m
from tests.checkers import axe_violations, vnu_errors
from tests.editor_support import csrf_token
from tests.html import one, text
from tests.test_quality import _tablet

RESULT_PAGES = {"vi": "/ket-qua-phuc-vu", "en": "/en/ket-qua-phuc-vu",
                "kiosk": "/kiosk/ket-qua-phuc-vu", "vi-empty": "/ket-qua-phuc-vu?thang=2025-06",
                "en-empty": "/en/ket-qua-phuc-vu?thang=2025-06"}


def _satisfaction(page) -> str:
    """The month's satisfaction figure as the open results page shows it (English)."""
    month = page.get_by_role("list", name=re.compile(r"^Month "))
    figure = month.locator(".quality-figure", has_text="Satisfied with the service")
    return figure.locator(".quality-figure-value").inner_text() + " " + \
        figure.locator(".quality-figure-basis").inner_text()


@pytest.mark.browser
def test_a_tapped_rating_shows_in_the_months_satisfaction_rate(app, live_server, tablet_page,
                                                               browser):
    app.config["QUALITY_MIN_RATINGS"] = 1
    path, token = _tablet(app, "1")
    month = m.current_month()
    reader = browser.new_page()
    api = f"{live_server.url}/api/v1/statistics?from={month}&to={month}"
    before = reader.request.get(api).json()["months"][0]
    tablet_page.goto(live_server.url + path)
    tablet_page.wait_for_url(re.compile(r"/danh-gia/quay/1$"))  # the token left the address
    assert token not in tablet_page.url
    assert tablet_page.locator("h1").inner_text() == "Ông/bà có hài lòng với sự phục vụ?"
    for button in tablet_page.locator("button.tablet-answer").all():
        box = button.bounding_box()
        assert box["height"] >= 64 and box["width"] >= 64
    tablet_page.get_by_role("button", name="Hài lòng", exact=True).tap()
    tablet_page.wait_for_selector("text=Xin cảm ơn ông/bà!")
    after = reader.request.get(api).json()["months"][0]
    assert (after["ratings"], after["satisfied"]) == (before["ratings"] + 1,
                                                     before["satisfied"] + 1)
    rate = f"{after['satisfied'] / after['ratings']:.1%}"
    reader.goto(f"{live_server.url}/en/ket-qua-phuc-vu?thang={month}")
    assert _satisfaction(reader) == f"{rate} of {after['ratings']} ratings " \
        "at the counters' tablets"
    reader.close()


@pytest.mark.browser
def test_not_satisfied_offers_reasons_by_touch(app, live_server, tablet_page):
    path, _token = _tablet(app, "6")
    tablet_page.goto(live_server.url + path)
    tablet_page.wait_for_url(re.compile(r"/danh-gia/quay/6$"))
    tablet_page.get_by_role("button", name="Không hài lòng").tap()
    tablet_page.get_by_label("Thời gian chờ lâu").tap()
    assert axe_violations(tablet_page) == []
    tablet_page.get_by_role("button", name="Gửi").tap()
    tablet_page.wait_for_selector("text=Xin cảm ơn ông/bà!")
    assert axe_violations(tablet_page) == []
    from app.extensions import db
    from app.models import Rating

    with app.app_context():
        rating = db.session.query(Rating).filter_by(is_demo=False).one()
        assert rating.answer == "dissatisfied"
        assert [r.name for r in rating.reasons] == ["Thời gian chờ lâu"]


@pytest.mark.browser
def test_results_page_and_tablet_pass_axe(app, live_server, tablet_page):
    found = {}
    path, _token = _tablet(app, "2")
    for name, url in {**RESULT_PAGES, "tablet": path}.items():
        tablet_page.goto(live_server.url + url)
        tablet_page.wait_for_load_state()
        violations = axe_violations(tablet_page)
        if violations:
            found[name] = violations
    assert found == {}


def test_results_page_and_tablet_are_valid_html(app, client):
    from tests.test_quality import _paired

    tablet, _token = _paired(app, "3")
    documents = {name: client.get(url).get_data(as_text=True)
                 for name, url in RESULT_PAGES.items()}
    documents["tablet-not-set-up"] = client.get("/danh-gia/quay/3").get_data(as_text=True)
    documents["tablet"] = tablet.get("/danh-gia/quay/3").get_data(as_text=True)
    documents["tablet-reasons"] = tablet.post("/danh-gia/quay/3", data={
        "answer": "dissatisfied"}).get_data(as_text=True)
    documents["tablet-thanks"] = tablet.post("/danh-gia/quay/3", data={
        "answer": "satisfied"}).get_data(as_text=True)
    documents["tablet-waiting"] = tablet.get("/danh-gia/quay/3").get_data(as_text=True)
    heading = one(documents["tablet-thanks"], "h1")
    assert text(heading) and heading.find(True) is None  # a heading of plain text
    assert vnu_errors(documents) == {}


# --- the editors' pages -------------------------------------------------------------------

EDITOR_PAGES = ("/editor/ket-qua", "/editor/ket-qua?thang=2025-06", "/editor/ket-qua/nhap",
                "/editor/ket-qua/2026-10/nhap-tay", "/editor/ket-qua/ly-do",
                "/editor/admin/may-danh-gia")


def test_editor_quality_pages_are_valid_html(app):
    from tests.editor_support import signed_in
    from tests.test_quality_import import NUMBERS, _csv

    _tablet(app, "1")
    admin = signed_in(app, "admin")
    documents = {}
    for url in EDITOR_PAGES:
        response = admin.get(url)
        assert response.status_code == 200, url
        documents[url] = response.get_data(as_text=True)
    page = admin.get("/editor/ket-qua/nhap").get_data(as_text=True)
    token = csrf_token(page)
    for name, data in (("report", _csv([["2027-01", "Hộ tịch", *NUMBERS]])),
                       ("refused", _csv([["2027-01", "Hộ tịch", "-1", *NUMBERS[1:]]]))):
        response = admin.post("/editor/ket-qua/nhap", data={
            "csrf_token": token, "file": (io.BytesIO(data), "r.csv")},
            content_type="multipart/form-data")
        documents[f"import {name}"] = response.get_data(as_text=True)
    assert vnu_errors(documents) == {}


@pytest.mark.browser
def test_editor_quality_pages_pass_axe(app, live_server, browser):
    from tests.editor_support import browser_sign_in, make_user

    _tablet(app, "1")
    make_user(app, "admin@example.org", "admin")
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        browser_sign_in(page, live_server.url, "admin@example.org")
        found = {}
        for url in EDITOR_PAGES:
            page.goto(live_server.url + url)
            violations = axe_violations(page)
            if violations:
                found[url] = violations
        assert found == {}
    finally:
        context.close()
