"""Migration tests start from a fresh SQLite database upgraded to an earlier head, put rows in
with plain SQL (the models describe today's schema, not that one), then upgrade further."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import Engine, create_engine

# One procedure as the early schema holds it (the columns every head since the catalogue has).
PROCEDURE = (
    "INSERT INTO procedure (id, code, code_is_demo, local_suffix, decision_number, "
    "official_name, plain_name, name_en, slug, procedure_type, applicant_types, description, "
    "description_en, result, result_en, conditions, number_of_sets, intake_place, keywords, "
    "fee_note, online_class, online_url, status, source, source_url, published, lock_version, "
    "created_at, updated_at) VALUES (1, '1.001193', 0, '', '', 'Đăng ký khai sinh', '', '', "
    "'khai-sinh', '', '[]', '', '', '', '', '', '', '', '[]', '', 'none', '', 'in_force', '', "
    "'', 1, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')")


def database_at(tmp_path: Path, revision: str) -> tuple[Flask, Engine]:
    """An app on a new SQLite database in ``tmp_path`` upgraded to ``revision``, and an engine
    on that database (the caller disposes of it)."""
    from flask_migrate import upgrade

    from tests.conftest import make_app

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = make_app(url, tmp_path / "index")
    with app.app_context():
        upgrade(revision=revision)
    return app, create_engine(url)
