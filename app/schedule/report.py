"""The editor dashboard's lines for scheduled changes: what happens when, and a warning when
the change's document is not in the legal register or not in force on that date."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.models import ProcedureChange
from app.schedule.changes import scheduled_all


@dataclass(frozen=True)
class Line:
    change: ProcedureChange
    warning: str  # empty when the document is registered and in force on the date


def _warning(change: ProcedureChange) -> str:
    if not change.document_number:
        return str(_l("No document is given for this change."))
    doc = change.document
    if doc is None:
        return str(_l("%(number)s is not in the legal register.", number=change.document_number))
    status = doc.status_on(change.effective_on)
    if status != "in_force":
        return str(_l("%(number)s is not in force on that date.", number=doc.number))
    return ""


def scheduled_report() -> list[Line]:
    return [Line(change, _warning(change)) for change in scheduled_all()]
