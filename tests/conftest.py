"""Fixtures: a real app on a temporary database and a real on-disk index, per test.

The demo catalogue is migrated, loaded and indexed once per session into a template; each
test gets the template's data as it was (a file copy for SQLite; on PostgreSQL, when
``TEST_DATABASE_URL`` is set by ``scripts/with-postgres.sh``, the process's one copy of the
template, put back after each test: tests/pg_work_database.py) and a copy of its index.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import settings
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text

from app import create_app
from app.config import TestConfig
from tests import speedups
from tests.pg_work_database import WorkDatabase

speedups.install()  # memoised URL builders and scrypt, for the test processes (why: there)

PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "")
_counter = itertools.count()
# pytest-xdist names its workers gw0, gw1 …; each worker has its own template database.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEMPLATE_DB = f"motcua_template_{WORKER}"

# Property-based tests are reproducible: the same examples on every run, on every machine (a
# failure found once is found again). HYPOTHESIS_PROFILE=explore searches afresh each run.
settings.register_profile("fixed", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


def pytest_configure(config) -> None:
    """The run's main process makes the directory its workers share (tests/checkers.py)."""
    from tests.checkers import SHARED_DIR_ENV

    if not hasattr(config, "workerinput"):
        import tempfile

        os.environ[SHARED_DIR_ENV] = tempfile.mkdtemp(prefix="motcua-run-")


def pytest_unconfigure(config) -> None:
    """The main process, last: stop what the workers shared, and remove its directory."""
    from tests.checkers import SHARED_DIR_ENV, stop_shared

    if not hasattr(config, "workerinput"):
        stop_shared()
        shutil.rmtree(os.environ.pop(SHARED_DIR_ENV, ""), ignore_errors=True)


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _pg_admin(sql: str) -> None:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates shared by every app this test process creates.

    Each test gets an app of its own, and each app's Jinja environment would parse and compile
    the layouts and macros again on its first page (most of a page test's time). The compiled
    code depends only on the template source, which Jinja's cache key and checksum cover.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _SharedTemplateCode()


def make_app(database_url: str, index_dir: Path, **overrides) -> Flask:
    config = {
        **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "UPLOAD_DIR": str(index_dir.parent / "uploads"),
        **overrides,
    }
    app = create_app(config)
    app.jinja_env.bytecode_cache = _TEMPLATE_CODE
    return app


def build_template(url: str, root: Path) -> dict:
    """Migrate ``url``, load the demo data and build its index under ``root``."""
    from flask_migrate import upgrade

    from app import search
    from app.catalogue_io import read_catalogue_dir
    from app.cli import load_and_report
    from app.extensions import db
    from app.quality import demo as quality_demo
    from app.service_points import demo as places_demo

    app = make_app(url, root / "index")
    with app.app_context():
        upgrade(revision="heads")
        assert load_and_report(read_catalogue_dir())
        quality_demo.load()  # twelve months of service results (app.quality.demo)
        places_demo.load()  # the centre's hours and other places (app.service_points.demo)
        db.session.commit()
        search.rebuild()
        db.session.remove()
        db.engine.dispose()
    return {"url": url, "root": root}


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> dict:
    """Migrate, load the demo data and build the index once; tests copy the result."""
    root = tmp_path_factory.mktemp("template")
    if PG_ADMIN_URL:
        _pg_admin(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")
        _pg_admin(f"CREATE DATABASE {TEMPLATE_DB}")
        return build_template(_pg_url(TEMPLATE_DB), root)
    return build_template(f"sqlite:///{root / 'db.sqlite3'}", root)


def database_copy(template: dict, root: Path, prefix: str = "motcua_test") -> tuple[str, str]:
    """A private copy of the template database: its URL, and the PostgreSQL database's name
    to drop afterwards ("" on SQLite, whose copy is a file under ``root``)."""
    if PG_ADMIN_URL:
        name = f"{prefix}_{os.getpid()}_{next(_counter)}"
        # FILE_COPY (PostgreSQL 15+) copies the template's files; the default, WAL_LOG, writes
        # every block through the WAL, about twice as slow for a database this small. The
        # checkpoints FILE_COPY asks for are cheap on the test cluster (fsync is off).
        _pg_admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB} STRATEGY FILE_COPY")
        return _pg_url(name), name
    shutil.copy(template["root"] / "db.sqlite3", root / "db.sqlite3")
    return f"sqlite:///{root / 'db.sqlite3'}", ""


@contextmanager
def _app_on(template: dict, root: Path, url: str) -> Iterator[Flask]:
    """An app on the database at ``url``, with a private copy of the template's index."""
    index_dir = root / "index"
    shutil.copytree(template["root"] / "index", index_dir, symlinks=True)
    app = make_app(url, index_dir)
    yield app
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def _app_on_a_copy(template: dict, root: Path, read_only: bool) -> Iterator[Flask]:
    """An app on a private copy of the template's database and index under ``root``; with
    ``read_only`` (SQLite), it must leave the database as it found it."""
    url, name = database_copy(template, root)
    with _app_on(template, root, url) as app:
        yield app
    if name:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    elif read_only:
        _assert_unchanged(template["root"] / "db.sqlite3", root / "db.sqlite3")


@pytest.fixture(scope="session")
def work_database(template) -> Iterator[WorkDatabase | None]:
    """PostgreSQL: this process's database, put back after each test (tests/pg_work_database.py);
    None on SQLite, where a file copy per test is cheap."""
    if not PG_ADMIN_URL:
        yield None
        return
    name = f"motcua_work_{WORKER}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB} STRATEGY FILE_COPY")
    work = WorkDatabase(_pg_url(name))
    yield work
    work.close()


@pytest.fixture
def app(template, work_database, tmp_path, request) -> Iterator[Flask]:
    if work_database is not None:
        # A name of its own per test: the app's per-process caches are keyed by the database's
        # address, and this database goes back in time after each test, as none does in use.
        url = f"{work_database.url}?application_name=motcua_test_{next(_counter)}"
        try:
            with _app_on(template, tmp_path, url) as app:
                yield app
        finally:
            work_database.restore()
        return
    read_only = request.node.get_closest_marker("read_only") is not None
    with _app_on_a_copy(template, tmp_path, read_only) as app:
        yield app


@pytest.fixture(scope="module")
def module_app(template, tmp_path_factory) -> Iterator[Flask]:
    """One app for several tests of a module that only read (one page walk serves them all,
    see tests/test_a11y.py); it must leave its database as it found it. The suite hands out
    whole modules to pytest-xdist's workers (``--dist loadscope``), so one worker walks once."""
    with _app_on_a_copy(template, tmp_path_factory.mktemp("module"), read_only=True) as app:
        yield app


def _assert_unchanged(original: Path, copy: Path) -> None:
    """A test marked ``read_only`` runs on SQLite only (see pytest_collection_modifyitems):
    it must leave its copy of the database as it found it."""
    import sqlite3

    def rows(path: Path) -> list:
        with sqlite3.connect(path) as conn:
            tables = [t for (t,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            return [(t, sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"')))) for t in tables]

    if original.read_bytes() != copy.read_bytes():  # the quick look; rows decide
        changed = [t for (t, a), (_t, b) in zip(rows(original), rows(copy), strict=True)
                   if a != b]
        assert changed == [], f"a test marked read_only wrote to the database: {changed}"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


# --- a live server and a real browser, for tests marked ``browser`` -----------------------

def _whole_answers(wsgi_app):
    """Read each answer whole before werkzeug's test server sends it.

    A browser that leaves a page while a static file is on its way (the kiosk's lazily loaded
    keyboard) makes the development server drop the response without closing the file, and
    the suite treats the ResourceWarning as an error. Files are closed here, every time.
    """
    def app(environ, start_response):
        answer = wsgi_app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()
    return app


@contextmanager
def _served(app: Flask):
    """``app`` served by werkzeug on a free 127.0.0.1 port, in a thread."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, _whole_answers(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def live_server(app):
    """The test app served by werkzeug on a free 127.0.0.1 port, in a thread."""
    with _served(app) as server:
        yield server


@pytest.fixture(scope="module")
def module_live_server(module_app):
    """``module_app`` served like ``live_server``, for the module's tests."""
    with _served(module_app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.checkers import CHROMIUM, CHROMIUM_FLAGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _touch_page(browser, width: int, height: int, axe: bool = False):
    """A Vietnamese touchscreen page of this size, closed after the test; with ``axe``,
    axe-core's script may run despite the site's CSP."""
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True,
                                  locale="vi-VN", bypass_csp=axe)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page (360×740, touch), Vietnamese."""
    yield from _touch_page(browser, 360, 740)


@pytest.fixture
def phone_for_axe(browser):
    """A phone page that lets axe-core's script in despite the site's CSP."""
    yield from _touch_page(browser, 360, 740, axe=True)


@pytest.fixture
def kiosk_page(browser):
    """A portrait 1080×1920 touchscreen page, Vietnamese."""
    yield from _touch_page(browser, 1080, 1920)


@pytest.fixture
def tablet_page(browser):
    """A 10-inch portrait tablet (800×1280) with a touchscreen, Vietnamese; axe may run despite
    the CSP (the rating screen and the results page on a tablet)."""
    yield from _touch_page(browser, 800, 1280, axe=True)


# --- which tests run on which database, and in which order: tests/selection.py -------------

def pytest_collection_modifyitems(config, items):
    from tests.selection import arrange

    arrange(config, items, postgresql=bool(PG_ADMIN_URL))
