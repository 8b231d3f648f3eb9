"""The counter tablet after issues 26 and 20: no lost rating, a screen for everyone, tokens
out of addresses (a cookie scoped to /danh-gia/, stored hashed), counters that rate more than
they can serve. Time moves with the app's clock (config ``CLOCK``), never by sleeping."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.html import attr_values, every, one, text
from tests.test_quality import _pair, _paired, _tablet

START = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # 10:00 on 06/12/2026 in Hà Nội


@pytest.fixture
def clock(app):
    """The app's clock, stopped at START; ``clock.move(seconds)`` moves it on."""
    class Clock:
        now = START

        def move(self, seconds: float) -> None:
            self.now += timedelta(seconds=seconds)

    stopped = Clock()
    app.config["CLOCK"] = lambda: stopped.now
    return stopped


def _ratings(app) -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Rating

    with app.app_context():
        return db.session.scalar(select(func.count(Rating.id)).where(Rating.is_demo.is_(False)))


def _live_answers(page) -> int:
    """How many answer buttons a person could tap right now."""
    return page.locator("button.tablet-answer:not([disabled])").count()


# --- 26.1: no lost rating -----------------------------------------------------------------

@pytest.mark.browser
def test_two_ratings_21_seconds_apart_both_count_and_no_refused_tap_is_offered(
        app, live_server, tablet_page, clock):
    path, _token = _tablet(app, "1")
    tablet_page.clock.install(time=START)
    tablet_page.goto(live_server.url + path)
    tablet_page.wait_for_url(re.compile(r"/danh-gia/quay/1$"))
    tablet_page.get_by_role("button", name="Hài lòng", exact=True).tap()
    tablet_page.wait_for_selector("text=Xin cảm ơn ông/bà!")
    assert _ratings(app) == 1
    # The thank-you stays for the whole interval: 15 s on, still no answer to tap.
    clock.move(15)
    tablet_page.clock.run_for(15_000)
    assert tablet_page.locator("h1").inner_text() == "Xin cảm ơn ông/bà!"
    assert _live_answers(tablet_page) == 0
    # The question's own address within the interval: buttons disabled, a countdown.
    other = tablet_page.context.new_page()
    other.goto(live_server.url + "/danh-gia/quay/1")
    assert other.locator("button.tablet-answer").count() == 3 and _live_answers(other) == 0
    assert other.locator("[data-seconds]").inner_text() == "5"
    other.close()
    # 21 s after the first rating the question is back by itself, and a tap counts.
    clock.move(6)
    tablet_page.clock.run_for(6_000)
    tablet_page.wait_for_selector("text=Ông/bà có hài lòng với sự phục vụ?")
    assert _live_answers(tablet_page) == 3
    tablet_page.get_by_role("button", name="Rất hài lòng").tap()
    tablet_page.wait_for_selector("text=Xin cảm ơn ông/bà!")
    assert _ratings(app) == 2


def test_thank_you_shorter_than_the_interval_is_refused_at_start(template, tmp_path):
    from tests.conftest import make_app

    with pytest.raises(RuntimeError, match=r"RATING_THANKS_SECONDS \(5\) must not be shorter"):
        make_app("sqlite://", tmp_path / "index", RATING_INTERVAL_SECONDS=20,
                 RATING_THANKS_SECONDS=5)


def test_the_thank_you_waits_for_the_interval(app, clock):
    client, _token = _paired(app)
    thanks = client.post("/danh-gia/quay/1", data={"answer": "satisfied"})
    html = thanks.get_data(as_text=True)
    assert "20" in attr_values(html, "[data-reset-seconds]", "data-reset-seconds")
    assert "20" in attr_values(html, "[data-wait-seconds]", "data-wait-seconds")
    clock.move(12)
    waiting = client.get("/danh-gia/quay/1").get_data(as_text=True)
    assert "8" in attr_values(waiting, "[data-wait-seconds]", "data-wait-seconds")
    assert len(every(waiting, 'button[type="submit"][name="answer"][disabled]')) == 3
    clock.move(8)
    live = client.get("/danh-gia/quay/1").get_data(as_text=True)
    assert not every(live, "[data-wait-seconds]") and not every(live, "[disabled]")
    assert client.post("/danh-gia/quay/1", data={"answer": "satisfied"}).status_code == 200
    assert _ratings(app) == 2


# --- 26.2: a screen for everyone -----------------------------------------------------------

@pytest.mark.browser
def test_three_answers_fill_the_tablet_and_skip_counts_without_reasons(
        app, live_server, tablet_page, clock):
    from tests.checkers import axe_violations

    path, _token = _tablet(app, "2")
    tablet_page.goto(live_server.url + path)
    tablet_page.wait_for_url(re.compile(r"/danh-gia/quay/2$"))
    boxes = [b.bounding_box() for b in tablet_page.locator(".tablet-answers button").all()]
    assert len(boxes) == 3
    assert sum(b["height"] for b in boxes) >= 1280 * 0.5  # not the top third
    assert all(b["width"] >= 800 * 0.8 for b in boxes)
    for button in tablet_page.locator(".tablet-answers button").all():
        assert button.locator("svg.tablet-face").count() == 1
    note = tablet_page.locator(".tablet-anonymous").bounding_box()
    last = boxes[-1]
    assert note["y"] >= last["y"] + last["height"] + 24  # well apart from the red button
    assert axe_violations(tablet_page) == []
    tablet_page.get_by_role("button", name="Không hài lòng").tap()
    tablet_page.get_by_label("Thời gian chờ lâu").tap()
    tablet_page.get_by_role("button", name="Bỏ qua").tap()
    tablet_page.wait_for_selector("text=Xin cảm ơn ông/bà!")
    from app.extensions import db
    from app.models import Rating

    with app.app_context():
        rating = db.session.query(Rating).filter_by(is_demo=False).one()
        assert rating.answer == "dissatisfied" and rating.reasons == []


# --- 20.7: tokens out of addresses, stored hashed ------------------------------------------

def test_token_is_stored_hashed_and_travels_in_a_cookie_scoped_to_the_tablet(app):
    from app.extensions import db
    from app.models import RatingTablet

    path, token = _tablet(app, "3")
    assert "?" not in path and path.endswith("#t=" + token)  # a fragment never reaches a server
    with app.app_context():
        stored = db.session.query(RatingTablet).one()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in stored.token_hash
    client = app.test_client()
    paired = _pair(client, "3", token)
    assert paired.status_code == 303 and paired.headers["Location"].endswith("/danh-gia/quay/3")
    cookie = paired.headers["Set-Cookie"]
    assert cookie.startswith(f"motcua_tablet={token};")
    for attribute in ("Path=/danh-gia/", "HttpOnly", "SameSite=Strict"):
        assert attribute in cookie
    assert client.get("/danh-gia/quay/3").status_code == 200
    # No page of the tablet carries the token.
    for response in (client.get("/danh-gia/quay/3"),
                     client.post("/danh-gia/quay/3", data={"answer": "dissatisfied"}),
                     client.post("/danh-gia/quay/3", data={"answer": "satisfied"})):
        assert token not in response.get_data(as_text=True)


def test_the_privacy_page_states_the_tablets_cookie(client):
    for path in ("/quyen-rieng-tu", "/en/quyen-rieng-tu"):
        html = client.get(path).get_data(as_text=True)
        assert "/danh-gia/" in html
    assert "keep one cookie of their own" in client.get("/en/quyen-rieng-tu").get_data(
        as_text=True)


def test_an_old_address_with_the_token_in_the_query_moves_it_to_the_cookie(app):
    _path, token = _tablet(app, "4")
    client = app.test_client()
    first = client.get(f"/danh-gia/quay/4?t={token}")
    assert first.status_code == 303 and first.headers["Location"].endswith("/danh-gia/quay/4")
    assert "motcua_tablet=" in first.headers["Set-Cookie"]
    assert client.get("/danh-gia/quay/4").status_code == 200


@pytest.mark.browser
def test_no_access_log_line_holds_the_token(app, live_server, tablet_page, clock):
    from app.logging_setup import access_entry

    lines = []

    class Answer:
        status, headers, sent = "200 OK", [], 0

    wsgi = app.wsgi_app

    def logged(environ, start_response):
        lines.append(str(access_entry(Answer(), environ, timedelta(0))))
        return wsgi(environ, start_response)

    app.wsgi_app = logged
    try:
        path, token = _tablet(app, "5")
        tablet_page.goto(live_server.url + path)
        tablet_page.wait_for_url(re.compile(r"/danh-gia/quay/5$"))
        tablet_page.get_by_role("button", name="Rất hài lòng").tap()
        tablet_page.wait_for_selector("text=Xin cảm ơn ông/bà!")
    finally:
        app.wsgi_app = wsgi
    assert _ratings(app) == 1
    assert len(lines) >= 3 and not [line for line in lines if token in line]
    assert token not in tablet_page.url


# --- 20.7: a counter that rates more than it can serve ------------------------------------

def test_the_dashboard_flags_a_counter_rating_faster_than_it_can_serve(app, clock):
    from tests.editor_support import signed_in

    app.config["RATING_MAX_PER_HOUR"] = 5
    client, _token = _paired(app, "6")
    for _n in range(6):
        assert client.post("/danh-gia/quay/6", data={"answer": "satisfied"}).status_code == 200
        clock.move(21)
    editor = signed_in(app, "editor")
    html = editor.get("/editor/").get_data(as_text=True)
    assert "6" in text(one(html, "#rating-flood"))
    clock.move(25 * 3600)
    assert not every(editor.get("/editor/").get_data(as_text=True), "#rating-flood")


def test_concurrent_posts_from_one_tablet_store_one_rating(app, live_server):
    """The interval check and the claim are one UPDATE: posts racing each other (a double tap,
    a replayed request) cannot both pass, on SQLite or PostgreSQL."""
    import threading
    import urllib.error
    import urllib.request

    _path, token = _tablet(app, "1")
    statuses: list[int] = []
    start = threading.Barrier(6)

    def post() -> None:
        request = urllib.request.Request(
            f"{live_server.url}/danh-gia/quay/1", data=b"answer=satisfied", method="POST",
            headers={"Cookie": f"motcua_tablet={token}", "Sec-Fetch-Site": "same-origin",
                     "Content-Type": "application/x-www-form-urlencoded"})
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as refused:
            statuses.append(refused.code)

    threads = [threading.Thread(target=post) for _n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 429, 429, 429, 429, 429]
    assert _ratings(app) == 1


def test_the_migration_hashes_tokens_already_issued(tmp_path):
    """A tablet set up before tokens were hashed keeps working after the upgrade."""
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from tests.conftest import make_app

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = make_app(url, tmp_path / "index")
    with app.app_context():
        upgrade(revision="b2d0000000ff")
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO centre (id, name, name_en, address, phone, email, "
                          "opening_hours, opening_hours_en) VALUES (1, 'TT', '', '', '', '', "
                          "'', '')"))
        conn.execute(text("INSERT INTO counter (id, centre_id, number, name, name_en) "
                          "VALUES (1, 1, '1', 'Quầy 1', '')"))
        conn.execute(text("INSERT INTO rating_tablet (id, counter_id, token, created_at, "
                          "created_by) VALUES (1, 1, 'old-token', '2026-11-01 00:00:00', 'x')"))
        conn.commit()
    engine.dispose()
    with app.app_context():
        upgrade(revision="q26000000001")
    client = app.test_client()
    assert _pair(client, "1", "old-token").status_code == 303
    assert client.get("/danh-gia/quay/1").status_code == 200
    with app.app_context():
        from app.extensions import db

        stored = db.session.execute(text("SELECT token FROM rating_tablet")).scalar()
        assert stored == hashlib.sha256(b"old-token").hexdigest()
        db.session.remove()
        db.engine.dispose()
