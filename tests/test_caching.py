"""HTTP caching (app/caching.py): ETag/Last-Modified and 304s on procedure pages and the API,
the per-worker response cache, languages, per-visitor CSRF tokens and signed-in sessions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import render_template_string, url_for
from itsdangerous import URLSafeTimedSerializer

from app import caching, queries, search
from app.config import TestConfig
from app.extensions import db
from tests.conftest import make_app


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
            "kiosk_home": url_for("kiosk.public.home"),
        }


@pytest.mark.parametrize("which", ["page", "kiosk_page", "kiosk_home", "api", "api_list"])
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
