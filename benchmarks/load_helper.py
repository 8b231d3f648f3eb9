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
import statistics
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
# way, in one run. Through nginx a browser's page is a cache hit stored compressed, and the
# static file its .gz made at start (gzip_static); without Accept-Encoding both are sent as
# they are. Either way the page costs a cache lookup more than the file (issue #18: >= 0.9).
RATIO_TARGETS = {"procedure": 0.5, "search": 0.3,
                 NGINX + "procedure": 0.9, NGINX + "search": 0.9,
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


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def report(results: Path, publish_log: Path, access_log: Path, server_log: Path) -> int:
    # name -> round -> (url, requests/s, figures)
    runs: dict[str, dict[str, tuple[str, float, dict[str, int]]]] = {}
    for line in results.read_text().splitlines():
        name, url, *pairs = line.split()
        figures = {k: v for k, v in (p.split("=") for p in pairs)}
        rnd = figures.pop("round", "1")
        counts = {k: int(v) for k, v in figures.items()}
        rps = counts["requests"] / (counts["duration_us"] / 1e6)
        runs.setdefault(name, {})[rnd] = (url, rps, counts)

    def static_of(name: str) -> str:
        # Each page against the static file from the same server: gunicorn, or nginx.
        return next((prefix + STATIC for prefix in (GZ, NGINX) if name.startswith(prefix)),
                    STATIC)

    def ratio(name: str) -> float:
        # The median over rounds of (page / the static file of the same round): paired, so
        # a round the machine was busier for both counts once, not twice.
        static = runs.get(static_of(name), {})
        return _median([rps / static[rnd][1] for rnd, (_, rps, _) in runs[name].items()
                        if rnd in static and static[rnd][1]])

    def cost(name: str, rnd: str) -> float:
        _, _, f = runs[name][rnd]
        return f.get("cpu_us", 0) / max(f["requests"], 1)

    def cost_ratio(name: str) -> float:
        # The CPU a static request cost / the CPU this one cost (server + wrk), per round:
        # what the throughput ratio would be on a machine running nothing else.
        static = runs.get(static_of(name), {})
        return _median([cost(static_of(name), rnd) / cost(name, rnd) for rnd in runs[name]
                        if rnd in static and cost(name, rnd)])

    print(f"{'target':<19}{'req/s':>9}{'p99 ms':>9}{'errors':>7}{'non-2xx':>8}"
          f"{'/static':>8}{'µs/req':>8}{'cost':>6}  {'/static per round':<20}url")
    ok = True
    for name, rounds in runs.items():
        url = next(iter(rounds.values()))[0]
        rps = _median([r for _, r, _ in rounds.values()])
        p99 = _median([f["p99_us"] / 1000 for _, _, f in rounds.values()])
        errors = sum(f["errors"] for _, _, f in rounds.values())
        non2xx = sum(f["non2xx"] for _, _, f in rounds.values())
        static = runs.get(static_of(name), {})
        each = " ".join(f"{r / static[k][1]:.2f}" for k, (_, r, _) in rounds.items()
                        if k in static and static[k][1])
        us = _median([cost(name, rnd) for rnd in rounds])
        print(f"{name:<19}{rps:>9.0f}{p99:>9.1f}{errors:>7}{non2xx:>8}{ratio(name):>8.2f}"
              f"{us:>8.1f}{cost_ratio(name):>6.2f}  {each:<20}{urllib.parse.urlsplit(url).path}")
        ok &= errors == 0 and non2xx == 0
    print(f"(medians over {max(len(r) for r in runs.values()) if runs else 0} rounds; errors "
          "and non-2xx summed; µs/req: CPU of the server's workers and wrk per request; cost: "
          "static's µs/req / this one's)")
    print(f"target: 0 errors, 0 non-2xx: {'met' if ok else 'NOT MET'}")
    for name, target in RATIO_TARGETS.items():
        if name in runs:
            got = ratio(name)
            print(f"target: {name} >= {target:.2f} x static from the same server "
                  f"(got {got:.2f}; by CPU cost {cost_ratio(name):.2f}): "
                  f"{'met' if got >= target else 'NOT MET'}")
    first = next(iter(runs.values()), None)
    base = urllib.parse.urlsplit(next(iter(first.values()))[0]) if first else None
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
