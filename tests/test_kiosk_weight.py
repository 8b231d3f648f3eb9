"""Every kiosk page stays within the site's budget of 100 KB transferred (HTML, styles,
scripts, images), in both languages, as it travels from the documented production edge:
nginx compresses text with gzip (``deploy/``; its lowest level, 1, counted here), the test
server does not, so text bodies are counted gzipped and the rest as they are. The on-screen
keyboard's code arrives only when a text field is touched. (Lighthouse's score:
``benchmarks/kiosk_lighthouse.sh``.)
"""

from __future__ import annotations

import gzip

import pytest

from tests.test_kiosk import KIOSK, READY, kiosk_paths

pytestmark = pytest.mark.browser
BUDGET = 100 * 1024
TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml",
        "application/xml")
KEYBOARD = "simple-keyboard"


def _load(page, url: str) -> dict[str, int]:
    """Bytes transferred per URL while ``url`` loads and settles."""
    finished = []

    def keep(request) -> None:
        finished.append(request)

    page.on("requestfinished", keep)
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(READY, state="attached")
    page.remove_listener("requestfinished", keep)
    sizes = {}
    for request in finished:
        response = request.response()
        body = response.body() if response else b""
        kind = response.headers.get("content-type", "") if response else ""
        if kind.startswith(TEXT):
            body = gzip.compress(body, compresslevel=1)
        sizes[request.url] = len(body) + request.sizes()["responseHeadersSize"]
    return sizes


@pytest.fixture
def fresh(browser):
    """A new kiosk browser (empty cache) for each page, as on the first visit of the day."""
    contexts = []

    def page():
        context = browser.new_context(**KIOSK)
        contexts.append(context)
        return context.new_page()

    yield page
    for context in contexts:
        context.close()


def test_every_kiosk_page_is_within_100_kb(app, live_server, fresh):
    heavy, totals = {}, {}
    for path in kiosk_paths(app).values():
        for version in (path, path.replace("/kiosk/", "/kiosk/en/", 1)):
            sizes = _load(fresh(), live_server.url + version)
            totals[version] = sum(sizes.values())
            assert not [u for u in sizes if KEYBOARD in u], version  # not before it is used
            if totals[version] > BUDGET:
                heavy[version] = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    assert heavy == {}
    assert min(totals.values()) > 5 * 1024  # the measurement measures something


def test_the_keyboard_arrives_when_a_text_field_is_touched(live_server, fresh):
    page = fresh()
    _load(page, f"{live_server.url}/kiosk/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh")
    later = []
    page.on("requestfinished", lambda request: later.append(request.url))
    page.tap("#count")
    page.locator("#kiosk-keyboard").wait_for(state="visible")
    page.tap('#kiosk-keyboard [data-skbtn="3"]')
    assert page.input_value("#count") == "3"
    paths = [url.split("?")[0] for url in later]
    for wanted in ("simple-keyboard/index.css", "simple-keyboard/index.modern.js",
                   "js/kiosk-keyboard.js"):
        assert any(p.endswith(wanted) for p in paths), wanted
    page.tap('#kiosk-keyboard [data-skbtn="4"]')  # the same keyboard, not a second one
    assert page.input_value("#count") == "34"
    assert page.evaluate(f"document.querySelectorAll('script[src*=\"{KEYBOARD}\"]').length") == 1
