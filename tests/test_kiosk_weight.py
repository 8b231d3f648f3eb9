"""Every kiosk page stays within the site's budget of 100 KB transferred (HTML, styles,
scripts, images), in both languages, as it travels from the documented production edge:
nginx compresses text with gzip (``deploy/``; its lowest level, 1, counted here), the test
server does not, so text bodies are counted gzipped and the rest as they are. The on-screen
keyboard's code arrives only when a text field is touched. (Lighthouse's score:
``benchmarks/kiosk_lighthouse.sh``.)

Every page is weighed from its markup with the test client (the page, and what its markup and
styles ask for); a sample of pages is loaded in Chromium, which must ask for exactly those
addresses and transfer about as much, so the markup-based weighing misses nothing.
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.html import soup
from tests.test_kiosk import KIOSK, READY, kiosk_paths

BUDGET = 100 * 1024
TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml",
        "application/xml")
KEYBOARD = "simple-keyboard"
HEADERS = 1024  # bytes of headers counted per answer: above what Chromium measures (~350–850)
ASKED_BY_MARKUP = ("link[rel~=stylesheet][href]", "link[rel~=icon][href]", "script[src]",
                   "img[src]", "link[rel=preload][href]")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")  # url(…) in a style sheet, not HTML


def _transferred(body: bytes, kind: str) -> int:
    return len(gzip.compress(body, compresslevel=1) if kind.startswith(TEXT) else body)


def _weigh(client, path: str, known: dict[str, int] | None = None) -> dict[str, int]:
    """Bytes per address for a first visit of ``path``: the page, then what it asks for
    (``known`` keeps the weights of files already fetched for an earlier page)."""
    known = {} if known is None else known
    page = client.get(path)
    sizes = {path: _transferred(page.get_data(), page.content_type) + HEADERS}
    wanted = [str(node.get("href") or node.get("src"))
              for selector in ASKED_BY_MARKUP for node in soup(page).select(selector)]
    while wanted:
        address = urljoin(path, wanted.pop())
        if address in sizes or urlsplit(address).scheme in ("data", "http", "https"):
            continue
        if address in known:
            sizes[address] = known[address]
            continue
        answer = client.get(address)
        assert answer.status_code == 200, address
        body = answer.get_data()
        answer.close()
        sizes[address] = known[address] = _transferred(body, answer.content_type) + HEADERS
        if answer.content_type.startswith("text/css"):
            wanted += [urljoin(address, found) for found in
                       CSS_URL.findall(body.decode("utf-8"))]
    return sizes


def test_every_kiosk_page_is_within_100_kb(app):
    client, files = app.test_client(), {}
    heavy, totals = {}, {}
    for path in kiosk_paths(app).values():
        for version in (path, path.replace("/kiosk/", "/kiosk/en/", 1)):
            sizes = _weigh(client, version, files)
            totals[version] = sum(sizes.values())
            assert not [u for u in sizes if KEYBOARD in u], version  # not before it is used
            if totals[version] > BUDGET:
                heavy[version] = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    assert heavy == {}
    assert min(totals.values()) > 5 * 1024  # the measurement measures something


def _load(page, url: str) -> dict[str, tuple[int, int]]:
    """Per URL loaded while ``url`` loads and settles in Chromium: body bytes as they would
    travel, and the response headers' size as Chromium counts it."""
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
        sizes[request.url] = (_transferred(body, kind), request.sizes()["responseHeadersSize"])
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


@pytest.mark.browser
@pytest.mark.parametrize("name", ["home", "procedure", "service-results", "search"])
def test_chromium_loads_what_the_markup_weighing_counts(app, live_server, fresh, name):
    path = kiosk_paths(app)[name]
    seen = {urlsplit(url)._replace(scheme="", netloc="").geturl(): sizes
            for url, sizes in _load(fresh(), live_server.url + path).items()}
    client = app.test_client()
    counted = _weigh(client, path)
    # The page's icon is counted (a person's browser fetches it for its tab); the headless
    # shell the tests drive has no tab and does not ask for it.
    icons = {urljoin(path, str(node["href"]))
             for node in soup(client.get(path)).select("link[rel~=icon][href]")}
    assert icons and set(seen) - icons == set(counted) - icons
    for address, (body, headers) in seen.items():
        assert headers <= HEADERS, address
        assert abs(counted[address] - HEADERS - body) <= 0.02 * body + 16, address


@pytest.mark.browser
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
