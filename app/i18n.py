"""Locale choice in one explicit order: ``?lang=`` in the URL, the ``lang`` cookie,
Accept-Language, then Vietnamese. A ``?lang=`` choice is remembered in the cookie."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_babel import get_locale

from app.extensions import babel

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in languages:
        return remembered
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def _remember_choice(response):
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"] and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


def locale_code() -> str:
    """The current locale as a language code ("vi", "en"), cached per request."""
    if "locale_code" not in g:
        g.locale_code = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return g.locale_code


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_choice)
