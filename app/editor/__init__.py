"""The editor area under ``/editor``: accounts, drafting, review and publishing, history.

One guard (``app.editor.guard``) runs before every request of this blueprint and of the two
nested ones: ``editor.review`` needs a publisher, ``editor.admin`` an admin, everything else
a signed-in editor. Only the login page is open.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("editor", __name__)
review_bp = Blueprint("review", __name__)
admin_bp = Blueprint("admin", __name__)

DEFAULTS = {
    "EDITOR_UPLOAD_MAX_BYTES": 5 * 1024 * 1024,
    "EDITOR_STALE_DAYS": 180,
}


def init_app(app: Flask) -> None:
    """Register the blueprint at ``/editor``, the login manager and the ``flask users``
    commands (citizens download form files from ``app.public.files``)."""
    from app.editor.cli import users_cli
    from app.extensions import login_manager

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    login_manager.init_app(app)
    app.register_blueprint(bp, url_prefix="/editor")
    app.cli.add_command(users_cli)


from app.editor import (  # noqa: E402  (routes register on import)
    accounts,
    auth,
    centre,
    context,
    dashboard,
    fee_versions,
    guard,
    import_export,
    import_list,
    legal_register,
    lifeevents,
    notices,
    procedures,
    quality,
    quality_months,
    quality_reasons,
    quality_tablets,
    reference,
    revisions,
    scheduling,
    sections,
    uploads,
    workflow,
)
from app.editor import service_points as where_and_when  # noqa: E402,F401  (hours, holidays)

bp.register_blueprint(review_bp, url_prefix="/review")
bp.register_blueprint(admin_bp, url_prefix="/admin")

__all__ = [
    "accounts", "auth", "centre", "context", "dashboard", "fee_versions",
    "guard", "import_export", "import_list",
    "legal_register", "lifeevents", "notices",
    "procedures", "quality", "quality_months", "quality_reasons", "quality_tablets",
    "reference", "revisions", "scheduling", "sections", "uploads", "workflow",
]
