"""Small modules: no Python file in app/ or tests/ over 400 lines (migrations are history and
are left out). A module that grows past it is split by theme, not trimmed of comments."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400


def too_long(folders: list[Path], limit: int = MAX_LINES) -> dict[str, int]:
    """Every .py file below ``folders`` (migrations excepted) longer than ``limit`` lines."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                found[str(path.relative_to(ROOT))] = lines
    return found


def test_no_module_is_over_400_lines():
    assert too_long([ROOT / "app", ROOT / "tests"]) == {}


def test_the_check_sees_a_long_file(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "long.py").write_text("x = 1\n" * 401)
    (tmp_path / "app" / "short.py").write_text("x = 1\n" * 400)
    (tmp_path / "app" / "migrations" / "old.py").write_text("x = 1\n" * 999)
    assert too_long([tmp_path / "app"]) == {"app/long.py": 401}
