"""Fixtures: a real app on a temporary database and a real on-disk index, per test.

The demo catalogue is migrated, loaded and indexed once per session into a template; each
test gets its own copy (a file copy for SQLite, ``CREATE DATABASE … TEMPLATE`` for
PostgreSQL when ``TEST_DATABASE_URL`` is set by ``scripts/with-postgres.sh``).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import settings
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text

from app import create_app
from app.config import TestConfig

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


@pytest.fixture
def app(template, tmp_path, request) -> Iterator[Flask]:
    index_dir = tmp_path / "index"
    shutil.copytree(template["root"] / "index", index_dir, symlinks=True)
    url, name = database_copy(template, tmp_path)
    app = make_app(url, index_dir)
    yield app
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if name:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    elif request.node.get_closest_marker("read_only"):
        _assert_unchanged(template["root"] / "db.sqlite3", tmp_path / "db.sqlite3")


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


@pytest.fixture
def live_server(app):
    """The test app served by werkzeug on a free 127.0.0.1 port, in a thread."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, _whole_answers(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.checkers import CHROMIUM_FLAGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
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


# --- which tests run on which database ----------------------------------------------------

# Modules whose tests only read the demo data through pages, the API or search, marked
# ``read_only`` here in one place, each with the tests in it that do write (an editor step, a
# moved clock that writes, the query log a search keeps). A read_only test that writes fails
# on SQLite, so a test that starts writing is caught and must be named here.
READ_ONLY_MODULES: dict[str, set[str]] = {
    "test_search_hostile": set(), "test_language_urls": set(), "test_site_addresses": set(),
    "test_public_pages": set(), "test_relevance": set(), "test_no_cookies": set(),
    "test_demo_data": set(),
    "test_search_scope": {"test_editors_manage_pointers_and_search_uses_them_at_once",
                          "test_the_hotline_is_a_link_when_the_centre_has_one"},
    "test_search_understanding": {
        "test_an_abbreviation_an_editor_adds_works_at_once",
        "test_counts_are_kept_per_day_and_old_days_pruned",
        "test_editors_see_what_was_asked_most_and_what_found_nothing",
        "test_noise_from_a_scan_is_not_recorded"},
    "test_search": {"test_consecutive_syllables_rank_above_scattered",
                    "test_exact_diacritics_rank_first",
                    "test_names_outrank_keywords_outrank_documents_outrank_the_rest",
                    "test_queries_are_counted_per_day_with_the_folded_text_only",
                    "test_snippets_are_escaped_and_marked", "test_sort_by_name_and_by_update"},
    "test_public": {"test_a_demo_code_is_never_shown_as_a_national_code",
                    "test_a_procedure_no_longer_in_force_says_so_and_points_on",
                    "test_one_primary_online_action_to_the_national_portal",
                    "test_unpublished_procedures_are_not_public"},
    "test_i18n": {"test_missing_english_shows_vietnamese_with_a_note"},
    "test_quality_pages": {"test_a_new_rating_shows_in_this_months_rate",
                           "test_editor_entry_validates_and_keeps_history",
                           "test_editor_import_reports_then_applies", "test_editor_overview",
                           "test_editors_manage_the_reasons_the_tablet_offers",
                           "test_tablet_admin_pages"},
    "test_answer_first": {
        "test_a_fee_on_some_channels_names_them",
        "test_a_fee_shared_by_three_channels_is_stored_once_and_shown_once",
        "test_an_editor_sets_where_to_get_a_form",
        "test_english_processing_time_comes_from_the_same_field",
        "test_unverified_is_said_once_per_fee_box_and_verified_fees_name_their_article"},
}


def _read_only(item) -> bool:
    writers = READ_ONLY_MODULES.get(item.module.__name__.rsplit(".", 1)[-1])
    return writers is not None and item.originalname not in writers


def _needs_postgresql(item) -> bool:
    return ("template" in getattr(item, "fixturenames", ())
            and item.get_closest_marker("read_only") is None)


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL pass, run only the tests whose outcome can depend on the database.

    A test that never asks for the demo ``template`` (directly or through ``app``, ``client``,
    ``ctx`` …) cannot behave differently on PostgreSQL: it already ran on the SQLite pass.
    Nor can a test marked ``read_only``: it only reads pages or the API (the app fixture checks
    on SQLite that it wrote nothing), and tests/test_databases_agree.py proves on PostgreSQL
    that every such page and answer is byte for byte what SQLite gives.
    """
    for item in items:
        if _read_only(item):
            item.add_marker(pytest.mark.read_only)
    if not PG_ADMIN_URL:
        return
    keep = [item for item in items if _needs_postgresql(item)]
    dropped = [item for item in items if not _needs_postgresql(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
