"""Fee versions as a timeline, and "add a new rate from a day" (issue #23, item 2).

A fee's versions are the fees of one procedure with the same name and condition: each applies
from ``valid_from`` to ``valid_until``. The timeline reads them in order; the last version
ending with no successor is flagged, as is a gap between two versions. Adding a new rate
copies the latest version, asks only the day and what changes (amount, document), ends the
latest version the day before, and saves the result as a draft like any other edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.dates import today_local
from app.editor import bp
from app.editor.dayfield import DmyField, required_day
from app.editor.procedures import get_procedure
from app.extensions import db
from app.records import RecordError, normalise_procedure
from app.revisions import drafts


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass
class Timeline:
    """One fee's versions in order: (index in the record's ``fees``, the fee)."""

    name: str
    condition: str | None
    versions: list[tuple[int, dict]] = field(default_factory=list)

    @property
    def latest(self) -> tuple[int, dict]:
        return self.versions[-1]

    @property
    def ends_without_successor(self) -> date | None:
        """The last day of the last version, when it has one: nothing follows it."""
        return _day(self.latest[1].get("valid_until"))

    def gaps(self) -> list[tuple[date, date]]:
        """(last day, next first day) where a version does not follow on from the one before."""
        out = []
        for (_i, one), (_j, nxt) in zip(self.versions, self.versions[1:], strict=False):
            until, start = _day(one.get("valid_until")), _day(nxt.get("valid_from"))
            if until is not None and start is not None and start != until + timedelta(days=1):
                out.append((until, start))
        return out


def timelines(fees: list[dict]) -> list[Timeline]:
    """The record's fees grouped into timelines, in the order each fee first appears."""
    found: dict[tuple, Timeline] = {}
    for index, fee in enumerate(fees):
        key = (fee.get("name") or "", fee.get("condition"))
        found.setdefault(key, Timeline(*key)).versions.append((index, fee))
    for line in found.values():
        line.versions.sort(key=lambda row: (row[1].get("valid_from") or "", row[0]))
    return list(found.values())


class NewRateForm(FlaskForm):
    lock_version = HiddenField()
    starts_on = DmyField(_l("New rate applies from"), validators=[required_day],
                         description=_l("dd/mm/yyyy. The current rate ends the day before."))
    amount = IntegerField(_l("New amount (đồng per unit)"),
                          validators=[Optional(), NumberRange(min=0, max=10**12)],
                          description=_l("Leave empty to keep the current amount."))
    basis_document = StringField(_l("Set by document (number)"),
                                 validators=[Optional(), Length(max=120)],
                                 description=_l("Leave empty to keep the current document."))


def _next_version(current: dict, form: NewRateForm, today: date) -> dict:
    new = {**current, "valid_from": form.starts_on.data.isoformat(), "valid_until": None,
           "checked_on": today.isoformat(), "verified": True}
    if form.amount.data is not None:
        new["amount"], new["tiers"] = form.amount.data, []
    if form.basis_document.data:
        new["basis_document"], new["basis_article"] = form.basis_document.data.strip(), ""
    return new


@bp.route("/procedures/<int:procedure_id>/fees/<int:index>/new-rate",
          methods=["GET", "POST"])
def new_fee_rate(procedure_id: int, index: int) -> ResponseReturnValue:
    proc = get_procedure(procedure_id)
    record = drafts.working_record(proc)
    fees = list(record.get("fees") or [])
    line = next((t for t in timelines(fees) if any(i == index for i, _f in t.versions)), None)
    if line is None:
        abort(404)
    latest = line.latest[1]
    form = NewRateForm(lock_version=str(proc.lock_version))
    if not form.is_submitted():
        ends = _day(latest.get("valid_until"))
        form.starts_on.data = ends + timedelta(days=1) if ends else None
    if form.validate_on_submit():
        start = form.starts_on.data
        began = _day(latest.get("valid_from"))
        if began is not None and start <= began:
            form.starts_on.errors.append(_("The new rate must start after %(day)s, when the "
                                           "current one started.", day=began.strftime("%d/%m/%Y")))
        else:
            return _save(proc, record, fees, line, form)
    return render_template("editor/fee_new_rate.html", procedure=proc, form=form, line=line,
                           latest=latest), 422 if form.errors else 200


def _save(proc, record: dict, fees: list[dict], line: Timeline,
          form: NewRateForm) -> ResponseReturnValue:
    start, latest_index = form.starts_on.data, line.latest[0]
    latest = dict(fees[latest_index])
    ends = _day(latest.get("valid_until"))
    if ends is None or ends >= start:
        latest["valid_until"] = (start - timedelta(days=1)).isoformat()
    fees[latest_index] = latest
    fees.insert(latest_index + 1, _next_version(latest | {"valid_until": None}, form,
                                                today_local()))
    try:
        data = normalise_procedure({**record, "fees": fees})
    except RecordError as exc:
        form.starts_on.errors.append(str(exc))
        return render_template("editor/fee_new_rate.html", procedure=proc, form=form,
                               line=line, latest=line.latest[1]), 422
    try:
        rev = drafts.save_draft(proc, data, current_user, form.lock_version.data,
                                note=_("New rate from %(day)s", day=start.strftime("%d/%m/%Y")))
    except drafts.Conflict:
        db.session.rollback()
        flash(_("Someone saved this procedure meanwhile. Check the fees and try again."),
              "error")
        return redirect(url_for(".new_fee_rate", procedure_id=proc.id, index=latest_index))
    db.session.commit()
    flash(_("Draft saved as revision %(number)s.", number=rev.number), "success")
    return redirect(url_for(".procedure", procedure_id=proc.id) + "#fee-timelines")


@bp.context_processor
def _fee_timelines() -> dict:
    def fee_timelines(proc) -> list[Timeline]:
        """The timelines of what an editor works on: the draft, else the live record."""
        return timelines(list(drafts.working_record(proc).get("fees") or []))
    return {"fee_timelines": fee_timelines, "iso_day": _day}
