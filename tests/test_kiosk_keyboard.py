"""The kiosk's on-screen keyboard in real Chromium: searching, tones and Vietnamese letters,
the number pad (split from ``test_kiosk.py``, whose helpers it uses)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.test_kiosk import READY, open_kiosk, tap_to, watch_errors


@pytest.mark.browser
def test_search_with_the_on_screen_keyboard_only(app, live_server, kiosk_page):
    if "public.search" not in app.view_functions:
        pytest.skip("search is built in its own issue")
    page = kiosk_page
    errors = watch_errors(page)
    open_kiosk(page, live_server.url + "/kiosk/")
    page.tap("#home-q")
    keyboard = page.locator("#kiosk-keyboard")
    keyboard.wait_for(state="visible")  # its code is loaded at the first touch
    for key in "khai sinh":
        page.tap(f'#kiosk-keyboard [data-skbtn="{"{space}" if key == " " else key}"]')
    assert page.input_value("#home-q") == "khai sinh"
    suggestion = page.locator(".kiosk-suggestion", has_text=re.compile("khai sinh", re.I)).first
    suggestion.wait_for()
    name = suggestion.inner_text()
    suggestion.tap()  # opens the procedure itself, not a search
    page.wait_for_url(re.compile(r"/kiosk/thu-tuc/[^/]+$"))
    page.wait_for_selector(READY, state="attached")
    assert page.locator("h1").inner_text() == name
    assert errors == []


@pytest.mark.browser
def test_tone_and_vietnamese_letter_keys(live_server, kiosk_page):
    page = kiosk_page
    errors = watch_errors(page)
    open_kiosk(page, live_server.url + "/kiosk/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh")
    # Any text field brings the keyboard up; a free-text one gets the letter layout.
    page.locator("#report summary").tap()
    page.tap("#report-reason")
    typed = {"thủ": "t h u {hook}", "tục": "t u c {dot}", "hoà": "h o a {grave}",
             "người": "n g ư ơ i {grave}", "giá": "g i a {acute}", "đã": "đ a {tilde}",
             "quý": "q u y {acute}", "khoa": "k h o a {acute} {acute}"}
    for word, keys in typed.items():
        page.tap('#kiosk-keyboard [data-skbtn="{clear}"]')
        for key in keys.split():
            page.tap(f'#kiosk-keyboard [data-skbtn="{key}"]')
        assert page.input_value("#report-reason") == word, keys
    assert errors == []


@pytest.mark.browser
def test_number_fields_get_a_number_pad(live_server, kiosk_page):
    page = kiosk_page
    open_kiosk(page, live_server.url + "/kiosk/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh")
    page.tap("#count")
    assert page.locator('#kiosk-keyboard [data-skbtn="q"]').count() == 0
    for key in "12":
        page.tap(f'#kiosk-keyboard [data-skbtn="{key}"]')
    tap_to(page, '#kiosk-keyboard [data-skbtn="{enter}"]', r"count=12")
    expect(page.locator(".result-box")).to_be_visible()
