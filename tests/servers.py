"""Real server processes for the production tests: gunicorn nodes and a private PostgreSQL.

Everything listens on 127.0.0.1 on ports the OS hands out; callers stop what they start
(use these from fixtures with try/finally).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-for-real-servers-0123456789"


def free_port() -> int:
    """A port the OS just handed out on 127.0.0.1 (for servers that cannot report theirs)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, headers: dict | None = None, timeout: float = 10.0):
    """(status, headers, body) — HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def kill_pid(pid: int, grace: float = 10.0) -> None:
    """SIGTERM one process we started (by id), SIGKILL it if it lingers."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                return
            time.sleep(0.05)


# --- gunicorn nodes --------------------------------------------------------------------------

@dataclass
class Node:
    """One gunicorn server (a "node"): its own index directory, the shared database."""

    name: str
    proc: subprocess.Popen
    env: dict
    log_dir: Path
    url: str = ""
    extra_pids: set[int] = field(default_factory=set)

    @property
    def out_log(self) -> Path:
        return self.log_dir / f"{self.name}.out.log"

    @property
    def err_log(self) -> Path:
        return self.log_dir / f"{self.name}.err.log"

    def logs(self) -> str:
        return self.out_log.read_text(errors="replace") + self.err_log.read_text(errors="replace")

    def json_lines(self) -> list[dict]:
        entries = []
        for line in self.logs().splitlines():
            if line.startswith("{"):
                try:
                    entries.append(json.loads(line))
                except ValueError:
                    continue
        return entries

    def indexer_pids(self) -> list[int]:
        """Indexer processes started so far, oldest first."""
        return [e["indexer_pid"] for e in self.json_lines() if "indexer_pid" in e]

    def supervisor_pid(self) -> int | None:
        for line in self.logs().splitlines():
            if match := re.search(r"indexer supervisor started \(pid (\d+)\)", line):
                return int(match.group(1))
        return None

    def worker_pids(self) -> set[int]:
        return {int(m) for m in re.findall(r"Booting worker with pid: (\d+)", self.logs())}

    def get(self, path: str, **kwargs):
        return http_get(self.url + path, **kwargs)

    def flask(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """A ``flask`` command with this node's environment (its database and index)."""
        return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def python(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)


def node_env(database_url: str, index_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.update({
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "UPLOAD_DIR": str(index_dir.parent / "uploads"),
        "SECRET_KEY": SECRET,
        "FLASK_APP": "wsgi.py",
        "MOTCUA_ENV": "development",
        "BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": "4",
        "SEARCH_POLL_SECONDS": "0.2",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("PORT", None)
    env.update(extra)
    return env


def start_node(name: str, env: dict, log_dir: Path, timeout: float = 60.0) -> Node:
    """Start gunicorn with gunicorn.conf.py; return once /healthz answers 200."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out = (log_dir / f"{name}.out.log").open("w")
    err = (log_dir / f"{name}.err.log").open("w")
    try:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                 "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=err,
                                start_new_session=True)
    finally:
        out.close()
        err.close()
    node = Node(name, proc, env, log_dir)
    deadline = time.monotonic() + timeout
    try:
        while not node.url:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n{node.logs()[-3000:]}")
            if match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", node.logs()):
                node.url = match.group(1)
            time.sleep(0.05)
        while True:
            try:
                if node.get("/healthz", timeout=5)[0] == 200:
                    return node
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} is not healthy:\n{node.logs()[-3000:]}")
            time.sleep(0.1)
    except BaseException:
        stop_node(node)
        raise


def stop_node(node: Node) -> None:
    """Stop the master (it stops its workers and indexer), then anything it left behind."""
    helpers = {p for p in [node.supervisor_pid(), *node.indexer_pids()] if p} | node.extra_pids
    if node.proc.poll() is None:
        node.proc.send_signal(signal.SIGTERM)
        try:
            node.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(node.proc.pid, signal.SIGKILL)  # its own group: only what we started
            node.proc.wait()
    for pid in sorted(helpers):
        if pid_alive(pid):
            kill_pid(pid)


# --- a private PostgreSQL server ----------------------------------------------------------

class PgCluster:
    """A throwaway PostgreSQL cluster that a test may stop and start again."""

    def __init__(self) -> None:
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                            key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
        if os.environ.get("PG_BINDIR"):
            candidates.append(Path(os.environ["PG_BINDIR"]) / "initdb")
        if not candidates or not candidates[-1].exists():
            pytest.skip("PostgreSQL server binaries are not installed (make system-deps)")
        self.bindir = candidates[-1].parent
        # Not under pytest's tmp_path: the postgres user must be able to reach it.
        self.dir = Path(tempfile.mkdtemp(prefix="motcua-pgtest-"))
        self.port = free_port()
        self.as_pg: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        self.running = False

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_pg, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> PgCluster:
        self._run(str(self.bindir / "initdb"), "-D", str(self.dir / "data"), "-U", "motcua",
                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        return self

    def start(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-l",
                  str(self.dir / "log"), "-w", "-t", "60", "-o",
                  # fsync off survives a server crash (not an OS crash); asynchronous
                  # commit would not: stop() is a crash.
                  f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off", "start")
        self.running = True

    def stop(self) -> None:
        """Like a crash or a failover: the server goes away under open connections."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-m",
                  "immediate", "stop")
        self.running = False

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://motcua@127.0.0.1:{self.port}/{database}"

    def destroy(self) -> None:
        try:
            if self.running:
                self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
