"""Every page and API answer is the same on PostgreSQL as on SQLite, byte for byte.

This is what lets the tests marked ``read_only`` (they only read pages or the API) run once, on
SQLite: on the PostgreSQL pass, the same demo catalogue is loaded into both databases and every
page those tests read is requested from both apps and compared — the site and the kiosk in both
languages, print checklists, dated views, search, feeds and the API. Writing paths differ
between the databases in locks, types and constraints; they keep running on both.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import pytest

from tests.conftest import PG_ADMIN_URL, build_template, make_app
from tests.html import attr_values
from tests.relevance_set import BASIC
from tests.test_search_hostile import URL_SAFE

pytestmark = pytest.mark.skipif(not PG_ADMIN_URL, reason="compares PostgreSQL with SQLite")

LATER = "2027-01-02"  # after the demo's dated changes of 01/01/2027
LOADED = datetime(2026, 12, 6, 1, 2, 3)
# Every fourth query of the relevance set (they span every field), and questions it has no
# answer for; every hostile input of tests/test_search_hostile.py, cut to what a URL carries.
QUERIES = [query for query, _code in BASIC[::4]] + ["giay phep lai xe", "xin visa"]
HOSTILE = [text[:300] for text in URL_SAFE]
EVERY = 5  # of the pages of one kind (procedures, documents), every fifth: kinds share views


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("sqlite-template")
    return build_template(f"sqlite:///{root / 'db.sqlite3'}", root)


@pytest.fixture
def sqlite_app(sqlite_template, tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("sqlite-copy")
    shutil.copytree(sqlite_template["root"] / "index", root / "index")
    shutil.copy(sqlite_template["root"] / "db.sqlite3", root / "db.sqlite3")
    app = make_app(f"sqlite:///{root / 'db.sqlite3'}", root / "index")
    yield app
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _paths(app, group: str) -> list[str]:
    """The addresses of one group of pages, read from the app's own sitemap and pages."""
    client = app.test_client()
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").get_data())
    every = sorted({urlsplit(node.text or node.get("href", "")).path for node in sitemap.iter()
                    if node.tag.endswith("}loc") or node.tag.endswith("}link")})
    # Every list (their order and counts are where databases differ) and every fifth
    # procedure page: the rest read their rows with the same queries.
    all_procedures = [p for p in every if "/thu-tuc/" in p]
    procedures = all_procedures[::EVERY]
    listed = [p for p in every if "/thu-tuc/" not in p] + procedures
    if group == "site":
        documents = [path for path in attr_values(client.get("/van-ban-phap-luat"), "main a",
                                                  "href")
                     if path.startswith("/van-ban-phap-luat/")]
        return [*listed, "/sitemap.xml", "/tim-kiem", "/le-phi", "/ket-qua-phuc-vu",
                "/ket-qua-phuc-vu/ket-qua.csv", "/gio-lam-viec", "/tra-cuu-ho-so",
                "/thay-doi.atom", "/en/thay-doi.atom", "/khong-co-trang-nay",
                *documents[::EVERY]]
    if group == "kiosk":
        return ["/kiosk" + path for path in listed] + ["/kiosk/tim-kiem", "/kiosk/gio-lam-viec"]
    if group == "print and dated":
        return ([path + "/in" for path in procedures]  # every one: dated changes are few
                + [f"{path}?on={LATER}" for path in all_procedures if not path.startswith("/en")]
                + [f"/le-phi?on={LATER}"])
    if group == "search":
        return ([f"{prefix}/tim-kiem?q={quote(q)}" for q in QUERIES
                 for prefix in ("", "/en", "/kiosk")]
                + [f"/tim-kiem?q={quote(q)}" for q in HOSTILE]
                + [f"/api/v1/search?q={quote(q)}" for q in HOSTILE])
    assert group == "api"
    answer = client.get("/api/v1/procedures?per_page=100").get_json()
    all_codes = [item["code"] for item in answer["items"]]
    codes = all_codes[::EVERY]
    return (["/api/v1/procedures", "/api/v1/procedures?per_page=100", "/api/v1/openapi.json",
             "/api/v1/legal-documents", "/api/v1/service-points", "/api/v1/statistics"]
            + [f"/api/v1/procedures/{code}" for code in codes]
            + [f"/api/v1/procedures/{code}?on={LATER}" for code in all_codes]
            + [f"/api/v1/search?q={quote(q)}" for q in QUERIES]
            + [f"/api/v1/suggest?q={quote(q[:6])}" for q in QUERIES])


def _first_difference(one: str, other: str) -> tuple[str, str]:
    at = next((i for i, (x, y) in enumerate(zip(one, other, strict=False)) if x != y),
              min(len(one), len(other)))
    return one[max(0, at - 60):at + 60], other[max(0, at - 60):at + 60]


def _same_load_time(*apps) -> None:
    """The two catalogues were loaded seconds apart; give their load-time stamps one value."""
    from sqlalchemy import DateTime, update

    from app.extensions import db

    for app in apps:
        with app.app_context():
            for table in db.metadata.sorted_tables:
                stamps = {column.name: LOADED for column in table.columns
                          if column.name.endswith("_at") and isinstance(column.type, DateTime)
                          and column.name not in ("starts_at", "ends_at")}  # notices: data
                if stamps:
                    db.session.execute(update(table).values(**stamps))
            db.session.commit()


@pytest.mark.parametrize("group", ["site", "kiosk", "print and dated", "search", "api"])
def test_every_page_is_the_same_on_both_databases(app, sqlite_app, group):
    _same_load_time(app, sqlite_app)
    paths = _paths(sqlite_app, group)
    assert len(paths) >= 20  # the group is not empty by mistake
    assert paths == _paths(app, group)
    on_sqlite, on_postgresql = sqlite_app.test_client(), app.test_client()
    differ = []
    for path in paths:
        a, b = on_sqlite.get(path), on_postgresql.get(path)
        if (a.status_code, a.content_type, a.get_data()) != (
                b.status_code, b.content_type, b.get_data()):
            differ.append((path, a.status_code, b.status_code, _first_difference(
                a.get_data(as_text=True), b.get_data(as_text=True))))
        assert a.status_code < 500, path
    assert differ == []
