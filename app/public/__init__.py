"""The citizen-facing site. Also mounted under ``/kiosk`` (see ``app.kiosk``), so templates
link with ``site_url(…)`` to keep kiosk users in the kiosk."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import feedback, meta, pages, search, templating, views  # noqa: E402,F401

templating.register(bp)
