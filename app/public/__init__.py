"""The citizen-facing site. Also mounted under ``/kiosk`` (see ``app.kiosk``), so templates
link with relative endpoints (``url_for('.procedure', …)``) to keep kiosk users in the kiosk."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import search, views  # noqa: E402,F401  (routes register on import)
