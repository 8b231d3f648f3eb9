"""The kiosk: the public pages under /kiosk on a 1080×1920 touchscreen, in real Chromium.

Everything is done by tapping, as a person at the lobby kiosk would: the attract screen, the
tiles, the on-screen keyboard, printing. The idle reset has its own module
(``test_kiosk_idle.py``) because it needs short timings.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.checkers import vnu_errors, wait_for_js
from tests.test_a11y import page_paths

READY = "html[data-kiosk-ready]"
KIOSK = {"viewport": {"width": 1080, "height": 1920}, "has_touch": True, "locale": "vi-VN"}
MIN_TARGET = 64
MIN_TEXT_PX = 24
PROCEDURE = "dang-ky-khai-sinh"

# Every visible tap target smaller than 64×64 px (visually hidden text is not a target).
SMALL_TARGETS_JS = """(min) => {
  const small = [];
  const targets = 'a[href], button, input, select, textarea, summary, [role=button]';
  const shown = {checkOpacity: true, checkVisibilityCSS: true};
  for (const el of document.querySelectorAll(targets)) {
    if (el.type === 'hidden' || !el.checkVisibility(shown)) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;
    if (box.width < min || box.height < min) {
      const label = (el.textContent || el.name || '').trim().slice(0, 40);
      small.push(`${el.localName} "${label}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""

# Visible text set smaller than the kiosk's minimum body size.
SMALL_TEXT_JS = """(min) => {
  const small = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('script, style, svg, option')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min - 0.5) {
      const text = node.textContent.trim().slice(0, 30);
      small.add(`${el.localName}.${el.className} ${size}px "${text}"`);
    }
  }
  return [...small];
}"""

# Anything that would take the browser off the kiosk: links, forms and targets.
LEAVING_JS = """() => {
  const kiosk = location.origin + '/kiosk/';
  const bad = [];
  const inKiosk = (href) => new URL(href, location.href).href.startsWith(kiosk);
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    if (!inKiosk(a.href)) bad.push(a.outerHTML.slice(0, 160));
  }
  for (const form of document.querySelectorAll('form')) {
    if (!inKiosk(form.action)) bad.push('form ' + form.action);
  }
  for (const el of document.querySelectorAll('[target], [download]')) {
    bad.push(el.outerHTML.slice(0, 160));
  }
  return bad;
}"""


def kiosk_paths(app: Flask) -> dict[str, str]:
    """One kiosk URL per page type: the site's pages (``tests.test_a11y.page_paths``) under
    /kiosk."""
    return {name: "/kiosk" + path for name, path in page_paths(app).items()}


def open_kiosk(page, url: str, start: bool = True) -> None:
    """Load a kiosk page; on the home page, tap through the attract screen."""
    page.goto(url)
    page.wait_for_selector(READY, state="attached")
    if start and page.locator("#kiosk-attract[open]").count():
        page.tap("[data-kiosk-start]")


def tap_to(page, selector: str, url_pattern: str) -> None:
    """Tap, then wait until the kiosk has replaced the page with one matching the pattern."""
    page.tap(selector)
    page.wait_for_url(re.compile(url_pattern))
    page.wait_for_selector(READY, state="attached")


def watch_errors(page) -> list[str]:
    """Script errors and console errors (CSP refusals among them) from now on."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


# --- the kiosk's own routes (no browser) ---------------------------------------------------

def test_qr_endpoint_draws_links_and_refuses_anything_else(client):
    response = client.get("/kiosk/qr.svg", query_string={"url": "https://dichvucong.gov.vn/"})
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg") and b"viewBox" in response.data
    for bad in ("", "javascript:alert(1)", "data:text/html,x", "https://x.vn/" + "a" * 1000):
        assert client.get("/kiosk/qr.svg", query_string={"url": bad}).status_code == 400


def test_every_reset_starts_over_in_vietnamese_and_keeps_nothing_on_the_server(client):
    from tests.html import attr_values

    for path in ("/kiosk/", "/kiosk/en/", "/kiosk/en/thu-tuc/dang-ky-khai-sinh"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert "/kiosk/" in attr_values(html, "[data-start-over-url]", "data-start-over-url"), path
        assert "/kiosk/" in attr_values(html, "[data-kiosk-root]", "data-kiosk-root"), path
        assert "Set-Cookie" not in response.headers
    # The old reset address forgets nothing any more; a kiosk still showing a page from before
    # the update goes through it once, to the same Vietnamese attract screen.
    old = client.get("/kiosk/bat-dau-lai")
    assert (old.status_code, old.location) == (301, "/kiosk/")
    assert "Set-Cookie" not in old.headers


def test_the_kiosk_styles_come_in_one_long_cached_request(app, client):
    from pathlib import Path

    from tests.html import every

    html = client.get("/kiosk/en/").get_data(as_text=True)
    links = [str(link["href"]) for link in every(html, 'link[rel="stylesheet"][href]')
             if link.get("media") != "print"]
    assert len(links) == 1 and links[0].startswith("/kiosk/kiosk.css?v=")
    response = client.get(links[0])
    static = Path(app.static_folder)
    for name in ("css/site.css", "css/kiosk.css"):
        assert (static / name).read_bytes() in response.data
    assert response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "immutable" not in client.get("/kiosk/kiosk.css?v=old").headers["Cache-Control"]


def test_the_server_marks_links_that_leave_the_kiosk(client):
    from tests.html import every, one

    html = client.get(f"/kiosk/thu-tuc/{PROCEDURE}").get_data(as_text=True)
    portal = one(html, 'a[href^="https://dichvucong.gov.vn"]')
    assert portal.get("data-kiosk-qr") == "link"
    site = client.get(f"/thu-tuc/{PROCEDURE}").get_data(as_text=True)
    assert not every(site, "[data-kiosk-qr]")  # only the kiosk needs them


def test_kiosk_pages_are_valid_html(app, client):
    from tests.html import every

    documents = {}
    for name, path in kiosk_paths(app).items():
        response = client.get(path)
        assert response.status_code in (200, 404), (name, response.status_code)
        assert every(response, ".kiosk-frame"), name
        documents[name] = response.get_data(as_text=True)
    assert vnu_errors(documents) == {}


# --- a person at the kiosk ------------------------------------------------------------------

@pytest.mark.browser
def test_tap_from_attract_to_a_printed_checklist_and_home(app, live_server, kiosk_page):
    page = kiosk_page
    errors = watch_errors(page)
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    open_kiosk(page, live_server.url + "/kiosk/", start=False)
    baseline = page.evaluate("history.length")
    expect(page.locator("#kiosk-attract")).to_be_visible()
    page.tap("[data-kiosk-start]")
    expect(page.locator("#kiosk-attract")).to_be_hidden()

    tap_to(page, ".kiosk-tiles-fields a >> nth=0", r"/kiosk/linh-vuc/")
    assert page.locator("[data-kiosk-back]").is_enabled()
    tap_to(page, ".procedure-list-name a >> nth=0", r"/kiosk/thu-tuc/[^/]+$")
    for part in (".answer-line", "#documents", "#fees", "#ways", ".kiosk-take-away"):
        expect(page.locator(part).first, part).to_be_visible()
    handoff = page.locator(".kiosk-handoff")
    assert handoff.locator("svg[role=img]").bounding_box()["width"] >= 150
    shown = handoff.get_attribute("data-url")
    # The public address (SITE_URL), not the one the kiosk reached the server on.
    assert shown.startswith(app.config["SITE_URL"] + "/thu-tuc/") and "/kiosk" not in shown

    tap_to(page, "[data-kiosk-print]", r"/kiosk/thu-tuc/[^/]+/in$")
    wait_for_js(page, "window.printed === 1")
    page.emulate_media(media="print")
    expect(page.locator(".kiosk-bar")).to_be_hidden()
    assert page.locator(".checklist-items li").count() > 0
    assert pdf_pages(page.pdf(format="A4", print_background=True)) == 1
    page.emulate_media(media="screen")

    tap_to(page, ".kiosk-home", r"/kiosk/$")
    expect(page.locator("#kiosk-attract")).to_be_hidden()
    assert page.evaluate("history.length") == baseline  # every step replaced the last
    assert errors == []


@pytest.mark.browser
def test_back_walks_the_trail_without_browser_history(live_server, kiosk_page):
    page = kiosk_page
    open_kiosk(page, live_server.url + "/kiosk/")
    baseline = page.evaluate("history.length")
    assert page.locator("[data-kiosk-back]").count() == 0  # nothing to go back to: hidden
    tap_to(page, ".kiosk-tiles-fields a >> nth=0", r"/kiosk/linh-vuc/")
    field_url = page.url
    tap_to(page, ".procedure-list-name a >> nth=0", r"/kiosk/thu-tuc/")
    tap_to(page, "[data-kiosk-back]", re.escape(field_url) + "$")
    tap_to(page, "[data-kiosk-back]", r"/kiosk/$")
    assert page.locator("[data-kiosk-back]").count() == 0
    assert page.evaluate("history.length") == baseline


@pytest.mark.browser
def test_nothing_leaves_the_kiosk(app, live_server, kiosk_page):
    page = kiosk_page
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    open_kiosk(page, live_server.url + "/kiosk/")
    leaving = {}
    for name, path in kiosk_paths(app).items():
        open_kiosk(page, live_server.url + path)
        if found := page.evaluate(LEAVING_JS):
            leaving[name] = found
    assert leaving == {}
    assert [url for url in requests if not url.startswith(live_server.url)] == []

    open_kiosk(page, live_server.url + f"/kiosk/thu-tuc/{PROCEDURE}")
    here = page.url
    portal = page.locator("button[data-qr-for^='https://dichvucong.gov.vn']").first
    portal.tap()
    dialog = page.locator("#kiosk-qr")
    expect(dialog).to_be_visible()
    assert "dichvucong.gov.vn" in dialog.inner_text()
    image = dialog.locator("img")
    image.wait_for()
    wait_for_js(page, "document.querySelector('#kiosk-qr img').naturalWidth > 0")
    assert parse_qs(urlsplit(image.get_attribute("src")).query)["url"][0].startswith(
        "https://dichvucong.gov.vn")
    page.tap("[data-kiosk-close]")
    expect(dialog).to_be_hidden()
    assert page.url == here

    # Links added later, downloads, new windows: the same treatment, with the address the
    # server marks for the phone (a kiosk file link would be the LAN address).
    page.evaluate("""() => {
      document.querySelector('main').insertAdjacentHTML('beforeend',
        '<p id="late"><a href="https://example.org/mau.docx">form</a> '
        + '<a href="/kiosk/mau-don/to-khai.pdf" download data-kiosk-qr="download" '
        + 'data-qr-url="https://site.example/mau-don/to-khai.pdf">download</a> '
        + '<a href="/api/v1/procedures" target="_blank">outside the kiosk</a> '
        + '<a href="/kiosk/le-phi" target="_blank">fees</a></p>');
    }""")
    wait_for_js(page, "!document.querySelector('#late a[href^=\"https\"], #late [download]')")
    assert page.evaluate(LEAVING_JS) == []
    assert page.locator("#late button[data-qr-kind=link]").count() == 2
    assert page.get_attribute("#late a", "href") == "/kiosk/le-phi"
    page.tap("#late button[data-qr-kind=download]")
    shown = parse_qs(urlsplit(page.get_attribute("#kiosk-qr img", "src")).query)["url"][0]
    assert shown == "https://site.example/mau-don/to-khai.pdf"
    page.tap("[data-kiosk-close]")
    assert page.url == here
    # window.open is the browser's own (kiosk mode's policies govern pop-ups), not patched.
    assert page.evaluate("window.open.toString().includes('[native code]')")
