"""The packages of app/ depend on each other in one direction (docs/architecture.md).

The graph is read from the source with ``ast``: every ``import`` and ``from … import``, at
module level, inside functions (lazy imports) and under ``TYPE_CHECKING`` alike, since a lazy
import is still a dependency and only hides a cycle from the interpreter, not from a reader.
A package is a top-level name under app/ (``app.editor``, ``app.quality``, ``app.fees`` …);
``app/__init__.py`` is the app factory, which wires every package together, and is left out.
"""

from __future__ import annotations

import ast
import importlib
import itertools
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
# One blueprint package per audience: the only places views live (docs/architecture.md).
AUDIENCES = {"app.public", "app.kiosk", "app.editor", "app.api", "app.tablet"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(APP.rglob("*.py"))}


def _package(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else None


def _imported(module: str, path: Path) -> list[tuple[str, int]]:
    """The app modules ``module`` imports, with the line of each import."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                here = here[:len(here) - node.level + 1]
                base = ".".join(here + ([node.module] if node.module else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [(name, node.lineno) for name in names if name in MODULES]
    return found


def _edges() -> dict[str, dict[str, tuple[str, int]]]:
    """package → imported package → one import that makes the edge (module, line)."""
    edges: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for module, path in MODULES.items():
        source = _package(module)
        if source is None:
            continue  # app/__init__.py: the factory
        for target, line in _imported(module, path):
            package = _package(target)
            if package is not None and package != source:
                edges[source].setdefault(package, (module, line))
    return edges


def _cycle(edges: dict[str, dict[str, tuple[str, int]]]) -> list[str] | None:
    """One cycle of packages, as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_module_of_app_imports():
    for module in MODULES:
        importlib.import_module(module)


def test_no_import_cycle_between_the_packages_of_app():
    edges = _edges()
    cycle = _cycle(edges)
    if cycle is not None:
        steps = [f"{a} → {b} ({edges[a][b][0]}, line {edges[a][b][1]})"
                 for a, b in itertools.pairwise(cycle)]
        raise AssertionError("import cycle " + " → ".join(cycle) + ":\n  " + "\n  ".join(steps))


def test_the_cycle_finder_names_a_cycle():
    edges = {"app.a": {"app.b": ("app.a.x", 1)}, "app.b": {"app.a": ("app.b.y", 2)},
             "app.c": {"app.a": ("app.c", 3)}}
    assert _cycle(edges) == ["app.a", "app.b", "app.a"]
    assert _cycle({"app.a": {"app.b": ("app.a", 1)}}) is None


def test_views_live_with_their_audience():
    """A feature package (legal, quality, schedule, service_points …) holds the domain; its
    pages are in the audience packages, which may import it, never the other way round."""
    wrong = [f"{module} (line {line}) imports {target}"
             for module, path in MODULES.items()
             if _package(module) not in AUDIENCES and module != "app"
             for target, line in _imported(module, path)
             if _package(target) in AUDIENCES]
    assert wrong == []
