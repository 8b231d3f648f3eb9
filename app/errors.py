"""Error pages in the site's layout (API errors are JSON, see ``app.api.errors``).

Database down (restart, failover, network): every page answers 503 with a friendly page
(JSON under ``/api``) and ``Retry-After``; nothing is cached or retried here. The pool's
``pool_pre_ping`` replaces dead connections on the next request, so the site recovers by
itself when the database is back, without restarting anything.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app.extensions import db

PAGES = {404: "errors/404.html", 503: "errors/503.html"}
RETRY_AFTER = "30"
# Used when even the error template cannot be rendered (it must not need the database).
FALLBACK_503 = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Tạm thời gián đoạn – MotCua</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Hệ thống tạm thời gián đoạn</h1>
<p>Xin vui lòng thử lại sau ít phút. / The service is temporarily unavailable; please try
again in a few minutes.</p></main></body></html>"""
FALLBACK_500 = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Lỗi – MotCua</title></head>
<body><main><h1>Đã có lỗi xảy ra</h1><p>Something went wrong.</p></main></body></html>"""


def _render(status: int):
    return render_template(PAGES.get(status, "errors/error.html"), status=status), status


def _is_api() -> bool:
    # An unknown /api/ URL matches no blueprint, yet its client still expects JSON.
    return request.blueprint == "api" or request.path.startswith("/api/")


def _http_error(exc: HTTPException):
    # A 405 keeps its Allow header (and a 429 its Retry-After) whatever the body.
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    if _is_api():
        body = {"error": {"status": exc.code, "message": exc.description or exc.name}}
        return jsonify(body), exc.code or 500, headers
    page, status = _render(exc.code or 500)
    return page, status, headers


def _database_down(exc: Exception):
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone; the pool discards it
        db.session.remove()
    current_app.logger.warning("database unavailable: %s", type(exc).__name__)
    headers = {"Retry-After": RETRY_AFTER, "Cache-Control": "no-store"}
    if _is_api():
        body = {"error": {"status": 503, "message": "The database is unavailable; retry later"}}
        return jsonify(body), 503, headers
    try:
        page = render_template("errors/503.html", status=503, minimal=True)
    except Exception:
        current_app.logger.exception("the 503 page could not be rendered")
        page = FALLBACK_503
    return page, 503, headers


def _server_error(exc: Exception):
    try:
        return render_template("errors/error.html", status=500, minimal=True), 500
    except Exception:  # a broken layout must not turn into a dropped connection
        current_app.logger.exception("the error page could not be rendered")
        return FALLBACK_500, 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    for db_error in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(db_error, _database_down)
    app.register_error_handler(500, _server_error)
