"""What templates get besides view data: the layout, asset URLs, money and localised content.

The layout is chosen from the request (the kiosk is the same views under ``/kiosk``), so views
never pick one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request, url_for
from flask_babel import format_currency, format_decimal
from jinja2 import StrictUndefined

from app.fees import KINDS, UNITS
from app.i18n import locale_code

STATIC_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Localized:
    """A piece of content in the asked language, or the Vietnamese text with ``fallback`` set."""

    text: str
    fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def localized(obj: object, attr: str) -> Localized:
    text = getattr(obj, attr, "") or ""
    if locale_code() != "vi":
        translated = getattr(obj, f"{attr}_en", "") or ""
        if translated:
            return Localized(translated, False)
        return Localized(text, bool(text))
    return Localized(text, False)


def money(amount: int | None) -> str:
    """"2.000 ₫" in Vietnamese, "₫2,000" in English; None reads as unknown."""
    if amount is None:
        return ""
    return format_currency(amount, "VND", locale=locale_code())


def number(value: float | int | None) -> str:
    return "" if value is None else format_decimal(value, locale=locale_code())


@lru_cache(maxsize=256)
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """A static URL with a content hash, so it can be cached for a year and still change."""
    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_file_hash(str(path)))


def is_kiosk() -> bool:
    return "kiosk" in (request.blueprints if request else [])


def site_url(endpoint: str, **values) -> str:
    """A URL of a public page that keeps a kiosk user in the kiosk (works in error pages too)."""
    prefix = "kiosk.public" if is_kiosk() else "public"
    return url_for(f"{prefix}.{endpoint}", **values)


def online_service_url(procedure) -> str | None:
    return procedure.online_service_url(current_app.config["ONLINE_SERVICE_URL_TEMPLATE"])


def _context() -> dict:
    kiosk = is_kiosk()
    return {
        "layout": "layouts/kiosk.html" if kiosk else "layouts/site.html",
        "is_kiosk": kiosk,
        "asset_url": asset_url,
        "site_url": site_url,
        "localized": localized,
        "locale": locale_code(),
        "online_service_url": online_service_url,
        "fee_units": UNITS,
        "fee_kinds": KINDS,
    }


def _cache_static(response):
    if request.endpoint == "static" and request.args.get("v"):
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    app.add_template_filter(money)
    app.add_template_filter(number)
    app.after_request(_cache_static)
    if app.config.get("TESTING"):
        app.jinja_env.undefined = StrictUndefined
