"""Configuration, read from the environment once.

Tests override by subclassing (see ``TestConfig``); nothing else reads ``os.environ``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-not-secret"
MIN_SECRET_LENGTH = 16
# The national portal addresses a procedure's page by its own internal id (Procedure.portal_id),
# not by the procedure code: a link built from the code is likely broken, so none is built.
DEFAULT_PORTAL_TEMPLATE = (
    "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html"
    "?ma_thu_tuc={portal_id}"
)
DEFAULT_DOSSIER_LOOKUP_URL = "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html"

DEFAULT_PORTAL_SEARCH_TEMPLATE = (
    "https://dichvucong.gov.vn/p/home/dvc-tim-kiem-thu-tuc.html?keyword={query}"
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
    # Search counts for editors are kept per worker and written at most this often (seconds;
    # 0 = at every search), so citizens' searches never compete with editors' writes.
    SEARCH_LOG_FLUSH_SECONDS = float(os.environ.get("SEARCH_LOG_FLUSH_SECONDS", "30"))
    # Templates may use {portal_id} or {code}; a value they need that is unknown gives no link.
    ONLINE_SERVICE_URL_TEMPLATE = os.environ.get(
        "ONLINE_SERVICE_URL_TEMPLATE", DEFAULT_PORTAL_TEMPLATE
    )
    PORTAL_DETAIL_URL_TEMPLATE = os.environ.get(
        "PORTAL_DETAIL_URL_TEMPLATE", DEFAULT_PORTAL_TEMPLATE
    )
    # The national portal's search, offered when nothing here answers a query; {query} is
    # replaced by the words typed (URL-encoded). Empty: the portal's home page instead.
    PORTAL_SEARCH_URL_TEMPLATE = os.environ.get(
        "PORTAL_SEARCH_URL_TEMPLATE", DEFAULT_PORTAL_SEARCH_TEMPLATE
    )
    # Where a citizen checks a dossier's status with the code on their receipt (phiếu hẹn):
    # the national portal's look-up page; the kiosk hands it over as a QR code, never opens it.
    DOSSIER_LOOKUP_URL = os.environ.get("DOSSIER_LOOKUP_URL", DEFAULT_DOSSIER_LOOKUP_URL)
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    KIOSK_IDLE_SECONDS = int(os.environ.get("KIOSK_IDLE_SECONDS", "90"))
    KIOSK_WARNING_SECONDS = int(os.environ.get("KIOSK_WARNING_SECONDS", "20"))
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(ROOT / "instance" / "uploads")
    # Catalogue imports waiting to be applied: never under UPLOAD_DIR, which has a public route.
    # Empty: "imports" beside UPLOAD_DIR (instance/imports). See app.formfiles.
    IMPORT_DIR = os.environ.get("IMPORT_DIR", "")
    # Every import's file is read in a child process with this wall-clock time and this much
    # memory beyond the worker's own (app.budget), so a crafted file cannot hold a worker.
    IMPORT_PARSE_SECONDS = float(os.environ.get("IMPORT_PARSE_SECONDS", "10"))
    IMPORT_PARSE_MEMORY_MB = int(os.environ.get("IMPORT_PARSE_MEMORY_MB", "512"))
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
    # Shared caches (nginx, browsers) may keep public answers this long, then serve them stale
    # while refetching; together at most 30 s per cache (app.caching refuses more), so nginx
    # and a browser in a row show a published edit or a dated fee within 60 s.
    PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "20"))
    PUBLIC_STALE_SECONDS = int(os.environ.get("PUBLIC_STALE_SECONDS", "10"))
    # Tests of real gunicorn workers move every process's clock with a file holding an ISO
    # instant (app.dates.now); a production server refuses to start with it set.
    TEST_CLOCK_FILE = os.environ.get("MOTCUA_TEST_CLOCK_FILE", "")
    WTF_CSRF_TIME_LIMIT = None
    # Proxies we run in front of the app (nginx, a load balancer), each appending to
    # X-Forwarded-For; 0 = trust no forwarded header (app.clientaddr).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # Feedback forms: posts per client per window (seconds), counted in the database.
    FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "10"))
    FEEDBACK_RATE_WINDOW = int(os.environ.get("FEEDBACK_RATE_WINDOW", "600"))
    # security.txt's Contact (a mailto: or https: URI); empty: the centre's e-mail, else SITE_URL.
    SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")
    # Editor sign-in: failures per (account, client) pair lock that pair; no account is locked
    # as a whole: from LOGIN_ACCOUNT_ALERT_FAILURES failures, clients failing on it wait a
    # growing delay (at most LOGIN_DELAY_MAX_SECONDS) and admins see an alert
    # (app.editor.ratelimit, docs/deployment.md).
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "10"))
    LOGIN_ACCOUNT_ALERT_FAILURES = int(os.environ.get("LOGIN_ACCOUNT_ALERT_FAILURES", "20"))
    LOGIN_DELAY_MAX_SECONDS = int(os.environ.get("LOGIN_DELAY_MAX_SECONDS", "300"))
    LOGIN_CLIENT_MAX_FAILURES = int(os.environ.get("LOGIN_CLIENT_MAX_FAILURES", "50"))
    LOGIN_WINDOW_SECONDS = int(os.environ.get("LOGIN_WINDOW_SECONDS", "900"))
    # Editor sessions end after this long without a request, and this long after sign-in.
    EDITOR_IDLE_MINUTES = int(os.environ.get("EDITOR_IDLE_MINUTES", "30"))
    EDITOR_SESSION_HOURS = int(os.environ.get("EDITOR_SESSION_HOURS", "12"))
    # Counter tablets: one rating per tablet per interval (counted in the database), and how
    # long the thank-you screen stays before the question comes back (app.quality).
    # The thank-you stays at least the interval (a tap the server would refuse must never
    # meet a live question): app.quality.init_app refuses a shorter one.
    RATING_INTERVAL_SECONDS = int(os.environ.get("RATING_INTERVAL_SECONDS", "20"))
    RATING_THANKS_SECONDS = int(os.environ.get("RATING_THANKS_SECONDS")
                                or os.environ.get("RATING_INTERVAL_SECONDS") or "20")
    # More ratings than this from one counter in an hour is more than a counter can serve:
    # the editors' dashboard flags it (a stolen token, a stuck finger).
    RATING_MAX_PER_HOUR = int(os.environ.get("RATING_MAX_PER_HOUR", "40"))
    # Service results: a satisfaction share needs this many ratings; months a report may be
    # for start here (and end next month); where the national index and the national
    # portal's complaints channel are published.
    QUALITY_MIN_RATINGS = int(os.environ.get("QUALITY_MIN_RATINGS", "30"))
    QUALITY_FIRST_MONTH = os.environ.get("QUALITY_FIRST_MONTH", "2000-01")
    SERVICE_INDEX_URL = os.environ.get("SERVICE_INDEX_URL", "https://dichvucong.gov.vn/")
    COMPLAINTS_PORTAL_URL = os.environ.get("COMPLAINTS_PORTAL_URL",
                                           "https://dichvucong.gov.vn/")
    # The public address of the site: every absolute URL we hand out (canonical, hreflang,
    # sitemap, API ``url``, QR codes) starts with it, never with the request's Host (app.siteurl).
    # Production has no default: a server must not hand out 127.0.0.1 (check_production).
    SITE_URL = (os.environ.get("SITE_URL", "").strip() or (
        "" if ENV_NAME == "production" else
        f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}")).rstrip("/")
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
    """Refuse to start a production server without a real secret (sessions, CSRF tokens) or
    without ``SITE_URL``; warn when ``TRUSTED_HOSTS`` is empty."""
    if config.get("ENV_NAME") != "production":
        return
    if config.get("TEST_CLOCK_FILE"):
        raise RuntimeError("MOTCUA_TEST_CLOCK_FILE moves the clock for tests: it must not be "
                           "set when MOTCUA_ENV=production")
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET or len(secret) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY must be set (at least {MIN_SECRET_LENGTH} random characters) when "
            "MOTCUA_ENV=production, e.g. from: python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'"
        )
    if not str(config.get("SITE_URL") or "").strip():
        raise RuntimeError(
            "SITE_URL must be set when MOTCUA_ENV=production: every absolute address the site "
            "hands out (canonical links, sitemap, API, QR codes) starts with it, e.g. "
            "SITE_URL=https://motcua.example.gov.vn")
    if not config.get("TRUSTED_HOSTS"):
        # Not fatal (a proxy may check Host), but the cross-site check of citizens' forms
        # then compares Origin with the request's own Host: see docs/deployment.md.
        logging.getLogger("motcua.config").warning(
            "TRUSTED_HOSTS is empty: any Host header is answered and the cross-site check "
            "trusts the request's Host; set TRUSTED_HOSTS to the site's host name(s)")
