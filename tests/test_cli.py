"""The operational commands, run through Flask's CLI runner against the test database."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.extensions import db
from app.models import Procedure


def test_demo_load_is_idempotent(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["catalogue", "load"])
    assert result.exit_code == 0, result.output
    assert "created 0, changed 0" in result.output


def test_export_is_valid_json_with_every_procedure(app):
    result = app.test_cli_runner().invoke(args=["catalogue", "export"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    with app.app_context():
        assert len(data["procedures"]) == db.session.scalar(select(func.count(Procedure.id)))


def test_a_bad_file_changes_nothing(app, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"procedures": [
        {"code": "1.001193", "official_name": "Đổi tên", "slug": "dang-ky-khai-sinh"},
        {"code": "X", "official_name": "Không hợp lệ", "slug": "x", "online_class": "maybe"},
    ]}), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalogue", "load", str(bad)])
    assert result.exit_code == 1 and "online_class" in result.output
    with app.app_context():
        name = db.session.scalar(select(Procedure.official_name).filter_by(code="1.001193"))
        assert name != "Đổi tên"


def test_generate_writes_synthetic_procedures_with_demo_codes(app, tmp_path):
    out = tmp_path / "synthetic.json"
    result = app.test_cli_runner().invoke(args=["catalogue", "generate", "25", "--output",
                                                str(out)])
    assert result.exit_code == 0
    procedures = json.loads(out.read_text(encoding="utf-8"))["procedures"]
    assert len(procedures) == 25 and all(p["code_is_demo"] for p in procedures)
    assert len({p["slug"] for p in procedures}) == 25


def test_setup_on_a_fresh_database(tmp_path):
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path / "index")
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Procedure.id))) >= 40
        db.engine.dispose()
    again = app.test_cli_runner().invoke(args=["setup"])
    assert again.exit_code == 0 and "loading the demo data" not in again.output


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
