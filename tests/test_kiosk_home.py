"""The kiosk made for people standing at it, in real Chromium at 1080×1920 with touch: a home
that fits one screen, few taps to a printed checklist for every published procedure, QR codes
readable in high contrast, buttons whose text never wraps, the results page's month buttons
and charts readable standing, the dossier hand-off."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from app import queries
from app.kiosk.home import POPULAR_TILES
from tests.html import soup
from tests.test_kiosk import KIOSK, READY, open_kiosk

pytestmark = pytest.mark.browser
PRINT_STUB = "window.print = () => { window.printed = (window.printed || 0) + 1; };"


@pytest.fixture
def kiosk(browser):
    context = browser.new_context(**KIOSK)
    context.add_init_script(PRINT_STUB)
    yield context.new_page()
    context.close()


def test_the_home_fits_one_screen_in_both_languages(live_server, kiosk):
    for path in ("/kiosk/", "/kiosk/en/"):
        open_kiosk(kiosk, live_server.url + path)
        assert kiosk.evaluate("document.scrollingElement.scrollHeight") <= 1920, path
        tiles = kiosk.locator(".kiosk-tiles-popular .kiosk-tile")
        assert tiles.count() == POPULAR_TILES
        for i in range(tiles.count()):
            box = tiles.nth(i).bounding_box()
            assert box["y"] + box["height"] <= 1920 and box["height"] >= 64
            assert tiles.nth(i).locator("svg.kiosk-pictogram path").count() > 0
        services = kiosk.locator(".kiosk-tiles-services")
        assert services.locator("input[name=q]").count() == 1  # search: the keyboard opens
        for end in ("/tra-cuu-ho-so", "/ket-qua-phuc-vu", "/gio-lam-viec"):
            assert services.locator(f"a[href$='{end}']").count() == 1, end
        assert kiosk.locator("[data-kiosk-back]").count() == 0
        title = kiosk.locator("h1").inner_text()
        assert "Minh Họa" in title or "Minh Hoa" in title


def test_the_attract_screen_names_the_centre(live_server, kiosk):
    open_kiosk(kiosk, live_server.url + "/kiosk/", start=False)
    attract = kiosk.locator("#kiosk-attract")
    expect(attract).to_be_visible()
    assert "Trung tâm Phục vụ hành chính công" in attract.inner_text()
    assert kiosk.locator(".kiosk-attract-hand").bounding_box()["width"] >= 300


def _taps_to_print(page, base: str, proc, field_slug: str | None) -> int:
    """From the attract screen, tap as a person would towards ``proc``'s printed checklist:
    its tile if the screen shows one, else its field's tile; then Print. Returns the taps."""
    page.goto(base + "/kiosk/")
    page.evaluate("sessionStorage.clear()")
    open_kiosk(page, base + "/kiosk/", start=False)
    page.tap("[data-kiosk-start]")
    taps = 1
    target = f'main a[href="/kiosk/thu-tuc/{proc.slug}"]'
    while not re.search(rf"/kiosk/thu-tuc/{re.escape(proc.slug)}$", page.url):
        assert taps < 6, page.url
        if page.locator(target).count():
            page.locator(target).first.tap()
        else:
            page.locator(f'.kiosk-tiles-fields a[href$="/{field_slug}"], '
                         f'.kiosk-tiles-fields a[href="/kiosk/thu-tuc/{proc.slug}"]').first.tap()
        taps += 1
        page.wait_for_load_state()
        page.wait_for_selector(READY, state="attached")
    page.tap("[data-kiosk-print]")
    taps += 1
    page.wait_for_url(re.compile(rf"/kiosk/thu-tuc/{re.escape(proc.slug)}/in$"))
    page.wait_for_function("window.printed === 1")
    return taps


def _taps_by_links(read, proc, field_slug: str | None) -> int:
    """The same walk as ``_taps_to_print``, over the pages' links (``read(path)`` parses a
    page): the kiosk's JavaScript changes no link, which the browser walks check."""
    taps, path = 1, "/kiosk/"  # the attract screen's tap
    target = f'main a[href="/kiosk/thu-tuc/{proc.slug}"]'
    while path != f"/kiosk/thu-tuc/{proc.slug}":
        assert taps < 6, path
        page = read(path)
        link = page.select_one(target) or page.select_one(
            f'.kiosk-tiles-fields a[href$="/{field_slug}"], '
            f'.kiosk-tiles-fields a[href="/kiosk/thu-tuc/{proc.slug}"]')
        assert link is not None, (path, proc.slug)
        path = str(link["href"])
        taps += 1
    assert read(path).select_one("[data-kiosk-print]") is not None, proc.slug
    return taps + 1  # Print


def test_every_published_procedure_is_few_taps_from_the_attract_screen(app, live_server,
                                                                        kiosk):
    """Every published procedure, by the links of its pages; then, for each number of taps
    found, one procedure walked with real taps in Chromium, which must take as many."""
    client, pages = app.test_client(), {}

    def read(path: str):
        if path not in pages:
            pages[path] = soup(client.get(path))
        return pages[path]

    with app.app_context():
        listed = [(p, p.field.slug if p.field else None) for p in queries.listed_procedures()]
        popular = {p.slug for p in queries.popular_procedures(POPULAR_TILES)}
        assert len(listed) >= 30 and len(popular) == POPULAR_TILES
        walks = {proc.slug: (_taps_by_links(read, proc, field), proc, field)
                 for proc, field in listed}
    counts = {slug: n for slug, (n, _proc, _field) in walks.items()}
    assert {slug: n for slug, n in counts.items() if slug in popular and n > 3} == {}
    assert {slug: n for slug, n in counts.items() if n > 4} == {}

    sample: dict[int, tuple] = {}
    for n, proc, field in walks.values():
        sample.setdefault(n, (proc, field))
    assert len(sample) >= 2  # more than one way there is walked
    for n, (proc, field) in sample.items():
        assert _taps_to_print(kiosk, live_server.url, proc, field) == n, proc.slug


def test_a_field_with_one_procedure_opens_it_directly(app, live_server, kiosk):
    with app.app_context():
        single = [f for f, count in queries.fields_with_counts() if count == 1]
    assert single
    open_kiosk(kiosk, live_server.url + "/kiosk/")
    tile = kiosk.locator(".kiosk-tiles-fields a", has_text=single[0].name).first
    assert re.fullmatch(r"/kiosk/thu-tuc/[^/]+", tile.get_attribute("href"))


def test_kiosk_search_results_have_no_sort_or_facets_and_empty_search_shows_tiles(
        live_server, kiosk):
    open_kiosk(kiosk, live_server.url + "/kiosk/tim-kiem?q=khai+sinh")
    assert kiosk.locator(".search-results li, .procedure-list li").count() > 0
    assert kiosk.locator(".search-sort, .search-facets").count() == 0
    open_kiosk(kiosk, live_server.url + "/kiosk/tim-kiem")
    assert kiosk.locator(".kiosk-tiles-popular .kiosk-tile").count() == POPULAR_TILES


# --- a QR code stays dark on light, whatever the mode -----------------------------------------

def _png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB(A) PNG as Chromium writes it (no library)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    stride = width * channels
    raw, rows, prev = zlib.decompress(data), [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                      else corner)) & 255
        rows.append(bytes(line[c] for c in range(0, stride, channels)))  # red channel
        prev = line
    return width, height, rows


def _dark_on_light(png: bytes) -> tuple[float, bool]:
    """The share of dark pixels, and whether the quiet zone (the border) is light."""
    width, height, rows = _png_pixels(png)
    dark = sum(1 for row in rows for value in row if value < 80)
    border = [rows[y][x] for y in (1, height - 2) for x in range(1, width - 1)]
    return dark / (width * height), min(border) > 200


@pytest.mark.parametrize("path", ["/kiosk/thu-tuc/dang-ky-khai-sinh", "/kiosk/tra-cuu-ho-so"])
def test_qr_codes_are_dark_on_light_in_high_contrast(live_server, kiosk, path):
    open_kiosk(kiosk, live_server.url + path)
    kiosk.tap("[data-kiosk-contrast]")
    assert kiosk.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    for code in kiosk.locator("svg.qr").all():
        share, quiet = _dark_on_light(code.screenshot())
        assert 0.25 < share < 0.75 and quiet, (path, share, quiet)


def test_the_dossier_hand_off(live_server, kiosk, app):
    open_kiosk(kiosk, live_server.url + "/kiosk/")
    kiosk.locator(".kiosk-tiles-services a[href$='/tra-cuu-ho-so']").tap()
    kiosk.wait_for_url(re.compile(r"/kiosk/tra-cuu-ho-so$"))
    kiosk.wait_for_selector(READY, state="attached")
    lookup = app.config["DOSSIER_LOOKUP_URL"]
    assert lookup in kiosk.locator(".dossier-qr").inner_text()
    assert kiosk.locator(".dossier-qr svg.qr").bounding_box()["width"] >= 250
    assert kiosk.locator("main input, main form").count() == 0  # nothing typed at the kiosk


# --- readable standing ---------------------------------------------------------------------

def test_no_button_text_wraps(app, live_server, kiosk):
    from tests.test_kiosk import kiosk_paths

    wrapped = {}
    for name, path in kiosk_paths(app).items():
        open_kiosk(kiosk, live_server.url + path)
        for contrast in (False, True):  # one load, looked at before and after the tap
            single = kiosk.evaluate("""() => [...document.querySelectorAll(
                '.kiosk-button, .kiosk-print')].filter(el => el.checkVisibility()).filter(el => {
                  const style = getComputedStyle(el);
                  return el.scrollWidth > el.clientWidth + 1 || style.whiteSpace !== 'nowrap';
                }).map(el => el.textContent.trim().slice(0, 40))""")
            if single:
                wrapped[(name, contrast)] = single
            kiosk.tap("[data-kiosk-contrast]")  # on for the second look, off after it
    assert wrapped == {}


def test_results_page_months_are_buttons_and_chart_text_is_24px(live_server, kiosk):
    open_kiosk(kiosk, live_server.url + "/kiosk/ket-qua-phuc-vu")
    assert kiosk.locator("main select").count() == 0
    months = kiosk.locator(".kiosk-months a.kiosk-button")
    assert months.count() >= 2
    box = months.first.bounding_box()
    assert box["height"] >= 64 and box["width"] >= 150
    sizes = kiosk.evaluate("""() => [...document.querySelectorAll('.quality-chart-svg text')]
      .map(t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)""")
    assert sizes and min(sizes) >= 24, min(sizes)
    target = months.nth(1)
    href = target.get_attribute("href")
    target.tap()
    kiosk.wait_for_url(re.compile(re.escape(href) + "$"))
    kiosk.wait_for_selector(READY, state="attached")
    assert kiosk.locator(".kiosk-months [aria-current=page]").get_attribute("href") == href


def test_the_hours_tile_and_page_follow_the_clock(app, live_server, kiosk):
    vn = timezone(timedelta(hours=7))
    now = {"at": datetime(2026, 12, 7, 16, 59, tzinfo=vn)}
    app.config["CLOCK"] = lambda: now["at"]
    open_kiosk(kiosk, live_server.url + "/kiosk/")
    assert "Đang mở cửa – đến 17:00" in kiosk.locator(".kiosk-tile-note").inner_text()
    now["at"] = datetime(2026, 12, 7, 17, 0, tzinfo=vn)
    kiosk.locator(".kiosk-tiles-services a[href$='/gio-lam-viec']").tap()
    kiosk.wait_for_url(re.compile(r"/kiosk/gio-lam-viec$"))
    kiosk.wait_for_selector(READY, state="attached")
    assert kiosk.locator(".service-point-state").first.inner_text() == (
        "Đã nghỉ, mở lại 7:30 ngày mai")
    now["at"] = datetime(2027, 1, 1, 9, 0, tzinfo=vn)  # a holiday: closed all day
    open_kiosk(kiosk, live_server.url + "/kiosk/gio-lam-viec")
    assert kiosk.locator(".service-point-state").first.inner_text() == (
        "Đã nghỉ, mở lại 7:30 ngày mai")
