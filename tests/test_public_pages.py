"""Pages across procedures, feedback, errors and the files crawlers read."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy.exc import OperationalError

from app.config import TestConfig
from app.dates import today_local
from app.extensions import db
from app.models import Procedure
from tests.html import attr_values, every, one, text
from tests.pages import check_page

SITE = TestConfig.SITE_URL

BIRTH = "/thu-tuc/dang-ky-khai-sinh"


def html_of(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def fee_rows(html: str) -> list:
    """The rows of the schedule's table (its first body)."""
    return every(one(html, "tbody"), "tr")


def amounts(rows: list) -> list[int | None]:
    out = []
    for row in rows:
        last = one(row, "td > strong:first-child").get_text()
        if match := re.search(r"([\d.]+)\xa0₫", last):
            out.append(int(match.group(1).replace(".", "")))
        elif "Miễn phí" in last:  # also "nếu …: Miễn phí", "Miễn phí (chưa xác minh …)"
            out.append(0)
        else:
            out.append(None)
    return out


# --- fee schedule, online services, life events, privacy -------------------------------------

def test_fee_schedule_lists_every_fee(client, ctx):
    check_page(client.get("/le-phi"), h1="Phí, lệ phí của mọi thủ tục")
    # Every fee in force today, and every version announced for later (never an ended one).
    today = today_local()
    # Each fee once (a fee stored once for three channels is one row); a procedure with
    # no fee at all is one "Chưa rõ" row.
    listed = [p for p in db.session.scalars(db.select(Procedure))
              if p.published and p.status != "replaced"]
    fees = [f for p in listed for f in p.fees]
    current = [f for f in fees if f.valid_until is None or f.valid_until >= today]
    unknown = [p for p in listed if not any(f in current for f in p.fees)]
    assert len(current) < len(fees)  # the demo data has ended versions: leaving them out counts
    rows = fee_rows(html_of(client, "/le-phi"))
    assert len(rows) == len(current) + len(unknown)
    assert sum("Chưa rõ" in text(row) for row in rows) == len(unknown)


def test_fee_schedule_filters_by_field_and_free_only(client):
    rows = fee_rows(html_of(client, "/le-phi?field=chung-thuc"))
    assert rows and all(any("chung-thuc" in href for href in attr_values(r, "[href]", "href"))
                        for r in rows)
    free = fee_rows(html_of(client, "/le-phi?free=1"))
    assert free and set(amounts(free)) == {0}
    html = html_of(client, "/le-phi?field=chung-thuc&free=1&sort=amount")
    assert one(html, 'option[value="chung-thuc"][selected]')
    assert one(html, 'input[name="free"][value="1"][checked]')


def test_fee_schedule_sorts_by_amount_with_unknown_last(client):
    up = amounts(fee_rows(html_of(client, "/le-phi?sort=amount")))
    known = [a for a in up if a is not None]
    assert known == sorted(known) and up[: len(known)] == known
    down = [a for a in amounts(fee_rows(html_of(client, "/le-phi?sort=-amount")))
            if a is not None]
    assert down == sorted(down, reverse=True)
    assert fee_rows(html_of(client, "/le-phi?sort=nonsense"))  # ignored, not an error


def test_online_services_by_class_with_portal_links(app, client, ctx):
    response = client.get("/dich-vu-truc-tuyen")
    check_page(response, h1="Dịch vụ công trực tuyến")
    html = response.get_data(as_text=True)
    full = one(html, 'section[aria-labelledby="online-full"]')
    partial = one(html, 'section[aria-labelledby="online-partial"]')
    linked = 0
    for proc in db.session.scalars(db.select(Procedure).filter_by(status="in_force")):
        link = f"/thu-tuc/{proc.slug}"
        section = {"full": full, "partial": partial}.get(proc.online_class)
        if section is None:
            assert link not in attr_values(html, "[href]", "href")
        else:
            links = attr_values(section, "[href]", "href")
            assert link in links
            # A link only where the portal's own id is known (never one built from the code).
            portal = proc.online_url or (app.config["ONLINE_SERVICE_URL_TEMPLATE"].format(
                portal_id=proc.portal_id, code=proc.code) if proc.portal_id else None)
            if portal:
                assert portal in links
                linked += 1
            assert f"ma_thu_tuc={proc.code}" not in str(section)
    assert linked >= 1  # the demo data knows 1.004222's portal id: its link is checked
    assert "Trước đây mức độ 4" in text(full) and "Mức độ 3:" in html


def test_life_events_link_their_procedures_in_order(client, ctx):
    from app import queries

    check_page(client.get("/su-kien-cuoc-song"), h1="Thủ tục theo sự kiện")
    index = html_of(client, "/su-kien-cuoc-song")
    events = queries.life_events()
    hrefs = attr_values(index, "a", "href")
    assert len(events) >= 5 and all(any(h.endswith(f"/su-kien-cuoc-song/{e.slug}")
                                        for h in hrefs) for e in events)
    event = queries.life_event_by_slug("sinh-con")
    html = html_of(client, "/su-kien-cuoc-song/sinh-con")
    check_page(client.get("/su-kien-cuoc-song/sinh-con"), h1=event.name)
    links = [s.procedure.slug for s in event.steps if s.procedure and s.procedure.published]
    hrefs = attr_values(html, "[href]", "href")
    positions = [hrefs.index(f"/thu-tuc/{slug}") for slug in links]
    assert links and positions == sorted(positions)
    assert client.get("/su-kien-cuoc-song/khong-co").status_code == 404


def test_privacy_page_says_exactly_what_is_stored(app, client):
    from app.search.querylog import KEEP_DAYS

    response = client.get("/quyen-rieng-tu")
    check_page(response, h1="Quyền riêng tư")
    # Citizens' pages set no cookie (tests/test_no_cookies.py), and the page says so: no
    # "lang" or "session" cookie described any more.
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert "không đặt cookie nào" in html and not every(html, "code")
    # The feedback rate limit and the search counts, with the figures the code uses.
    minutes = app.config["FEEDBACK_RATE_WINDOW"] // 60
    assert f"trong {minutes} phút" in html and "khóa bí mật" in html
    assert f"xóa sau {KEEP_DAYS} ngày" in html
    english = html_of(client, "/en/quyen-rieng-tu")
    assert "This site sets no cookies" in english and f"over {minutes} minutes" in english
    assert "địa chỉ IP" in html
    assert "/quyen-rieng-tu" in attr_values(html_of(client, "/"), "a", "href")  # every page


# Feedback forms: tests/test_security_feedback.py (no token, cross-site refusal, rate limit).


# --- errors ---------------------------------------------------------------------------------

def test_404_is_in_the_site_layout_in_both_languages(client):
    page = check_page(client.get("/khong-co-trang-nay"), status=404, h1="Không tìm thấy trang")
    assert page.title.startswith("Không tìm thấy trang")
    check_page(client.get("/en/khong-co-trang-nay"), status=404, lang="en",
               h1="Page not found")
    assert one(html_of(client, "/khong-co-trang-nay"), ".lang-switch")


@pytest.fixture
def failing_app(app):
    def boom():
        raise RuntimeError("boom")

    def database_down():
        raise OperationalError("SELECT 1", {}, Exception("gone"))

    app.config["PROPAGATE_EXCEPTIONS"] = False
    for prefix in ("", "/en"):
        app.add_url_rule(f"{prefix}/_test/boom", f"boom{prefix}", boom)
        app.add_url_rule(f"{prefix}/_test/db", f"db{prefix}", database_down)
    return app


def test_500_and_503_pages_are_in_the_site_layout(failing_app):
    client = failing_app.test_client()
    page = check_page(client.get("/_test/boom"), status=500, h1="Xin lỗi, đã có lỗi xảy ra")
    assert "Trung tâm Phục vụ hành chính công" in page.title
    check_page(client.get("/en/_test/boom"), status=500, lang="en",
               h1="Sorry, something went wrong")
    check_page(client.get("/_test/db"), status=503,
               h1="Xin lỗi, hệ thống tạm thời gián đoạn")


# --- files for crawlers and browsers ---------------------------------------------------------

def test_sitemap_lists_every_public_page_once(client, ctx):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(response.data).findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs))
    for proc in db.session.scalars(db.select(Procedure)):
        url = f"{SITE}/thu-tuc/{proc.slug}"
        assert (url in locs) == (proc.status != "replaced" and proc.published)
    assert f"{SITE}/le-phi" in locs and f"{SITE}/" in locs
    assert f"{SITE}/en/le-phi" in locs and f"{SITE}/en/" in locs


def test_robots_and_favicon(client):
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.get_data(as_text=True)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"
    icon.close()
    assert client.get("/kiosk/robots.txt").status_code == 404


# --- the address snapshot ------------------------------------------------------------------
# Procedure and kiosk addresses end up on posters, in QR codes and in browsers left open: every
# address of the last release stays routed (app.legacy_urls answers 301 for those that moved)
# and every new one is added here on purpose. /editor, /api (see its OpenAPI contract) and
# /static are not citizens' addresses.
NOT_PUBLIC = ("/editor", "/api/", "/static/")
# Citizens' pages: the public blueprint, served at / and /kiosk (since 2026-11 also at /en and
# /kiosk/en, app.i18n.MOUNTS).
PAGES_BEFORE = [
    "/", "/co-quan", "/co-quan/<slug>", "/dich-vu-truc-tuyen", "/favicon.ico", "/le-phi",
    "/linh-vuc/<slug>", "/mau-don/<path:name>", "/quyen-rieng-tu", "/robots.txt",
    "/sitemap.xml", "/su-kien-cuoc-song", "/su-kien-cuoc-song/<slug>", "/thu-tuc/<slug>",
    "/thu-tuc/<slug>/in", "/thu-tuc/<slug>/y-kien", "/tim-kiem",
]
PAGES_ADDED = ["/ket-qua-phuc-vu", "/ket-qua-phuc-vu/ket-qua.csv", "/van-ban-phap-luat",
               "/gio-lam-viec", "/tra-cuu-ho-so", "/phan-anh-kien-nghi"]
PAGES_ADDED += ["/thay-doi.atom", "/linh-vuc/<slug>/thay-doi.atom"]  # Atom feeds of changes
PAGES_ADDED += ["/van-ban-phap-luat/<int:doc_id>"]  # one register entry and who cites it
KIOSK_ONLY_BEFORE = ["/<path:unknown>", "/qr.svg"]  # under each kiosk mount
KIOSK_ONLY_ADDED = ["/kiosk.css", "/goi-y"]
OTHER_BEFORE = [
    "/healthz",
    "/kiosk/bat-dau-lai",  # 301 → /kiosk/ (the kiosk's old reset)
    "/files/<string(maxlength=40):name>",  # 301 → /mau-don/<name>
]
OTHER_ADDED = ["/.well-known/security.txt", "/danh-gia/quay/<number>",
               "/danh-gia/quay/<number>/ket-noi"]


def _addresses(mounts: tuple[str, ...], pages: list[str], kiosk_only: list[str]) -> set[str]:
    return ({mount + page for mount in mounts for page in pages}
            | {mount + page for mount in mounts if mount.startswith("/kiosk")
               for page in kiosk_only})


def test_public_url_snapshot(app):
    rules = {r.rule for r in app.url_map.iter_rules() if not r.rule.startswith(NOT_PUBLIC)}
    before = _addresses(("", "/kiosk"), PAGES_BEFORE, KIOSK_ONLY_BEFORE) | set(OTHER_BEFORE)
    assert len(before) == 39  # the release before 2026-11, as its URL map listed them
    assert sorted(before - rules) == []  # nothing handed out before has gone
    now = (_addresses(("", "/en", "/kiosk", "/kiosk/en"), PAGES_BEFORE + PAGES_ADDED,
                      KIOSK_ONLY_BEFORE + KIOSK_ONLY_ADDED) | set(OTHER_ADDED + OTHER_BEFORE))
    assert sorted(rules - now) == []  # a new address: add it above, deliberately
    assert sorted(now - rules) == []


def test_every_old_address_still_answers(client, ctx):
    """Routed is not enough: each old page address, filled from the demo data, still leads to
    a page, directly or by redirects."""
    from app import queries

    samples = {
        "<slug>/in": "dang-ky-khai-sinh/in",
        "/thu-tuc/<slug>": "/thu-tuc/dang-ky-khai-sinh",
        "/co-quan/<slug>": "/co-quan/" + queries.agencies_with_counts()[0][0].slug,
        "/linh-vuc/<slug>": "/linh-vuc/" + queries.fields_with_counts()[0][0].slug,
        "/su-kien-cuoc-song/<slug>": "/su-kien-cuoc-song/" + queries.life_events()[0].slug,
    }
    # Not pages: a form's POST target (tests/test_security_feedback.py), form files (below);
    # the crawler files live at the root only, as before.
    skipped = {"/thu-tuc/<slug>/y-kien", "/mau-don/<path:name>", "/kiosk/robots.txt",
               "/kiosk/sitemap.xml"}
    paths = [mount + page for mount in ("", "/kiosk") for page in PAGES_BEFORE
             if mount + page not in skipped and page not in skipped]
    paths += ["/kiosk/bat-dau-lai", "/healthz"]
    assert len(paths) == 30
    for path in paths:
        for pattern, value in samples.items():
            path = path.replace(pattern, value)
        with client.get(path, follow_redirects=True) as response:
            assert response.status_code == 200, path
    # An old form-file address leads to the one route that serves files (404: linked by none).
    with client.get("/files/abc", follow_redirects=True) as response:
        assert response.status_code == 404 and response.request.path == "/mau-don/abc"


def test_pages_under_kiosk_link_within_the_kiosk(client):
    html = html_of(client, "/kiosk" + BIRTH)
    internal = [h for h in attr_values(html, "[href]", "href") if h.startswith("/")]
    pages = [h for h in internal if not h.startswith(("/static/", "/kiosk/"))]
    assert pages == []
