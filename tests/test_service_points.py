"""Where and when: opening hours with exceptions in Asia/Ho_Chi_Minh, today's state on the
site page, the kiosk page, the kiosk's home tile and the API, as the app's clock moves."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from app.extensions import db
from app.models.service_points import HoursException, ServicePoint
from tests.pages import check_page

VN = timezone(timedelta(hours=7))


@pytest.fixture
def clock(app):
    """Move the app's clock: ``clock("2026-12-07 10:00")`` is that local time in Viet Nam."""
    state = {}
    app.config["CLOCK"] = lambda: state["now"]

    def move(local: str) -> None:
        state["now"] = datetime.fromisoformat(local).replace(tzinfo=VN)

    move("2026-12-07 10:00")  # a Monday
    return move


def centre_state(client, path: str = "/gio-lam-viec") -> str:
    html = client.get(path).get_data(as_text=True)
    start = html.index('class="service-point-state')
    return html[html.index("<strong>", start) + 8:html.index("</strong>", start)]


@pytest.mark.parametrize(("local", "state"), [
    ("2026-12-07 07:29", "Đã nghỉ, mở lại 7:30 hôm nay"),
    ("2026-12-07 07:30", "Đang mở cửa – đến 11:30"),
    ("2026-12-07 11:30", "Đã nghỉ, mở lại 13:30 hôm nay"),
    ("2026-12-07 16:59", "Đang mở cửa – đến 17:00"),
    ("2026-12-07 17:00", "Đã nghỉ, mở lại 7:30 ngày mai"),
    ("2026-12-12 11:45", "Đã nghỉ, mở lại 7:30 thứ Hai"),  # Saturday, after the morning
    ("2026-12-31 17:30", "Đã nghỉ, mở lại 7:30 thứ Bảy"),  # 1/1/2027 is a holiday
    ("2027-01-01 09:00", "Đã nghỉ, mở lại 7:30 ngày mai"),
])
def test_todays_state_follows_the_clock_and_the_holidays(client, clock, local, state):
    clock(local)
    assert centre_state(client) == state
    assert centre_state(client, "/kiosk/gio-lam-viec") == state


def test_english_state_and_the_kiosk_home_tile(client, clock):
    clock("2026-12-12 12:00")
    assert centre_state(client, "/en/gio-lam-viec") == "Closed, opens again at 7:30 Monday"
    home = client.get("/kiosk/").get_data(as_text=True)
    assert '<span class="kiosk-tile-note">Đã nghỉ, mở lại 7:30 thứ Hai</span>' in home


def test_an_exception_editors_enter_closes_the_day(app, client, clock):
    clock("2026-12-08 09:00")  # a Tuesday, normally open
    assert centre_state(client) == "Đang mở cửa – đến 11:30"
    with app.app_context():
        centre = db.session.query(ServicePoint).filter_by(kind="centre").one()
        centre.exceptions.append(HoursException(
            start_date=date(2026, 12, 8), end_date=date(2026, 12, 9), closed=True,
            reason="Nghỉ đột xuất"))
        db.session.commit()
    assert centre_state(client) == "Đã nghỉ, mở lại 7:30 thứ Năm"
    page = client.get("/gio-lam-viec").get_data(as_text=True)
    assert "08/12/2026 – 09/12/2026</strong>: Đã nghỉ – Nghỉ đột xuất" in page
    api = client.get("/api/v1/service-points").get_json()
    assert api["items"][0]["open_now"] is False
    assert api["items"][0]["exceptions"][0] == {
        "from": "2026-12-08", "until": "2026-12-09", "closed": True, "opens": None,
        "closes": None, "reason": "Nghỉ đột xuất"}


def test_special_hours_on_a_day(app, client, clock):
    with app.app_context():
        centre = db.session.query(ServicePoint).filter_by(kind="centre").one()
        centre.exceptions.append(HoursException(
            start_date=date(2026, 12, 24), end_date=date(2026, 12, 24), closed=False,
            opens=time(8, 0), closes=time(10, 0), reason="Họp cuối năm"))
        db.session.commit()
    clock("2026-12-24 07:45")
    assert centre_state(client) == "Đã nghỉ, mở lại 8:00 hôm nay"
    clock("2026-12-24 09:59")
    assert centre_state(client) == "Đang mở cửa – đến 10:00"
    clock("2026-12-24 10:00")
    assert centre_state(client) == "Đã nghỉ, mở lại 7:30 ngày mai"


def test_the_api_contract(client, clock):
    response = client.get("/api/v1/service-points")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    items = response.get_json()["items"]
    assert [i["kind"] for i in items] == ["centre", "reception", "online_support"]
    for item in items:
        assert sorted(item) == sorted(["name", "kind", "address", "counters", "opening_hours",
                                       "exceptions", "open_now"])
    centre = items[0]
    assert centre["counters"][0] == {"number": "1", "handles": "Tư pháp – Hộ tịch, Chứng thực"}
    assert {"weekday": 1, "opens": "07:30", "closes": "11:30"} in centre["opening_hours"]
    assert not any(h["weekday"] == 7 for h in centre["opening_hours"])  # Sunday: closed
    assert centre["open_now"] is True  # Monday 10:00
    assert items[2]["open_now"] is False and items[2]["counters"] == []

    at = client.get("/api/v1/service-points?at=2027-01-01T09:00").get_json()["items"]
    assert at[0]["open_now"] is False  # the holiday
    assert at[0]["exceptions"][0]["from"] == "2027-01-01"
    assert client.get("/api/v1/service-points?at=2026-12-13T18:30:00").get_json()[
        "items"][2]["open_now"] is False  # Sunday evening: the support point opens mornings
    for bad in ("2026-02-30T10:00", "tomorrow", "2026-12-07 10:00", "2026-12-07T10:00+07:00",
                "2026-12-07", ""):
        refused = client.get("/api/v1/service-points", query_string={"at": bad})
        assert refused.status_code == 400, bad
        assert "at must be a local date-time" in refused.get_json()["error"]["message"]


def test_the_site_and_kiosk_pages(client, clock):
    for path, lang, h1 in (("/gio-lam-viec", "vi", "Giờ làm việc và các quầy"),
                           ("/en/gio-lam-viec", "en", "Opening hours and counters"),
                           ("/kiosk/gio-lam-viec", "vi", "Giờ làm việc và các quầy")):
        response = client.get(path)
        check_page(response, lang=lang, h1=h1)
        assert "Set-Cookie" not in response.headers
    html = client.get("/gio-lam-viec").get_data(as_text=True)
    for text in ("Các quầy", "Tư pháp – Hộ tịch, Chứng thực", "Thứ Hai",
                 "7:30–11:30, 13:30–17:00", "Chủ nhật", "Tết Dương lịch", "Điểm tiếp nhận hồ sơ",
                 "Điểm hỗ trợ dịch vụ công trực tuyến"):
        assert text in html, text
