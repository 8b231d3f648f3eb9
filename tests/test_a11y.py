"""The quality bars of the public site, on every page type in both languages.

HTML validity (Nu checker) runs on pages fetched with the test client; everything else runs in
real headless Chromium against a live server: axe-core, 320 px width, 44 px targets, keyboard
focus, 200 % text, page weight and third-party requests, no-JavaScript use, one-page print.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app import queries
from tests.checkers import axe_violations, vnu_errors
from tests.html import attr_values

LANGS = ("vi", "en")
PAGE_BUDGET = 100 * 1024
PHONE = {"width": 320, "height": 640}
MIN_TARGET = 44
# Interactive elements whose size counts (WCAG 2.5.5); links inside running text are exempt.
TARGETS_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    if (el.type === 'hidden') continue;
    const block = el.closest('p, td, dd, figcaption');
    const inline = el.tagName === 'A' && block
      && block.textContent.trim().length > el.textContent.trim().length + 2;
    if (inline) continue;  // a link inside a sentence
    let box = el.getBoundingClientRect();
    if ((el.type === 'radio' || el.type === 'checkbox') && el.closest('label')) {
      box = el.closest('label').getBoundingClientRect();
    }
    if (box.width === 0 && box.height === 0) continue;  // not rendered (hidden, closed details)
    if (box.width < 44 || box.height < 44) {
      const label = (el.textContent || el.name || '').trim().slice(0, 40);
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      out.push(`${el.tagName.toLowerCase()} "${label}" ${size}`);
    }
  }
  return out;
}"""


def page_paths(app: Flask) -> dict[str, str]:
    """One URL per page type, taken from the demo data. The kiosk has the same pages under
    /kiosk (``tests.test_kiosk.kiosk_paths``): it is a layout over the same views."""
    with app.app_context():
        field = queries.fields_with_counts()[0][0]
        agency = queries.agencies_with_counts()[0][0]
        event = queries.life_events()[0]
    paths = {
        "home": "/",
        "field": f"/linh-vuc/{field.slug}",
        "agency": f"/co-quan/{agency.slug}",
        "agencies": "/co-quan",
        "procedure": "/thu-tuc/dang-ky-khai-sinh",
        "procedure-calculator": "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh?count=5",
        "print": "/thu-tuc/dang-ky-khai-sinh/in",
        "fees": "/le-phi",
        "online": "/dich-vu-truc-tuyen",
        "life-events": "/su-kien-cuoc-song",
        "life-event": f"/su-kien-cuoc-song/{event.slug}",
        "privacy": "/quyen-rieng-tu",
        "service-results": "/ket-qua-phuc-vu",
        "legal-documents": "/van-ban-phap-luat",
        "service-points": "/gio-lam-viec",
        "dossier-lookup": "/tra-cuu-ho-so",
        "404": "/khong-co-trang-nay",
    }
    if "public.search" in app.view_functions:
        paths["search"] = "/tim-kiem?q=khai+sinh"
        paths["search-empty"] = "/tim-kiem"
    return paths


def with_lang(path: str, lang: str) -> str:
    """``path`` in ``lang``: English lives under /en (and /kiosk/en)."""
    if lang == "vi":
        return path
    if path.startswith("/kiosk/"):
        return "/kiosk/en/" + path[len("/kiosk/"):]
    return "/en" + path


def all_pages(app: Flask) -> dict[str, str]:
    return {f"{name} [{lang}]": with_lang(path, lang)
            for name, path in page_paths(app).items() for lang in LANGS}


def test_every_page_is_valid_html(app, client):
    documents = {}
    for name, path in all_pages(app).items():
        response = client.get(path)
        assert response.status_code in (200, 404), (name, response.status_code)
        documents[name] = response.get_data(as_text=True)
    assert vnu_errors(documents) == {}


# --- in Chromium ---------------------------------------------------------------------------

# Bytes of the page and everything it loaded, decoded, as the Resource Timing API reports
# them (from the browser's cache too, so one page serves every URL), and what it asked for.
WEIGHT_JS = """() => {
  const entries = [...performance.getEntriesByType('navigation'),
                   ...performance.getEntriesByType('resource')];
  return {bytes: entries.reduce((sum, e) => sum + e.decodedBodySize, 0),
          urls: entries.map(e => e.name)};
}"""


@pytest.fixture(scope="module")
def walked(module_app, module_live_server, browser) -> dict[str, dict]:
    """Every page type in both languages, loaded once on a 320 px touch phone, with what each
    check below needs: width, small targets, weight and requests, axe's findings, and the
    width at 200 % text on a 640 px window (a 1280 px desktop zoomed to 200 %). One load per
    page instead of one per check: loading and laying out was most of these checks' time."""
    base = module_live_server.url
    context = browser.new_context(viewport=PHONE, has_touch=True, locale="vi-VN",
                                  bypass_csp=True)  # axe-core's script must run
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    facts = {}
    for name, path in all_pages(module_app).items():
        requested.clear()
        page.set_viewport_size(PHONE)
        page.goto(base + path, wait_until="load")
        weight = page.evaluate(WEIGHT_JS)
        facts[name] = {
            "width": page.evaluate("document.documentElement.scrollWidth"),
            "small targets": page.evaluate(TARGETS_JS),
            "bytes": weight["bytes"],
            "loaded": weight["urls"],
            "elsewhere": [u for u in requested + weight["urls"] if not u.startswith(base)],
            "axe": axe_violations(page),
        }
        page.set_viewport_size({"width": 640, "height": 900})
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        facts[name]["width at 200 %"] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    return facts


def _found(walked: dict[str, dict], fact: str, wrong) -> dict:
    return {name: facts[fact] for name, facts in walked.items() if wrong(facts[fact])}


@pytest.mark.browser
def test_axe_finds_nothing_on_any_page(walked):
    assert _found(walked, "axe", bool) == {}


@pytest.mark.browser
def test_no_horizontal_scrolling_at_320px(walked):
    assert _found(walked, "width", lambda width: width > PHONE["width"]) == {}


@pytest.mark.browser
def test_touch_targets_are_at_least_44px_on_a_phone(walked):
    assert _found(walked, "small targets", bool) == {}


@pytest.mark.browser
def test_text_resizes_to_200_percent_without_horizontal_scrolling(walked):
    assert _found(walked, "width at 200 %", lambda width: width > 640) == {}


@pytest.mark.browser
def test_pages_are_light_and_load_nothing_from_elsewhere(walked):
    assert _found(walked, "bytes", lambda size: size > PAGE_BUDGET) == {}
    assert _found(walked, "elsewhere", bool) == {}
    # Files from the browser's cache are counted too: every page's stylesheet is.
    assert _found(walked, "loaded", lambda urls: not any("/static/css/" in u for u in urls)) == {}


@pytest.mark.browser
def test_skip_link_comes_first_and_focus_is_visible(live_server, phone):
    phone.goto(live_server.url + "/thu-tuc/dang-ky-khai-sinh")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    box = phone.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["height"] >= MIN_TARGET - 4
    phone.keyboard.press("Enter")
    assert phone.evaluate("location.hash") == "#main"
    invisible = []
    for _ in range(25):
        phone.keyboard.press("Tab")
        style = phone.evaluate("""() => { const el = document.activeElement;
            const s = getComputedStyle(el);
            return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 30),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                    shadow: s.boxShadow !== 'none', bg: s.backgroundColor}; }""")
        if style["tag"] != "BODY" and not (style["outline"] or style["shadow"]):
            invisible.append(style)
    assert invisible == []


def test_static_assets_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/")
    assets = [a for a in attr_values(page, "[href]", "href") + attr_values(page, "[src]", "src")
              if a.startswith("/static/")]
    assert assets and all("?v=" in a for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        response.close()


@pytest.mark.browser
def test_calculator_and_feedback_work_without_javascript(live_server, browser, ctx):
    from app.extensions import db
    from app.models import Feedback

    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server.url + "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh")
    page.fill("#count", "5")
    page.click(".calculator button")
    assert "7.000" in page.locator(".result-box").inner_text()
    page.check("input[name=useful][value=no]")
    page.fill("#useful-reason", "Thiếu giờ làm việc")
    page.click("#useful button")
    assert "feedback=thanks" in page.url
    assert page.locator("#feedback .notice-success").count() == 1
    context.close()
    rows = db.session.scalars(db.select(Feedback)).all()
    assert [(r.kind, r.useful, r.reason) for r in rows] == [("useful", False, "Thiếu giờ làm việc")]


# A4 less print.css's 12 mm margins, in CSS pixels (96 per inch): the width a checklist is laid
# out at when printed.
A4_PRINT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
PDF_SAMPLE = 3


@pytest.mark.browser
def test_every_checklist_prints_on_one_a4_page(app, live_server, browser):
    """Every checklist, both languages, is laid out in print media at the printed width and
    measured; the tallest of each language are printed to PDF by Chromium and must be one page.
    A checklist no taller than one proven to fit on a page fits too, so printing each of the
    ~100 checklists (most of this test's former run time) adds nothing."""
    with app.app_context():
        slugs = [p.slug for p in queries.listed_procedures()]
    context = browser.new_context(viewport={"width": A4_PRINT_WIDTH, "height": 1000})
    page = context.new_page()
    page.emulate_media(media="print")
    too_long = {}
    for lang in LANGS:
        heights = {}
        for slug in slugs:
            page.goto(f"{live_server.url}{with_lang(f'/thu-tuc/{slug}/in', lang)}")
            heights[slug] = page.evaluate("() => document.documentElement.scrollHeight")
        tallest = sorted(heights, key=heights.get, reverse=True)[:PDF_SAMPLE]
        for slug in tallest:
            page.goto(f"{live_server.url}{with_lang(f'/thu-tuc/{slug}/in', lang)}")
            pdf = page.pdf(format="A4", print_background=False)
            count = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            if count != 1:
                too_long[f"{slug} [{lang}] ({heights[slug]} px)"] = count
    context.close()
    assert too_long == {}
