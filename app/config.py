"""Configuration, read from the environment once.

Tests override by subclassing (see ``TestConfig``); nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORTAL_TEMPLATE = (
    "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc={code}"
)


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{ROOT / 'instance' / 'motcua.sqlite3'}"
    # Plain postgres URLs are common in hosting dashboards; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    ENV_NAME = os.environ.get("MOTCUA_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR") or str(ROOT / "search_index")
    # How often (seconds) the per-node indexer looks for published changes.
    SEARCH_POLL_SECONDS = float(os.environ.get("SEARCH_POLL_SECONDS", "0.3"))
    ONLINE_SERVICE_URL_TEMPLATE = os.environ.get(
        "ONLINE_SERVICE_URL_TEMPLATE", DEFAULT_PORTAL_TEMPLATE
    )
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    KIOSK_IDLE_SECONDS = int(os.environ.get("KIOSK_IDLE_SECONDS", "90"))
    KIOSK_WARNING_SECONDS = int(os.environ.get("KIOSK_WARNING_SECONDS", "20"))
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(ROOT / "instance" / "uploads")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENV_NAME == "production"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None
    PER_PAGE = 20
    TESTING = False


class TestConfig(Config):
    """Temporary database and index; the fixture fills in the paths."""

    TESTING = True
    ENV_NAME = "testing"
    SECRET_KEY = "test-secret"
    SQLALCHEMY_ENGINE_OPTIONS = {}


def check_production(config: dict) -> None:
    """Refuse to start a production server with the development secret."""
    if config.get("ENV_NAME") == "production" and (
        not os.environ.get("SECRET_KEY") or config["SECRET_KEY"] == "dev-only-not-secret"
    ):
        raise RuntimeError("SECRET_KEY must be set when MOTCUA_ENV=production")
