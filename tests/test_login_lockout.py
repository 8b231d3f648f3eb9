"""Sign-in limits (issue 20 items 3 and 5): no number of other clients locks the owner out,
failing clients are slowed, admins are told, and concurrent guesses cannot pass a limit."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import LoginAttempt
from tests.editor_support import csrf_token, english, login, make_user, signed_in


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _age(app, seconds: float) -> None:
    """Move every recorded attempt ``seconds`` into the past (the clock moves forward)."""
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.created_at -= timedelta(seconds=seconds)
        db.session.commit()


def _fail(app, email: str, address: str, times: int) -> None:
    with app.app_context():
        for _ in range(times):
            db.session.add(LoginAttempt(email=email, client=address, success=False))
        db.session.commit()


def test_five_clients_cannot_lock_the_owner_out(app):
    make_user(app, "owner@example.org")
    guessers = [f"203.0.113.{i}" for i in range(1, 6)]
    for address in guessers:
        _fail(app, "owner@example.org", address, 9)
    _age(app, 301)  # time passes, so the growing delay is not what stops them
    for address in guessers:  # fifty wrong passwords from five addresses in all
        assert login(_client(app, address), "owner@example.org", "wrong").status_code == 200
    for address in guessers:  # each guessing client is locked out of this account …
        assert login(_client(app, address), "owner@example.org").status_code == 429
    # … the owner, from their own address, is not, with the right password at once.
    assert login(_client(app, "198.51.100.7"), "owner@example.org").status_code == 302


def test_a_failing_client_waits_longer_each_time_while_the_account_is_under_attack(app):
    make_user(app, "owner@example.org")
    for i in range(20):  # twenty failures spread over many addresses: an account under attack
        _fail(app, "owner@example.org", f"10.1.0.{i}", 1)
    _age(app, 60)
    guesser = _client(app, "203.0.113.9")
    assert login(guesser, "owner@example.org", "wrong").status_code == 200
    again = login(guesser, "owner@example.org", "wrong")
    assert again.status_code == 429 and 1 <= int(again.headers["Retry-After"]) <= 3
    _age(app, 3)
    assert login(guesser, "owner@example.org", "wrong").status_code == 200  # two failures now
    assert int(login(guesser, "owner@example.org").headers["Retry-After"]) >= 4
    _age(app, 5)
    assert login(guesser, "owner@example.org").status_code == 302  # a delay, never a lock
    # Someone who never failed on the account waits for nothing.
    assert login(_client(app, "198.51.100.7"), "owner@example.org").status_code == 302


def test_admins_see_an_account_under_attack_on_the_dashboard(app):
    admin = signed_in(app, "admin")
    editor = signed_in(app, "editor")
    for i in range(25):
        _fail(app, "owner@example.org", f"10.2.0.{i % 5}", 1)
    page = admin.get("/editor/").get_data(as_text=True)
    assert 'id="signin-alerts"' in page and "owner@example.org" in page
    assert "25" in page
    assert 'id="signin-alerts"' not in editor.get("/editor/").get_data(as_text=True)


def test_concurrent_guesses_cannot_pass_the_limit(app):
    """Fourteen wrong passwords sent at once from one client: at most ten are tried."""
    make_user(app, "owner@example.org")
    clients, forms = [], []
    for _ in range(14):
        client = _client(app, "203.0.113.50")
        english(client)
        token = csrf_token(client.get("/editor/login").get_data(as_text=True))
        clients.append(client)
        forms.append({"csrf_token": token, "email": "owner@example.org", "password": "wrong",
                      "next": ""})
    start, statuses = threading.Barrier(len(clients)), []

    def guess(client, form) -> None:
        start.wait()
        statuses.append(client.post("/editor/login", data=form).status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, forms,
                                                                         strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(set(statuses)) == [200, 429] and len(statuses) == 14
    assert statuses.count(200) == 10
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 10
