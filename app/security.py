"""Security headers on every response, static files and error pages included.

- ``Content-Security-Policy``: everything from this site only; no inline scripts, no
  ``eval``, no plugins, no framing by others (``frame-ancestors 'none'``), forms post here.
  QR codes may be ``data:`` images.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy`` (other sites see only our origin),
  ``X-Frame-Options`` (older browsers), ``Permissions-Policy`` (no camera, microphone,
  location), ``Cross-Origin-Opener-Policy``.
- ``Strict-Transport-Security`` when the request came over HTTPS (directly, or through a
  load balancer trusted by gunicorn's ``FORWARDED_ALLOW_IPS`` that sets
  ``X-Forwarded-Proto``), never over plain HTTP, where browsers ignore it anyway.
"""

from __future__ import annotations

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)
