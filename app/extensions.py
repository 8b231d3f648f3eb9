"""Unbound extensions; ``create_app`` binds them."""

import sqlite3

from flask import has_request_context, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record) -> None:
    """SQLite needs help to behave like the production database.

    pysqlite's own transaction handling breaks SAVEPOINT (a released savepoint commits), so it
    is switched off and SQLAlchemy emits BEGIN itself (the recipe in SQLAlchemy's SQLite docs).
    WAL and a busy timeout let several gunicorn workers read while one writes.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    """A request that may write (POST, PUT, DELETE…) takes SQLite's write lock at BEGIN.

    A transaction that read first and writes later is refused at once ("database is locked",
    SQLITE_BUSY_SNAPSHOT, the busy timeout cannot help) when another connection committed in
    between: two tablets posting together gave a 503. Taken at BEGIN, the lock is waited for
    (busy timeout) and each write request sees the latest data, so check-then-write steps
    (rate limits) are atomic too. Reads (GET) keep the plain deferred BEGIN.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def _may_write() -> bool:
    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
