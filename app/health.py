"""``/healthz`` for load balancers: 200 when the database and this node's search index
answer, 503 (with which check failed) otherwise. Never cached; cheap enough to poll often."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app import search
from app.extensions import db

bp = Blueprint("health", __name__)


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.remove()
        return False


def _search_ok() -> bool:
    try:
        return bool(search.is_healthy())
    except Exception:
        current_app.logger.exception("search health check failed")
        return False


@bp.get("/healthz")
def healthz():
    checks = {"database": "ok" if _database_ok() else "unavailable",
              "search": "ok" if _search_ok() else "unavailable"}
    ok = all(v == "ok" for v in checks.values())
    response = jsonify({"status": "ok" if ok else "unavailable", "checks": checks})
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
