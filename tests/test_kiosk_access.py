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


CONTRAST_KEY = "kiosk.contrast"  # where kiosk.js keeps the setting until the wipe


@pytest.fixture(scope="module")
def kiosk_axe_findings(module_app, module_live_server, browser) -> dict[bool, dict]:
    """axe-core's findings on every kiosk page type and state, in normal and in high
    contrast. A page is loaded once and checked in both, a tap on the contrast button
    between; a state reached by a tap (a dialog, the keyboard) is loaded again in contrast."""
    context = browser.new_context(**KIOSK, bypass_csp=True)  # axe-core's script must run
    page = context.new_page()
    base = module_live_server.url
    found: dict[bool, dict] = {False: {}, True: {}}

    def look(contrast: bool, name: str) -> None:
        if violations := axe_violations(page):
            found[contrast][name] = violations

    for name, path in kiosk_paths(module_app).items():
        open_kiosk(page, base + path)
        look(False, name)
        page.tap("[data-kiosk-contrast]")
        look(True, name)
        page.tap("[data-kiosk-contrast]")
    for name, path, action in [
            ("qr dialog", f"/kiosk/thu-tuc/{PROCEDURE}", "button[data-qr-for] >> nth=0"),
            ("keyboard", "/kiosk/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh", "#count"),
            ("attract", "/kiosk/", None)]:
        for contrast in (False, True):
            page.evaluate(f"sessionStorage.clear(); sessionStorage.setItem("
                          f"'{CONTRAST_KEY}', '{int(contrast)}')")
            open_kiosk(page, base + path, start=action is not None)
            if action:
                page.tap(action)
            else:
                expect(page.locator("#kiosk-attract")).to_be_visible()
            look(contrast, name)
    context.close()
    return found


@pytest.mark.browser
@pytest.mark.parametrize("contrast", [False, True], ids=["normal", "high-contrast"])
def test_axe_finds_nothing_on_any_kiosk_page(kiosk_axe_findings, contrast):
    assert kiosk_axe_findings[contrast] == {}
