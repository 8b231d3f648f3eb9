"""The reasons the tablet offers after "Không hài lòng" (``/editor/ket-qua/ly-do``).

Editors rename, reorder by position, switch off or add reasons. A reason is never deleted:
past ratings keep pointing at it, and the editors' view still counts it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.editor import audit, bp
from app.extensions import db
from app.models.quality import RatingReason

MAX_NAME = 200


def _text(name: str) -> str:
    return " ".join(request.form.get(name, "").split())


@bp.route("/ket-qua/ly-do", methods=["GET", "POST"])
def rating_reasons() -> ResponseReturnValue:
    reasons = db.session.scalars(select(RatingReason).order_by(
        RatingReason.position, RatingReason.id)).all()
    problems: list[str] = []
    if request.method == "POST":
        for reason in reasons:
            name = _text(f"name-{reason.id}")
            if not name or len(name) > MAX_NAME:
                problems.append(_("Reason %(n)s needs a name of at most 200 characters.",
                                  n=reason.position + 1))
                continue
            reason.name, reason.name_en = name, _text(f"name_en-{reason.id}")[:MAX_NAME]
            reason.active = request.form.get(f"active-{reason.id}") == "1"
        new = _text("name-new")
        if len(new) > MAX_NAME:
            problems.append(_("The new reason's name is longer than 200 characters."))
        elif new:
            position = (db.session.scalar(select(func.max(RatingReason.position))) or 0) + 1
            db.session.add(RatingReason(name=new, name_en=_text("name_en-new")[:MAX_NAME],
                                        position=position, active=True))
        if not problems:
            audit.record("rating_reasons_saved", "rating reasons")
            db.session.commit()
            flash(_("The reasons are saved."), "success")
            return redirect(url_for("editor.rating_reasons"))
        db.session.rollback()
    return render_template("editor/quality_reasons.html", reasons=reasons,
                           problems=problems), 422 if problems else 200
