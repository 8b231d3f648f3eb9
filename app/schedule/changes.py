"""Writing and reading ``ProcedureChange`` rows: the editor schedules and withdraws; the
public pages, feeds and dashboard read them."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.dates import today_local
from app.extensions import db
from app.models import Procedure, ProcedureChange, Revision, User
from app.models.procedure import utcnow

NOTE_MAX = 500


class ScheduleError(Exception):
    """A change that cannot be scheduled or withdrawn; the message says why."""


def _author_id(author: User | None) -> int | None:
    return author.id if author is not None and getattr(author, "id", None) else None


def record_note(proc: Procedure, note: str, minor: bool, document: str = "",
                revision: Revision | None = None, author: User | None = None) -> ProcedureChange:
    """A publish that took effect now: its public change note (minor ones are not listed)."""
    change = ProcedureChange(
        procedure_id=proc.id, kind="revision", state="applied", effective_on=today_local(),
        revision_id=revision.id if revision is not None else None, note=note.strip()[:NOTE_MAX],
        minor=minor, document_number=document.strip()[:120], author_id=_author_id(author),
        applied_at=utcnow())
    db.session.add(change)
    return change


def _future(day: date) -> None:
    if day <= today_local():
        raise ScheduleError(_l("the date must be after today; publish now instead."))


def schedule_revision(proc: Procedure, revision: Revision, day: date, note: str,
                      minor: bool = False, document: str = "",
                      author: User | None = None) -> ProcedureChange:
    """``revision`` becomes the live version at local midnight starting ``day``."""
    _future(day)
    revision.state = "scheduled"
    change = ProcedureChange(
        procedure_id=proc.id, kind="revision", state="scheduled", effective_on=day,
        revision_id=revision.id, note=note.strip()[:NOTE_MAX], minor=minor,
        document_number=document.strip()[:120], author_id=_author_id(author))
    db.session.add(change)
    return change


def schedule_abolition(proc: Procedure, day: date, document: str, note: str = "",
                       successor: Procedure | None = None,
                       author: User | None = None, allow_today: bool = False) -> ProcedureChange:
    """``proc`` is abolished ("bãi bỏ") from ``day``: it leaves lists, search, the API list and
    the sitemap then; its page stays, with the notice, or redirects to ``successor``."""
    if not allow_today:
        _future(day)
    if abolition_for(proc.id) is not None:
        raise ScheduleError(_l("an abolition is already scheduled."))
    change = ProcedureChange(
        procedure_id=proc.id, kind="abolition", state="scheduled", effective_on=day,
        note=note.strip()[:NOTE_MAX], document_number=document.strip()[:120],
        successor_id=successor.id if successor is not None else None,
        author_id=_author_id(author))
    db.session.add(change)
    return change


def withdraw(change: ProcedureChange) -> None:
    """Withdraw a change before its date; its revision goes back to being a saved draft."""
    if change.state != "scheduled":
        raise ScheduleError(_l("only a change that has not taken effect can be withdrawn."))
    change.state = "withdrawn"
    change.withdrawn_at = utcnow()
    if change.revision is not None and change.revision.state == "scheduled":
        change.revision.state = "draft"


def _listed(stmt):
    return stmt.options(selectinload(ProcedureChange.successor))


def upcoming(procedure_id: int) -> list[ProcedureChange]:
    """Scheduled changes of a procedure, soonest first."""
    return list(db.session.scalars(_listed(select(ProcedureChange)).where(
        ProcedureChange.procedure_id == procedure_id, ProcedureChange.state == "scheduled")
        .order_by(ProcedureChange.effective_on, ProcedureChange.id)))


def recent(procedure_id: int, limit: int = 5) -> list[ProcedureChange]:
    """Applied changes worth telling citizens (not minor, with a note), newest first."""
    return list(db.session.scalars(_listed(select(ProcedureChange)).where(
        ProcedureChange.procedure_id == procedure_id, ProcedureChange.state == "applied",
        ProcedureChange.minor.is_(False), ProcedureChange.note != "")
        .order_by(ProcedureChange.effective_on.desc(), ProcedureChange.id.desc()).limit(limit)))


def abolition_for(procedure_id: int) -> ProcedureChange | None:
    """The scheduled or applied abolition of a procedure, if any."""
    return db.session.scalar(_listed(select(ProcedureChange)).where(
        ProcedureChange.procedure_id == procedure_id, ProcedureChange.kind == "abolition",
        ProcedureChange.state.in_(("scheduled", "applied"))).limit(1))


def timeline(procedure_id: int) -> list[ProcedureChange]:
    """Every dated change of a procedure for the editor's history, by date, newest first."""
    return list(db.session.scalars(
        _listed(select(ProcedureChange)).options(selectinload(ProcedureChange.revision),
                                                 selectinload(ProcedureChange.author))
        .where(ProcedureChange.procedure_id == procedure_id)
        .order_by(ProcedureChange.effective_on.desc(), ProcedureChange.id.desc())))


def scheduled_all(limit: int = 200) -> list[ProcedureChange]:
    """Every change still to take effect, soonest first (the editor dashboard)."""
    return list(db.session.scalars(
        _listed(select(ProcedureChange)).options(selectinload(ProcedureChange.procedure),
                                                 selectinload(ProcedureChange.document))
        .where(ProcedureChange.state == "scheduled")
        .order_by(ProcedureChange.effective_on, ProcedureChange.id).limit(limit)))
