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
from flask import Flask, current_app, g, request, url_for
from flask_babel import to_user_timezone
from jinja2 import StrictUndefined
from markupsafe import Markup

from app.dates import dmy
from app.i18n import MOUNTS, is_editor_request, join_path, locale_code, page_endpoint, split_path
from app.siteurl import absolute_url
from app.vocab import FeeKind, FeeUnit, RatingAnswer

STATIC_MAX_AGE = 365 * 24 * 3600
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
PORTAL_HOME = "https://dichvucong.gov.vn/"  # always works, unlike a page built from a code
KIOSK_MOUNTS = frozenset(m.name for m in MOUNTS if m.kiosk)


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
    """A date for people as they write it in Vietnam, in both languages ("05/03/2024");
    a stored (UTC) datetime is first taken to the centre's zone, so its day is the local one."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return dmy(value)


@lru_cache(maxsize=256)
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """A static URL with a content hash, so it can be cached for a year and still change."""
    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_file_hash(str(path)))


def is_kiosk() -> bool:
    """True under ``/kiosk`` (the kiosk's own routes, its public pages, its 404s)."""
    if not request:
        return False
    if request.blueprints:
        return request.blueprints[-1] in KIOSK_MOUNTS
    return split_path(request.path)[0]


def site_url(endpoint: str, **values) -> str:
    """A URL of a public page in this request's skin (site or kiosk) and language, so a kiosk
    user stays in the kiosk and an English reader in English (works in error pages too)."""
    return url_for(page_endpoint(is_kiosk(), locale_code(), endpoint), **values)


def shown_on() -> str | None:
    """The date this page is shown as of (``?on=``, ``YYYY-MM-DD``), or None for today's."""
    day = g.get("as_of") if request else None
    return day.isoformat() if day is not None else None


def dated_url(endpoint: str, **values) -> str:
    """``site_url`` that keeps this request's date: a list or page shown as of ``?on=`` links
    to the procedures as of that date too, not to today's versions."""
    day = shown_on()
    if day is not None and "on" not in values:
        values["on"] = day
    return site_url(endpoint, **values)


def has_page(endpoint: str) -> bool:
    """True when a public endpoint exists (search is built separately and may be absent)."""
    return f"public.{endpoint}" in current_app.view_functions


def online_service_url(procedure) -> str | None:
    return procedure.online_service_url(current_app.config["ONLINE_SERVICE_URL_TEMPLATE"])


def _view() -> tuple[str, dict] | None:
    """This request's public view name and arguments, whichever mount it came through."""
    endpoint = request.endpoint or ""
    view = endpoint.rsplit(".", 1)[-1]
    mounted = endpoint in {page_endpoint(k, lang, view) for k in (False, True)
                           for lang in current_app.config["LANGUAGES"]}
    return (view, dict(request.view_args or {})) if mounted else None


def lang_url(code: str) -> str:
    """This page in language ``code``, in the same skin, with the same query string."""
    if is_editor_request():  # an editor's choice, kept in their session (app.i18n)
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        return f"{request.script_root}{request.path}?{urlencode([*args, ('lang', code)])}"
    view = _view()
    if view is None:  # no public route matched (a 404): the same path under the other prefix
        kiosk, _language, rest = split_path(request.path)
        path = request.script_root + join_path(kiosk, code, rest)
    else:
        path = url_for(page_endpoint(is_kiosk(), code, view[0]), **view[1])
    query = request.query_string.decode("latin-1")
    return f"{path}?{query}" if query else path


def canonical_url(lang: str | None = None, **override) -> str:
    """The public (non-kiosk) absolute URL of this page in ``lang`` (default: the page's own
    language), under ``SITE_URL``. Only ``page`` survives from the query string: filters and
    form input are not pages. A page without a public view (an error) points at home.
    """
    lang = lang or locale_code()
    view = _view()
    name, values = view if view is not None else ("home", {})
    page = request.args.get("page", type=int)
    if view is not None and page and page > 1:
        values["page"] = page
    values.update(override)
    return absolute_url(url_for(page_endpoint(False, lang, name), **values))


def public_url(endpoint: str, **values) -> str:
    """The absolute address of a public page in the current language, outside the kiosk (what
    a QR code or a printed checklist hands to a person's phone)."""
    return absolute_url(url_for(page_endpoint(False, locale_code(), endpoint), **values))


def kiosk_qr(kind: str, url: str | None = None) -> Markup:
    """Attributes that make the kiosk offer a link as a QR code for the person's phone
    (``kind``: "link" or "download"), opening ``url`` (an absolute public address) rather
    than the link's own; nothing outside the kiosk. See ``static/js/kiosk.js``."""
    if not is_kiosk():
        return Markup("")
    attributes = Markup(' data-kiosk-qr="{}"').format(kind)
    if url:
        attributes += Markup(' data-qr-url="{}"').format(url)
    return attributes


# Functions are Jinja globals, so imported macros can call them without ``with context``.
GLOBALS = {
    "asset_url": asset_url,
    "site_url": site_url,
    "dated_url": dated_url,
    "shown_on": shown_on,
    "has_page": has_page,
    "lang_url": lang_url,
    "canonical_url": canonical_url,
    "public_url": public_url,
    "kiosk_qr": kiosk_qr,
    "absolute_url": absolute_url,
    "localized": localized,
    "vietnamese": vietnamese,
    "locale_code": locale_code,
    "online_service_url": online_service_url,
    "languages": LANGUAGE_NAMES,
    "portal_home": PORTAL_HOME,
    "fee_units": FeeUnit.labels(),
    "fee_kinds": FeeKind.labels(),
    "rating_answers": RatingAnswer.labels(),
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
        # Flask's send_file says no-cache when no max age is configured; left beside the
        # year below, it made browsers revalidate every fingerprinted file on every page.
        response.cache_control.no_cache = None
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
