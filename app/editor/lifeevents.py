"""Life events (journeys across procedures): live content, so publishers edit them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import queries
from app.editor import audit, formops, review_bp
from app.editor.forms import ConfirmForm, LifeEventForm
from app.extensions import db
from app.models import LifeEvent, LifeEventStep, Procedure


@review_bp.get("/life-events")
def life_events() -> ResponseReturnValue:
    return render_template("editor/life_events.html", events=queries.life_events(),
                           form=ConfirmForm(formdata=None))


def _data(event: LifeEvent | None) -> dict:
    if event is None:
        return {"steps": [{}]}
    return {
        **{k: getattr(event, k) for k in ("slug", "name", "name_en", "description",
                                          "description_en", "position")},
        "steps": [{"title": s.title, "title_en": s.title_en, "note": s.note,
                   "procedure": s.procedure.code if s.procedure else ""} for s in event.steps],
    }


@review_bp.route("/life-events/new", methods=["GET", "POST"], defaults={"event_id": None})
@review_bp.route("/life-events/<int:event_id>", methods=["GET", "POST"])
def life_event(event_id: int | None) -> ResponseReturnValue:
    event = db.session.get(LifeEvent, event_id) if event_id else None
    if event_id and event is None:
        abort(404)
    focus = None
    if request.method == "GET":
        form = LifeEventForm(formdata=None, data=_data(event))
    else:
        op = formops.parse(request.form.get("op"))
        form = LifeEventForm(formdata=formops.rewrite(request.form, op) if op else request.form)
        focus = formops.add_entry(form, op) if op and op.action == "add" else None
        if op is None and form.validate() and _check(form, event):
            _store(form, event)
            flash(_("Life event saved."), "success")
            return redirect(url_for(".life_events"))
    errors = [(f.id if f is not None else None, "", m) for f, m in formops.errors(form)]
    return render_template("editor/life_event.html", form=form, event=event, focus=focus,
                           errors=errors), 422 if errors else 200


def _check(form: LifeEventForm, event: LifeEvent | None) -> bool:
    clash = db.session.scalar(select(LifeEvent.id).filter_by(slug=form.slug.data.strip()))
    if clash is not None and (event is None or clash != event.id):
        form.slug.errors = [_("Another life event uses this address.")]
    for entry in form.steps:
        code = entry.form.procedure.data.strip()
        if code and db.session.scalar(select(Procedure.id).filter_by(code=code)) is None:
            entry.form.procedure.errors = [_("No procedure has this code.")]
    return not formops.errors(form)


def _store(form: LifeEventForm, event: LifeEvent | None) -> None:
    if event is None:
        event = LifeEvent()
        db.session.add(event)
    for name in ("slug", "name", "name_en", "description", "description_en"):
        setattr(event, name, (form[name].data or "").strip())
    event.position = form.position.data or 0
    event.steps = [
        LifeEventStep(position=i, title=s.form.title.data.strip(),
                      title_en=s.form.title_en.data.strip(), note=s.form.note.data.strip(),
                      procedure=db.session.scalar(select(Procedure).filter_by(
                          code=s.form.procedure.data.strip())) if s.form.procedure.data.strip()
                      else None)
        for i, s in enumerate(form.steps)]
    audit.record("life_event_saved", f"life_event:{event.slug}")
    db.session.commit()


@review_bp.post("/life-events/<int:event_id>/delete")
def delete_life_event(event_id: int) -> Response:
    event = db.session.get(LifeEvent, event_id) or abort(404)
    if not ConfirmForm().validate():
        abort(400)
    audit.record("life_event_deleted", f"life_event:{event.slug}")
    db.session.delete(event)
    db.session.commit()
    flash(_("Deleted."), "success")
    return redirect(url_for(".life_events"))
