"""The query log's writes (app/search/querylog.py): searches count in memory per worker and
the counts are written in one short, best-effort transaction per flush period, after the
response, so anonymous searches never hold up an editor's write (test_multiprocess proves
that under load). The rules of what is counted are in test_search_understanding.py."""

from __future__ import annotations

import importlib.util
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import SearchQueryDay
from app.search import querylog
from app.search.querylog import flush, pending_count, record_query
from tests.servers import ROOT


def _rows(app) -> dict[str, tuple[int, int]]:
    with app.app_context():
        rows = {r.query: (r.asked, r.missed) for r in db.session.scalars(select(SearchQueryDay))}
        db.session.remove()
    return rows


@contextmanager
def _database_locked(app) -> Iterator[None]:
    """Another process-like connection holds the write lock (SQLite) or the table (PG), as an
    editor's transaction would."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.rollback()
            conn.close()
        return
    with app.app_context(), db.engine.connect() as conn, conn.begin():
        conn.exec_driver_sql("LOCK TABLE search_query_day IN EXCLUSIVE MODE")
        yield


def test_searches_count_in_memory_until_the_flush_adds_them(app, client):
    assert app.config["SEARCH_LOG_FLUSH_SECONDS"] == 30  # the default
    client.get("/tim-kiem?q=xyzzy+plugh")
    client.get("/api/v1/search?q=xyzzy+plugh")
    client.get("/api/v1/search?q=dang+ky")
    assert _rows(app) == {}  # no anonymous write yet
    assert pending_count(app) == 2
    with app.app_context():
        assert flush()
    assert _rows(app) == {"xyzzy plugh": (2, 2), "dang ki": (1, 0)}
    assert pending_count(app) == 0
    client.get("/en/tim-kiem?q=xyzzy+plugh")
    with app.app_context():
        assert flush()
        assert flush()  # nothing left: writes nothing, adds nothing
    assert _rows(app) == {"xyzzy plugh": (3, 3), "dang ki": (1, 0)}


def test_when_the_period_is_over_the_counts_are_written_after_the_response(app, client):
    app.config["SEARCH_LOG_FLUSH_SECONDS"] = 0
    response = client.get("/tim-kiem?q=xyzzy+plugh")
    assert response.status_code == 200
    assert _rows(app) == {}  # the response is out; the write has not happened yet...
    response.close()  # ...the server closes it once sent
    assert _rows(app) == {"xyzzy plugh": (1, 1)}


def test_many_different_queries_flush_before_the_period_ends(app, monkeypatch):
    monkeypatch.setattr(querylog, "FLUSH_ENTRIES", 3)
    with app.app_context():
        for word in ("mot", "hai", "ba"):
            record_query(f"xyzzy {word}", found=False)
    assert set(_rows(app)) == {"xyzzy mot", "xyzzy hai", "xyzzy ba"}


def test_a_busy_database_neither_fails_nor_slows_a_search_and_keeps_the_counts(app, client):
    app.config["SEARCH_LOG_FLUSH_SECONDS"] = 0
    with _database_locked(app):
        started = time.monotonic()
        response = client.get("/tim-kiem?q=xyzzy+plugh", buffered=True)  # flushes on close
        elapsed = time.monotonic() - started
        assert response.status_code == 200
        assert elapsed < 5  # the flush waits LOCK_WAIT_MS (0.1 s), not the 10 s busy timeout
        assert pending_count(app) == 1  # kept for the next flush
        with app.app_context():
            started = time.monotonic()
            assert flush() is False
            assert time.monotonic() - started < 2
    with app.app_context():
        assert flush()
    assert _rows(app) == {"xyzzy plugh": (1, 1)}


def test_a_flush_gives_the_pool_back_its_usual_busy_timeout(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's busy timeout belongs to the connection")
    with app.app_context():
        db.engine.dispose()  # one pooled connection: the one the flushes use
        for locked in (False, True):
            record_query("xyzzy plugh", found=False)
            if locked:
                with _database_locked(app):
                    assert flush() is False
            else:
                assert flush()
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_counts_waiting_for_the_database_are_bounded(app, monkeypatch):
    monkeypatch.setattr(querylog, "MAX_PENDING", 3)
    with app.app_context():
        for word in ("mot", "hai", "ba", "bon", "nam"):
            record_query(f"xyzzy {word}", found=False)
        record_query("xyzzy mot", found=False)  # a text already waiting still counts
        assert pending_count() == 3
        assert flush()
    assert _rows(app) == {"xyzzy mot": (2, 2), "xyzzy hai": (1, 1), "xyzzy ba": (1, 1)}


def test_a_worker_that_stops_writes_what_it_holds(app, client):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    client.get("/tim-kiem?q=xyzzy+plugh")
    assert _rows(app) == {}
    conf.worker_exit(SimpleNamespace(log=SimpleNamespace(debug=print)),
                     SimpleNamespace(wsgi=app))
    assert _rows(app) == {"xyzzy plugh": (1, 1)}
