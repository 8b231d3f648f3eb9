"""Real checkers: axe-core in Chromium and the Nu HTML checker (vnu.jar), both from npm."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Chromium's headless shell (Debian's chromium-headless-shell, the same Blink without the
# browser's interface): about 40 % less CPU per page than the full browser in headless mode, on a
# suite whose browser tests keep both cores busy. The full browser when the shell is missing.
CHROMIUM = next((path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
                 if Path(path).exists()), "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; return violations in a readable shape."""
    if not page.evaluate("() => typeof axe === 'object'"):  # once per document
        page.add_script_tag(path=str(AXE))
    # Only violations are collected and sent back: passes and incomplete results, which axe
    # otherwise details node by node and Playwright would serialise, were most of a run's time.
    return page.evaluate(AXE_RUN, AXE_TAGS)


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, help: v.help,
                                      nodes: v.nodes.slice(0, 5).map(n => n.target)}));
}"""


# A directory every process of a run shares (set by tests/conftest.py in the main process,
# inherited by pytest-xdist's workers): the Nu checker's address lives there.
SHARED_DIR_ENV = "MOTCUA_TEST_SHARED_DIR"


class _NuServer:
    """One Nu HTML checker for the whole run, on loopback, shared by every test process.

    A JVM start and its warm-up cost several seconds of CPU. The first process to need the
    checker starts it (under a lock) and writes its address and pid beside the lock; the
    others read them. The run's main process stops it at the end (``stop_shared``).
    """

    url = ""

    @classmethod
    def address(cls) -> str:
        if cls.url:
            return cls.url
        shared = Path(os.environ.get(SHARED_DIR_ENV) or tempfile.mkdtemp(prefix="motcua-nu-"))
        os.environ.setdefault(SHARED_DIR_ENV, str(shared))
        with open(shared / "nu.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            found = shared / "nu.json"
            if found.exists():
                port = json.loads(found.read_text())["port"]
            else:
                port, pid = _start_nu()
                # Written once it answers: the others wait on the lock meanwhile, and never
                # find the address of a checker that failed to start.
                found.write_text(json.dumps({"port": port, "pid": pid}))
        cls.url = f"http://127.0.0.1:{port}/?out=json"
        return cls.url


def _start_nu(attempts: int = 2) -> tuple[int, int]:
    """Start the checker on a free port; (port, pid) once it answers. A second attempt if the
    first fails: the port, free when chosen, may be taken before the JVM binds it."""
    for attempt in range(attempts):
        port = _free_port()
        pid = _spawn(["java", "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp",
                      str(VNU), "nu.validator.servlet.Main", str(port)])
        try:
            _wait_for_port(port, pid, timeout=120)
            return port, pid
        except RuntimeError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def stop_shared() -> None:
    """Stop the run's Nu checker, if a test started one (the main process, at the end)."""
    shared = os.environ.get(SHARED_DIR_ENV)
    found = Path(shared, "nu.json") if shared else None
    if found and found.exists():
        pid = json.loads(found.read_text())["pid"]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        found.unlink()


def _spawn(argv: list[str]) -> int:
    """Start a server in a session of its own, silent; no Popen object, whose finaliser would
    warn in the process that started it while the server outlives it (other workers use it)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        return os.posix_spawnp(argv[0], argv, os.environ, setsid=True, file_actions=[
            (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    finally:
        os.close(devnull)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG) != (0, 0):
                raise RuntimeError("the Nu HTML checker did not start")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the Nu HTML checker did not answer within {timeout} s")


def vnu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Validate HTML documents (name → markup) with the Nu checker; return errors by name."""
    address = _NuServer.address()
    errors: dict[str, list[str]] = {}
    for name, html in documents.items():
        request = urllib.request.Request(
            address, data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            report = json.load(answer)
        for message in report.get("messages", []):
            if message.get("type") in ("error", "non-document-error"):
                errors.setdefault(name, []).append(
                    f"line {message.get('lastLine')}: {message.get('message')}")
    return errors


def wait_for_js(page, expression: str, timeout: float = 10.0) -> None:
    """Wait until a JavaScript expression is truthy in the page.

    Playwright's ``wait_for_function`` polls with ``new Function`` inside the page, which the
    site's Content-Security-Policy (no 'unsafe-eval') forbids; ``evaluate`` is not affected.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)
