"""What templates get besides view data: the layout, asset URLs, money, dates, localised content
and the URLs every page needs (language switch, canonical).

The layout is chosen from the request (the kiosk is the same views under ``/kiosk``), so views
never pick one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from babel.numbers import format_currency, format_decimal
from flask import Flask, current_app, request, url_for
from flask_babel import format_date
from jinja2 import StrictUndefined

from app.fees import KINDS, UNITS
from app.i18n import locale_code

STATIC_MAX_AGE = 365 * 24 * 3600
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


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
    """``obj.attr`` in the current language; Vietnamese with ``fallback`` when no English exists."""
    text = getattr(obj, attr, "") or ""
    if locale_code() != "vi":
        translated = getattr(obj, f"{attr}_en", "") or ""
        if translated:
            return Localized(translated, False)
        return Localized(text, bool(text))
    return Localized(text, False)


def vietnamese(text: str | None) -> Localized:
    """Content that exists only in Vietnamese (steps, documents, legal titles …)."""
    text = text or ""
    return Localized(text, bool(text) and locale_code() != "vi")


def money(amount: int | None) -> str:
    """"2.000 ₫" in Vietnamese, "₫2,000" in English; None reads as unknown."""
    if amount is None:
        return ""
    return format_currency(amount, "VND", locale=locale_code())


def number(value: float | int | None) -> str:
    return "" if value is None else format_decimal(value, locale=locale_code())


def day(value: date | datetime | None) -> str:
    """A date for people ("5 tháng 3, 2024" / "March 5, 2024"); datetimes in the centre's zone."""
    return "" if value is None else format_date(value, format="long")


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


def has_page(endpoint: str) -> bool:
    """True when a public endpoint exists (search is built separately and may be absent)."""
    return f"public.{endpoint}" in current_app.view_functions


def online_service_url(procedure) -> str | None:
    return procedure.online_service_url(current_app.config["ONLINE_SERVICE_URL_TEMPLATE"])


def lang_url(code: str) -> str:
    """This page in another language: the same path and query, with ``lang`` set."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def canonical_url(**override) -> str:
    """The public (non-kiosk) absolute URL of this page; ``?lang=en`` for the English version.

    Only ``page`` survives from the query string: filters and form input are not pages.
    """
    endpoint = (request.endpoint or "public.home").removeprefix("kiosk.")
    values = dict(request.view_args or {})
    page = request.args.get("page", type=int)
    if page and page > 1:
        values["page"] = page
    if locale_code() != current_app.config["BABEL_DEFAULT_LOCALE"]:
        values["lang"] = locale_code()
    values.update(override)
    if endpoint not in current_app.view_functions or endpoint == "static":
        endpoint, values = "public.home", {}
    return url_for(endpoint, _external=True, **values)


# Functions are Jinja globals, so imported macros can call them without ``with context``.
GLOBALS = {
    "asset_url": asset_url,
    "site_url": site_url,
    "has_page": has_page,
    "lang_url": lang_url,
    "canonical_url": canonical_url,
    "localized": localized,
    "vietnamese": vietnamese,
    "locale_code": locale_code,
    "online_service_url": online_service_url,
    "languages": LANGUAGE_NAMES,
    "fee_units": UNITS,
    "fee_kinds": KINDS,
}


def _context() -> dict:
    """Per-request values (the layout is the kiosk's under /kiosk)."""
    kiosk = is_kiosk()
    locale = locale_code()
    return {
        "layout": "layouts/kiosk.html" if kiosk else "layouts/site.html",
        "is_kiosk": kiosk,
        "locale": locale,
        "og_locale": OG_LOCALES.get(locale, locale),
    }


def _cache_static(response):
    if request.endpoint == "static" and request.args.get("v"):
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    app.jinja_env.globals.update(GLOBALS)
    app.add_template_filter(money)
    app.add_template_filter(number)
    app.add_template_filter(day)
    app.after_request(_cache_static)
    if app.config.get("TESTING"):
        app.jinja_env.undefined = StrictUndefined
