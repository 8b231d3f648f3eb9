"""Real checkers: axe-core in Chromium and the Nu HTML checker (vnu.jar), both from npm."""

from __future__ import annotations

import json
import subprocess
import tempfile
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


def vnu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Validate HTML documents (name → markup) in one JVM start; return errors by name."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for i, (name, html) in enumerate(documents.items()):
            path = Path(tmp) / f"page{i}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.as_uri()] = name
        run = subprocess.run(
            ["java", "-jar", str(VNU), "--stdout", "--format", "json", *map(str, [
                Path(u.removeprefix("file://")) for u in paths])],
            capture_output=True, text=True, timeout=300, check=False,
        )
    report = json.loads(run.stdout or "{}")
    errors: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") == "error":
            name = paths.get(message.get("url", ""), message.get("url", "?"))
            errors.setdefault(name, []).append(
                f"line {message.get('lastLine')}: {message.get('message')}")
    return errors


def wait_for_js(page, expression: str, timeout: float = 10.0) -> None:
    """Wait until a JavaScript expression is truthy in the page.

    Playwright's ``wait_for_function`` polls with ``new Function`` inside the page, which the
    site's Content-Security-Policy (no 'unsafe-eval') forbids; ``evaluate`` is not affected.
    """
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)
