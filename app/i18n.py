"""The language of a request, and where each language lives in the address.

Citizens' pages take their language from the address alone: Vietnamese at the root, English
under ``/en/`` (the kiosk: ``/kiosk/`` and ``/kiosk/en/``). The public blueprint (and the
kiosk, which nests it) is mounted once per language (``MOUNTS``), so a page is the same for
everyone who asks for its address and a shared cache may keep it; no cookie, no
Accept-Language, no session is read for them.

The editor area (``/editor``) is different: an editor's own choice (``?lang=`` on any editor
address) is kept in their session, with their browser's Accept-Language before they choose.

Old addresses with ``?lang=`` answer 301 with the new address (``redirect_lang_param``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, redirect, request, session
from flask_babel import get_locale, refresh
from werkzeug.wrappers import Response

from app.extensions import babel

KIOSK_PREFIX = "/kiosk"
# The address prefix of each language; the default language has none.
LANGUAGE_PREFIXES = {"vi": "", "en": "/en"}
EDITOR_PREFIX = "/editor"
SESSION_KEY = "lang"


@dataclass(frozen=True)
class Mount:
    """One registration of a citizens' blueprint: its name, address prefix and language."""

    name: str
    url_prefix: str
    language: str
    kiosk: bool


MOUNTS = (
    Mount("public", "", "vi", False),
    Mount("public_en", "/en", "en", False),
    Mount("kiosk", KIOSK_PREFIX, "vi", True),
    Mount("kiosk_en", KIOSK_PREFIX + "/en", "en", True),
)


def page_endpoint(kiosk: bool, language: str, view: str) -> str:
    """The endpoint of public view ``view`` in the kiosk or on the site, in ``language``.

    The kiosk nests the public blueprint, hence ``kiosk_en.public.home``."""
    mount = next(m for m in MOUNTS if m.kiosk == kiosk and m.language == language)
    return f"{mount.name}.public.{view}" if kiosk else f"{mount.name}.{view}"


def split_path(path: str) -> tuple[bool, str, str]:
    """``(kiosk, language, rest)`` of a citizens' path: ``/kiosk/en/tim-kiem`` is
    ``(True, "en", "/tim-kiem")``. Used where no route matched (404s) and for ``?lang=``."""
    kiosk = path == KIOSK_PREFIX or path.startswith(KIOSK_PREFIX + "/")
    rest = path[len(KIOSK_PREFIX):] if kiosk else path
    for code, prefix in LANGUAGE_PREFIXES.items():
        if prefix and (rest == prefix or rest.startswith(prefix + "/")):
            return kiosk, code, rest[len(prefix):] or "/"
    return kiosk, default_language(), rest or "/"


def join_path(kiosk: bool, language: str, rest: str) -> str:
    return (KIOSK_PREFIX if kiosk else "") + LANGUAGE_PREFIXES[language] + rest


def default_language() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def is_editor_request() -> bool:
    return request.path == EDITOR_PREFIX or request.path.startswith(EDITOR_PREFIX + "/")


def _editor_choice() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or default_language()


def select_locale() -> str:
    """The address decides, except in the editor area (the editor's choice)."""
    if is_editor_request():
        return _editor_choice()
    if request.path.startswith("/api/"):
        return default_language()
    return split_path(request.path)[1]


def locale_code() -> str:
    """The current locale as a language code ("vi", "en"), cached per request (not in ``g``:
    an app context may outlive several requests, in tests and CLI commands)."""
    if not has_request_context():
        return str(get_locale() or default_language())
    code = request.environ.get("motcua.locale")
    if code is None:
        code = request.environ["motcua.locale"] = str(get_locale() or default_language())
    return code


def redirect_lang_param() -> Response | None:
    """before_request: ``?lang=`` is an old address on citizens' pages (301 to the new one,
    other parameters kept) and an editor's choice in the editor area (kept in the session)."""
    if "lang" not in request.args:
        return None
    asked = request.args["lang"]
    if is_editor_request():
        if asked in current_app.config["LANGUAGES"]:
            session[SESSION_KEY] = asked
        return None
    if request.method not in ("GET", "HEAD") or request.path.startswith("/api/"):
        return None
    kiosk, language, rest = split_path(request.path)
    if asked in current_app.config["LANGUAGES"]:
        language = asked
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    target = request.script_root + join_path(kiosk, language, rest)
    if args:
        target += "?" + urlencode(args)
    return redirect(target, code=301)


def _forget_the_last_locale() -> None:
    # flask-babel keeps the locale in ``g``, which belongs to the app context; one app context
    # may serve several requests (tests, previews), each with its own language.
    refresh()


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_forget_the_last_locale)
    app.before_request(redirect_lang_param)
