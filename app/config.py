"""Configuration, read from the environment once.

Tests override by subclassing (see ``TestConfig``); nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-not-secret"
MIN_SECRET_LENGTH = 16
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


def engine_options(url: str) -> dict:
    """Connection pool settings. ``pool_pre_ping`` replaces connections that died while the
    database was down, so the site recovers without a restart; timeouts keep a worker from
    hanging on an unreachable server. (SQLite's WAL and busy timeout: ``app.extensions``.)"""
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # Sync gunicorn workers serve one request at a time: a small pool per process.
        options.update(pool_size=3, max_overflow=2, pool_recycle=1800, pool_timeout=10,
                       connect_args={"connect_timeout": 5, "application_name": "motcua"})
    return options


class Config:
    ENV_NAME = os.environ.get("MOTCUA_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
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
    # In production the site is served over HTTPS (by the load balancer): cookies only travel
    # encrypted and external URLs (API links, QR codes) say https.
    SESSION_COOKIE_SECURE = ENV_NAME == "production"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https" if ENV_NAME == "production" else "http"
    # Rendered procedure pages and API answers kept per worker (see app.caching); 0 disables.
    RESPONSE_CACHE_SECONDS = float(os.environ.get("RESPONSE_CACHE_SECONDS", "10"))
    RESPONSE_CACHE_ENTRIES = int(os.environ.get("RESPONSE_CACHE_ENTRIES", "512"))
    WTF_CSRF_TIME_LIMIT = None
    # Proxies we run in front of the app (nginx, a load balancer), each appending to
    # X-Forwarded-For; 0 = trust no forwarded header (app.clientaddr).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # The public address of the site: every absolute URL we hand out (canonical, hreflang,
    # sitemap, API ``url``, QR codes) starts with it, never with the request's Host (app.siteurl).
    SITE_URL = (os.environ.get("SITE_URL") or
                f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}").rstrip("/")
    # Optional comma list of host names this site answers to; others get 400 (empty: any).
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",")
                     if h.strip()] or None
    PER_PAGE = 20
    TESTING = False


class TestConfig(Config):
    """Temporary database and index; the fixture fills in the paths."""

    TESTING = True
    ENV_NAME = "testing"
    SECRET_KEY = "test-secret"
    SQLALCHEMY_ENGINE_OPTIONS = {}
    # Other tests change data and read pages straight after; the cache has its own tests.
    RESPONSE_CACHE_SECONDS = 0.0


def check_production(config: dict) -> None:
    """Refuse to start a production server without a real secret (sessions, CSRF tokens)."""
    if config.get("ENV_NAME") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET or len(secret) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY must be set (at least {MIN_SECRET_LENGTH} random characters) when "
            "MOTCUA_ENV=production, e.g. from: python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'"
        )
