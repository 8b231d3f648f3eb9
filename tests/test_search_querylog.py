"""The query log's writes (app/search/querylog.py): searches count in memory per worker and
the counts are written in one short, best-effort transaction per flush period, after the
response, so anonymous searches never hold up an editor's write (test_multiprocess proves
that under load). The rules of what is counted are in test_search_understanding.py."""

from __future__ import annotations

import importlib.util
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app import search
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


# --- what people typed, beside the folded text counted (issue #23: "most searched") ---------

def _spellings(app) -> dict[tuple[str, str, str], int]:
    from app.models import SearchQuerySpelling

    with app.app_context():
        rows = {(r.day.isoformat(), r.query, r.spelling): r.asked
                for r in db.session.scalars(select(SearchQuerySpelling))}
        db.session.remove()
    return rows


def _asked_table(app) -> str:
    from tests.editor_support import signed_in

    html = signed_in(app, "editor").get("/editor/").get_data(as_text=True)
    return html.split('id="asked-table"')[1].split("</table>")[0]


def test_the_dashboard_shows_what_people_typed_not_the_folded_text(app, client):
    for q in ("Sổ đỏ", "Sổ đỏ", "so do", "  Sổ   đỏ "):
        client.get("/tim-kiem", query_string={"q": q})
    client.get("/api/v1/search", query_string={"q": "xyzzy plugh"})
    with app.app_context():
        assert flush()
        top = search.most_asked(days=30)
    assert (top[0].query, top[0].asked, top[0].shown) == ("so do", 4, "Sổ đỏ")
    asked = _asked_table(app)
    assert "<td>Sổ đỏ</td>" in asked and "<td>so do</td>" not in asked
    assert "<td>xyzzy plugh</td>" in asked  # typed as folded: shown as typed


def test_the_commonest_spelling_wins_over_several_flushes_and_days(app):
    now = [datetime(2026, 11, 27, 3, 0, tzinfo=UTC)]
    app.config["CLOCK"] = lambda: now[0]
    with app.app_context():
        for spellings in (["so do", "so do"], ["Sổ đỏ"], ["Sổ đỏ", "Sổ đỏ"]):
            for q in spellings:
                record_query(q, found=True)
            assert flush()
            now[0] += timedelta(days=1)
        assert search.most_asked(days=30)[0].shown == "Sổ đỏ"  # 3 against 2
    assert _spellings(app) == {("2026-11-27", "so do", "so do"): 2,
                               ("2026-11-28", "so do", "Sổ đỏ"): 1,
                               ("2026-11-29", "so do", "Sổ đỏ"): 2}


def test_spellings_are_trimmed_composed_bounded_and_only_plausible(app, client, monkeypatch):
    monkeypatch.setattr(querylog, "MAX_SPELLINGS", 2)
    decomposed = unicodedata.normalize("NFD", "Sổ đỏ")
    for q in (f"  {decomposed}\t ", "SO  DO", "sO dO", "so do", "<b>so do</b>"):
        client.get("/tim-kiem", query_string={"q": q})
    with app.app_context():
        assert flush()
    assert _spellings(app) == {(today(app), "so do", "Sổ đỏ"): 1,
                               (today(app), "so do", "SO DO"): 1}
    assert _rows(app) == {"so do": (4, 0)}  # every plausible ask counts; the markup not at all
    assert querylog.spelled("  a  " + "b" * 300) == ("a " + "b" * 300)[:querylog.MAX_LENGTH]


def test_spellings_wait_out_a_busy_database_and_are_pruned_with_the_counts(app):
    now = [datetime(2026, 8, 1, 3, 0, tzinfo=UTC)]
    app.config["CLOCK"] = lambda: now[0]
    with app.app_context():
        record_query("Sổ đỏ", found=True)
        with _database_locked(app):
            assert flush() is False
        assert flush()
    assert _spellings(app) == {("2026-08-01", "so do", "Sổ đỏ"): 1}
    now[0] += timedelta(days=querylog.KEEP_DAYS + 1)
    querylog._pruned_on.clear()
    with app.app_context():
        record_query("Hộ chiếu", found=True)
        assert flush()
    assert set(_spellings(app)) == {(today(app), "ho chieu", "Hộ chiếu")}


def test_a_day_counted_before_spellings_were_kept_shows_its_folded_text(app):
    from app.dates import today_local

    with app.app_context():
        db.session.add(SearchQueryDay(day=today_local(), query="giay phep nuoi cho", asked=7,
                                      missed=7))
        db.session.commit()
        assert search.most_asked(days=30)[0].shown == "giay phep nuoi cho"


def today(app) -> str:
    from app.dates import today_local

    with app.app_context():
        return today_local().isoformat()
