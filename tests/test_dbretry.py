"""app/dbretry.py: a transaction that SQLite refuses because another process committed after
its first read runs again; anything else is not retried."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from app.dbretry import retry_when_busy
from app.extensions import db
from app.models import Procedure


@pytest.fixture
def sqlite_path(app) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's refusal of a stale snapshot; PostgreSQL waits instead")
    return url.removeprefix("sqlite:///")


def _another_process_commits(path: str, n: int) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("INSERT INTO search_query_day (day, query, asked, missed) "
                      "VALUES ('2026-01-01', ?, 1, 0)", (f"other {n}",))
    finally:
        other.close()


def _work(path: str, calls: list[int], interfere: int):
    """A publish-like transaction: read, (another process commits), write, commit."""
    def work() -> str:
        calls.append(1)
        proc = db.session.scalars(select(Procedure).order_by(Procedure.id).limit(1)).one()
        if len(calls) <= interfere:
            _another_process_commits(path, len(calls))
        proc.keywords = [*(proc.keywords or []), f"retry{len(calls)}"]
        db.session.commit()
        return proc.code
    return work


def test_a_write_refused_after_another_commit_runs_again(app, sqlite_path):
    calls: list[int] = []
    with app.app_context():
        code = retry_when_busy(_work(sqlite_path, calls, interfere=2), pause=0.01)
        assert len(calls) == 3
        proc = db.session.scalars(select(Procedure).where(Procedure.code == code)).one()
        assert proc.keywords[-1] == "retry3"


def test_without_the_retry_the_same_transaction_fails(app, sqlite_path):
    with app.app_context(), pytest.raises(OperationalError, match="database is locked"):
        _work(sqlite_path, [], interfere=1)()


def test_it_gives_up_after_its_attempts(app, sqlite_path):
    calls: list[int] = []
    with app.app_context(), pytest.raises(OperationalError, match="database is locked"):
        retry_when_busy(_work(sqlite_path, calls, interfere=99), attempts=3, pause=0)
    assert len(calls) == 3


def test_other_database_errors_are_not_retried(app):
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        db.session.execute(text("SELECT * FROM no_such_table"))

    with app.app_context(), pytest.raises(DBAPIError):  # OperationalError on SQLite
        retry_when_busy(broken, pause=0)
    assert calls == [1]
