"""Keeps this node's search indexer (``flask search follow``) running beside gunicorn.

gunicorn's master reaps every child with ``waitpid(-1)``, so it cannot watch a process of
its own; gunicorn.conf.py starts this small supervisor instead. It:

- runs the indexer and restarts it when it dies (kill -9, out of memory), with back-off;
- restarts it on SIGHUP (gunicorn's graceful reload);
- stops it on SIGTERM/SIGINT (gunicorn's ``on_exit``) and when gunicorn's master is gone.

Run as ``python -m app.indexer_supervisor``; the indexer gets the same environment.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "flask", "--app", str(ROOT / "wsgi.py"), "search", "follow"]
STOP_WAIT = 10.0  # seconds the indexer gets to finish its batch before SIGKILL
HEALTHY_AFTER = 60.0  # an indexer that ran this long resets the back-off
MAX_BACKOFF = 30.0

log = logging.getLogger("app.indexer")


class Supervisor:
    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.parent = os.getppid()
        self.child: subprocess.Popen | None = None
        self.started = 0.0
        self.backoff = 0.5
        self.stopping = False
        self.restart_requested = False

    def start_child(self) -> None:
        self.child = subprocess.Popen(self.command, cwd=ROOT)
        self.started = time.monotonic()
        log.info("indexer started", extra={"fields": {"indexer_pid": self.child.pid}})

    def stop_child(self) -> None:
        child = self.child
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            log.warning("indexer did not stop in time; killing it")
            child.kill()
            child.wait()

    def on_signal(self, signum: int, _frame) -> None:
        if signum == signal.SIGHUP:
            self.restart_requested = True
        else:
            self.stopping = True

    def parent_gone(self) -> bool:
        return os.getppid() != self.parent

    def step(self) -> None:
        """One turn of the loop: restart on request, on death (after back-off)."""
        assert self.child is not None
        if self.restart_requested:
            self.restart_requested = False
            self.stop_child()
            self.start_child()
            return
        code = self.child.poll()
        if code is None:
            return
        ran = time.monotonic() - self.started
        if ran >= HEALTHY_AFTER:
            self.backoff = 0.5
        log.warning("indexer exited; restarting",
                    extra={"fields": {"returncode": code, "ran_seconds": round(ran, 1),
                                      "restart_in": self.backoff}})
        self._sleep(self.backoff)
        self.backoff = min(self.backoff * 2, MAX_BACKOFF)
        if not self.stopping:
            self.start_child()

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(0.1)

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.on_signal)
        self.start_child()
        try:
            while not self.stopping and not self.parent_gone():
                self.step()
                time.sleep(0.2)
        finally:
            self.stop_child()
        log.info("indexer stopped")
        return 0


def main() -> int:
    from app.logging_setup import StdoutHandler

    log.addHandler(StdoutHandler())
    log.setLevel(logging.INFO)
    log.propagate = False
    return Supervisor(COMMAND).run()


if __name__ == "__main__":
    sys.exit(main())
