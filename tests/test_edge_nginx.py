"""nginx in front (deploy/nginx/, scripts/nginx-front.sh) of a real gunicorn node: headers and
compression through the edge, the microcache and what it must never keep (the editor, answers
to requests with cookies), a publish showing within the stated time, /healthz, static files
from nginx itself, the body-size limit, and the script leaving nothing behind.

One node and one nginx per module; max-age 2 s and stale-while-revalidate 1 s, so "within
the stated time" (PUBLIC_MAX_AGE + PUBLIC_STALE_SECONDS) is quick to wait for.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import _pg_admin, database_copy
from tests.servers import (
    ROOT,
    Node,
    free_port,
    http_get,
    kill_pid,
    node_env,
    pid_alive,
    start_node,
    stop_node,
)

pytestmark = pytest.mark.slow
MAX_AGE, STALE = 2, 1
STATED = MAX_AGE + STALE  # docs: a publish shows through the cache within this time
PUBLISH = """
import sys
from sqlalchemy import select
from app import create_app, search
from app.extensions import db
from app.models import Procedure
app = create_app()
with app.app_context():
    proc = db.session.scalars(select(Procedure).where(Procedure.code == sys.argv[1])).one()
    proc.plain_name = sys.argv[2]
    search.index(proc.id)
    db.session.commit()
    search.sync()
"""


@dataclass
class Front:
    """scripts/nginx-front.sh running in front of a node."""

    proc: subprocess.Popen
    url: str
    log: Path

    def prefix(self) -> Path:
        match = re.search(r"\(prefix (\S+)\)", self.log.read_text())
        assert match, self.log.read_text()
        return Path(match.group(1))

    def get(self, path: str, **kwargs):
        return http_get(self.url + path, **kwargs)


def start_front(app_url: str, log: Path, timeout: float = 120.0) -> Front:
    """Start the script (it may install nginx first); return once /healthz answers."""
    port = free_port()
    with log.open("w") as err:
        proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "nginx-front.sh"), app_url,
                                 str(port)], cwd=ROOT, stdout=err, stderr=err,
                                start_new_session=True)
    front = Front(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout
    while True:
        try:
            if front.get("/healthz", timeout=5)[0] == 200:
                return front
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_front(front)
            raise RuntimeError(f"nginx did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def stop_front(front: Front, sig: signal.Signals = signal.SIGTERM) -> None:
    """SIGTERM to the script, as a service manager would (it stops nginx); SIGINT to its
    whole process group, as Ctrl-C in a terminal does."""
    if front.proc.poll() is None:
        if sig == signal.SIGINT:
            os.killpg(front.proc.pid, sig)
        else:
            front.proc.send_signal(sig)
        try:
            front.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(front.proc.pid, signal.SIGKILL)  # its own group: only what we started
            front.proc.wait()


def nginx_pids(prefix: Path) -> list[int]:
    """nginx master processes started with ``prefix`` (by their command line)."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and b"nginx" in args[0] and str(prefix).encode() in b" ".join(args):
            pids.append(int(cmdline.parent.name))
    return pids


@dataclass
class Edge:
    node: Node
    front: Front


@pytest.fixture(scope="module")
def edge(template, tmp_path_factory) -> Iterator[Edge]:
    root = tmp_path_factory.mktemp("edge")
    url, database = database_copy(template, root, prefix="motcua_edge")
    index_dir = root / "index"
    shutil.copytree(template["root"] / "index", index_dir, symlinks=True)
    env = node_env(url, index_dir, WEB_CONCURRENCY="2", PROXY_COUNT="1",
                   PUBLIC_MAX_AGE=str(MAX_AGE), PUBLIC_STALE_SECONDS=str(STALE),
                   RESPONSE_CACHE_SECONDS=str(MAX_AGE))
    node = start_node("edge", env, root / "logs")
    try:
        front = start_front(node.url, root / "logs" / "nginx.log")
        try:
            yield Edge(node, front)
        finally:
            stop_front(front)
    finally:
        stop_node(node)
        if database:
            _pg_admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


@pytest.fixture(scope="module")
def procedure(edge) -> dict:
    status, _, body = edge.front.get("/api/v1/procedures?per_page=1")
    assert status == 200
    item = json.loads(body)["items"][0]
    return {"code": item["code"], "path": urllib.parse.urlsplit(item["url"]).path}


def _fresh_path(path: str) -> str:
    """The same page under a URL no earlier request has put in the cache."""
    return f"{path}?t={uuid.uuid4().hex[:8]}"


def test_a_page_comes_through_compressed_with_shared_cache_headers(edge, procedure):
    path = _fresh_path(procedure["path"])
    status, headers, body = edge.front.get(path, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    html = gzip.decompress(body).decode()
    assert '<html lang="vi"' in html
    assert re.fullmatch(rf"public, max-age=[0-{MAX_AGE}], stale-while-revalidate=[0-{STALE}]",
                        headers["Cache-Control"]), headers["Cache-Control"]
    assert headers["ETag"].startswith('W/"') and headers["Last-Modified"]
    assert "Set-Cookie" not in headers
    assert headers["X-Cache"] == "MISS"
    assert "Content-Security-Policy" in headers
    # The second visitor gets nginx's copy, stored compressed and sent as stored (the same
    # bytes), whatever their browser's spelling of Accept-Encoding; a conditional GET gets a
    # 304 from it; a hit carries this request's id, not the one that filled the cache.
    again = edge.front.get(path, headers={"Accept-Encoding": "gzip, deflate, br",
                                          "X-Request-Id": "second-visitor"})
    assert again[1]["X-Cache"] == "HIT" and again[2] == body
    assert again[1]["X-Request-Id"] == "second-visitor"
    status, cached, _ = edge.front.get(path, headers={"If-None-Match": headers["ETag"],
                                                      "Accept-Encoding": "gzip"})
    assert status == 304 and cached["X-Cache"] == "HIT"
    # Without Accept-Encoding: plain, a variant cached on its own.
    for expected in ("MISS", "HIT"):
        status, plain, body = edge.front.get(path)
        assert "Content-Encoding" not in plain and body.decode() == html
        assert plain["X-Cache"] == expected


def test_the_editor_is_never_cached(edge):
    for _ in range(2):
        status, headers, body = edge.front.get("/editor/login")
        assert status == 200 and b"<form" in body
        assert headers["Cache-Control"] == "private, no-store"
        assert headers.get("X-Cache") is None  # not even looked up
    status, headers, body = edge.front.get("/editor/")  # redirected to the sign-in page
    assert status == 200 and b'name="password"' in body
    assert headers["Cache-Control"] == "private, no-store" and headers.get("X-Cache") is None


def test_requests_with_cookies_bypass_the_cache(edge, procedure):
    path = _fresh_path(procedure["path"])
    for _ in range(2):
        status, headers, _ = edge.front.get(path, headers={"Cookie": "session=abc"})
        assert status == 200 and headers["X-Cache"] == "BYPASS"
    assert edge.front.get(path)[1]["X-Cache"] == "MISS"  # nothing was stored for them


def test_a_publish_shows_through_nginx_within_the_stated_time(edge, procedure):
    path = procedure["path"]
    edge.front.get(path)
    assert edge.front.get(path)[1]["X-Cache"] == "HIT"
    name = "Thủ tục đổi tên " + uuid.uuid4().hex[:8]
    run = edge.node.python("-c", PUBLISH, procedure["code"], name)
    assert run.returncode == 0, run.stderr[-2000:]
    published = time.monotonic()
    seen = None
    while time.monotonic() - published < STATED + 5:
        if name in edge.front.get(path)[2].decode():
            seen = time.monotonic() - published
            break
        time.sleep(0.1)
    assert seen is not None and seen <= STATED + 0.5, seen
    print(f"\nthe publish showed through nginx after {seen:.2f} s (stated: {STATED} s)")


def test_healthz_answers_through_nginx_and_is_never_cached(edge):
    for _ in range(2):
        status, headers, body = edge.front.get("/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert headers["Cache-Control"] == "no-store" and headers.get("X-Cache") is None


def test_static_files_come_from_nginx_with_the_year_long_cache(edge):
    status, _, body = edge.front.get("/")
    asset = re.search(r'href="(/static/css/site\.css\?v=[^"]+)"', body.decode()).group(1)
    status, headers, body = edge.front.get(asset, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert gzip.decompress(body) == (ROOT / "app" / "static" / "css" / "site.css").read_bytes()
    served_by_app = [e for e in edge.node.json_lines()
                     if e.get("type") == "access" and e.get("path", "").startswith("/static/")]
    assert served_by_app == []


def test_the_client_address_is_forwarded(edge):
    marker = uuid.uuid4().hex
    edge.front.get("/healthz", headers={"X-Request-Id": marker})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [e for e in edge.node.json_lines() if e.get("request_id") == marker
                 and e.get("type") == "access"]
        if lines:
            break
        time.sleep(0.1)
    assert lines and lines[0]["forwarded_for"] == "127.0.0.1"


def test_bodies_over_the_limit_are_refused_by_nginx(edge, procedure):
    host, port = edge.front.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest("POST", procedure["path"] + "/y-kien")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(64 * 1024 * 1024))
        conn.endheaders()
        assert conn.getresponse().status == 413
    finally:
        conn.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_script_stops_and_leaves_nothing_behind(edge, tmp_path, sig):
    front = start_front(edge.node.url, tmp_path / "second.log")
    prefix = front.prefix()
    masters = nginx_pids(prefix)
    try:
        assert prefix.is_dir() and (prefix / "nginx.pid").exists() and masters
        assert front.get("/healthz")[0] == 200
    finally:
        stop_front(front, sig)
    assert front.proc.returncode in (130, 143), front.log.read_text()
    assert not prefix.exists()
    leftovers = [pid for pid in masters if pid_alive(pid)]
    for pid in leftovers:
        kill_pid(pid)
    assert leftovers == []


@pytest.mark.parametrize("args", [[], ["http://127.0.0.1:8000"], ["127.0.0.1:8000", "8080"],
                                  ["http://127.0.0.1:8000", "port"]])
def test_the_script_explains_its_arguments(args):
    run = subprocess.run(["bash", str(ROOT / "scripts" / "nginx-front.sh"), *args],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 2 and "usage:" in run.stderr
