"""What an idle node costs, and how fast a publish becomes searchable (``make bench-idle``).

Starts NODES gunicorn nodes (gunicorn.conf.py, each with its own index and indexer) on one
database, a throwaway copy of the demo catalogue; leaves them alone for a while; then prints,
per node, the CPU used over IDLE_SECONDS by the gunicorn master, its workers, the indexer's
supervisor and the indexer (``flask search follow``), in percent of one core; on PostgreSQL
also the whole database server's. Then it publishes PUBLISHES changes the way the outbox
carries them (a ``SearchChange`` row in the publishing transaction, and no ``sync`` by the
publisher, so every node's own indexer has to find it) and prints, per node, how long each
took from the commit to the first search that found it.

    .venv/bin/python benchmarks/idle_bench.py                               # SQLite
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/idle_bench.py  # PostgreSQL

Env: IDLE_SECONDS (60), SETTLE_SECONDS (10: boot work left to finish before measuring),
NODES (2), WEB_CONCURRENCY (2 per node), PUBLISHES (5), SEARCH_POLL_SECONDS (the app's
default); TEST_DATABASE_URL (set by with-postgres.sh: the server to create a database on).
Targets (README): indexer <= 1 % of a core idle, every publish searchable on every node
within 1 s. The exit status is 1 when a target is missed. Loopback only; every process
started is stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import Node, http_get, node_env, start_node, stop_node  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
INDEXER_TARGET = 1.0  # percent of one core
LATENCY_TARGET = 1.0  # seconds from commit to searchable, on every node


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def cpu_ticks(pid: int) -> int:
    """utime + stime of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(") ", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def roles(node: Node) -> dict[str, list[int]]:
    """The node's processes by role."""
    supervisor = node.supervisor_pid()
    master = node.proc.pid
    return {
        "master": [master],
        "workers": [p for p in children(master) if p != supervisor],
        "supervisor": [supervisor] if supervisor else [],
        "indexer": children(supervisor) if supervisor else [],
    }


def postgres_pids() -> list[int]:
    """The throwaway server of scripts/with-postgres.sh: postmaster and every child."""
    data = os.environ.get("PG_DATA_DIR")
    if not data:
        return []
    try:
        postmaster = int(Path(data, "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    return [postmaster, *children(postmaster)]


class Database:
    """A throwaway database with the demo catalogue: a SQLite file, or a PostgreSQL database
    on TEST_DATABASE_URL's server."""

    def __init__(self, work: Path) -> None:
        self.admin = os.environ.get("TEST_DATABASE_URL", "")
        if self.admin:
            self.name = f"motcua_idle_{uuid.uuid4().hex[:8]}"
            self._admin(f"CREATE DATABASE {self.name}")
            self.url = self.admin.rsplit("/", 1)[0] + "/" + self.name
            self.kind = "PostgreSQL"
        else:
            self.url = f"sqlite:///{work / 'db.sqlite3'}"
            self.kind = "SQLite"

    def _admin(self, sql: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.admin:
            self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def measure_idle(nodes: list[Node], seconds: float) -> tuple[dict, float | None]:
    """CPU percent of one core per node and role over ``seconds``; and the database server's."""
    pids = {node.name: roles(node) for node in nodes}
    database = postgres_pids()
    before = {pid: cpu_ticks(pid) for r in pids.values() for ps in r.values() for pid in ps}
    db_before = sum(cpu_ticks(p) for p in database)
    start = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - start
    used = {name: {role: sum(cpu_ticks(p) - before[p] for p in ps) / TICKS / elapsed * 100
                   for role, ps in r.items()} for name, r in pids.items()}
    counts = {name: {role: len(ps) for role, ps in r.items()} for name, r in pids.items()}
    db_used = ((sum(cpu_ticks(p) for p in database) - db_before) / TICKS / elapsed * 100
               if database else None)
    return {"used": used, "counts": counts}, db_used


def publish(env: dict, token: str) -> tuple[str, float, subprocess.Popen]:
    """Commit one change through the outbox, as an editor's publish does, but without the
    publisher's own ``sync``: every node's indexer must find it. Returns as soon as the commit
    is done: (code, commit time, the publishing process, still exiting)."""
    proc = subprocess.Popen([sys.executable, "-c", PUBLISH, token], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("{"):
        proc.kill()
        raise SystemExit("publish failed:\n" + proc.communicate()[1][-2000:])
    out = json.loads(line)
    return out["code"], out["t"], proc


PUBLISH = """
import json, sys, time
from sqlalchemy import select
from app import create_app, search
from app.extensions import db
from app.models import Procedure
from app.models.procedure import utcnow
app = create_app()
with app.app_context():
    proc = db.session.scalars(select(Procedure).where(Procedure.published)
                              .order_by(Procedure.id).limit(1)).one()
    proc.keywords = [k for k in proc.keywords or [] if not k.startswith("idlemark")]
    proc.keywords = [*proc.keywords, sys.argv[1]]
    proc.updated_at = utcnow()
    search.index(proc.id)
    db.session.commit()
    print(json.dumps({"code": proc.code, "t": time.time()}), flush=True)
"""


def found_after(node: Node, token: str, code: str, committed: float, limit: float = 10.0,
                out: dict | None = None) -> float | None:
    """Seconds from ``committed`` until a search on ``node`` finds ``code``; None if not
    within ``limit``."""
    path = "/api/v1/search?q=" + urllib.parse.quote(token)
    while time.time() - committed < limit:
        status, _, body = http_get(node.url + path)
        if status == 200 and code in [i["code"] for i in json.loads(body)["items"]]:
            took = time.time() - committed
            if out is not None:
                out[node.name] = took
            return took
        time.sleep(0.01)
    return None


def measure_latency(nodes: list[Node], count: int) -> dict[str, list[float | None]]:
    latencies: dict[str, list[float | None]] = {node.name: [] for node in nodes}
    for n in range(count):
        token = f"idlemark{uuid.uuid4().hex[:10]}"
        code, committed, publisher = publish(nodes[0].env, token)
        got: dict[str, float] = {}
        threads = [threading.Thread(target=found_after, args=(node, token, code, committed),
                                    kwargs={"out": got}) for node in nodes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        publisher.communicate(timeout=60)
        for node in nodes:
            latencies[node.name].append(got.get(node.name))
        time.sleep(1.0 + 0.37 * n)  # publishes at varied moments of the indexers' cycles
    return latencies


def report(kind: str, idle: dict, db_used: float | None, seconds: float,
           latencies: dict[str, list[float | None]]) -> bool:
    ok = True
    print(f"\n{kind}: idle CPU over {seconds:.0f} s, percent of one core")
    print(f"{'node':<6}{'master':>9}{'workers':>14}{'supervisor':>12}{'indexer':>10}")
    for name, used in idle["used"].items():
        workers = f"{used['workers']:.2f} ({idle['counts'][name]['workers']})"
        print(f"{name:<6}{used['master']:>9.2f}{workers:>14}{used['supervisor']:>12.2f}"
              f"{used['indexer']:>10.2f}")
        ok &= used["indexer"] <= INDEXER_TARGET
    if db_used is not None:
        print(f"PostgreSQL server, all its processes: {db_used:.2f}")
    print(f"{kind}: publish → searchable (no sync by the publisher; each node's indexer)")
    for name, values in latencies.items():
        got = [v for v in values if v is not None]
        shown = ", ".join("lost" if v is None else f"{v:.2f}" for v in values)
        summary = (f"median {statistics.median(got):.2f} s, max {max(got):.2f} s"
                   if got else "never")
        print(f"{name:<6}{summary}  [{shown}]")
        ok &= len(got) == len(values) and max(got) <= LATENCY_TARGET
    print(f"targets (indexer <= {INDEXER_TARGET:.0f} % idle, searchable <= "
          f"{LATENCY_TARGET:.0f} s on every node): {'met' if ok else 'NOT MET'}")
    return ok


def main() -> int:
    seconds = _env_number("IDLE_SECONDS", 60)
    settle = _env_number("SETTLE_SECONDS", 10)
    node_count = int(_env_number("NODES", 2))
    workers = str(int(_env_number("WEB_CONCURRENCY", 2)))
    publishes = int(_env_number("PUBLISHES", 5))
    work = Path(tempfile.mkdtemp(prefix="motcua-idle-"))
    database = Database(work)
    nodes: list[Node] = []
    try:
        first_index = work / "a" / "index"
        env = node_env(database.url, first_index, WEB_CONCURRENCY=workers)
        env.pop("SEARCH_POLL_SECONDS")  # the app's default unless the caller sets it
        if os.environ.get("SEARCH_POLL_SECONDS"):
            env["SEARCH_POLL_SECONDS"] = os.environ["SEARCH_POLL_SECONDS"]
        setup = subprocess.run([sys.executable, "-m", "flask", "setup"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=600)
        if setup.returncode != 0:
            raise SystemExit("flask setup failed:\n" + setup.stderr[-3000:])
        for n in range(node_count):
            name = "abcdefgh"[n]
            index_dir = work / name / "index"
            if index_dir != first_index:
                shutil.copytree(first_index, index_dir, symlinks=True)
            nodes.append(start_node(name, {**env, "SEARCH_INDEX_DIR": str(index_dir),
                                           "UPLOAD_DIR": str(work / name / "uploads")},
                                    work / "logs"))
        print(f"{database.kind}: {node_count} nodes × {workers} workers on one database; "
              f"settling {settle:.0f} s, then {seconds:.0f} s idle", flush=True)
        time.sleep(settle)
        idle, db_used = measure_idle(nodes, seconds)
        latencies = measure_latency(nodes, publishes)
        ok = report(database.kind, idle, db_used, seconds, latencies)
        problems = sum(node.logs().count("Traceback") for node in nodes)
        if problems:
            print(f"tracebacks in the nodes' logs: {problems}")
        return 0 if ok else 1
    finally:
        for node in nodes:
            stop_node(node)
        database.drop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
