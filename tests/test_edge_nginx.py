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

from app.security import HEADERS as SECURITY_HEADERS
from tests.conftest import _pg_admin, database_copy
from tests.html import attr_values
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


def start_front(app_url: str, log: Path, timeout: float = 120.0, tries: int = 3) -> Front:
    """Start the script (it may install nginx first); return once /healthz answers.

    free_port() hands out a port the OS just released: until nginx binds it, another server
    (a gunicorn on port 0 in a parallel worker) may take it and answer /healthz, and the
    tests would check its answers. So /healthz counts once this nginx wrote its pid file
    (after binding); a script that exits first (could not bind) is tried on another port."""
    for attempt in range(tries):
        front = _launch_front(app_url, log)
        deadline = time.monotonic() + timeout
        while True:
            bound = _front_bound(front)
            try:
                if bound and front.get("/healthz", timeout=5)[0] == 200:
                    return front
            except OSError:
                pass
            if front.proc.poll() is not None or time.monotonic() > deadline:
                stop_front(front)
                if "Address already in use" in log.read_text() and attempt + 1 < tries:
                    break
                raise RuntimeError(f"nginx did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
    raise AssertionError("unreachable")


def _launch_front(app_url: str, log: Path) -> Front:
    port = free_port()
    with log.open("w") as err:
        proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "nginx-front.sh"), app_url,
                                 str(port)], cwd=ROOT, stdout=err, stderr=err,
                                start_new_session=True)
    return Front(proc, f"http://127.0.0.1:{port}", log)


def _front_bound(front: Front) -> bool:
    """This front's nginx is up: its pid file exists (nginx writes it after binding)."""
    match = re.search(r"\(prefix (\S+)\)", front.log.read_text())
    return bool(match) and (Path(match.group(1)) / "nginx.pid").exists()


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
    # Both cached variants (plain and compressed) must show it: each is its own entry.
    path = procedure["path"]
    variants = {"plain": {}, "gzip": {"Accept-Encoding": "gzip"}}

    def text(headers: dict) -> str:
        status, got, body = edge.front.get(path, headers=headers)
        assert status == 200
        return (gzip.decompress(body) if got.get("Content-Encoding") == "gzip" else body).decode()

    for headers in variants.values():
        assert text(headers) and edge.front.get(path, headers=headers)[1]["X-Cache"] == "HIT"
    name = "Thủ tục đổi tên " + uuid.uuid4().hex[:8]
    run = edge.node.python("-c", PUBLISH, procedure["code"], name)
    assert run.returncode == 0, run.stderr[-2000:]
    published = time.monotonic()
    seen: dict[str, float] = {}
    while time.monotonic() - published < STATED + 5 and len(seen) < len(variants):
        for variant, headers in variants.items():
            if variant not in seen and name in text(headers):
                seen[variant] = time.monotonic() - published
        time.sleep(0.1)
    assert set(seen) == set(variants), seen
    assert max(seen.values()) <= STATED + 0.5, seen
    print(f"\nthe publish showed through nginx after {seen} s (stated: {STATED} s)")


def test_each_variant_is_served_from_the_cache_in_its_own_encoding(edge, procedure):
    # Plain first (the first test stores gzip first); neither copy reaches the other client.
    path = _fresh_path(procedure["path"])
    html = edge.node.get(path)[2].decode()  # the app's own answer, straight from gunicorn
    plain: dict[str, list[str]] = {"": [], "identity": [], "br": [], "br, gzip;q=0": []}
    for _ in range(2):
        for asked, seen in plain.items():
            status, headers, body = edge.front.get(path, headers={"Accept-Encoding": asked})
            assert status == 200 and "Content-Encoding" not in headers, (asked, dict(headers))
            assert body.decode() == html and int(headers["Content-Length"]) == len(body)
            seen.append(headers["X-Cache"])
    seen_all = [x for seen in plain.values() for x in seen]
    assert seen_all[0] == "MISS" and set(seen_all[1:]) == {"HIT"}, plain
    packed = []
    for asked in ("gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "GZIP"):
        status, headers, body = edge.front.get(path, headers={"Accept-Encoding": asked})
        assert status == 200 and headers["Content-Encoding"] == "gzip", (asked, dict(headers))
        assert "Accept-Encoding" in headers["Vary"]
        assert gzip.decompress(body).decode() == html
        # Compressed once by the app, with its length: a hit is the stored file, not chunked.
        assert int(headers["Content-Length"]) == len(body), dict(headers)
        packed.append((headers["X-Cache"], body))
    assert [x for x, _ in packed] == ["MISS", "HIT", "HIT", "HIT"]
    assert len({body for _, body in packed}) == 1  # one stored copy, sent as stored
    status, headers, body = edge.front.get(path)  # still plain after the gzip copy was stored
    assert headers["X-Cache"] == "HIT" and "Content-Encoding" not in headers
    assert body.decode() == html


def test_security_headers_are_the_apps_on_hits_misses_and_errors(edge, procedure):
    # The hop drops them from what is stored, the front adds them: the app's values, once.
    path = _fresh_path(procedure["path"])
    direct = edge.node.get(path)[1]
    cases = [(path, {}), (path, {}), (path, {"Accept-Encoding": "gzip"}),
             (path, {"Accept-Encoding": "gzip"}), ("/khong-co-trang-nay", {})]
    for (url, headers), cache in zip(cases, ["MISS", "HIT", "MISS", "HIT", None],
                                     strict=True):
        status, got, _ = edge.front.get(url, headers=headers)
        assert status == (404 if cache is None else 200)
        if cache:
            assert got["X-Cache"] == cache
        for name, value in SECURITY_HEADERS.items():
            assert got.get_all(name) == [value], (url, name, got.get_all(name))
            assert direct[name] == value


def test_a_hit_carries_the_clients_request_id_or_none(edge, procedure):
    path = _fresh_path(procedure["path"])
    miss = edge.front.get(path)[1]
    assert miss["X-Cache"] == "MISS" and re.fullmatch(r"[0-9a-f]{32}", miss["X-Request-Id"])
    hit = edge.front.get(path)[1]
    # A hit never reached the app: no id of nginx's making would name any log line.
    assert hit["X-Cache"] == "HIT" and hit.get("X-Request-Id") is None
    assert edge.front.get(path, headers={"X-Request-Id": "abc-1"})[1]["X-Request-Id"] == "abc-1"


def test_healthz_answers_through_nginx_and_is_never_cached(edge):
    for _ in range(2):
        status, headers, body = edge.front.get("/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert headers["Cache-Control"] == "no-store" and headers.get("X-Cache") is None


def test_static_files_come_from_nginx_with_the_year_long_cache(edge):
    # Each step says what it saw: it once failed in a full suite only (start_front's port race).
    status, headers, body = edge.front.get("/")
    assert status == 200, (status, dict(headers), body[:500])
    found = [h for h in attr_values(body.decode(), "link[href]", "href") if "site.css?v=" in h]
    assert found, body[:3000]
    original = (ROOT / "app" / "static" / "css" / "site.css").read_bytes()
    status, headers, body = edge.front.get(found[0], headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip", (status, dict(headers))
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert gzip.decompress(body) == original
    # Precompressed at start (scripts/gzip-static.sh, gzip_static): sent as a file, with its
    # length and a strong ETag (compressing on the fly would chunk it and weaken the ETag).
    assert int(headers["Content-Length"]) == len(body) and headers["ETag"].startswith('"')
    assert edge.front.get(found[0])[2] == original  # plain for a plain client
    served_by_app = [e for e in edge.node.json_lines()
                     if e.get("type") == "access" and e.get("path", "").startswith("/static/")]
    assert served_by_app == [], served_by_app[:5]


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
