"""Citizens' feedback forms: no per-visitor token, cross-site posts refused, rate-limited."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Feedback, Procedure, RateEvent
from tests.pages import check_page

BIRTH = "/thu-tuc/dang-ky-khai-sinh"
POST = BIRTH + "/y-kien"
USEFUL = {"kind": "useful", "useful": "yes"}
SAME = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


def html_of(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def stored() -> list[tuple]:
    db.session.expire_all()
    return [(f.kind, f.useful, f.reason) for f in db.session.scalars(db.select(Feedback))]


def test_the_forms_carry_no_token_and_posting_sets_no_cookie(client, ctx):
    page = client.get(BIRTH)
    html = page.get_data(as_text=True)
    assert 'id="useful"' in html and "csrf_token" not in html
    response = client.post(POST, data=USEFUL, headers=SAME)
    assert response.status_code == 303
    assert response.location.endswith(BIRTH + "?feedback=thanks#feedback")
    assert "Set-Cookie" not in response.headers
    assert stored() == [("useful", True, "")]


def test_useful_answer_is_stored_anonymously(client, ctx):
    response = client.post(POST, headers=SAME, data={
        "kind": "useful", "useful": "no",
        "reason": "Gọi tôi 0912 345 678 hoặc a.b@example.com, CCCD 012345678901"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 303
    row = db.session.scalars(db.select(Feedback)).one()
    assert (row.kind, row.useful) == ("useful", False)
    assert row.procedure_id == db.session.scalar(
        db.select(Procedure.id).filter_by(code="1.001193"))
    for secret in ("0912", "345 678", "example.com", "012345678901"):
        assert secret not in row.reason
    assert "203.0.113.9" not in repr(vars(row))
    # The rate limit's shared counter does not hold the address either.
    assert all("203.0.113.9" not in key for key in db.session.scalars(db.select(RateEvent.key)))
    assert "Cảm ơn bạn." in html_of(client, BIRTH + "?feedback=thanks")


def test_a_report_needs_a_description(client, ctx):
    empty = client.post(POST, data={"kind": "report", "reason": "  "}, headers=SAME)
    assert empty.status_code == 303 and empty.location.endswith("feedback=describe#report")
    html = html_of(client, BIRTH + "?feedback=describe")
    assert "Hãy cho biết thông tin nào bị sai" in html
    assert '<details class="details" id="report" open>' in html
    sent = client.post(POST, data={"kind": "report", "reason": "Phí đã thay đổi"}, headers=SAME)
    assert sent.status_code == 303
    assert stored() == [("report", None, "Phí đã thay đổi")]


def test_feedback_without_a_choice_is_refused(client, ctx):
    unchosen = client.post(POST, data={"kind": "useful"}, headers=SAME)
    assert unchosen.location.endswith("feedback=choose#useful")
    assert "Hãy chọn Có hoặc Không" in html_of(client, BIRTH + "?feedback=choose")
    assert stored() == []


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
    {"Origin": "https://evil.example"},
    {"Origin": "http://localhost.evil.example"},
    {"Origin": "null"},  # sandboxed frames and some redirects
    {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"},
])
def test_cross_site_posts_are_refused_with_a_page(client, ctx, headers):
    response = client.post(POST, data=USEFUL, headers=headers)
    check_page(response, status=403, h1="Ý kiến của bạn chưa được gửi")
    assert "Set-Cookie" not in response.headers
    assert stored() == []


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    {"Origin": "http://127.0.0.1:8000"},  # the configured SITE_URL, reached by another name
    {"Sec-Fetch-Site": "same-site"},
    {},  # neither header (old browsers, scripts): accepted, and still rate-limited
])
def test_same_origin_posts_and_posts_without_either_header_are_stored(app, ctx, headers):
    app.config["SITE_URL"] = "http://127.0.0.1:8000"
    response = app.test_client().post(POST, data=USEFUL, headers=headers)
    assert response.status_code == 303
    assert stored() == [("useful", True, "")]


def test_the_kiosk_form_posts_to_itself(client, ctx):
    html = html_of(client, "/kiosk" + BIRTH)
    assert 'action="/kiosk/thu-tuc/dang-ky-khai-sinh/y-kien"' in html
    response = client.post("/kiosk" + POST, data=USEFUL, headers=SAME)
    assert response.status_code == 303 and "/kiosk/thu-tuc/" in response.location


def test_each_client_is_rate_limited_and_refused_posts_are_not_stored(app, ctx):
    app.config.update(FEEDBACK_RATE_LIMIT=3, PROXY_COUNT=1)
    client = app.test_client()

    def post(address: str):
        return client.post(POST, data=USEFUL, headers={**SAME, "X-Forwarded-For": address})

    assert [post("198.51.100.1").status_code for _ in range(3)] == [303] * 3
    refused = post("198.51.100.1")
    check_page(refused, status=429, h1="Ý kiến của bạn chưa được gửi")
    assert int(refused.headers["Retry-After"]) > 0
    assert len(stored()) == 3
    # Another client behind the same proxy is counted on its own.
    assert post("198.51.100.2").status_code == 303
    assert len(stored()) == 4


def test_the_rate_limit_window_passes(app, ctx):
    from datetime import timedelta

    app.config["FEEDBACK_RATE_LIMIT"] = 1
    client = app.test_client()
    assert client.post(POST, data=USEFUL, headers=SAME).status_code == 303
    assert client.post(POST, data=USEFUL, headers=SAME).status_code == 429
    for event in db.session.scalars(db.select(RateEvent)):
        event.created_at -= timedelta(seconds=601)
    db.session.commit()
    assert client.post(POST, data=USEFUL, headers=SAME).status_code == 303


def test_an_oversized_form_is_refused_before_it_is_read(client, ctx):
    response = client.post(POST, data={**USEFUL, "reason": "x" * 20_000}, headers=SAME)
    check_page(response, status=413, h1="Ý kiến của bạn chưa được gửi")
    assert stored() == []


def test_the_reason_is_cut_to_its_limit(client, ctx):
    reason = "Sai thông tin. " * 400  # 6,000 characters (under 16 KB encoded)
    assert client.post(POST, data={**USEFUL, "reason": reason}, headers=SAME).status_code == 303
    [(_kind, _useful, kept)] = stored()
    assert len(kept) <= 1000 and kept.startswith("Sai thông tin.")


@pytest.mark.browser
def test_a_real_browser_posting_from_another_site_is_refused(live_server, browser, ctx):
    from tests.checkers import axe_violations, vnu_errors

    target = live_server.url + POST
    evil = ('<!DOCTYPE html><html lang="en"><title>x</title>'
            f'<form method="post" action="{target}"><input name="kind" value="useful">'
            '<input name="useful" value="yes"><button>Go</button></form></html>')
    context = browser.new_context(locale="vi-VN", bypass_csp=True)  # to inject axe
    page = context.new_page()
    page.route("http://evil.test/", lambda route: route.fulfill(
        status=200, content_type="text/html", body=evil))
    page.goto("http://evil.test/")
    with page.expect_navigation() as navigation:
        page.click("button")
    assert navigation.value.status == 403
    html = navigation.value.text()
    assert page.locator("h1").inner_text() == "Ý kiến của bạn chưa được gửi"
    assert axe_violations(page) == []
    context.close()
    assert stored() == []
    assert vnu_errors({"refused.html": html}) == {}
