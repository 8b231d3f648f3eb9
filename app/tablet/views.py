"""The rating screen on a counter's tablet: ``/danh-gia/quay/<number>``.

No site chrome, big answers, nothing from outside the server, no session. The tablet proves
itself with its token, held in a cookie scoped to ``/danh-gia/`` (``tablets.COOKIE``) after
the address's ``#t=…`` was handed over once (``pair``); an old address with ``?t=…`` is
accepted once and answered with a redirect to the address without it. The rate limit counts
per tablet in the database. The screens are plain forms; ``tablet.js`` hands over the token,
counts down, and brings the question back only when the server will take a rating again.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from app.extensions import db
from app.quality import tablets
from app.security import cross_site

bp = Blueprint("tablet", __name__)
MAX_REASONS = 10


def _screen(name: str, counter, status: int = 200, wait: int = 0,
            **values) -> ResponseReturnValue:
    values.setdefault("refused", False)
    response = current_app.make_response((render_template(
        "tablet/rating.html", screen=name, counter=counter, wait=wait,
        reset_seconds=max(current_app.config["RATING_THANKS_SECONDS"], wait), **values),
        status))
    # A tablet screen is for that tablet only. (No "no-referrer" policy: Chromium would then
    # send "Origin: null" with the form, which the cross-site check must refuse. The token is
    # in no address, so a Referer carries nothing secret.)
    response.headers["Cache-Control"] = "no-store"
    return response


def _counter(number: str):
    counter = tablets.counter_by_number(number)
    if counter is None:
        abort(404)
    return counter


def _paired(counter, token: str) -> Response:
    """Keep the token in the tablet's cookie and go to the address without it."""
    response = redirect(url_for("tablet.screen", number=counter.number), 303)
    response.set_cookie(
        tablets.COOKIE, token, max_age=tablets.COOKIE_DAYS * 86400, path=tablets.COOKIE_PATH,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), httponly=True,
        samesite="Strict")
    response.headers["Cache-Control"] = "no-store"
    return response


def _cookie_token() -> str:
    return request.cookies.get(tablets.COOKIE, "")[:100]


@bp.get("/quay/<number>")
def screen(number: str) -> ResponseReturnValue:
    counter = _counter(number)
    legacy = request.args.get("t", "")[:100]
    if legacy and tablets.check_token(counter, legacy):
        return _paired(counter, legacy)  # an address printed before tokens left the URL
    tablet = tablets.check_token(counter, _cookie_token())
    if tablet is None:
        return _screen("not_set_up", counter, 403)
    return _screen("question", counter, wait=tablets.wait_seconds(tablet))


@bp.post("/quay/<number>/ket-noi")
def pair(number: str) -> ResponseReturnValue:
    """The tablet hands over the token from its address's fragment (tablet.js, or typed)."""
    if cross_site():
        abort(403)
    counter = _counter(number)
    token = request.form.get("t", "").strip()[:100]
    if tablets.check_token(counter, token) is None:
        return _screen("not_set_up", counter, 403, refused=True)
    return _paired(counter, token)


@bp.post("/quay/<number>")
def rate(number: str) -> ResponseReturnValue:
    if cross_site():
        abort(403)
    counter = _counter(number)
    tablet = tablets.check_token(counter, _cookie_token())
    if tablet is None:
        return _screen("not_set_up", counter, 403)
    answer = request.form.get("answer", "")
    if answer == "dissatisfied" and request.form.get("step") != "reasons":
        return _screen("reasons", counter, reasons=tablets.active_reasons())
    reason_ids = [int(v) for v in request.form.getlist("reason")[:MAX_REASONS]
                  if v.isascii() and v.isdigit() and len(v) < 10]  # "²".isdigit() too
    if request.form.get("skip"):
        reason_ids = []  # "Bỏ qua": the rating counts, without reasons
    outcome = tablets.record(counter, tablet, answer, reason_ids)
    db.session.commit()
    if outcome.status == 400:
        return _screen("question", counter, 400, wait=tablets.wait_seconds(tablet))
    return _screen("thanks" if outcome.stored else "too_soon", counter, outcome.status,
                   wait=tablets.wait_seconds(tablet))
