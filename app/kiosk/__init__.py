"""The kiosk: the public views again under ``/kiosk``, with the kiosk layout.

The public blueprint is nested here once, at import, so ``request.blueprints`` contains
"kiosk" and ``app.presenters`` picks the kiosk layout; no view or template is copied.
"""

from flask import Blueprint

from app.public import bp as public_bp

bp = Blueprint("kiosk", __name__)
bp.register_blueprint(public_bp)
