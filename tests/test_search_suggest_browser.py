"""Suggestions in the site's search box (issue 25, item 4), in a real Chromium: the ARIA
combobox pattern, keyboard only, axe-clean, no layout shift, and a page that still works
without JavaScript."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Procedure
from tests.checkers import axe_violations, vnu_errors
from tests.editor_support import browser_sign_in, make_user, signed_in

pytestmark = pytest.mark.browser
LISTBOX = "#search-page-q-suggestions"


def _slugs(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Procedure.code, Procedure.slug)).all())


def _type(page, text: str) -> None:
    box = page.locator("#search-page-q")
    box.click()
    box.fill("")
    box.press_sequentially(text, delay=30)
    page.locator(LISTBOX).wait_for(state="visible")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_suggestions_open_their_procedure_with_the_keyboard(live_server, phone_for_axe, app,
                                                           prefix):
    page = phone_for_axe
    slugs = _slugs(app)
    page.goto(live_server.url + prefix + "/tim-kiem")
    box = page.locator("#search-page-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    below = page.locator(".site-footer").bounding_box()
    _type(page, "ly lich tu")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == LISTBOX[1:]
    options = page.locator(f"{LISTBOX} [role=option]")
    assert options.count() >= 1
    assert "lý lịch tư pháp" in options.first.inner_text().lower()
    status = page.locator(".search-box [role=status]").inner_text()
    assert re.search(rf"\b{options.count()}\b", status), status
    assert page.locator(".site-footer").bounding_box() == below  # the list floats: no shift
    assert axe_violations(page) == []

    box.press("ArrowDown")
    first = options.first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("ArrowUp")  # back to the box itself
    assert box.get_attribute("aria-activedescendant") is None
    box.press("ArrowDown")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url == f"{live_server.url}{prefix}/thu-tuc/{slugs['3.000333']}"


def test_escape_closes_and_enter_without_a_choice_searches(live_server, phone):
    phone.goto(live_server.url + "/tim-kiem")
    _type(phone, "khai sinh")
    box = phone.locator("#search-page-q")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert phone.locator(LISTBOX).is_hidden()
    with phone.expect_navigation():
        box.press("Enter")
    assert "/tim-kiem?q=khai+sinh" in phone.url
    assert phone.locator(".search-result").count() >= 1


def test_a_click_on_a_suggestion_opens_it(live_server, phone, app):
    slugs = _slugs(app)
    phone.goto(live_server.url + "/")
    box = phone.locator("input[name=q]").first
    box.click()
    box.press_sequentially("giay phep xay", delay=30)
    listbox = phone.locator("[role=listbox]").first
    listbox.wait_for(state="visible")
    with phone.expect_navigation():
        listbox.locator("[role=option]").first.click()
    assert phone.url.rsplit("/", 1)[1] in {slugs[c] for c in ("1.013225", "1.013226",
                                                               "1.013227")}


def test_the_box_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/tim-kiem")
        box = page.locator("#search-page-q")
        assert box.get_attribute("role") is None  # only the script makes it a combobox
        box.fill("ly lich tu phap")
        with page.expect_navigation():
            box.press("Enter")
        assert page.locator(".search-result").count() >= 1
    finally:
        context.close()


def test_not_here_pages_and_the_pointer_editor_are_valid_and_pass_axe(live_server, browser,
                                                                      app):
    admin = signed_in(app, "admin")
    pages = {url: admin.get(url).get_data(as_text=True) for url in (
        "/editor/admin/elsewhere", "/editor/admin/elsewhere/new")}
    public = app.test_client()
    for url in ("/tim-kiem?q=giay+phep+lai+xe", "/en/tim-kiem?q=xin+visa",
                "/kiosk/tim-kiem?q=xin+visa", "/tim-kiem?q=dang+ky+nghia+vu+quan+su"):
        pages[url] = public.get(url).get_data(as_text=True)
    assert vnu_errors(pages) == {}
    make_user(app, "pointers@example.org", "admin")
    context = browser.new_context(bypass_csp=True, locale="en-GB")  # signs in in English
    page = context.new_page()
    try:
        for url in ("/tim-kiem?q=giay+phep+lai+xe", "/en/tim-kiem?q=xin+visa"):
            page.goto(live_server.url + url)
            assert axe_violations(page) == [], url
        browser_sign_in(page, live_server.url, "pointers@example.org")
        for url in ("/editor/admin/elsewhere", "/editor/admin/elsewhere/new"):
            page.goto(live_server.url + url)
            assert axe_violations(page) == [], url
    finally:
        context.close()
