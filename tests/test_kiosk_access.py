"""The kiosk is usable by everyone, in real Chromium: 64 px targets and 24 px text, text size,
contrast and language one tap away, axe-core clean (split from ``test_kiosk.py``, whose
helpers it uses)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.checkers import axe_violations
from tests.test_kiosk import (
    KIOSK,
    MIN_TARGET,
    MIN_TEXT_PX,
    PROCEDURE,
    SMALL_TARGETS_JS,
    SMALL_TEXT_JS,
    kiosk_paths,
    open_kiosk,
    tap_to,
)


@pytest.fixture
def kiosk_for_axe(browser):
    """A kiosk page that lets axe-core's script in despite the site's CSP."""
    context = browser.new_context(**KIOSK, bypass_csp=True)
    yield context.new_page()
    context.close()



@pytest.mark.browser
def test_every_tap_target_is_64px_and_text_24px(app, live_server, kiosk_page):
    page = kiosk_page
    small_targets, small_text = {}, {}
    states = [(name, path, None) for name, path in kiosk_paths(app).items()]
    states += [("attract", "/kiosk/", "attract"),
               ("keyboard", "/kiosk/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh", "#report-reason"),
               ("largest text", f"/kiosk/thu-tuc/{PROCEDURE}", "[data-kiosk-size='2']")]
    for name, path, action in states:
        open_kiosk(page, live_server.url + path, start=action != "attract")
        if action == "#report-reason":
            page.locator("#report summary").tap()
        if action and action != "attract":
            page.tap(action)
        if found := page.evaluate(SMALL_TARGETS_JS, MIN_TARGET):
            small_targets[name] = found
        if found := page.evaluate(SMALL_TEXT_JS, MIN_TEXT_PX):
            small_text[name] = found
    page.tap("[data-kiosk-size='0']")
    assert small_targets == {}
    assert small_text == {}


@pytest.mark.browser
def test_text_size_contrast_and_language_are_one_tap(live_server, kiosk_page):
    page = kiosk_page
    open_kiosk(page, live_server.url + f"/kiosk/thu-tuc/{PROCEDURE}")
    text_size = "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
    size = page.evaluate(text_size)
    page.tap("[data-kiosk-size='2']")
    assert page.evaluate(text_size) >= size * 1.4
    page.tap("[data-kiosk-contrast]")
    assert page.get_attribute("[data-kiosk-contrast]", "aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    tap_to(page, ".kiosk-language", rf"/kiosk/en/thu-tuc/{PROCEDURE}$")
    assert page.get_attribute("html", "lang") == "en"
    assert page.evaluate("document.documentElement.classList.contains('kiosk-contrast')")
    assert page.evaluate("document.documentElement.classList.contains('kiosk-text-2')")


@pytest.mark.browser
@pytest.mark.parametrize("contrast", [False, True], ids=["normal", "high-contrast"])
def test_axe_finds_nothing_on_any_kiosk_page(app, live_server, kiosk_for_axe, contrast):
    page = kiosk_for_axe
    open_kiosk(page, live_server.url + "/kiosk/")
    if contrast:
        page.tap("[data-kiosk-contrast]")
    found = {}
    states = [(name, path, None) for name, path in kiosk_paths(app).items()]
    states += [("qr dialog", f"/kiosk/thu-tuc/{PROCEDURE}", "button[data-qr-for] >> nth=0"),
               ("keyboard", "/kiosk/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh", "#count")]
    for name, path, action in states:
        open_kiosk(page, live_server.url + path)
        if action:
            page.tap(action)
        if violations := axe_violations(page):
            found[name] = violations
    page.evaluate("sessionStorage.clear()")
    open_kiosk(page, live_server.url + "/kiosk/", start=False)
    expect(page.locator("#kiosk-attract")).to_be_visible()
    if violations := axe_violations(page):
        found["attract"] = violations
    assert found == {}
