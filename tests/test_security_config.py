"""Configuration checks of issue 20 item 10: production needs SITE_URL and warns without
TRUSTED_HOSTS; ``?on=`` takes only YYYY-MM-DD."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from app import create_app
from tests.servers import ROOT


def _production(tmp_path, **config):
    return create_app({"ENV_NAME": "production", "SECRET_KEY": "a" * 32,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", **config})


def test_production_refuses_an_empty_site_url(tmp_path):
    for empty in ("", "  ", None):
        with pytest.raises(RuntimeError, match="SITE_URL"):
            _production(tmp_path, SITE_URL=empty, TRUSTED_HOSTS=["motcua.example.gov.vn"])
    _production(tmp_path, SITE_URL="https://motcua.example.gov.vn",
                TRUSTED_HOSTS=["motcua.example.gov.vn"])


def test_production_has_no_default_site_url():
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "SECRET_KEY")}
    code = "from app.config import Config as C; print(repr(C.SITE_URL))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**env, "MOTCUA_ENV": "production"}, timeout=60)
    assert run.stdout.strip() == "''"


def test_production_warns_when_trusted_hosts_is_empty(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="motcua.config"):
        _production(tmp_path, SITE_URL="https://motcua.example.gov.vn", TRUSTED_HOSTS=None)
    assert any("TRUSTED_HOSTS" in record.getMessage() for record in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="motcua.config"):
        _production(tmp_path, SITE_URL="https://motcua.example.gov.vn",
                    TRUSTED_HOSTS=["motcua.example.gov.vn"])
    assert not any("TRUSTED_HOSTS" in record.getMessage() for record in caplog.records)


def test_on_takes_only_a_plain_iso_day(client):
    assert client.get("/api/v1/procedures?on=2026-01-05").status_code == 200
    for other in ("2026-W01-1", "20260105", "２０２６-01-05", "2026-1-5", "2026-01-05T00",
                  "2026-13-01", "+002026-01"):
        response = client.get("/api/v1/procedures", query_string={"on": other})
        assert response.status_code == 400, other
        assert "YYYY-MM-DD" in response.get_json()["error"]["message"]
