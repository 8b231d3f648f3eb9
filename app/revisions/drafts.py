"""Drafts and revisions: the write side of the editor, independent of forms and views.

A procedure's rows are its live version. Each save adds a ``Revision``; the newest revision,
when it is ``draft`` or ``in_review``, is the working draft. ``Procedure.lock_version`` is the
version every save, review step and publication claims with a compare-and-set UPDATE, so of two
people who started from the same version only the first succeeds and the second gets
``Conflict`` — never a silent overwrite, across workers and database nodes alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import selectinload

from app.dbretry import first_write_refused, retry_when_busy
from app.extensions import db
from app.legal.register import register_citations
from app.models import Procedure, Revision, User
from app.models.procedure import utcnow
from app.records import RecordError, apply_procedure, normalise_procedure, procedure_to_dict

LOCK_RETRIES = 3


class Conflict(Exception):
    """Someone else changed the procedure since ``base`` was read."""


class WorkflowError(Exception):
    """A step that the procedure's current state does not allow."""


@dataclass(frozen=True)
class State:
    """Where a procedure stands: its live status and its working draft, if any."""

    published: bool
    draft: Revision | None

    @property
    def name(self) -> str:
        if self.draft is not None:
            return self.draft.state
        return "published" if self.published else "unpublished"


def head(procedure_id: int) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.procedure_id == procedure_id)
        .order_by(Revision.number.desc()).limit(1))


def pending(procedure_id: int) -> Revision | None:
    """The working draft (newest revision, not yet published), if there is one."""
    rev = head(procedure_id)
    return rev if rev is not None and rev.is_pending else None


def state(proc: Procedure) -> State:
    return State(proc.published, pending(proc.id))


def working_record(proc: Procedure) -> dict:
    """What an editor edits: the working draft, else the live record."""
    draft = pending(proc.id)
    return dict(draft.data) if draft is not None else procedure_to_dict(proc)


def claim(proc: Procedure, base: int | str | None) -> int:
    """Move ``proc`` from version ``base`` to the next one, atomically, or raise ``Conflict``.

    The UPDATE holds the row until commit, so a concurrent claim waits and then finds the
    version gone.
    """
    try:
        base = int(base or 0)
    except (TypeError, ValueError):
        raise Conflict from None
    statement = (update(Procedure)
                 .where(Procedure.id == proc.id, Procedure.lock_version == base)
                 .values(lock_version=base + 1).execution_options(synchronize_session=False))
    # SQLite refuses at once ("database is locked") when a transaction that has read wants to
    # write while another one writes: waiting could deadlock. Nothing was written yet, so
    # start again with the write first. (PostgreSQL simply waits.)
    result = retry_when_busy(lambda: db.session.execute(statement), attempts=LOCK_RETRIES,
                             pause=0, busy=first_write_refused)
    if cast(CursorResult, result).rowcount != 1:  # an UPDATE's result counts its rows
        raise Conflict
    db.session.refresh(proc, ["lock_version"])
    return base + 1


def _next_number(procedure_id: int) -> int:
    top = db.session.scalar(
        select(func.max(Revision.number)).where(Revision.procedure_id == procedure_id))
    return (top or 0) + 1


def add_revision(proc: Procedure, data: dict, author: User | None, base: int,
                 state: str = "draft", note: str = "",
                 restored_from: int | None = None) -> Revision:
    previous = head(proc.id)
    if previous is not None and previous.state == "in_review":
        previous.state = "draft"  # only the newest revision can be in review
    rev = Revision(
        procedure_id=proc.id, number=_next_number(proc.id), state=state,
        data=_normal(data), author_id=author.id if author else None,
        base_lock_version=base, note=note[:500], restored_from=restored_from)
    db.session.add(rev)
    db.session.flush()
    return rev


def _normal(data: dict) -> dict:
    """The record in export shape; one that breaks today's rules (an old revision restored)
    is kept as it is, so an editor can open and correct it; publishing it is refused."""
    try:
        return normalise_procedure(data)
    except RecordError:
        return dict(data)


def save_draft(proc: Procedure, data: dict, author: User, base: int | str | None,
               note: str = "", restored_from: int | None = None) -> Revision:
    """Store ``data`` as the new working draft, if nobody saved since ``base``."""
    version = claim(proc, base)
    data = {**data, "published": proc.published,
            "reviewed_at": proc.reviewed_at.isoformat() if proc.reviewed_at else None}
    return add_revision(proc, data, author, version - 1, note=note, restored_from=restored_from)


def create(data: dict, author: User, note: str = "") -> tuple[Procedure, Revision]:
    """A brand-new procedure: rows that stay unpublished until published, and revision 1."""
    data = {**data, "published": False, "reviewed_at": None}
    proc = Procedure(code=data["code"])
    db.session.add(proc)
    apply_procedure(proc, data)
    db.session.flush()
    return proc, add_revision(proc, data, author, 0, note=note)


def _move(proc: Procedure, base: int | str | None, from_state: str, to_state: str,
          missing: object) -> Revision:
    """Move the pending revision from ``from_state`` to ``to_state``; ``missing`` is the error
    when there is no pending revision in ``from_state``."""
    draft = pending(proc.id)
    if draft is None or draft.state != from_state:
        raise WorkflowError(missing)
    claim(proc, base)
    draft.state = to_state
    return draft


def submit(proc: Procedure, base: int | str | None) -> Revision:
    return _move(proc, base, "draft", "in_review", _l("there is no draft to send for review."))


def send_back(proc: Procedure, base: int | str | None) -> Revision:
    return _move(proc, base, "in_review", "draft", _l("there is no draft in review."))


def publish(proc: Procedure, base: int | str | None) -> Revision | None:
    """Make the reviewed draft live (or republish an unpublished procedure as it is).

    Raises ``RecordError`` when the draft no longer fits the catalogue (e.g. a deleted agency);
    the caller rolls back.
    """
    draft = pending(proc.id)
    if draft is not None and draft.state != "in_review":
        raise WorkflowError(_l("the draft has not been sent for review."))
    if draft is None and proc.published:
        raise WorkflowError(_l("it is already published."))
    claim(proc, base)
    data = draft.data if draft is not None else procedure_to_dict(proc)
    apply_procedure(proc, {**data, "published": True, "reviewed_at": utcnow().isoformat()})
    register_citations(proc)  # a newly cited document gets a register entry
    if draft is not None:
        draft.state = "published"
    return draft


def unpublish(proc: Procedure, base: int | str | None) -> None:
    if not proc.published:
        raise WorkflowError(_l("it is not published."))
    claim(proc, base)
    proc.published = False
    proc.updated_at = utcnow()


def mark_reviewed(proc: Procedure, base: int | str | None) -> None:
    """The live record was checked and is still right."""
    claim(proc, base)
    proc.reviewed_at = utcnow()


def restore(proc: Procedure, rev: Revision, author: User,
            base: int | str | None) -> Revision:
    """An earlier revision's record, as a new working draft."""
    return save_draft(proc, rev.data, author, base, restored_from=rev.number)


def pending_for(ids: list[int]) -> dict[int, Revision]:
    """The working drafts of these procedures, by procedure id."""
    if not ids:
        return {}
    top = (select(Revision.procedure_id, func.max(Revision.number).label("n"))
           .where(Revision.procedure_id.in_(ids)).group_by(Revision.procedure_id).subquery())
    rows = db.session.scalars(select(Revision).join(
        top, (Revision.procedure_id == top.c.procedure_id) & (Revision.number == top.c.n)))
    return {rev.procedure_id: rev for rev in rows if rev.is_pending}


def pending_in(state_name: str, limit: int = 50) -> list[Revision]:
    """Working drafts in one state (``draft`` or ``in_review``), oldest first."""
    top = (select(Revision.procedure_id, func.max(Revision.number).label("n"))
           .group_by(Revision.procedure_id).subquery())
    return list(db.session.scalars(
        select(Revision).join(top, (Revision.procedure_id == top.c.procedure_id)
                              & (Revision.number == top.c.n))
        .options(selectinload(Revision.procedure), selectinload(Revision.author))
        .where(Revision.state == state_name).order_by(Revision.created_at).limit(limit)))


def last_published(procedure_id: int) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.procedure_id == procedure_id,
                               Revision.state == "published")
        .order_by(Revision.number.desc()).limit(1))
