"""The one rate limiter checks and counts in one atomic step (issue 20 items 5 and 10):
concurrent callers cannot pass a limit, on SQLite or PostgreSQL, and concurrent counter-tablet
posts on SQLite wait for the write lock instead of failing with a 503."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app import ratelimit
from app.extensions import db
from app.models import Rating
from app.models.limits import RateEvent


def _together(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released at the same moment; their results."""
    start, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        start.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_concurrent_callers_get_exactly_the_limit(app):
    def attempt(_i: int) -> bool:
        with app.app_context():
            allowed = ratelimit.allow("test:burst", 3, 60)
            db.session.commit()
            return allowed

    assert _together(12, attempt).count(True) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count(RateEvent.id))
                                 .where(RateEvent.key == "test:burst")) == 3


def _tablet(app, number: str) -> str:
    from app.quality import tablets

    with app.app_context():
        _tablet, token = tablets.issue(tablets.counter_by_number(number), by="test",
                                       rotate=True)
        db.session.commit()
        assert token
        return token


def _tablet_client(app, token: str):
    """A client that holds the tablet's cookie, as a paired tablet does (app.quality)."""
    from app.quality import tablets

    client = app.test_client()
    client.set_cookie(tablets.COOKIE, token, path=tablets.COOKIE_PATH)
    return client


def _ratings(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Rating.id))) or 0


def test_one_tablet_posting_twice_at_once_is_counted_once(app):
    token, before = _tablet(app, "1"), _ratings(app)

    def post(_i: int) -> int:
        return _tablet_client(app, token).post("/danh-gia/quay/1", data={
            "answer": "satisfied"}).status_code

    statuses = _together(6, post)
    assert sorted(statuses) == [200] + [429] * 5
    assert _ratings(app) == before + 1


def test_tablets_posting_together_are_all_answered(app):
    numbers = ["1", "2", "3"]
    tokens = {number: _tablet(app, number) for number in numbers}
    before = _ratings(app)

    def post(i: int) -> int:
        number = numbers[i % len(numbers)]
        return _tablet_client(app, tokens[number]).post(f"/danh-gia/quay/{number}", data={
            "answer": "satisfied"}).status_code

    statuses = _together(9, post)
    assert 503 not in statuses and 500 not in statuses
    assert statuses.count(200) == len(numbers)
    assert _ratings(app) == before + len(numbers)
