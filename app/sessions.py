"""Sessions exist in the editor area only.

Citizens' pages, the kiosk and the API are the same for everyone who asks for their address,
so shared caches (nginx, a province's proxy) may keep them: they must neither set a cookie
nor depend on one. Rather than trusting every view, macro and extension (Flask-Login reads
the session after every request, a CSRF token in a template writes one) to stay away, the
session itself is absent outside ``/editor``: reading it gives an empty, unmarked session
that is never saved, and writing to it is an error that shows up in tests at once.
"""

from __future__ import annotations

from typing import NoReturn

from flask import Flask, Request
from flask.sessions import NullSession, SecureCookieSessionInterface, SessionMixin

from app.i18n import EDITOR_PREFIX


class NoSession(NullSession):
    """The session outside the editor area: empty, never saved, and refusing writes."""

    def _fail(self, *args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("Citizens' pages, the kiosk and the API have no session "
                           "(app.sessions): only the editor area may store anything.")

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail
    del _fail


class EditorOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions under ``/editor``; nothing anywhere else."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        path = request.path
        if path == EDITOR_PREFIX or path.startswith(EDITOR_PREFIX + "/"):
            return super().open_session(app, request)
        return NoSession()
