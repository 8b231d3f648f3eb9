"""The Python half of benchmarks/load.sh (run from the project root, with its environment).

    load_helper.py BASE_URL [NGINX_URL]  wait for the server(s); print "name url" lines to load
    load_helper.py --publish-every S   publish a change every S seconds until SIGTERM
    load_helper.py --report RESULTS PUBLISH_LOG ACCESS_LOG SERVER_LOG   print the figures
"""

from __future__ import annotations

import functools
import json
import random
import signal
import string
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

STATIC = "static"
NGINX = "nginx-"  # name prefix of the targets loaded through nginx (scripts/nginx-front.sh)
# …and of those loaded as a browser asks (Accept-Encoding: gzip, deflate, br; load.sh).
GZ = NGINX + "gz-"
# Throughput of a page / throughput of the static file from the same server, asked the same
# way, in one run. Through nginx a browser's page is a cache hit stored compressed, and
# the static file is compressed by nginx on every hit; without Accept-Encoding both are
# sent as they are (the page then costs a cache lookup more than the file).
RATIO_TARGETS = {"procedure": 0.5, "search": 0.3, NGINX + "search": 0.5,
                 GZ + "procedure": 0.9, GZ + "search": 0.9}
MARK = "loadmark"


def _get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def wait_for(base: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(base + "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit("the server did not become healthy")


def targets(base: str, nginx: str | None = None) -> list[tuple[str, str]]:
    from flask import url_for

    from app import create_app, queries
    from app.presenters import asset_url

    app = create_app()
    with app.test_request_context(base_url=base):
        proc = queries.procedures_page(1, 1).items[0]
        search = next(e for e in ("public.search", "public.search_page")
                      if e in app.view_functions)
        compared = [
            (STATIC, asset_url("css/site.css")),
            ("procedure", url_for("public.procedure", slug=proc.slug)),
            ("search", url_for(search, q="dang ky khai sinh")),
        ]
        direct_only = [
            ("kiosk-home", url_for("kiosk.public.home")),
            ("api", url_for("api.procedure_detail", code=proc.code)),
        ]
    found = [(name, base + path) for name, path in compared + direct_only]
    if nginx:
        found += [(NGINX + name, nginx + path) for name, path in compared]
        found += [(GZ + name, nginx + path) for name, path in compared]
    return found


def print_targets(base: str, nginx: str | None = None) -> None:
    wait_for(base)
    if nginx:
        wait_for(nginx)
    for name, url in targets(base, nginx):
        status, _ = _get(url)
        if status != 200:
            raise SystemExit(f"{name} {url} answered {status}")
        print(name, url)


def publish_loop(every: float) -> None:
    """An editor publishing: change a procedure's keywords, queue it, commit, sync."""
    from sqlalchemy import select

    from app import create_app, search
    from app.dbretry import retry_when_busy
    from app.extensions import db
    from app.models import Procedure
    from app.synthetic import mark_keyword

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    app = create_app()
    with app.app_context():
        ids = list(db.session.scalars(select(Procedure.id).where(Procedure.published)))
        n = 0
        while not stop:
            token = MARK + "".join(random.choices(string.ascii_lowercase, k=10))
            # Another process may commit between this transaction's read and its write:
            # app.dbretry runs it again.
            code = retry_when_busy(functools.partial(mark_keyword, ids[n % len(ids)], token, MARK))
            search.sync()
            print(json.dumps({"code": code, "token": token, "t": time.time()}), flush=True)
            n += 1
            time.sleep(every)


def _published_tokens(publish_log: Path) -> dict[str, str]:
    latest: dict[str, str] = {}
    for line in publish_log.read_text().splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            latest[entry["code"]] = entry["token"]
    return latest


def _check_publishes(base: str, publish_log: Path) -> str:
    latest = _published_tokens(publish_log)
    if not latest:
        return "no publishes"
    time.sleep(1.5)  # the indexer's poll interval, with room
    lost = []
    for code, token in latest.items():
        _, body = _get(f"{base}/api/v1/search?q={urllib.parse.quote(token)}")
        if code not in [item.get("code") for item in json.loads(body or b"{}").get("items", [])]:
            lost.append(code)
    count = sum(1 for line in publish_log.read_text().splitlines() if line.startswith("{"))
    return f"{count} publishes, latest of {len(latest)} procedures searchable: " + (
        "all" if not lost else f"MISSING {lost}")


def _verify() -> str:
    run = subprocess.run([sys.executable, "-m", "flask", "search", "verify"],
                         capture_output=True, text=True)
    said = (run.stdout.strip() or run.stderr.strip()).splitlines()
    return ("ok" if run.returncode == 0 else "FAILED") + (f" ({said[-1]})" if said else "")


def _log_problems(access_log: Path, server_log: Path) -> str:
    server = server_log.read_text(errors="replace")
    five = 0
    for line in access_log.read_text(errors="replace").splitlines():
        try:
            five += json.loads(line).get("status", 0) >= 500
        except ValueError:
            continue
    return (f"LockError in logs: {server.count('LockError')}, tracebacks: "
            f"{server.count('Traceback')}, 5xx in access log: {five}")


def report(results: Path, publish_log: Path, access_log: Path, server_log: Path) -> int:
    rows = []
    for line in results.read_text().splitlines():
        name, url, *pairs = line.split()
        figures = {k: int(v) for k, v in (p.split("=") for p in pairs)}
        rps = figures["requests"] / (figures["duration_us"] / 1e6)
        rows.append((name, url, rps, figures))
    speed = {name: rps for name, _, rps, _ in rows}

    def ratio(name: str) -> float:
        # Each page against the static file from the same server: gunicorn, or nginx.
        static = next((prefix + STATIC for prefix in (GZ, NGINX) if name.startswith(prefix)),
                      STATIC)
        return speed.get(name, 0.0) / (speed.get(static) or 1.0)

    print(f"{'target':<16}{'req/s':>10}{'p99 ms':>10}{'errors':>8}{'non-2xx':>9}"
          f"{'/static':>9}  url")
    ok = True
    for name, url, rps, f in rows:
        path = urllib.parse.urlsplit(url).path
        print(f"{name:<16}{rps:>10.1f}{f['p99_us'] / 1000:>10.1f}{f['errors']:>8}"
              f"{f['non2xx']:>9}{ratio(name):>9.2f}  {path}")
        ok &= f["errors"] == 0 and f["non2xx"] == 0
    print(f"target: 0 errors, 0 non-2xx: {'met' if ok else 'NOT MET'}")
    for name, target in RATIO_TARGETS.items():
        if name in speed:
            got = ratio(name)
            print(f"target: {name} >= {target:.2f} x static from the same server "
                  f"(got {got:.2f}): {'met' if got >= target else 'NOT MET'}")
    base = urllib.parse.urlsplit(rows[0][1]) if rows else None
    if base is not None and publish_log.exists():
        print("editor during load:", _check_publishes(f"{base.scheme}://{base.netloc}",
                                                      publish_log))
    print("index vs database:", _verify())
    print(_log_problems(access_log, server_log))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--publish-every"]:
        publish_loop(float(argv[1]))
        return 0
    if argv[:1] == ["--report"]:
        return report(*(Path(a) for a in argv[1:5]))
    print_targets(argv[0].rstrip("/"), argv[1].rstrip("/") if len(argv) > 1 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
