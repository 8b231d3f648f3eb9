"""The index's write side: change sequence, sync, rebuild, verify, follow, recovery, locking."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from app import search
from app.extensions import db
from app.models import Procedure
from app.search import backend, indexer, readers
from app.search.outbox import GRACE_SECONDS, Position
from tests.search_helpers import top_codes

ROOT = Path(__file__).resolve().parent.parent
MARRIAGE = "1.000894"


def _rename(code: str, name: str) -> Procedure:
    proc = db.session.scalar(select(Procedure).filter_by(code=code))
    proc.plain_name = name
    search.index(proc.id)
    db.session.commit()
    return proc


def _index_dir() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def test_publish_then_sync_makes_a_change_searchable(ctx):
    assert top_codes("quvexa") == []
    _rename(MARRIAGE, "Quvexa kết hôn")
    assert top_codes("quvexa") == []  # queued, not yet applied
    assert search.sync() == 1
    assert top_codes("quvexa") == [MARRIAGE]
    assert search.sync() == 0
    assert search.verify().ok


def test_unpublished_procedures_leave_the_index(ctx):
    proc = db.session.scalar(select(Procedure).filter_by(code=MARRIAGE))
    proc.published = False
    search.remove(proc.id)
    db.session.commit()
    search.sync()
    assert MARRIAGE not in top_codes("dang ky ket hon", 10)
    assert search.verify().ok


def test_verify_reports_an_index_out_of_step(ctx, app):
    db.session.execute(update(Procedure).where(Procedure.code == MARRIAGE)
                       .values(published=False))  # changed without a change row
    db.session.commit()
    report = search.verify()
    assert not report.ok and len(report.extra) == 1
    result = app.test_cli_runner().invoke(args=["search", "verify"])
    assert result.exit_code == 1 and "extra (1)" in result.output
    assert app.test_cli_runner().invoke(args=["search", "rebuild"]).exit_code == 0
    assert app.test_cli_runner().invoke(args=["search", "verify"]).exit_code == 0


def test_cli_sync(ctx, app):
    _rename(MARRIAGE, "Quvexa kết hôn")
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert result.exit_code == 0 and "applied 1" in result.output


def test_rebuild_switches_generation_atomically(ctx):
    root = _index_dir()
    before = backend.current_path(root)
    assert search.rebuild() >= 40
    after = backend.current_path(root)
    assert after != before and after.parent == root
    assert (root / "CURRENT").read_text().strip() == after.name
    search.rebuild()
    assert not before.exists()  # generations older than the previous one are removed
    assert top_codes("dang ky ket hon", 1) == [MARRIAGE]


def test_changes_committed_out_of_order_are_not_skipped():
    now = time.time()
    position = Position().advance([(1, now), (2, now), (4, now)], now)
    assert (position.seq, set(position.above)) == (2, {4})  # 3 may still commit
    position = position.advance([(3, now)], now)
    assert (position.seq, position.above) == (4, {})
    stale = Position(4).advance([(6, now - GRACE_SECONDS - 1)], now)
    assert stale.seq == 6  # a hole older than the grace period was a rollback


def test_missing_index_answers_from_the_database_then_is_rebuilt(ctx):
    root = _index_dir()
    for child in root.iterdir():
        if child.is_dir():
            for f in child.iterdir():
                f.unlink()
            child.rmdir()
    readers.views.drop(root)
    result = search.search("dang ky ket hon")
    assert result.degraded and result.total and result.hits
    assert not search.is_healthy()
    indexer.wait_for_repairs()
    assert search.is_healthy()
    assert not search.search("dang ky ket hon").degraded
    assert search.verify().ok


def test_corrupt_index_is_rebuilt(ctx):
    root = _index_dir()
    for f in backend.current_path(root).iterdir():
        if f.suffix in (".seg", ".toc"):
            f.write_bytes(b"\x00garbage" * 10)
    readers.views.drop(root)
    result = search.search("khai sinh")
    assert result.degraded and result.hits
    indexer.wait_for_repairs()
    assert search.is_healthy() and not search.search("khai sinh").degraded


def test_sync_rebuilds_a_missing_index(ctx):
    (_index_dir() / "CURRENT").unlink()
    assert not search.index_exists()
    search.sync()
    assert search.index_exists() and search.is_healthy()


def test_sync_never_waits_for_nor_raises_on_the_writer_lock(ctx):
    _rename(MARRIAGE, "Quvexa kết hôn")
    ix = backend.open_index(_index_dir())
    writer = backend.open_writer(ix)  # another process is writing
    try:
        started = time.monotonic()
        assert search.sync() == 0
        assert time.monotonic() - started < 1
    finally:
        writer.cancel()
    assert search.sync() == 1


def test_concurrent_writers_lose_nothing(app):
    """Three indexers race for Whoosh's lock while changes are published: none fails."""
    errors: list[BaseException] = []
    publishing = threading.Event()
    publishing.set()

    def indexer_loop() -> None:
        with app.app_context():
            try:
                while publishing.is_set():
                    search.sync()
            except BaseException as exc:  # pragma: no cover - the assertion shows it
                errors.append(exc)

    threads = [threading.Thread(target=indexer_loop) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        with app.app_context():
            for i in range(10):
                _rename(MARRIAGE if i % 2 else "1.001193", f"Zq{i} tên")
    finally:
        publishing.clear()
        for t in threads:
            t.join(30)
    assert errors == []
    with app.app_context():
        search.sync()
        assert search.verify().ok
        assert top_codes("zq9") == [MARRIAGE] and top_codes("zq8") == ["1.001193"]


def test_follow_applies_changes_until_stopped(app):
    stop = threading.Event()

    def run() -> None:
        with app.app_context():
            search.follow(stop)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        with app.app_context():
            _rename(MARRIAGE, "Quvexa kết hôn")
            deadline = time.monotonic() + 5
            while top_codes("quvexa") != [MARRIAGE] and time.monotonic() < deadline:
                time.sleep(0.05)
            assert top_codes("quvexa") == [MARRIAGE]
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_a_change_synced_by_another_process_is_seen_within_a_second(ctx, app):
    assert top_codes("quvexa") == []  # this process now holds a searcher
    _rename(MARRIAGE, "Quvexa kết hôn")
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "FLASK_APP": "wsgi.py"}
    subprocess.run([sys.executable, "-m", "flask", "search", "sync"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=120)
    synced = time.monotonic()
    while top_codes("quvexa") != [MARRIAGE] and time.monotonic() - synced < 1.0:
        time.sleep(0.02)
    assert top_codes("quvexa") == [MARRIAGE]
