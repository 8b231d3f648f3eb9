"""The kiosk: the public views again under ``/kiosk`` (and ``/kiosk/en``), with the kiosk layout.

The public blueprint is nested here once, at import; the app registers this blueprint once per
language (``app.i18n.MOUNTS``: ``kiosk``, ``kiosk_en``), so ``request.blueprints`` ends with one
of those names and ``app.presenters`` picks the kiosk layout; no view or template is copied.
Kiosk-only routes (QR codes, the kiosk's 404) and the values the kiosk layout needs live in
``app.kiosk.views``; the behaviour (idle reset, on-screen keyboard, links that would leave
the site) is ``static/js/kiosk.js``.
"""

from flask import Blueprint

from app.public import bp as public_bp

bp = Blueprint("kiosk", __name__)
bp.register_blueprint(public_bp)

from app.kiosk import suggest, views  # noqa: E402,F401  (routes register on import)
