"""Real checkers: axe-core in Chromium and the Nu HTML checker (vnu.jar), both from npm."""

from __future__ import annotations

import atexit
import json
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; return violations in a readable shape."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


class _NuServer:
    """One Nu HTML checker per test process, started on first use and stopped at exit.

    A JVM start costs several seconds of CPU; the checker's own HTTP service on loopback takes
    every document of the run instead of one ``java -jar`` per test.
    """

    process: subprocess.Popen | None = None
    url = ""

    @classmethod
    def stop(cls) -> None:
        if cls.process is not None and cls.process.poll() is None:
            cls.process.terminate()
            try:
                cls.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                cls.process.kill()
                cls.process.wait()

    @classmethod
    def address(cls) -> str:
        if cls.process is None or cls.process.poll() is not None:
            port = _free_port()
            cls.process = subprocess.Popen(
                ["java", "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(VNU),
                 "nu.validator.servlet.Main", str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            atexit.register(cls.stop)
            cls.url = f"http://127.0.0.1:{port}/?out=json"
            _wait_for_port(port, cls.process, timeout=120)
        return cls.url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
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
