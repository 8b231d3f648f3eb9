"""The counter tablets: an audience of their own (no site chrome, no session), served by one
blueprint at ``/danh-gia``; the ratings themselves are ``app.quality.tablets``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the tablet blueprint at ``/danh-gia``."""
    from app.extensions import csrf
    from app.tablet.views import bp

    # The tablet has no session, hence no CSRF token: its own token is the proof (views).
    csrf.exempt(bp)
    app.register_blueprint(bp, url_prefix="/danh-gia")
