"""The counter tablets page (issue #23, item 6): a new address is shown as a QR code that
decodes (rendered by Chromium, read by zxing-cpp) to the tablet's address with its token; the
token is never printed as text; times read dd/mm/yyyy HH:MM."""

from __future__ import annotations

import re

import pytest

from app.quality import tablets
from tests.editor_support import browser_sign_in, csrf_token, make_user, signed_in
from tests.html import one, soup, text

PAGE = "/editor/admin/may-danh-gia"


@pytest.fixture
def issued(monkeypatch) -> list[str]:
    """The tokens the page issues, caught on their way (the page must not show them)."""
    tokens: list[str] = []
    real = tablets.issue

    def catching(*args, **kwargs):
        tablet, token = real(*args, **kwargs)
        if token:
            tokens.append(token)
        return tablet, token

    monkeypatch.setattr(tablets, "issue", catching)
    return tokens


def test_the_token_is_not_printed_and_times_are_day_month_year(app, issued):
    admin = signed_in(app, "admin")
    page = admin.get(PAGE).get_data(as_text=True)
    html = admin.post(f"{PAGE}/3", data={"csrf_token": csrf_token(page),
                                         "action": "issue"}).get_data(as_text=True)
    [token] = issued
    assert token not in html  # not as text, not in an attribute: only drawn in the QR code
    qr = one(html, "#tablet-qr svg[role=img]")
    assert qr.get("aria-label") and token not in qr["aria-label"]
    assert "/danh-gia/quay/3" in text(one(html, "#tablet-qr figcaption"))
    listed = admin.get(PAGE).get_data(as_text=True)
    assert re.search(r"Issued \d{2}/\d{2}/\d{4} \d{2}:\d{2}", text(soup(listed)))


DRAW = """async () => {
  const svg = document.querySelector('#tablet-qr svg');
  const xml = new XMLSerializer().serializeToString(svg);
  const img = new Image();
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
  await img.decode();
  const scale = 2, pad = 24;
  const w = img.naturalWidth * scale + 2 * pad, h = img.naturalHeight * scale + 2 * pad;
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
  ctx.drawImage(img, pad, pad, img.naturalWidth * scale, img.naturalHeight * scale);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const grey = new Array(w * h);
  for (let i = 0; i < w * h; i++) grey[i] = rgba[4 * i];
  return {w, h, grey};
}"""


@pytest.mark.browser
def test_the_qr_code_decodes_to_the_tablet_address(app, live_server, browser, issued):
    zxingcpp = pytest.importorskip("zxingcpp")
    make_user(app, "admin@example.org", "admin")
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    try:
        browser_sign_in(page, live_server.url, "admin@example.org")
        page.goto(live_server.url + PAGE)
        page.locator("form[action$='/may-danh-gia/3'] button[value=issue]").click()
        page.wait_for_selector("#tablet-qr svg")
        drawn = page.evaluate(DRAW)
    finally:
        context.close()
    image = memoryview(bytes(drawn["grey"])).cast("B", (drawn["h"], drawn["w"]))
    [code] = zxingcpp.read_barcodes(image)
    [token] = issued
    with app.test_request_context():
        counter = tablets.counter_by_number("3")
        expected = tablets.tablet_url(tablets.live_tablet(counter), token)
    assert code.text == expected
    assert code.text.endswith(f"/danh-gia/quay/3#t={token}")
