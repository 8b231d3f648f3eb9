"""Notices: editors post a notice for the site and the kiosk with a severity and local start
and end times (``app.notices`` shows it only between them), or end one early."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.dates import CENTRE_ZONE
from app.dates import now as clock_now
from app.editor import audit, bp
from app.editor.dayfield import TIME_HINT, DmyTimeField, Hint, required_time
from app.extensions import db
from app.models import Notice

SEVERITIES = (("critical", _l("Critical: the service cannot be used")),
              ("warning", _l("Warning: something is different")),
              ("info", _l("Information")))


class NoticeForm(FlaskForm):
    severity = SelectField(_l("Severity"), default="info",
                           choices=[SelectChoice(value, label) for value, label in SEVERITIES])
    title = StringField(_l("Title (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    body = TextAreaField(_l("Text (Vietnamese)"), validators=[Length(max=1000)])
    body_en = TextAreaField(_l("Text (English)"), validators=[Length(max=1000)])
    starts_at = DmyTimeField(_l("Shown from (local time)"), validators=[required_time],
                             description=Hint(TIME_HINT))
    ends_at = DmyTimeField(_l("Shown until (local time)"), validators=[required_time],
                           description=Hint(TIME_HINT))

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))


class EndForm(FlaskForm):
    pass


def to_utc(local: datetime) -> datetime:
    """A local (Asia/Ho_Chi_Minh) time typed by an editor, as a stored UTC instant."""
    return local.replace(tzinfo=CENTRE_ZONE).astimezone(UTC).replace(tzinfo=None)


def _now() -> datetime:
    return clock_now().astimezone(UTC).replace(tzinfo=None)


@bp.route("/notices", methods=["GET", "POST"])
def notices() -> ResponseReturnValue:
    form = NoticeForm()
    if form.validate_on_submit():
        notice = Notice(severity=form.severity.data, title=form.title.data.strip(),
                        title_en=(form.title_en.data or "").strip(),
                        body=(form.body.data or "").strip(),
                        body_en=(form.body_en.data or "").strip(),
                        starts_at=to_utc(form.starts_at.data), ends_at=to_utc(form.ends_at.data),
                        author_id=current_user.id)
        db.session.add(notice)
        audit.record("notice", f"notice:{notice.title[:200]}")
        db.session.commit()
        flash(_("Notice saved. It shows on the site and the kiosk between its times."),
              "success")
        return redirect(url_for(".notices"))
    status = 400 if form.is_submitted() else 200
    rows = list(db.session.scalars(select(Notice).where(Notice.ends_at > _now())
                                   .order_by(Notice.starts_at)))
    return render_template("editor/notices.html", form=form, notices=rows,
                           end_form=EndForm(), now=_now()), status


@bp.post("/notices/<int:notice_id>/end")
def end_notice(notice_id: int) -> Response:
    notice = db.session.get(Notice, notice_id) or abort(404)
    if not EndForm().validate():
        abort(400)
    notice.ends_at = min(notice.ends_at, _now())
    audit.record("notice_end", f"notice:{notice.title[:200]}")
    db.session.commit()
    flash(_("The notice no longer shows."), "success")
    return redirect(url_for(".notices"))
