"""The kiosk forgets a person: idle warning, "Continue", and the wipe when time runs out.

Short timings (2 s idle, 2 s warning) via an ``app`` fixture that overrides the conftest one.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import make_app
from tests.test_kiosk import READY, open_kiosk, tap_to

pytestmark = pytest.mark.browser
IDLE, WARNING = 2, 2


@pytest.fixture
def app(template, tmp_path):
    """The conftest ``app`` (a copy of the session template), with short kiosk timings."""
    import shutil

    if not template["url"].startswith("sqlite"):
        pytest.skip("browser tests run against SQLite")
    index_dir = tmp_path / "index"
    shutil.copytree(template["root"] / "index", index_dir, symlinks=True)
    shutil.copy(template["root"] / "db.sqlite3", tmp_path / "db.sqlite3")
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", index_dir,
                   KIOSK_IDLE_SECONDS=IDLE, KIOSK_WARNING_SECONDS=WARNING)
    yield app
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_warning_offers_more_time(live_server, kiosk_page):
    page = kiosk_page
    open_kiosk(page, live_server.url + "/kiosk/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh")
    page.tap("#count")
    page.tap('#kiosk-keyboard [data-skbtn="7"]')
    here = page.url
    warning = page.locator("#kiosk-idle")
    warning.wait_for(state="visible", timeout=(IDLE + 2) * 1000)
    assert re.search(r"\d", page.inner_text("#kiosk-idle-countdown"))
    page.tap("[data-kiosk-continue]")
    expect(warning).to_be_hidden()
    page.wait_for_timeout(WARNING * 1000 + 500)  # the countdown would have run out by now
    assert page.url == here
    assert page.input_value("#count") == "7"


def test_time_running_out_wipes_everything(live_server, kiosk_page):
    page = kiosk_page
    open_kiosk(page, live_server.url + "/kiosk/", start=False)
    baseline = page.evaluate("history.length")
    page.tap("[data-kiosk-start]")
    tap_to(page, ".kiosk-tiles-popular a >> nth=0", r"/kiosk/thu-tuc/")
    procedure = page.url
    page.tap("[data-kiosk-size='2']")
    page.tap("[data-kiosk-contrast]")
    tap_to(page, ".kiosk-language", r"/kiosk/en/thu-tuc/")
    page.evaluate("localStorage.setItem('left', 'behind')")
    page.locator("#report summary").tap()
    page.tap("#report-reason")
    for key in "abc":
        page.tap(f'#kiosk-keyboard [data-skbtn="{key}"]')
    page.tap("button[data-qr-for] >> nth=0")  # an overlay left open
    assert page.evaluate("history.length") == baseline

    page.wait_for_url(re.compile(r"/kiosk/$"), timeout=(IDLE + WARNING + 5) * 1000)
    page.wait_for_selector(READY, state="attached")
    expect(page.locator("#kiosk-attract")).to_be_visible()
    assert page.get_attribute("html", "lang") == "vi"
    assert page.evaluate("[sessionStorage.length, localStorage.length]") == [0, 0]
    assert page.evaluate("document.documentElement.className") == ""
    assert page.evaluate("scrollY") == 0
    assert page.evaluate("history.length") == baseline
    assert page.locator("dialog[open]:not(#kiosk-attract)").count() == 0
    typed = "[...document.querySelectorAll('input:not([type=hidden]), textarea')].map(i => i.value)"
    assert [value for value in page.evaluate(typed) if value] == []
    page.go_back()
    assert page.url != procedure and "/thu-tuc/" not in page.url

    # The next person starts from scratch: no trail to go back along, no settings.
    open_kiosk(page, live_server.url + "/kiosk/")
    assert page.locator("[data-kiosk-back]").count() == 0  # the home: hidden, not greyed
    assert page.get_attribute("[data-kiosk-size='0']", "aria-pressed") == "true"
    open_kiosk(page, procedure)
    assert page.locator("[data-kiosk-back]").is_disabled()
