"""``/healthz`` for load balancers: 200 when the database and the search index answer."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app import search
from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    checks = {"database": "ok", "search": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        checks["database"] = "unavailable"
    if not search.is_healthy():
        checks["search"] = "unavailable"
    ok = all(v == "ok" for v in checks.values())
    return jsonify({"status": "ok" if ok else "unavailable", "checks": checks}), 200 if ok else 503
