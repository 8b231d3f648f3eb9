"""The kiosk: the public views again under ``/kiosk``, with the kiosk layout.

The public blueprint is nested here once, at import, so ``request.blueprints`` contains
"kiosk" and ``app.presenters`` picks the kiosk layout; no view or template is copied.
Kiosk-only routes (QR codes, starting over) and the values the kiosk layout needs live in
``app.kiosk.views``; the behaviour (idle reset, on-screen keyboard, links that would leave
the site) is ``static/js/kiosk.js``.
"""

from flask import Blueprint

from app.public import bp as public_bp

bp = Blueprint("kiosk", __name__)
bp.register_blueprint(public_bp)

from app.kiosk import views  # noqa: E402,F401  (routes register on import)
