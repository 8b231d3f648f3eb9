"""What a starting server tells the person who started it (``make run``): where the site, the
kiosk and the editor are, and, while no editor account exists, the command that makes one.

Printed by gunicorn's master once its sockets are bound (``gunicorn.conf.py``), as plain text on
standard error so it stands out from the JSON log lines.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import User


def where_to_go(app: Flask) -> list[str]:
    """The lines to print: the addresses under ``SITE_URL``, then the first-account hint."""
    site = str(app.config["SITE_URL"]).rstrip("/")
    lines = [
        "MotCua is up:",
        f"  site (Vietnamese)   {site}/",
        f"  site (English)      {site}/en/",
        f"  lobby kiosk         {site}/kiosk/",
        f"  editors             {site}/editor/",
        f"  public API          {site}/api/v1/openapi.json",
    ]
    if not _editor_accounts(app):
        lines += [
            "No editor account exists yet. Create the first one (an administrator) with:",
            "  FLASK_APP=wsgi.py .venv/bin/flask users create you@example.gov.vn --role admin",
        ]
    return lines


def _editor_accounts(app: Flask) -> int:
    """How many editor accounts exist; a database that cannot be read yet counts as some, so
    the hint is never printed on a guess."""
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(User)) or 0
        except SQLAlchemyError:
            return 1
        finally:
            db.session.remove()
            db.engine.dispose()
