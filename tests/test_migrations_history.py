"""Migrations are history: what a revision creates must not change when the application does.

A migration that imports ``app`` (e.g. a value list from ``app.vocab``) would silently create
something else once that list changes; so none may, and the lists they need are written into
them. The second test checks that those literal copies still agree with what the models
declare today (a list changed since must come with a new migration).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sqlalchemy import CheckConstraint, create_engine, text

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _app_imports(path: Path) -> list[str]:
    """Every way the module names the ``app`` package: import statements, and
    ``importlib.import_module("app…")`` / ``__import__("app…")`` with a literal name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        found += [f"{path.name}:{node.lineno} {name}" for name in names
                  if name == "app" or name.startswith("app.")]
    return found


def test_the_import_check_sees_every_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import app\nfrom app.vocab import Role\nimport app.models as m\n"
                      "import importlib\nimportlib.import_module('app.vocab')\n"
                      "from apple import pie\nimport alembic\n", encoding="utf-8")
    assert [f.split(" ", 1)[1] for f in _app_imports(sample)] == [
        "app", "app.vocab", "app.models", "app.vocab"]


def test_no_migration_imports_application_code():
    migrations = sorted(VERSIONS.glob("*.py"))
    assert len(migrations) >= 10
    offenders = [found for path in migrations for found in _app_imports(path)]
    assert offenders == [], "write the values into the migration instead: " + ", ".join(
        offenders)


def _normal(condition: str) -> str:
    return re.sub(r"\s+", " ", condition).strip()


def test_the_migrated_checks_are_the_ones_the_models_declare(tmp_path):
    """Upgraded from nothing on SQLite, the database holds exactly the models' CHECKs."""
    from flask_migrate import upgrade

    from app.extensions import db
    from tests.conftest import make_app

    url = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    app = make_app(url, tmp_path / "index")
    with app.app_context():
        upgrade(revision="heads")
        declared = {(table.name, c.name): _normal(str(c.sqltext))
                    for table in db.metadata.tables.values() for c in table.constraints
                    if isinstance(c, CheckConstraint) and c.name}
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        stored = {(name, m.group(1)): _normal(m.group(2)) for name, sql in tables
                  for m in re.finditer(r"CONSTRAINT (\w+) CHECK \((.*)\)(?:,|\s*\n)", sql or "")}
    engine.dispose()
    assert declared and stored == declared
