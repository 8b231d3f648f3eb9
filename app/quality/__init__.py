"""Service quality: counter ratings from tablets and the centre's monthly results.

``months`` (month arithmetic in the centre's time zone), ``stats`` (the figures, one
definition for the public page, the API and the editors), ``tablets`` (tokens and ratings),
``importer`` and ``results`` (the monthly report: reading, checking, applying with history),
``demo`` (twelve generated months), ``charts`` (SVG geometry), ``cli``, and the views:
``tablet_views`` (the counter tablet), ``app.public.quality`` (the public page),
``app.api.statistics`` and ``editor_views`` / ``editor_reasons`` / ``editor_tablets``
(under /editor).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The tablet blueprint and its settings (the commands are added by ``app.cli``)."""
    from app.extensions import csrf
    from app.quality.tablet_views import bp as tablet_bp

    # The tablet has no session, hence no CSRF token: its own token is the proof (tablet_views).
    csrf.exempt(tablet_bp)
    app.register_blueprint(tablet_bp, url_prefix="/danh-gia")
