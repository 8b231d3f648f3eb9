"""A revision scheduled for tomorrow, through real gunicorn workers (issue 21): not visible
today on either worker, and visible on both one second after local midnight, with no
restart and no cache clear. The workers' clock is the file ``MOTCUA_TEST_CLOCK_FILE``
names (``app.dates.now``), which the test rewrites to cross midnight (marked slow: it runs
on the PostgreSQL pass, scripts/test-phases.sh). A production server refuses that file."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.parse
import uuid

import pytest

from app import create_app
from app.dates import now
from tests.conftest import _pg_admin, database_copy
from tests.servers import node_env, start_node, stop_node

BIRTH, SLUG = "1.001193", "dang-ky-khai-sinh"
NEW_NAME = "Khai sinh sau nửa đêm"
TOKEN = "zmidnightqx"
BEFORE = "2026-12-20T23:59:59+07:00"
AFTER = "2026-12-21T00:00:01+07:00"  # one second after local midnight
SCHEDULE = f"""
from app import create_app
from app.extensions import db
from app.schedule.demo import load_scheduled

class Report:
    created, rejected = [], []

app = create_app()
with app.app_context():
    report = Report()
    load_scheduled([{{"code": "{BIRTH}", "kind": "revision", "effective_on": "2026-12-21",
                      "note": "Tên mới.", "changes": {{"plain_name": "{NEW_NAME}",
                                                       "keywords": ["{TOKEN}"]}}}}], report)
    db.session.commit()
    assert report.created and not report.rejected, report.rejected
"""


@pytest.fixture
def node(template, tmp_path):
    """One gunicorn node with two workers on a copy of the demo database, its clock a file."""
    url, name = database_copy(template, tmp_path, prefix="motcua_mid")
    index_dir = tmp_path / "index"
    shutil.copytree(template["root"] / "index", index_dir, symlinks=True)
    clock = tmp_path / "clock"
    clock.write_text(BEFORE)
    env = node_env(url, index_dir, WEB_CONCURRENCY="2", MOTCUA_TEST_CLOCK_FILE=str(clock))
    started = start_node("midnight", env, tmp_path / "logs")
    started.clock = clock
    try:
        yield started
    finally:
        stop_node(started)
        if name:
            _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _surfaces(node, request_id: str) -> dict[str, str]:
    """The page, the API record and a search for the revision's keyword, by one worker each
    (a request id per answer, to learn which worker answered)."""
    answers = {}
    for path in (f"/thu-tuc/{SLUG}", f"/api/v1/procedures/{BIRTH}",
                 "/api/v1/search?q=" + urllib.parse.quote(TOKEN)):
        status, _, body = node.get(path, headers={"X-Request-Id": f"{request_id}-{len(answers)}"})
        assert status == 200, (path, status)
        answers[path] = body.decode()
    return answers


def _on_every_worker(node, check, seconds: float = 30.0) -> set[int]:
    """Ask from a few threads until both workers answered; ``check`` each answer. The pids
    that answered."""
    ids: list[str] = []
    failures: list[str] = []
    deadline = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < deadline:
            request_id = uuid.uuid4().hex
            failure = check(_surfaces(node, request_id))
            ids.append(request_id)
            if failure:
                failures.append(failure)
            if len(_workers_of(node, ids)) >= 2 and len(ids) >= 8:
                return

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    assert failures == [], failures[:3]
    return _workers_of(node, ids)


def _workers_of(node, ids: list[str]) -> set[int]:
    wanted = set(ids)
    return {e["pid"] for e in node.json_lines() if e.get("type") == "access"
            and str(e.get("request_id", "")).rsplit("-", 1)[0] in wanted}


def _old(answers: dict[str, str]) -> str:
    joined = "".join(answers.values())
    if NEW_NAME in joined or json.dumps(NEW_NAME)[1:-1] in joined:
        return "the coming version shows before its date"
    return ""


def _new_page(answers: dict[str, str]) -> str:
    page, record, _found = answers.values()
    if NEW_NAME not in page or json.loads(record)["name"] != NEW_NAME:
        return "the page or the API still shows the old version"
    return ""


def _new(answers: dict[str, str]) -> str:
    found = json.loads(list(answers.values())[2])
    if BIRTH not in [item["code"] for item in found["items"]]:
        return "search does not find the new version"
    return _new_page(answers)


def _searchable(node, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _new(_surfaces(node, uuid.uuid4().hex)):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_a_revision_for_tomorrow_goes_live_on_both_workers_after_midnight(node):
    assert len(_on_every_worker(node, _old)) == 2  # both workers have answered once already
    scheduled = node.python("-c", SCHEDULE)
    assert scheduled.returncode == 0, scheduled.stderr[-3000:]
    assert _on_every_worker(node, _old) == node.worker_pids()  # today: nowhere
    node.clock.write_text(AFTER)  # the workers' clock, now 00:00:01 on the 21st
    # From the first request of the day, page and API are the new version on every worker
    # (that request applies the change; no restart, no cache clear) …
    assert _on_every_worker(node, _new_page) == node.worker_pids()
    # … and search once the node's indexer applied the outbox row (SEARCH_POLL_SECONDS).
    assert _searchable(node, seconds=5.0), node.logs()[-3000:]
    assert _on_every_worker(node, _new) == node.worker_pids()
    assert len(node.worker_pids()) == 2
    assert "Traceback" not in node.logs()


def test_the_clock_file_moves_the_clock_and_production_refuses_it(tmp_path):
    clock = tmp_path / "clock"
    app = create_app({"TEST_CLOCK_FILE": str(clock),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    with app.app_context():
        real = now()
        clock.write_text(AFTER)
        assert now().isoformat() == AFTER
        clock.write_text("")
        assert now() >= real
    with pytest.raises(RuntimeError, match="MOTCUA_TEST_CLOCK_FILE"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "a" * 32,
                    "SITE_URL": "https://motcua.example.gov.vn", "TEST_CLOCK_FILE": str(clock),
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
