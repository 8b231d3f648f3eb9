"""Security headers on every response, cross-site form checks, and ``security.txt``.

- ``Content-Security-Policy``: everything from this site only; no inline scripts, no
  ``eval``, no plugins, no framing by others (``frame-ancestors 'none'``), forms post here.
  QR codes may be ``data:`` images.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy`` (other sites see only our origin),
  ``X-Frame-Options`` (older browsers), ``Permissions-Policy`` (no camera, microphone,
  location), ``Cross-Origin-Opener-Policy``.
- ``Strict-Transport-Security`` when the request came over HTTPS (directly, or through a
  load balancer trusted by gunicorn's ``FORWARDED_ALLOW_IPS`` that sets
  ``X-Forwarded-Proto``), never over plain HTTP, where browsers ignore it anyway.
- ``cross_site()``: citizens' forms carry no per-visitor token, so a POST is refused when the
  browser says it comes from another site (``Sec-Fetch-Site`` or ``Origin``).
- ``/.well-known/security.txt`` (RFC 9116): whom to tell about a vulnerability.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from sqlalchemy import select

from app.extensions import db
from app.models import Centre
from app.models.procedure import utcnow
from app.siteurl import site_root

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
# RFC 9116 wants an Expires within a year; the file is generated, so it is always fresh.
SECURITY_TXT_DAYS = 180


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def cross_site() -> bool:
    """True when the browser says this request comes from another site.

    ``Sec-Fetch-Site: cross-site`` is refused; so is an ``Origin`` that is neither the
    configured ``SITE_URL``'s origin nor the address the request was made to (a kiosk on a
    LAN address posts to itself). A request with neither header (old browsers, scripts) is
    let through: it cannot come from a page a modern browser shows, and the caller still
    rate-limits it.
    """
    if request.headers.get("Sec-Fetch-Site", "").strip().lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    ours = {_origin(site_root()), _origin(request.host_url)}
    return origin.strip().lower().rstrip("/") not in ours


def _contact() -> str:
    configured = str(current_app.config.get("SECURITY_CONTACT") or "").strip()
    if configured:
        return configured
    email = db.session.scalar(select(Centre.email).where(Centre.email != "").limit(1))
    return f"mailto:{email.strip()}" if email else site_root() + "/"


def security_txt() -> Response:
    """RFC 9116: a contact and an expiry date, plain text, no cookie."""
    expires = (utcnow() + timedelta(days=SECURITY_TXT_DAYS)).replace(microsecond=0)
    lines = [f"Contact: {_contact()}", f"Expires: {expires.isoformat()}Z",
             "Preferred-Languages: vi, en",
             f"Canonical: {site_root()}/.well-known/security.txt", ""]
    response = Response("\n".join(lines), mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)
    # At the site root only: not part of the public blueprint, which is mounted again under
    # /kiosk and /en.
    app.add_url_rule("/.well-known/security.txt", "security_txt", security_txt)
