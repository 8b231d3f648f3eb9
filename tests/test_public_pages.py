"""Pages across procedures, feedback, errors and the files crawlers read."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import Feedback, Procedure
from tests.pages import check_page

BIRTH = "/thu-tuc/dang-ky-khai-sinh"


def html_of(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def fee_rows(html: str) -> list[str]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def amounts(rows: list[str]) -> list[int | None]:
    out = []
    for row in rows:
        last = re.search(r"<td><strong>(.*?)</strong>", row, re.S).group(1)
        if last == "Miễn phí":
            out.append(0)
        elif match := re.search(r"([\d.]+)\xa0₫", last):
            out.append(int(match.group(1).replace(".", "")))
        else:
            out.append(None)
    return out


# --- fee schedule, online services, life events, privacy -------------------------------------

def test_fee_schedule_lists_every_fee(client, ctx):
    check_page(client.get("/le-phi"), h1="Phí, lệ phí của mọi thủ tục")
    total = sum(len(c.fees) for p in db.session.scalars(db.select(Procedure))
                if p.published for c in p.channels)
    assert len(fee_rows(html_of(client, "/le-phi"))) == total


def test_fee_schedule_filters_by_field_and_free_only(client):
    rows = fee_rows(html_of(client, "/le-phi?field=chung-thuc"))
    assert rows and all("chung-thuc" in r for r in rows)
    free = fee_rows(html_of(client, "/le-phi?free=1"))
    assert free and set(amounts(free)) == {0}
    html = html_of(client, "/le-phi?field=chung-thuc&free=1&sort=amount")
    assert '<option value="chung-thuc" selected>' in html
    assert 'name="free" value="1" checked' in html


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
    full = html[html.index('id="online-full"'):html.index('id="online-partial"')]
    partial = html[html.index('id="online-partial"'):html.index('id="levels-heading"')]
    for proc in db.session.scalars(db.select(Procedure).filter_by(status="in_force")):
        link = f'href="/thu-tuc/{proc.slug}"'
        section = {"full": full, "partial": partial}.get(proc.online_class)
        if section is None:
            assert link not in html
        else:
            assert link in section
            portal = app.config["ONLINE_SERVICE_URL_TEMPLATE"].format(code=proc.code)
            assert portal.replace("&", "&amp;") in section
    assert "Trước đây mức độ 4" in full and "Mức độ 3:" in html


def test_life_events_link_their_procedures_in_order(client, ctx):
    from app import queries

    check_page(client.get("/su-kien-cuoc-song"), h1="Sự kiện cuộc sống")
    index = html_of(client, "/su-kien-cuoc-song")
    events = queries.life_events()
    assert len(events) >= 5 and all(f'/su-kien-cuoc-song/{e.slug}"' in index for e in events)
    event = queries.life_event_by_slug("sinh-con")
    html = html_of(client, "/su-kien-cuoc-song/sinh-con")
    check_page(client.get("/su-kien-cuoc-song/sinh-con"), h1=event.name)
    links = [s.procedure.slug for s in event.steps if s.procedure and s.procedure.published]
    positions = [html.index(f'href="/thu-tuc/{slug}"') for slug in links]
    assert links and positions == sorted(positions)
    assert client.get("/su-kien-cuoc-song/khong-co").status_code == 404


def test_privacy_page_says_exactly_what_is_stored(client):
    check_page(client.get("/quyen-rieng-tu"), h1="Quyền riêng tư")
    html = html_of(client, "/quyen-rieng-tu")
    assert "<code>lang</code>" in html and "<code>session</code>" in html
    assert "địa chỉ IP" in html
    assert 'href="/quyen-rieng-tu"' in html_of(client, "/")  # linked from every page


# --- feedback -------------------------------------------------------------------------------

def csrf(client, path: str = BIRTH) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html_of(client, path)).group(1)


def test_useful_answer_is_stored_anonymously(client, ctx):
    token = csrf(client)
    response = client.post(BIRTH + "/y-kien", data={
        "csrf_token": token, "kind": "useful", "useful": "no",
        "reason": "Gọi tôi 0912 345 678 hoặc a.b@example.com, CCCD 012345678901"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 303
    assert response.location.endswith(BIRTH + "?feedback=thanks#feedback")
    row = db.session.scalars(db.select(Feedback)).one()
    assert (row.kind, row.useful) == ("useful", False)
    assert row.procedure_id == db.session.scalar(
        db.select(Procedure.id).filter_by(code="1.001193"))
    for secret in ("0912", "345 678", "example.com", "012345678901"):
        assert secret not in row.reason
    assert "203.0.113.9" not in repr(vars(row))
    thanks = html_of(client, BIRTH + "?feedback=thanks")
    assert "Cảm ơn bạn." in thanks


def test_a_report_needs_a_description(client, ctx):
    token = csrf(client)
    empty = client.post(BIRTH + "/y-kien", data={"csrf_token": token, "kind": "report",
                                                 "reason": "  "})
    assert empty.status_code == 303 and empty.location.endswith("feedback=describe#report")
    html = html_of(client, BIRTH + "?feedback=describe")
    assert "Hãy cho biết thông tin nào bị sai" in html
    assert '<details class="details" id="report" open>' in html
    sent = client.post(BIRTH + "/y-kien", data={"csrf_token": token, "kind": "report",
                                                "reason": "Phí đã thay đổi"})
    assert sent.status_code == 303
    assert [(f.kind, f.reason) for f in db.session.scalars(db.select(Feedback))] == [
        ("report", "Phí đã thay đổi")]


def test_feedback_without_a_choice_or_a_token_is_refused(client, ctx):
    token = csrf(client)
    unchosen = client.post(BIRTH + "/y-kien", data={"csrf_token": token, "kind": "useful"})
    assert unchosen.location.endswith("feedback=choose#useful")
    assert "Hãy chọn Có hoặc Không" in html_of(client, BIRTH + "?feedback=choose")
    forged = client.post(BIRTH + "/y-kien", data={"kind": "useful", "useful": "yes"})
    check_page(forged, status=400)
    assert db.session.scalars(db.select(Feedback)).all() == []


# --- errors ---------------------------------------------------------------------------------

def test_404_is_in_the_site_layout_in_both_languages(client):
    page = check_page(client.get("/khong-co-trang-nay"), status=404, h1="Không tìm thấy trang")
    assert page.title.startswith("Không tìm thấy trang")
    check_page(client.get("/khong-co-trang-nay?lang=en"), status=404, lang="en",
               h1="Page not found")
    assert 'class="lang-switch"' in html_of(client, "/khong-co-trang-nay")


@pytest.fixture
def failing_app(app):
    def boom():
        raise RuntimeError("boom")

    def database_down():
        raise OperationalError("SELECT 1", {}, Exception("gone"))

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.add_url_rule("/_test/boom", view_func=boom)
    app.add_url_rule("/_test/db", view_func=database_down)
    return app


def test_500_and_503_pages_are_in_the_site_layout(failing_app):
    client = failing_app.test_client()
    page = check_page(client.get("/_test/boom"), status=500, h1="Xin lỗi, đã có lỗi xảy ra")
    assert "Bộ phận một cửa" in page.title
    check_page(client.get("/_test/boom?lang=en"), status=500, lang="en",
               h1="Sorry, something went wrong")
    check_page(client.get("/_test/db?lang=vi"), status=503,
               h1="Xin lỗi, hệ thống tạm thời gián đoạn")


# --- files for crawlers and browsers ---------------------------------------------------------

def test_sitemap_lists_every_public_page_once(client, ctx):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(response.data).findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs))
    for proc in db.session.scalars(db.select(Procedure)):
        url = f"http://localhost/thu-tuc/{proc.slug}"
        assert (url in locs) == (proc.status != "replaced" and proc.published)
    assert "http://localhost/le-phi" in locs and "http://localhost/" in locs


def test_robots_and_favicon(client):
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in robots.get_data(as_text=True)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"
    icon.close()
    assert client.get("/kiosk/robots.txt").status_code == 404


def test_public_url_snapshot(app):
    """Procedure URLs end up on posters and in QR codes: changing one must be deliberate."""
    rules = sorted(r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("public."))
    expected = [
        "/", "/co-quan", "/co-quan/<slug>", "/dich-vu-truc-tuyen", "/favicon.ico", "/le-phi",
        "/linh-vuc/<slug>", "/mau-don/<path:name>", "/quyen-rieng-tu", "/robots.txt",
        "/sitemap.xml", "/su-kien-cuoc-song", "/su-kien-cuoc-song/<slug>", "/thu-tuc/<slug>",
        "/thu-tuc/<slug>/in", "/thu-tuc/<slug>/y-kien",
    ]
    assert [r for r in rules if r != "/tim-kiem"] == expected


def test_pages_under_kiosk_link_within_the_kiosk(client):
    html = html_of(client, "/kiosk" + BIRTH)
    internal = re.findall(r'href="(/[^"]*)"', html)
    pages = [h for h in internal if not h.startswith(("/static/", "/kiosk/"))]
    assert pages == []
