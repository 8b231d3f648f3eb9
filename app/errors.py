"""Error pages in the site's layout (API errors are JSON, see ``app.api.errors``)."""

from __future__ import annotations

from flask import Flask, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app.extensions import db

PAGES = {404: "errors/404.html", 503: "errors/503.html"}


def _render(status: int):
    return render_template(PAGES.get(status, "errors/error.html"), status=status), status


def _http_error(exc: HTTPException):
    if request.blueprint == "api":
        return exc
    return _render(exc.code or 500)


def _database_down(exc: OperationalError):
    # The database went away (restart, network): answer 503 now; pool_pre_ping reconnects
    # on the next request, so recovery needs no restart.
    db.session.rollback()
    return render_template("errors/503.html", status=503, minimal=True), 503


def _server_error(exc: Exception):
    return render_template("errors/error.html", status=500, minimal=True), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(500, _server_error)
