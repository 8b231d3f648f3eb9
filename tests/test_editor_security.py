"""The editor area fails closed: login, roles, CSRF, safe redirects, rate limit, accounts."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, EditorSession, LoginAttempt, User
from tests.editor_support import (
    PASSWORD,
    ROLES,
    csrf_token,
    login,
    make_user,
    post_form,
    signed_in,
)

# The least role each part of the editor needs: the expectation, written independently of
# the guard's own table.
NEEDS = (("editor.admin.", "admin"), ("editor.review.", "publisher"), ("editor.", "editor"))
OPEN = {"editor.login"}


def _needed(endpoint: str) -> str:
    return next(role for prefix, role in NEEDS if endpoint.startswith(prefix))


PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _url(app, rule) -> str:
    """A concrete URL for a rule, with placeholder arguments of the right type."""
    values = {}
    for converter, args, name in PLACEHOLDER.findall(rule.rule):
        if converter == "int":
            values[name] = 999_999
        elif converter == "any":
            values[name] = args.split(",")[0].strip().strip("'\"")
        else:
            values[name] = "x" * 8
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def _editor_rules(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/editor")]
    assert len(rules) > 30, "the editor's routes are registered"
    return rules


def _calls(app):
    for rule in _editor_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, _url(app, rule)


def _request(client, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": token})


def test_everything_under_editor_belongs_to_the_guarded_blueprint(app):
    for rule in _editor_rules(app):
        assert rule.endpoint.startswith("editor."), rule


def test_every_editor_route_sends_anonymous_visitors_to_login(app, client):
    token = csrf_token(client.get("/editor/login").get_data(as_text=True))
    for rule, method, url in _calls(app):
        if rule.endpoint in OPEN:
            continue
        response = _request(client, method, url, token)
        assert response.status_code == 302, (method, url, response.status_code)
        assert urlsplit(response.location).path == "/editor/login", (method, url)


@pytest.mark.parametrize("role", ROLES)
def test_every_editor_route_refuses_roles_below_what_it_needs(app, role):
    client = signed_in(app, role)
    token = csrf_token(client.get("/editor/password").get_data(as_text=True))
    checked = 0
    for rule, method, url in _calls(app):
        if rule.endpoint in OPEN or rule.endpoint == "editor.logout":
            continue
        response = _request(client, method, url, token)
        allowed = ROLES.index(role) >= ROLES.index(_needed(rule.endpoint))
        if allowed:
            assert response.status_code != 403, (role, method, url)
            assert "/editor/login" not in (response.location or ""), (role, method, url)
        else:
            assert response.status_code == 403, (role, method, url, response.status_code)
        checked += 1
    assert checked > 30


def test_login_redirect_keeps_the_page_asked_for(client, app):
    response = client.get("/editor/procedures?q=khai")
    assert parse_qs(urlsplit(response.location).query)["next"] == ["/editor/procedures?q=khai"]
    make_user(app, "e@example.org")
    response = login(client, "e@example.org", next_url="/editor/procedures?q=khai")
    assert response.location == "/editor/procedures?q=khai"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/editor/", "/\\evil.example", "javascript:alert(1)",
    "/kiosk/", "https:/editor/", "/editor\r\nSet-Cookie: x=1",
])
def test_no_open_redirect_through_next(client, app, target):
    make_user(app, "e@example.org")
    response = login(client, "e@example.org", next_url=target)
    assert response.status_code == 302
    assert response.location == "/editor/"


def test_a_post_without_a_valid_csrf_token_answers_400(app, client):
    assert app.config.get("WTF_CSRF_ENABLED", True) is not False
    make_user(app, "e@example.org")
    response = client.post("/editor/login", data={"email": "e@example.org",
                                                  "password": PASSWORD})
    assert response.status_code == 400
    editor = signed_in(app, "editor", "other@example.org")
    for url in ("/editor/procedures/1/edit", "/editor/logout", "/editor/procedures/1/submit"):
        assert editor.post(url, data={"op": ""}).status_code == 400, url
        assert editor.post(url, data={"csrf_token": "forged"}).status_code == 400, url


def test_session_cookie_is_httponly_and_samesite(app, client):
    make_user(app, "e@example.org")
    response = login(client, "e@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_hashed_with_scrypt(ctx):
    make_user(ctx, "e@example.org")
    user = db.session.scalar(select(User).filter_by(email="e@example.org"))
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_wrong_password_and_unknown_account_get_the_same_answer(app, client):
    make_user(app, "e@example.org")
    wrong = login(client, "e@example.org", "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert "The email address or the password is wrong." in wrong.get_data(as_text=True)
    assert "The email address or the password is wrong." in unknown.get_data(as_text=True)


def _client(app, address: str, proxy: str | None = None):
    """A browser at ``address`` (the socket peer, or behind our proxy at ``proxy``)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = proxy or address
    if proxy:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return client


def _fail(app, email: str, clients: list[str], each: int = 1) -> None:
    """Record failed sign-ins straight in the table (the real path is tested separately)."""
    with app.app_context():
        for client in clients:
            for _ in range(each):
                db.session.add(LoginAttempt(email=email, client=client, success=False))
        db.session.commit()


def test_ten_failures_from_one_client_lock_that_client_out_of_that_account(app):
    make_user(app, "e@example.org")
    make_user(app, "colleague@example.org")
    guesser = _client(app, "203.0.113.5")
    for _ in range(10):
        assert login(guesser, "e@example.org", "wrong").status_code == 200
    response = login(guesser, "e@example.org")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    # The account's owner, elsewhere, is not locked out; the guesser's other accounts neither.
    assert login(_client(app, "198.51.100.20"), "e@example.org").status_code == 302
    assert login(_client(app, "203.0.113.5"), "colleague@example.org").status_code == 302
    with app.app_context():  # the window passes
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.created_at -= timedelta(minutes=16)
        db.session.commit()
    assert login(guesser, "e@example.org").status_code == 302


def test_failures_from_many_clients_never_lock_the_account(app):
    # Issue 20 item 3: the account-wide lock is gone (tests/test_login_lockout.py has the rest).
    make_user(app, "e@example.org")
    _fail(app, "e@example.org", [f"10.0.0.{i}" for i in range(5)], each=10)
    assert login(_client(app, "10.0.1.4"), "e@example.org").status_code == 302


def test_one_client_spraying_many_accounts_is_stopped_at_fifty(app):
    make_user(app, "e@example.org")
    with app.app_context():
        for i in range(50):
            db.session.add(LoginAttempt(email=f"guess{i}@example.org", client="192.0.2.9",
                                        success=False))
        db.session.commit()
    assert login(_client(app, "192.0.2.9"), "e@example.org").status_code == 429
    assert login(_client(app, "192.0.2.7"), "e@example.org").status_code == 302


def test_behind_the_proxy_each_forwarded_client_is_counted_on_its_own(app):
    app.config["PROXY_COUNT"] = 1
    make_user(app, "e@example.org")
    proxy = "10.0.0.1"  # every visitor reaches the app through this load balancer
    guesser = _client(app, "203.0.113.5", proxy)
    for _ in range(10):
        login(guesser, "e@example.org", "wrong")
    assert login(guesser, "e@example.org").status_code == 429
    owner = _client(app, "198.51.100.20", proxy)
    assert login(owner, "e@example.org").status_code == 302
    with app.app_context():
        clients = {a.client for a in db.session.scalars(select(AuditLog))}
        attempts = {a.client for a in db.session.scalars(select(LoginAttempt))}
    assert {"203.0.113.5", "198.51.100.20"} <= clients  # the audit log has the real client
    assert proxy not in clients and proxy not in attempts


def test_without_a_trusted_proxy_a_forwarded_header_changes_nothing(app):
    make_user(app, "e@example.org")
    for i in range(10):  # a guesser inventing a new X-Forwarded-For each time
        client = _client(app, "203.0.113.5")
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"10.9.9.{i}"
        login(client, "e@example.org", "wrong")
    assert login(_client(app, "203.0.113.5"), "e@example.org").status_code == 429
    with app.app_context():
        assert {a.client for a in db.session.scalars(select(AuditLog))} == {"203.0.113.5"}


def test_logout_needs_a_post_and_ends_the_session(app):
    client = signed_in(app, "editor")
    assert client.get("/editor/logout").status_code == 405
    assert post_form(client, "/editor/logout", page_url="/editor/").status_code == 302
    assert client.get("/editor/").status_code == 302


def _copy(client, app):
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_logout_is_refused_after_it(app):
    client = signed_in(app, "editor")
    copy = _copy(client, app)
    assert copy.get("/editor/").status_code == 200  # the copy works while signed in
    assert post_form(client, "/editor/logout", page_url="/editor/").status_code == 302
    response = copy.get("/editor/")
    assert response.status_code == 302 and "/editor/login" in response.location
    with app.app_context():
        assert db.session.scalar(select(func.count(EditorSession.id))) == 0


def _age(app, column: str = "last_seen_at", **delta) -> None:
    """Move every editor session's ``column`` back in time (no sleeping in tests)."""
    with app.app_context():
        for row in db.session.scalars(select(EditorSession)):
            setattr(row, column, getattr(row, column) - timedelta(**delta))
        db.session.commit()


def test_a_session_ends_after_thirty_idle_minutes(app):
    client = signed_in(app, "editor")
    _age(app, minutes=29)
    assert client.get("/editor/").status_code == 200  # used again: the idle clock restarts
    _age(app, minutes=31)
    assert client.get("/editor/").status_code == 302
    assert login(client, "editor@example.org").status_code == 302  # signing in again works


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(app):
    client = signed_in(app, "editor")
    _age(app, "created_at", hours=11, minutes=59)
    assert client.get("/editor/").status_code == 200
    _age(app, "created_at", minutes=2)
    assert client.get("/editor/").status_code == 302


def test_session_limits_are_configurable(app):
    app.config.update(EDITOR_IDLE_MINUTES=5, EDITOR_SESSION_HOURS=1)
    client = signed_in(app, "editor")
    _age(app, minutes=6)
    assert client.get("/editor/").status_code == 302


def test_the_audit_log_clamps_its_page_number(app):
    admin = signed_in(app, "admin")
    for page in (10**19, -5, "x"):
        assert admin.get(f"/editor/admin/audit?page={page}").status_code == 200, page


def test_changing_the_password_signs_out_other_sessions(app):
    first = signed_in(app, "editor", "e@example.org")
    second = app.test_client()
    assert login(second, "e@example.org").status_code == 302
    new = "a much longer new password"
    response = post_form(first, "/editor/password",
                         {"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 302
    assert first.get("/editor/").status_code == 200
    assert second.get("/editor/").status_code == 302
    assert login(app.test_client(), "e@example.org", new).status_code == 302


def test_a_disabled_account_cannot_sign_in(app):
    admin = signed_in(app, "admin")
    user_id = make_user(app, "e@example.org")
    other = app.test_client()
    assert login(other, "e@example.org").status_code == 302
    response = post_form(admin, f"/editor/admin/users/{user_id}",
                         {"email": "e@example.org", "role": "editor", "password": ""})
    assert response.status_code == 302
    assert other.get("/editor/").status_code == 302
    assert login(app.test_client(), "e@example.org").status_code == 200


def test_the_last_admin_cannot_be_demoted(app):
    admin = signed_in(app, "admin")
    with app.app_context():
        me = db.session.scalar(select(User.id).filter_by(email="admin@example.org"))
    response = post_form(admin, f"/editor/admin/users/{me}",
                         {"email": "admin@example.org", "role": "editor", "active": "y"})
    assert response.status_code == 200
    assert "only administrator" in response.get_data(as_text=True)


def test_logins_and_account_changes_are_in_the_audit_log(app):
    admin = signed_in(app, "admin")
    login(app.test_client(), "admin@example.org", "wrong")
    post_form(admin, "/editor/admin/users/new", {
        "email": "new@example.org", "role": "publisher", "active": "y",
        "password": "a long enough password"})
    with app.app_context():
        actions = [(a.action, a.target) for a in db.session.scalars(select(AuditLog))]
    assert ("login", "user:admin@example.org") in actions
    assert ("login_failed", "user:admin@example.org") in actions
    assert ("user_created", "user:new@example.org") in actions
    page = admin.get("/editor/admin/audit").get_data(as_text=True)
    assert "user_created" in page and "new@example.org" in page


def test_cli_creates_an_account_reading_the_password_from_stdin(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Pub@Example.org", "--role", "publisher"],
                           input="a piped password 123\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(email="pub@example.org"))
    assert user.role == "publisher" and user.check_password("a piped password 123")
    again = runner.invoke(args=["users", "create", "pub@example.org"], input="whatever long\n")
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(args=["users", "create", "x@example.org"], input="short\n")
    assert short.exit_code != 0
    bad_role = runner.invoke(args=["users", "create", "y@example.org", "--role", "root"])
    assert bad_role.exit_code != 0
    listing = runner.invoke(args=["users", "list"])
    assert "pub@example.org\tpublisher" in listing.output
