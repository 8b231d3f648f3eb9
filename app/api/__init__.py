"""The versioned JSON API (``/api/v1``)."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import errors, legal, procedures, search, statistics  # noqa: E402,F401  (routes register on import)
from app.api import service_points as where_and_when  # noqa: E402,F401  (service points)
