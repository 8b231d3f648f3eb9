"""Dated changes in catalogue files (``scheduled_changes``): a revision given as the fields
it changes over the record as loaded, or an abolition, each with its date, note and document.
Loading is idempotent: a change already stored for that procedure, kind and date is skipped.

A date already past when loaded is still stored as scheduled: the first request applies it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from sqlalchemy import func, select

from app.extensions import db
from app.models import Procedure, ProcedureChange, Revision
from app.records import RecordError, normalise_procedure, procedure_to_dict
from app.schedule.changes import schedule_abolition


class Report(Protocol):
    created: list[str]
    rejected: list[tuple[str, str]]


def _revision(proc: Procedure, changes: dict) -> Revision:
    data = normalise_procedure({**procedure_to_dict(proc), **changes})
    number = (db.session.scalar(select(func.max(Revision.number))
                                .where(Revision.procedure_id == proc.id)) or 0) + 1
    rev = Revision(procedure_id=proc.id, number=number, state="scheduled", data=data,
                   note="scheduled in the catalogue file")
    db.session.add(rev)
    db.session.flush()
    return rev


def _one(item: dict[str, Any]) -> str:
    """Store one item; the problem, or ""."""
    proc = db.session.scalar(select(Procedure).filter_by(code=str(item.get("code", ""))))
    if proc is None:
        return "unknown procedure code"
    kind = item.get("kind")
    day = date.fromisoformat(str(item.get("effective_on", "")))
    known = db.session.scalar(select(ProcedureChange.id).filter_by(
        procedure_id=proc.id, kind=kind, effective_on=day))
    if known is not None:
        return ""
    note, document = str(item.get("note", "")), str(item.get("document", ""))
    if kind == "abolition":
        successor = None
        if item.get("successor"):
            successor = db.session.scalar(select(Procedure).filter_by(code=item["successor"]))
            if successor is None:
                return "unknown successor code"
        schedule_abolition(proc, day, document, note, successor, allow_today=True)
    elif kind == "revision" and isinstance(item.get("changes"), dict):
        rev = _revision(proc, item["changes"])
        db.session.add(ProcedureChange(
            procedure_id=proc.id, kind="revision", state="scheduled", effective_on=day,
            revision_id=rev.id, note=note[:500], document_number=document[:120]))
    else:
        return "kind must be revision (with changes) or abolition"
    return "created"


def load_scheduled(items: list, report: Report) -> None:
    """Store the ``scheduled_changes`` of a catalogue file; bad items are reported."""
    for position, item in enumerate(items):
        where = f"scheduled_change:{item.get('code') if isinstance(item, dict) else position}"
        try:
            outcome = _one(item) if isinstance(item, dict) else "not an object"
        except (ValueError, RecordError) as exc:
            outcome = str(exc)[:300]
        if outcome == "created":
            report.created.append(where)
        elif outcome:
            report.rejected.append((where, outcome))
