"""JSON errors for the API: a message, never an HTML page."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

from app.api import bp


class BadParameter(ValueError):
    """A query parameter the API cannot use; answered as 400 with the message."""


def json_error(status: int, message: str):
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    return response


@bp.errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter):
    return json_error(400, str(exc))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return json_error(exc.code or 500, exc.description or exc.name)


def int_param(args, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number, got {raw[:40]!r}") from None
    if not low <= value <= high:
        raise BadParameter(f"{name} must be between {low} and {high}, got {value}")
    return value
