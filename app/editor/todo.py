"""The dashboard's to-do list: a few lines, most urgent first, each a count and an action.

Built from the same lists the dashboard details show (``early_warnings``, the stale list,
drafts, feedback, scheduled changes), so a count always equals the rows behind it: distinct
fees (a fee charged on three ways to apply is one fee) and distinct procedures.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.dates import dmy
from app.editor.early_warnings import EarlyWarnings, by_day
from app.extensions import db
from app.models import Feedback, Procedure, Revision
from app.vocab import FeedbackKind


@dataclass(frozen=True)
class Line:
    key: str  # a stable name for tests and styling: documents, ending, ending-handled …
    count: int
    text: str
    action: str = ""  # the action's label; empty for a line with nothing to do
    url: str = ""
    done: bool = False  # handled already: shown with a tick, last


def _edit(proc: Procedure) -> str:
    return url_for("editor.procedure", procedure_id=proc.id)


def _fees_url(proc: Procedure) -> str:
    return url_for("editor.procedure", procedure_id=proc.id) + "#fee-timelines"


def _reports() -> int:
    return db.session.scalar(select(func.count(Feedback.id)).where(
        Feedback.handled.is_(False), Feedback.kind == FeedbackKind.REPORT)) or 0


def _ending_lines(warnings: EarlyWarnings) -> tuple[list[Line], list[Line]]:
    """(to do, handled): one line per last day, split by whether a next version exists."""
    todo, handled = [], []
    procs = {fee.id: proc for proc, fee in warnings.ending}
    for day, fees in by_day(warnings.unhandled, lambda f: f.valid_until):
        todo.append(Line("ending", len(fees), _(
            "%(count)s fees end on %(day)s with no new rate", count=len(fees), day=dmy(day)),
            _("Add a new rate"), _fees_url(procs[fees[0].id])))
    for day, fees in by_day(warnings.handled, lambda f: f.valid_until):
        handled.append(Line("ending-handled", len(fees), _(
            "%(count)s fees end on %(day)s — a new rate is in place", count=len(fees),
            day=dmy(day)), done=True))
    return todo, handled


def todo_lines(warnings: EarlyWarnings, stale: list[Procedure], stale_total: int,
               waiting: list[Revision], scheduled_changes: int) -> list[Line]:
    """The to-do, most urgent first: wrong now, wrong soon, waiting on people, routine checks,
    what is coming; lines with nothing to do last."""
    lines: list[Line] = []
    if warnings.documents:
        first = warnings.documents[0].procedure
        lines.append(Line("documents", len(warnings.documents), _(
            "%(count)s procedures cite documents no longer in force",
            count=len(warnings.documents)), _("Review"), _edit(first)))
    ending, handled = _ending_lines(warnings)
    lines += ending
    if reports := _reports():
        lines.append(Line("reports", reports, _(
            "%(count)s reports from the public to answer", count=reports), _("Answer"),
            url_for("editor.dashboard") + "#feedback"))
    if waiting:
        lines.append(Line("review", len(waiting), _(
            "%(count)s drafts waiting for review", count=len(waiting)), _("Review"),
            url_for("editor.procedure", procedure_id=waiting[0].procedure_id)))
    if warnings.unverified:
        procs = {proc.id for proc, _fee in warnings.unverified}
        lines.append(Line("unverified", len(warnings.unverified), _(
            "%(count)s fees not verified in %(procedures)s procedures",
            count=len(warnings.unverified), procedures=len(procs)), _("Start"),
            _edit(warnings.unverified[0][0])))
    if stale_total:
        lines.append(Line("stale", stale_total, _(
            "%(count)s procedures not checked for 180 days", count=stale_total), _("Start"),
            _edit(stale[0])))
    if scheduled_changes:
        lines.append(Line("scheduled-changes", scheduled_changes, _(
            "%(count)s scheduled changes and abolitions coming", count=scheduled_changes),
            _("See"), url_for("editor.dashboard") + "#scheduled-changes"))
    if warnings.scheduled:
        lines.append(Line("scheduled-fees", len(warnings.scheduled), _(
            "%(count)s new fee rates announced", count=len(warnings.scheduled)), _("See"),
            url_for("editor.dashboard") + "#warn-scheduled-details"))
    return lines + handled
