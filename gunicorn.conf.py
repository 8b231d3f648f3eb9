"""gunicorn settings for MotCua (``make run``, ``make serve``; see docs/deployment.md).

Web workers only read the search index. One indexer per node applies published changes
(the ``SearchChange`` outbox in the database) to this node's index: the master starts it
beside the workers, through ``app.indexer_supervisor``, which restarts it if it dies and
stops it with the server. ``MOTCUA_INDEXER=off`` leaves it out (e.g. when the indexer runs
as its own systemd unit).

Environment: ``BIND`` (default ``127.0.0.1:$PORT``, PORT defaulting to 8000),
``WEB_CONCURRENCY`` (workers; default 2 × CPUs + 1), ``GUNICORN_TIMEOUT``,
``GUNICORN_MAX_REQUESTS``, ``FORWARDED_ALLOW_IPS`` (the load balancer's addresses, so
``X-Forwarded-Proto: https`` is believed), ``GUNICORN_CONTROL_SOCKET`` (a path enables
``gunicornc``), ``LOG_LEVEL``.

Graceful reload: ``kill -HUP <master pid>`` starts workers on the new code, lets the old
ones finish their requests, and restarts the indexer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # logger_class and the hooks import from app/
    sys.path.insert(0, str(ROOT))


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT') or '8000'}"
workers = _int_env("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)
# Sync workers: one request per process. The search module keeps one searcher per process,
# and a load balancer or reverse proxy in front buffers slow clients.
worker_class = "sync"
timeout = _int_env("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a guard against slow leaks); jitter avoids restarting all at once.
max_requests = _int_env("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10
# Each worker imports the app itself, so a HUP reload picks up new code.
preload_app = False
chdir = str(ROOT)
proc_name = "motcua"
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Logs: one JSON object per line; access lines to stdout, server messages to stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
logger_class = "app.logging_setup.GunicornLogger"

# The control socket (gunicornc) defaults to one path per user, which several servers on
# one machine would fight over: only on request.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")


def _indexer_wanted() -> bool:
    return os.environ.get("MOTCUA_INDEXER", "on").strip().lower() not in {"off", "0", "no"}


def on_starting(server) -> None:
    """Refuse early, with one clear message, what every worker would refuse later."""
    from app.config import Config, check_production

    check_production({k: getattr(Config, k) for k in dir(Config) if k.isupper()})


def when_ready(server) -> None:
    """Sockets are bound: start this node's indexer (unless MOTCUA_INDEXER=off), then say
    where to go (after, so the indexer never waits for the hint)."""
    if _indexer_wanted():
        # Its own session: a Ctrl-C in the terminal reaches the master, which stops it in order.
        server.motcua_indexer = subprocess.Popen(
            [sys.executable, "-m", "app.indexer_supervisor"], cwd=ROOT, start_new_session=True
        )
        server.log.info("search indexer supervisor started (pid %s)",
                        server.motcua_indexer.pid)
    else:
        server.log.info("search indexer not started (MOTCUA_INDEXER=off)")
    _say_where_to_go(server)


def _say_where_to_go(server) -> None:
    """The site, kiosk and editor addresses, and the first-account command (app.startup)."""
    from app import create_app
    from app.startup import where_to_go

    try:
        lines = where_to_go(create_app())
    except Exception:  # a hint must never stop a server from serving
        server.log.debug("start-up hint not printed", exc_info=True)
        return
    print("\n".join(lines), file=sys.stderr, flush=True)


def on_reload(server) -> None:
    """HUP: the indexer restarts on the new code too."""
    proc = getattr(server, "motcua_indexer", None)
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGHUP)


def worker_exit(server, worker) -> None:
    """In the worker, as it stops: write the search counts it still holds (they are kept in
    memory between flushes, app.search.querylog). Best-effort, like every flush."""
    app = getattr(worker, "wsgi", None)
    if app is None or not hasattr(app, "app_context"):
        return
    from app.search.querylog import flush

    try:
        with app.app_context():
            flush(app)
    except Exception:  # a stopping worker must stop whatever the database says
        server.log.debug("search counts not written at worker exit", exc_info=True)


def on_exit(server) -> None:
    proc = getattr(server, "motcua_indexer", None)
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=graceful_timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
