"""Production behaviour in one process: security headers, health, database outages,
structured logs and the production configuration. HTTP caching: test_caching.py;
several processes: test_multiprocess.py."""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import url_for

from app import create_app, queries
from app.config import DEV_SECRET, engine_options
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
            "page": url_for("public.procedure", slug=proc.slug),
            "kiosk_page": url_for("kiosk.public.procedure", slug=proc.slug),
            "api": url_for("api.procedure_detail", code=proc.code),
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
            upgrade(revision="heads")
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
    environ = {"REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET",
               "RAW_URI": '/t%C3%ACm/"x"\\?q=s%E1%BB%95', "QUERY_STRING": "q=s%E1%BB%95",
               "HTTP_USER_AGENT": 'a"b'}
    line = json.dumps(access_entry(resp, environ, timedelta(milliseconds=12.5)),
                      ensure_ascii=False)
    entry = json.loads(line)
    assert entry["status"] == 200 and entry["bytes"] == 1234 and entry["request_id"] == "abc"
    assert entry["path"] == '/t%C3%ACm/"x"\\' and entry["query"] == "q=s%E1%BB%95"
    assert entry["duration_ms"] == 12.5 and entry["user_agent"] == 'a"b'


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


def test_the_indexer_can_be_left_out(monkeypatch):
    monkeypatch.setenv("MOTCUA_INDEXER", "off")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    said: list[str] = []
    server = SimpleNamespace(log=SimpleNamespace(info=lambda msg, *args: said.append(msg)))
    settings["when_ready"](server)
    settings["on_exit"](server)
    assert not hasattr(server, "motcua_indexer") and "MOTCUA_INDEXER=off" in said[0]
