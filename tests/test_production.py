"""Production behaviour in one process: headers, HTTP caching, health, database outages,
structured logs and the production configuration (multi-process tests: test_multiprocess.py)."""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import render_template_string, url_for
from itsdangerous import URLSafeTimedSerializer

from app import caching, create_app, queries, search
from app.config import DEV_SECRET, TestConfig, engine_options
from app.extensions import db
from app.logging_setup import access_entry
from app.presenters import asset_url
from tests.conftest import make_app
from tests.servers import ROOT, PgCluster, free_port

HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
           "X-Frame-Options")


@pytest.fixture
def urls(app) -> dict:
    with app.test_request_context():
        proc = queries.procedures_page(1, 1).items[0]
        return {
            "id": proc.id, "code": proc.code,
            "page": url_for("public.procedure", slug=proc.slug),
            "kiosk_page": url_for("kiosk.public.procedure", slug=proc.slug),
            "api": url_for("api.procedure_detail", code=proc.code),
            "api_list": url_for("api.procedure_list"),
            "static": asset_url("css/site.css"),
        }


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# --- security headers -----------------------------------------------------------------------

def test_security_headers_on_every_kind_of_response(client, urls):
    for path in ("/", urls["page"], urls["kiosk_page"], urls["static"], urls["api"],
                 "/api/v1/nothing-here", "/no-such-page", "/healthz"):
        response = client.get(path)
        response.close()  # static files are streamed from an open file
        assert all(name in response.headers for name in HEADERS), path
        csp = _csp(response)
        assert csp["script-src"] == ["'self'"], path  # no unsafe-inline, no unsafe-eval
        assert "'unsafe-inline'" not in " ".join(csp.get("default-src", []))
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["object-src"] == ["'none'"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in response.headers, path


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://motcua.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


# --- HTTP caching ---------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["page", "kiosk_page", "api", "api_list"])
def test_cached_endpoints_revalidate_with_304(client, urls, which):
    first = client.get(urls[which])
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Last-Modified"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get(urls[which], headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert "Content-Security-Policy" in again.headers
    other = client.get(urls[which], headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.data


def test_etag_depends_on_language(client, urls):
    vi = client.get(urls["page"], headers={"Accept-Language": "vi"})
    en = client.get(urls["page"], headers={"Accept-Language": "en"})
    assert vi.headers["ETag"] != en.headers["ETag"]
    assert "Accept-Language" in en.headers["Vary"] and "Cookie" in en.headers["Vary"]
    asked_in_english = client.get(urls["page"], headers={
        "Accept-Language": "en", "If-None-Match": vi.headers["ETag"]})
    assert asked_in_english.status_code == 200


def test_unknown_and_replaced_pages_get_no_validators(client):
    missing = client.get("/thu-tuc/khong-co-thu-tuc-nay")
    assert missing.status_code == 404 and "ETag" not in missing.headers


@pytest.fixture
def cached_app(app):
    """The test app's database and index, with the per-worker response cache on."""
    app = make_app(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.config["SEARCH_INDEX_DIR"]),
                   RESPONSE_CACHE_SECONDS=60.0)
    renders: list[int] = []

    @app.get("/_test/token-page")
    def token_page():
        renders.append(1)
        return render_template_string("<p>{{ csrf_token() }}</p><p>{{ n }}</p>", n=len(renders))

    caching_endpoints = caching.CACHED_ENDPOINTS
    caching.CACHED_ENDPOINTS = caching_endpoints | {"token_page"}
    app.renders = renders
    try:
        yield app
    finally:
        caching.CACHED_ENDPOINTS = caching_endpoints
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _rename(app, proc_id: int, name: str, publish: bool) -> None:
    from app.models import Procedure

    with app.app_context():
        proc = db.session.get(Procedure, proc_id)
        proc.plain_name = name
        if publish:
            search.index(proc.id)
        db.session.commit()


def test_cache_serves_until_the_next_publish(cached_app, urls):
    client = cached_app.test_client()
    assert client.get(urls["page"]).status_code == 200
    # A change that bypasses the publishing path is not seen while the entry is fresh...
    _rename(cached_app, urls["id"], "Tên chưa xuất bản", publish=False)
    assert "Tên chưa xuất bản" not in client.get(urls["page"]).get_data(as_text=True)
    # ...a publish (a change row in the same transaction) is seen at once.
    _rename(cached_app, urls["id"], "Tên đã xuất bản", publish=True)
    assert "Tên đã xuất bản" in client.get(urls["page"]).get_data(as_text=True)
    api = client.get(urls["api"]).get_json()
    assert api["plain_name"] == "Tên đã xuất bản"


def test_cache_entries_expire(cached_app, urls):
    cached_app.config["RESPONSE_CACHE_SECONDS"] = 0.3
    client = cached_app.test_client()
    client.get(urls["page"])
    _rename(cached_app, urls["id"], "Tên mới sau hạn", publish=False)
    time.sleep(0.4)
    assert "Tên mới sau hạn" in client.get(urls["page"]).get_data(as_text=True)


def test_cache_keeps_languages_apart_and_answers_if_modified_since(cached_app, urls):
    client = cached_app.test_client()
    for _ in range(2):
        vi = client.get(urls["page"], headers={"Accept-Language": "vi"})
        en = client.get(urls["page"], headers={"Accept-Language": "en"})
        assert '<html lang="vi"' in vi.get_data(as_text=True)
        assert '<html lang="en"' in en.get_data(as_text=True)
    since = client.get(urls["api"]).headers["Last-Modified"]
    assert client.get(urls["api"], headers={"If-Modified-Since": since}).status_code == 304


def _session_secret(client) -> str:
    with client.session_transaction() as session:
        return session["csrf_token"]


def test_cached_pages_get_each_visitor_their_own_csrf_token(cached_app):
    alice, bob = cached_app.test_client(), cached_app.test_client()
    first, second = alice.get("/_test/token-page"), bob.get("/_test/token-page")
    assert cached_app.renders == [1]  # bob got the cached page...
    signer = URLSafeTimedSerializer(TestConfig.SECRET_KEY, salt="wtf-csrf-token")
    tokens = []
    for client, response in ((alice, first), (bob, second)):
        token = response.get_data(as_text=True).split("</p>")[0].removeprefix("<p>")
        assert signer.loads(token) == _session_secret(client)  # ...with a token of his own
        tokens.append(token)
    assert tokens[0] != tokens[1]
    assert b"\x00" not in second.data
    # A 304 never confirms a page whose token belongs to another session.
    assert first.headers["ETag"] != second.headers["ETag"]
    assert "private" in first.headers["Cache-Control"]
    assert bob.get("/_test/token-page",
                   headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
    assert alice.get("/_test/token-page",
                     headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_signed_in_sessions_are_never_shared(cached_app, urls):
    editor = cached_app.test_client()
    with editor.session_transaction() as session:
        session["_user_id"] = "1"
    response = editor.get(urls["api"])
    assert "ETag" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    assert len(caching.get_cache(cached_app)._entries) == 0


# --- health and database outages ------------------------------------------------------------

def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "search": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def _assert_down(client, page: str, api: str) -> None:
    response = client.get(page)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "<h1>" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["checks"]["database"] == "unavailable"
    api_response = client.get(api)
    assert api_response.status_code == 503 and api_response.get_json()["error"]["status"] == 503


def test_unreachable_database_answers_503(template, tmp_path, urls):
    url = f"postgresql+psycopg://motcua@127.0.0.1:{free_port()}/nothing"
    index_dir = tmp_path / "down-index"
    shutil.copytree(template["root"] / "index", index_dir, symlinks=True)
    app = make_app(url, index_dir, SQLALCHEMY_ENGINE_OPTIONS=engine_options(url))
    _assert_down(app.test_client(), urls["page"], urls["api"])


def test_database_restart_gives_503_then_recovers_without_restart(template, tmp_path):
    from flask_migrate import upgrade

    from app.catalogue_io import read_catalogue_dir
    from app.cli import load_and_report

    cluster = PgCluster()
    try:
        cluster.init().start()
        index_dir = tmp_path / "pg-index"
        shutil.copytree(template["root"] / "index", index_dir, symlinks=True)
        app = make_app(cluster.url(), index_dir,
                       SQLALCHEMY_ENGINE_OPTIONS=engine_options(cluster.url()))
        with app.app_context():
            upgrade()
            assert load_and_report(read_catalogue_dir())
            with app.test_request_context():
                proc = queries.procedures_page(1, 1).items[0]
                page = url_for("public.procedure", slug=proc.slug)
                api = url_for("api.procedure_detail", code=proc.code)
            db.session.remove()
        client = app.test_client()
        assert client.get(page).status_code == 200
        cluster.stop()
        _assert_down(client, page, api)
        cluster.start()
        assert client.get(page).status_code == 200  # the same app, no restart
        assert client.get(api).status_code == 200
        assert client.get("/healthz").status_code == 200
        with app.app_context():
            db.engine.dispose()
    finally:
        cluster.destroy()


# --- logs -----------------------------------------------------------------------------------

def test_request_ids_are_kept_when_sane_and_made_otherwise(client):
    assert client.get("/healthz", headers={"X-Request-Id": "lb-42.a"}).headers[
        "X-Request-Id"] == "lb-42.a"
    made = client.get("/healthz", headers={"X-Request-Id": 'x" onload=1'}).headers["X-Request-Id"]
    assert len(made) == 32 and made.isalnum()


def test_access_log_lines_are_json():
    resp = SimpleNamespace(status="200 OK", headers=[("X-Request-Id", "abc")], sent=1234)
    environ = {"REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET", "PATH_INFO": '/tìm "x"\\',
               "QUERY_STRING": "q=s%E1%BB%95+%C4%91%E1%BB%8F", "HTTP_USER_AGENT": 'a"b'}
    line = json.dumps(access_entry(resp, environ, timedelta(milliseconds=12.5)),
                      ensure_ascii=False)
    entry = json.loads(line)
    assert entry["status"] == 200 and entry["bytes"] == 1234 and entry["request_id"] == "abc"
    assert entry["path"] == '/tìm "x"\\' and entry["duration_ms"] == 12.5


def test_application_logs_are_json_lines_with_the_request_id(app, capsys):
    with app.test_request_context("/thu-tuc/x", headers={"X-Request-Id": "req-1"}):
        app.preprocess_request()
        app.logger.warning("something odd")
    line = [x for x in capsys.readouterr().out.splitlines() if "something odd" in x][-1]
    entry = json.loads(line)
    assert entry["level"] == "warning" and entry["request_id"] == "req-1"
    assert entry["path"] == "/thu-tuc/x"


# --- production configuration ---------------------------------------------------------------

def test_production_refuses_a_missing_or_weak_secret(tmp_path):
    for secret in (DEV_SECRET, "", "short"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app({"ENV_NAME": "production", "SECRET_KEY": secret,
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    create_app({"ENV_NAME": "production", "SECRET_KEY": "a" * 32,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})


def _production_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    return {**env, "MOTCUA_ENV": "production", **extra}


def test_production_settings_come_from_the_environment():
    code = ("from app.config import Config as C; "
            "print(C.SESSION_COOKIE_SECURE, C.REMEMBER_COOKIE_SECURE, C.PREFERRED_URL_SCHEME)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env=_production_env(SECRET_KEY="b" * 40), timeout=60)
    assert run.stdout.split() == ["True", "True", "https"]


def test_gunicorn_refuses_to_start_in_production_without_secret(tmp_path):
    env = _production_env(BIND="127.0.0.1:0", MOTCUA_INDEXER="off",
                          DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                             "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode != 0
    assert "SECRET_KEY" in out + err


def test_gunicorn_settings(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("BIND", raising=False)
    monkeypatch.setenv("PORT", "8123")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["workers"] == 2 * (os.cpu_count() or 1) + 1
    assert settings["bind"] == "127.0.0.1:8123"
    assert settings["accesslog"] == "-" and settings["preload_app"] is False
    assert settings["timeout"] > 0 and settings["graceful_timeout"] > 0
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 3
