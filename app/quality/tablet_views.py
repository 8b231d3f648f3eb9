"""The rating screen on a counter's tablet: ``/danh-gia/quay/<number>?t=<token>``.

No site chrome, big buttons, nothing from outside the server, no cookie and no session: the
tablet's token (in the address, and in a hidden field of every form) is what lets a rating
in, and the rate limit counts per tablet in shared storage. The screens are plain forms;
``tablet.js`` only sends the screen back to the question after the thank-you.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from app.extensions import db
from app.quality import tablets
from app.security import cross_site

bp = Blueprint("tablet", __name__)
MAX_REASONS = 10


def _screen(name: str, counter, token: str, status: int = 200, **values) -> ResponseReturnValue:
    response = current_app.make_response((render_template(
        "quality/tablet.html", screen=name, counter=counter, token=token,
        reset_seconds=current_app.config["RATING_THANKS_SECONDS"], **values), status))
    # A tablet screen is for that tablet only (its token is in the page).
    # (No "no-referrer" policy: Chromium would then send "Origin: null" with the form, which
    # the cross-site check must refuse. The page links nowhere else, so nothing leaks.)
    response.headers["Cache-Control"] = "no-store"
    return response


def _counter_and_tablet(number: str, token: str):
    counter = tablets.counter_by_number(number)
    if counter is None:
        abort(404)
    return counter, tablets.check_token(counter, token)


@bp.get("/quay/<number>")
def screen(number: str) -> ResponseReturnValue:
    token = request.args.get("t", "")[:100]
    counter, tablet = _counter_and_tablet(number, token)
    if tablet is None:
        return _screen("not_set_up", counter, "", 403)
    return _screen("question", counter, token)


@bp.post("/quay/<number>")
def rate(number: str) -> ResponseReturnValue:
    if cross_site():
        abort(403)
    token = request.form.get("t", "")[:100]
    counter, tablet = _counter_and_tablet(number, token)
    if tablet is None:
        return _screen("not_set_up", counter, "", 403)
    answer = request.form.get("answer", "")
    if answer == "dissatisfied" and request.form.get("step") != "reasons":
        return _screen("reasons", counter, token, reasons=tablets.active_reasons())
    reason_ids = [int(v) for v in request.form.getlist("reason")[:MAX_REASONS]
                  if v.isascii() and v.isdigit() and len(v) < 10]  # "²".isdigit() too
    outcome = tablets.record(counter, tablet, answer, reason_ids)
    db.session.commit()
    if outcome.status == 400:
        return _screen("question", counter, token, 400)
    return _screen("thanks" if outcome.stored else "too_soon", counter, token, outcome.status)
