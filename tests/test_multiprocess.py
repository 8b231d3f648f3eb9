"""Real gunicorn processes: several workers, two nodes on one database, a killed indexer, and
an editor publishing during load. On SQLite by default; on PostgreSQL when
``TEST_DATABASE_URL`` is set (scripts/with-postgres.sh). Loopback only, bounded in time.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import _pg_admin, database_copy
from tests.publisher import new_token
from tests.servers import ROOT, Node, node_env, pid_alive, start_node, stop_node

pytestmark = pytest.mark.slow
@pytest.fixture
def shared_db(template, tmp_path):
    """One database for every node of a test: a copy of the demo template."""
    url, name = database_copy(template, tmp_path, prefix="motcua_mp")
    try:
        yield url
    finally:
        if name:
            _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def nodes(template, shared_db, tmp_path):
    """``nodes(name, workers=4)`` starts a node with its own copy of the index; all stopped
    at the end whatever happens."""
    started: list[Node] = []

    def start(name: str, workers: int = 4) -> Node:
        index_dir = tmp_path / name / "index"
        shutil.copytree(template["root"] / "index", index_dir, symlinks=True)
        env = node_env(shared_db, index_dir, WEB_CONCURRENCY=str(workers))
        node = start_node(name, env, tmp_path / "logs")
        started.append(node)
        return node

    try:
        yield start
    finally:
        for node in started:
            stop_node(node)


@contextmanager
def publishing(node: Node, token: str) -> Iterator[tuple[str, float]]:
    """Publish through the write path in its own process; yields (procedure code, commit
    time) as soon as the commit is done (the publisher then syncs and exits)."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.publisher", "once", token],
                            cwd=ROOT, env=node.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("{"), proc.stderr.read()[-2000:]
        published = json.loads(line)
        yield published["code"], published["t"]
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def publish_once(node: Node, token: str) -> tuple[str, float]:
    with publishing(node, token) as published:
        return published


def search_codes(node: Node, query: str, request_id: str | None = None) -> list[str] | None:
    """Codes found through /api/v1/search; None when the answer was not a 200."""
    headers = {"X-Request-Id": request_id} if request_id else {}
    status, _, body = node.get("/api/v1/search?q=" + urllib.parse.quote(query), headers=headers)
    if status != 200:
        return None
    return [item["code"] for item in json.loads(body)["items"]]


@dataclass
class Probe:
    sent: float
    found: bool
    request_id: str


def hammer_search(node: Node, token: str, code: str, until: float,
                  threads: int = 8) -> list[Probe]:
    """Search for ``token`` from several threads until ``until`` (bounded)."""
    probes: list[Probe] = []
    lock = threading.Lock()

    def run() -> None:
        while time.time() < until:
            request_id = uuid.uuid4().hex
            sent = time.time()
            codes = search_codes(node, token, request_id)
            with lock:
                probes.append(Probe(sent, codes is not None and code in codes, request_id))

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=until - time.time() + 30)
    return probes


def answered_by(node: Node) -> dict[str, int]:
    """request id → pid of the worker that answered, from the JSON access log."""
    return {e["request_id"]: e["pid"] for e in node.json_lines()
            if e.get("type") == "access" and e.get("request_id")}


def wait_until_found(node: Node, token: str, code: str, seconds: float) -> float | None:
    """The wall-clock time ``token`` first found ``code`` on ``node``; None if not within
    ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        codes = search_codes(node, token)
        if codes and code in codes:
            return time.time()
        time.sleep(0.05)
    return None


def verify(node: Node, seconds: float = 15.0) -> str:
    """``flask search verify`` until it agrees (pending changes may still be applied)."""
    deadline = time.monotonic() + seconds
    while True:
        run = node.flask("search", "verify")
        if run.returncode == 0 or time.monotonic() > deadline:
            assert run.returncode == 0, run.stdout + run.stderr
            return run.stdout
        time.sleep(0.5)


def test_a_publish_reaches_every_worker_within_a_second(nodes):
    node = nodes("node", workers=4)
    token = new_token()
    with publishing(node, token) as (code, committed):
        probes = hammer_search(node, token, code, until=committed + 3.0)
    pids = answered_by(node)
    late = [p for p in probes if p.sent >= committed + 1.0]
    assert late and all(p.found for p in late), [p for p in late if not p.found][:5]
    assert {pids.get(p.request_id) for p in late} >= node.worker_pids()
    assert len(node.worker_pids()) == 4
    stale = [p.sent - committed for p in probes if not p.found]
    print(f"\n{len(probes)} searches over 4 workers; last one not finding the change was "
          f"sent {max(stale, default=0):.3f} s after the commit")
    assert "LockError" not in node.logs()


def test_a_change_published_on_one_node_is_found_on_the_other(nodes):
    node_a, node_b = nodes("a", workers=2), nodes("b", workers=2)
    token = new_token()
    with publishing(node_a, token) as (code, committed):
        found_b = wait_until_found(node_b, token, code, seconds=5.0)
    assert found_b is not None, node_b.logs()[-3000:]
    assert found_b - committed <= 5.0
    assert wait_until_found(node_a, token, code, seconds=5.0) is not None
    print(f"\nnode B found node A's change {found_b - committed:.2f} s after its commit")
    # …and back: B publishes, A follows.
    token_back = new_token()
    publish_once(node_b, token_back)
    assert wait_until_found(node_a, token_back, code, seconds=5.0) is not None
    verify(node_a)
    verify(node_b)
    assert "LockError" not in node_a.logs() + node_b.logs()


class Traffic:
    """Readers hitting a node from a few threads until stopped (at most ``limit`` s)."""

    def __init__(self, node: Node, paths: list[str], threads: int = 4, limit: float = 60.0):
        self.node, self.paths, self.limit = node, paths, limit
        self.statuses: list[int] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run) for _ in range(threads)]

    def run(self) -> None:
        deadline = time.monotonic() + self.limit
        n = 0
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                status = self.node.get(self.paths[n % len(self.paths)], timeout=10)[0]
            except OSError:
                status = 0
            self.statuses.append(status)
            n += 1

    def __enter__(self) -> Traffic:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def _kill_while_writing(index_dir: Path, pid: int, seconds: float = 10.0) -> bool:
    """SIGKILL ``pid`` while it holds the index writer lock; True if caught writing."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for lock_path in index_dir.rglob("*WRITELOCK"):
            with open(lock_path, "a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.kill(pid, signal.SIGKILL)
                    return True
                fcntl.flock(handle, fcntl.LOCK_UN)
        time.sleep(0.001)
    os.kill(pid, signal.SIGKILL)
    return False


def test_killing_the_indexer_while_it_writes_loses_nothing(nodes):
    node = nodes("node", workers=2)
    deadline = time.monotonic() + 20  # the supervisor logs its indexer once it has started it
    while not node.indexer_pids() and time.monotonic() < deadline:
        time.sleep(0.1)
    indexer = node.indexer_pids()[-1]
    node.extra_pids.add(indexer)
    index_dir = Path(node.env["SEARCH_INDEX_DIR"])
    paths = ["/", "/api/v1/search?q=khai+sinh", "/healthz", "/api/v1/procedures"]
    with Traffic(node, paths) as traffic:
        run = node.python("-m", "tests.publisher", "touch-all")
        assert run.returncode == 0, run.stderr[-2000:]
        caught = _kill_while_writing(index_dir, indexer)
        deadline = time.monotonic() + 20
        while node.indexer_pids()[-1] == indexer and time.monotonic() < deadline:
            time.sleep(0.1)
        restarted = node.indexer_pids()[-1]
        assert restarted != indexer and pid_alive(restarted)
        token = new_token()
        code, _ = publish_once(node, token)  # the next write
        assert wait_until_found(node, token, code, seconds=10.0) is not None
        verify(node)
    print(f"\nindexer killed {'while holding the writer lock' if caught else 'after writing'};"
          f" {len(traffic.statuses)} requests meanwhile")
    assert traffic.statuses and set(traffic.statuses) == {200}
    assert "LockError" not in node.logs()


def test_an_editor_publishing_every_second_during_load_loses_nothing(nodes):
    node = nodes("node", workers=4)
    _, _, body = node.get("/api/v1/procedures?per_page=1")
    page = json.loads(body)["items"][0]["url"].split("://", 1)[1].split("/", 1)[1]
    paths = [f"/{page}", "/api/v1/search?q=dang+ky+khai+sinh", "/kiosk/", "/api/v1/procedures"]
    with Traffic(node, paths, threads=6) as traffic:
        run = node.python("-m", "tests.publisher", "every", "1", "8", timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]
        published = [json.loads(line) for line in run.stdout.splitlines()
                     if line.startswith("{")]
        latest = {p["code"]: p["token"] for p in published}
        for code, token in latest.items():
            assert wait_until_found(node, token, code, seconds=5.0) is not None, (code, token)
    assert len(published) == 8
    assert traffic.statuses and set(traffic.statuses) == {200}, sorted(set(traffic.statuses))
    verify(node)
    print(f"\n{len(published)} publishes during {len(traffic.statuses)} requests; all found")
    assert "LockError" not in node.logs()
