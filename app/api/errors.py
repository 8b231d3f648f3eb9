"""JSON errors for the API: a message, never an HTML page."""

from __future__ import annotations

import re

from flask import jsonify
from werkzeug.exceptions import HTTPException

from app.api import bp

_INTEGER = re.compile(r"-?[0-9]{1,19}")


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
    response = json_error(exc.code or 500, exc.description or exc.name)
    _keep_allow(exc, response)
    return response


def _keep_allow(exc: HTTPException, response) -> None:
    """A 405 must still say which methods the URL takes (RFC 9110 §15.5.6)."""
    for key, value in exc.get_headers():
        if key.lower() == "allow":
            response.headers["Allow"] = value


def int_param(args, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter: absent → ``default``; anything but ASCII digits → 400."""
    raw = args.get(name)
    if raw is None:
        return default
    if not _INTEGER.fullmatch(raw):
        raise BadParameter(f"{name} must be a whole number, got {raw[:40]!r}")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(f"{name} must be between {low} and {high}, got {value}")
    return value
