"""Absolute addresses of the site, built from the configured ``SITE_URL`` alone; and the
answer to a request for a host not in ``TRUSTED_HOSTS`` (when that list is set).

Anything that leaves the page as a full address (canonical and hreflang links, Open Graph,
JSON-LD, the sitemap, API ``url`` fields, QR codes on the print checklist and the kiosk) is
built here. The request's ``Host`` header is never used: a client chooses it, so trusting it
lets anyone plant their own host in a cache or a printed QR code, and a kiosk reached on a LAN
address must still hand out the public one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_request_context, redirect, request, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.routing import RequestRedirect

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_root() -> str:
    """``SITE_URL`` without a trailing slash (it may hold a path when the site is not at /)."""
    return str(current_app.config.get("SITE_URL") or DEFAULT_SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (as ``url_for`` returns it, starting with ``/``) under ``SITE_URL``.

    ``url_for`` paths already include the WSGI script root, which is part of ``SITE_URL``
    too when the site is mounted below /, so that prefix is not repeated.
    """
    if not path.startswith("/"):
        path = "/" + path
    root = site_root()
    script_root = _script_root()
    if script_root and path.startswith(script_root + "/") and root.endswith(script_root):
        path = path[len(script_root):]
    return root + path


def absolute_url_for(endpoint: str, **values: object) -> str:
    """``url_for(endpoint, **values)`` as an absolute address under ``SITE_URL``."""
    return absolute_url(url_for(endpoint, **values))


def _script_root() -> str:
    return request.script_root if has_request_context() else ""


def _untrusted_host(exc: SecurityError) -> Response:
    """400 for a Host not in ``TRUSTED_HOSTS`` (Flask checks it while routing). Plain text: no
    route matched, so no page of the site (nor ``url_for``) can be built for this request."""
    response = Response(f"400 Bad Request: {exc.description}\n", status=400,
                        mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def _routing_redirect() -> Response | None:
    """before_request: the router's own redirects (``/en`` → ``/en/``, ``/kiosk/en`` →
    ``/kiosk/en/``, doubled slashes) with a relative ``Location``.

    Werkzeug writes their ``Location`` from the request's ``Host``, and Flask hands them out
    before any error handler sees them, so a shared cache could store a redirect to a host a
    client chose. A path-only ``Location`` (RFC 9110 §10.2.2) names no host at all, and a
    kiosk opened on a LAN address stays on its own server. The router has already worked out
    the path and query; the status is kept (308 keeps the method, as Werkzeug meant).
    """
    exc = request.routing_exception
    if not isinstance(exc, RequestRedirect):
        return None
    target = urlsplit(exc.new_url)
    path = target.path or "/"
    root = request.script_root  # a site mounted below / (the router's URL may omit it)
    if root and not path.startswith(root + "/"):
        path = root + path
    return redirect(f"{path}?{target.query}" if target.query else path, code=exc.code)


def init_app(app: Flask) -> None:
    app.register_error_handler(SecurityError, _untrusted_host)
    # First of all before_request functions: the others expect a routed request.
    app.before_request_funcs.setdefault(None, []).insert(0, _routing_redirect)
