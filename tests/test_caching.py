"""HTTP caching (app/caching.py): Cache-Control for shared caches on every public page type,
validators and 304s without cookies, no-store in the editor, the per-worker cache (catalogue
pages follow publishes, search answers follow the index) and the staleness bound."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import template_rendered, url_for
from sqlalchemy import select

from app import caching, search
from app.extensions import db
from tests.conftest import make_app

CACHE_CONTROL = re.compile(r"^public, max-age=(\d+), stale-while-revalidate=(\d+)$")
# Endpoints that answer with a file or set their own Cache-Control (QR images: a pure
# function of their URL, a day), tested elsewhere.
OWN_RULES = {"form_file", "favicon", "feedback", "qr"}


def _sample_args(app) -> dict[str, str]:
    """A published value for every URL argument the citizens' routes take."""
    from app.models import Agency, Field, LifeEvent, Procedure

    with app.app_context():
        proc = db.session.scalars(select(Procedure).where(Procedure.published)
                                  .order_by(Procedure.id)).first()
        return {
            "slug": proc.slug, "code": proc.code,
            "field": db.session.scalars(select(Field.slug)).first(),
            "agency": db.session.scalars(select(Agency.slug)).first(),
            "life_event": db.session.scalars(select(LifeEvent.slug)).first(),
        }


def _public_urls(app) -> list[str]:
    """One URL per GET route of the citizens' blueprints, wherever they are mounted."""
    args = _sample_args(app)
    slug_for = {"field": args["field"], "agency": args["agency"],
                "life_event": args["life_event"]}
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
            view = rule.endpoint.rpartition(".")[2]
            if (blueprint is None or blueprint.name not in caching.SHARED_BLUEPRINTS
                    or "GET" not in rule.methods or view in OWN_RULES
                    or rule.arguments - {"slug", "code"}):
                continue
            values = {}
            if "slug" in rule.arguments:
                values["slug"] = slug_for.get(view, args["slug"])
            if "code" in rule.arguments:
                values["code"] = args["code"]
            if view in ("search", "search_api"):
                values["q"] = "khai sinh"
            if view == "suggest_api":
                values["q"] = "khai"
            urls.append(url_for(rule.endpoint, **values))
    return urls


def test_every_public_page_type_says_public_with_a_short_max_age(app, client):
    urls = _public_urls(app)
    views = " ".join(urls)
    for expected in ("/thu-tuc/", "/tim-kiem", "/kiosk/", "/api/v1/procedures",
                     "/api/v1/search", "/linh-vuc/", "/le-phi"):
        assert expected in views
    checked = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url
        control = response.headers.get("Cache-Control", "")
        match = CACHE_CONTROL.match(control)
        if match is None:  # a view with its own rule: the monthly results (5 s), assets
            own = re.fullmatch(r"public, max-age=(\d+)", control)
            assert own, (url, control)
            if response.mimetype in ("text/html", "application/json"):
                assert int(own.group(1)) <= app.config["PUBLIC_MAX_AGE"], (url, control)
            continue
        checked += 1
        max_age, stale = int(match.group(1)), int(match.group(2))
        assert 0 < max_age <= app.config["PUBLIC_MAX_AGE"] and max_age + stale <= 30, url
        assert response.headers["ETag"].startswith('W/"'), url
        assert response.headers["Last-Modified"], url
    assert checked >= 20


@pytest.mark.parametrize("path", ["/", "/tim-kiem?q=khai+sinh", "/api/v1/procedures",
                                  "/kiosk/", "/le-phi"])
def test_conditional_get_without_cookies_gets_304(app, path):
    # Without the worker cache every answer is rendered anew, with the render time as its
    # Last-Modified: stop the clock so that a slow page cannot cross a second.
    stopped = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # noon in Hà Nội, far from midnight
    app.config["CLOCK"] = lambda: stopped
    client = app.test_client(use_cookies=False)
    first = client.get(path)
    assert first.status_code == 200
    etag, since = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"].startswith("public, max-age=")
    assert "Content-Security-Policy" in again.headers
    assert client.get(path, headers={"If-Modified-Since": since}).status_code == 304
    other = client.get(path, headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.data


def test_procedure_page_304(app, client):
    url = _public_urls(app)
    page = next(u for u in url if u.startswith("/thu-tuc/") and not u.endswith("/in"))
    first = client.get(page)
    assert client.get(page, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_errors_and_files_are_not_marked_public(client):
    missing = client.get("/thu-tuc/khong-co-thu-tuc-nay")
    assert missing.status_code == 404
    assert "ETag" not in missing.headers
    assert "public" not in missing.headers.get("Cache-Control", "")
    health = client.get("/healthz")
    assert health.headers["Cache-Control"] == "no-store"


def test_fingerprinted_static_files_are_kept_a_year_without_revalidating(app, client):
    """A file asked for with its content hash never changes: a browser keeps it without
    asking again (no ``no-cache`` beside the year); the same file without one may change."""
    from app.presenters import asset_url

    with app.test_request_context():
        url = asset_url("css/print.css")
    assert "?v=" in url
    response = client.get(url)
    response.close()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = client.get(url.split("?")[0])
    plain.close()
    assert "immutable" not in plain.headers["Cache-Control"]


def test_editor_area_is_private_no_store(app):
    from tests.editor_support import signed_in

    anonymous = app.test_client()
    login = anonymous.get("/editor/login")
    assert login.status_code == 200
    assert login.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in login.headers
    assert anonymous.get("/editor/").headers["Cache-Control"] == "private, no-store"
    editor = signed_in(app, "publisher")
    dashboard = editor.get("/editor/")
    assert dashboard.status_code == 200
    assert dashboard.headers["Cache-Control"] == "private, no-store"


def test_nothing_made_for_one_visitor_can_get_into_a_shared_answer(app):
    """Why the cache has no "personal answer" check: outside /editor no CSRF token (the last
    per-visitor thing citizens' pages had) can be made at all; the editor's still can."""
    from flask_wtf.csrf import generate_csrf

    for path in ("/", "/en/tim-kiem", "/kiosk/en/", "/api/v1/procedures"):
        with app.test_request_context(path), pytest.raises(RuntimeError, match="no session"):
            generate_csrf()
    with app.test_request_context("/editor/login"):
        assert generate_csrf()


def test_staleness_is_bounded_by_midnight(app, client, monkeypatch):
    # 15 s left: nginx may keep the answer 7 s, a browser behind it 7 s more, none after 0:00.
    monkeypatch.setattr(caching, "seconds_to_midnight", lambda: 15.0)
    response = client.get("/le-phi")
    assert response.headers["Cache-Control"] == "public, max-age=7, stale-while-revalidate=0"
    monkeypatch.setattr(caching, "seconds_to_midnight", lambda: 50.0)
    response = client.get("/le-phi")
    assert response.headers["Cache-Control"] == "public, max-age=20, stale-while-revalidate=5"


def test_seconds_to_midnight_is_in_the_centres_time_zone(app):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    with app.app_context():
        left = caching.seconds_to_midnight()
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    expected = (datetime.combine(now.date() + timedelta(days=1), datetime.min.time(),
                                 now.tzinfo) - now).total_seconds()
    assert abs(left - expected) < 2


def test_settings_beyond_sixty_seconds_are_refused():
    caching.check_settings({"PUBLIC_MAX_AGE": 20, "PUBLIC_STALE_SECONDS": 10})
    with pytest.raises(RuntimeError, match="at most 30 s"):
        caching.check_settings({"PUBLIC_MAX_AGE": 25, "PUBLIC_STALE_SECONDS": 6})


# --- the per-worker cache ---------------------------------------------------------------------

@pytest.fixture
def cached_app(app):
    """The test app's database and index, with the per-worker response cache on."""
    app = make_app(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.config["SEARCH_INDEX_DIR"]),
                   RESPONSE_CACHE_SECONDS=30.0)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def proc(app) -> dict:
    from app.models import Procedure

    with app.app_context():
        row = db.session.scalars(select(Procedure).where(Procedure.published)
                                 .order_by(Procedure.id)).first()
        with app.test_request_context():
            return {"id": row.id, "code": row.code,
                    "page": url_for("public.procedure", slug=row.slug)}


def _rename(app, proc_id: int, name: str, publish: bool) -> None:
    from app.models import Procedure

    with app.app_context():
        row = db.session.get(Procedure, proc_id)
        row.plain_name = name
        if publish:
            search.index(row.id)
        db.session.commit()
        if publish:
            search.sync()


def test_cache_serves_pages_until_the_next_publish(cached_app, proc):
    client = cached_app.test_client()
    first = client.get(proc["page"])
    # A change that bypasses the publishing path is not seen while the entry is fresh...
    _rename(cached_app, proc["id"], "Tên chưa xuất bản", publish=False)
    again = client.get(proc["page"])
    assert "Tên chưa xuất bản" not in again.get_data(as_text=True)
    assert again.headers["ETag"] == first.headers["ETag"]
    # ...a publish (a change row in the same transaction) is seen at once.
    _rename(cached_app, proc["id"], "Tên đã xuất bản", publish=True)
    assert "Tên đã xuất bản" in client.get(proc["page"]).get_data(as_text=True)


def test_cached_answers_report_their_age_in_max_age(cached_app, proc):
    client = cached_app.test_client()
    first = client.get(proc["page"])
    time.sleep(1.1)
    again = client.get(proc["page"])
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    fresh = int(CACHE_CONTROL.match(first.headers["Cache-Control"]).group(1))
    later = int(CACHE_CONTROL.match(again.headers["Cache-Control"]).group(1))
    assert later <= fresh - 1


def test_cache_entries_expire(cached_app, proc):
    cached_app.config["RESPONSE_CACHE_SECONDS"] = 0.3
    client = cached_app.test_client()
    client.get(proc["page"])
    _rename(cached_app, proc["id"], "Tên mới sau hạn", publish=False)
    time.sleep(0.4)
    assert "Tên mới sau hạn" in client.get(proc["page"]).get_data(as_text=True)


def test_search_answers_are_cached_until_the_index_changes(cached_app, proc):
    renders: list[str] = []

    def rendered(sender, template, context, **extra):
        renders.append(template.name)

    template_rendered.connect(rendered, cached_app)
    client = cached_app.test_client()
    word = "xyzzycachetest"
    url = "/api/v1/search?q=" + word
    assert client.get(url).get_json()["total"] == 0
    page = client.get("/tim-kiem?q=" + word)
    assert renders.count("public/search.html") == 1
    # The database changes, the index does not: the same query gets the same answer,
    # without running the search again.
    _rename(cached_app, proc["id"], f"Thủ tục {word}", publish=False)
    assert client.get(url).get_json()["total"] == 0
    assert client.get("/tim-kiem?q=" + word).data == page.data
    assert renders.count("public/search.html") == 1
    # Once the change is in the index, the next search sees it.
    _rename(cached_app, proc["id"], f"Thủ tục {word}", publish=True)
    deadline = time.monotonic() + 2
    while client.get(url).get_json()["total"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    codes = [item["code"] for item in client.get(url).get_json()["items"]]
    assert proc["code"] in codes
    assert word in client.get("/tim-kiem?q=" + word).get_data(as_text=True)


@pytest.mark.parametrize("mount", ["", "/en", "/kiosk", "/kiosk/en"])
def test_every_language_and_skin_is_served_from_the_worker_cache(cached_app, proc, mount):
    renders: list[str] = []
    template_rendered.connect(lambda sender, template, **extra: renders.append(template.name),
                              cached_app, weak=False)
    client = cached_app.test_client()
    first = client.get(mount + proc["page"])
    assert first.status_code == 200 and renders.count("public/procedure.html") == 1
    _rename(cached_app, proc["id"], "Tên chưa xuất bản", publish=False)
    again = client.get(mount + proc["page"])
    assert renders.count("public/procedure.html") == 1  # not rendered again
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert len(caching.get_cache(cached_app)) == 1


def test_search_answers_from_the_worker_cache_are_counted(cached_app):
    from app.models import SearchQueryDay
    from app.search.querylog import flush

    client = cached_app.test_client()
    pages = [client.get("/tim-kiem?q=xyzzy+plugh"), client.get("/tim-kiem?q=xyzzy+plugh"),
             client.get("/en/tim-kiem?q=xyzzy+plugh"), client.get("/api/v1/search?q=dang+ky"),
             client.get("/api/v1/search?q=dang+ky")]
    assert pages[1].data == pages[0].data and pages[4].data == pages[3].data
    assert len(caching.get_cache(cached_app)) == 3  # two answers came from the cache
    with cached_app.app_context():
        assert flush()
        rows = {r.query: (r.asked, r.missed) for r in db.session.scalars(select(SearchQueryDay))}
    assert rows == {"xyzzy plugh": (3, 3), "dang ki": (2, 0)}


def test_signed_in_editors_get_the_same_public_pages(cached_app, proc):
    from tests.editor_support import signed_in

    anonymous = cached_app.test_client(use_cookies=False).get(proc["page"])
    editor = signed_in(cached_app, "publisher").get(proc["page"])
    assert editor.headers["ETag"] == anonymous.headers["ETag"]
    assert editor.headers["Cache-Control"].startswith("public, ")
