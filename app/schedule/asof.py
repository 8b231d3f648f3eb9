"""A procedure as in force on a date (``?on=YYYY-MM-DD`` on the page, print, kiosk and API).

Today is the rows. A later date is the newest revision scheduled on or before it; an earlier
date is the record kept when the first change after it was applied. A version that is not
the rows is an unsaved ``Procedure`` (as in the editor's preview), never added to the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import g
from sqlalchemy import select

from app.dates import today_local
from app.extensions import db
from app.models import Procedure, ProcedureChange
from app.records import RecordError, apply_procedure


def _transient(record: dict, real: Procedure, written: datetime) -> Procedure:
    proc = Procedure()
    with db.session.no_autoflush:
        apply_procedure(proc, {**record, "published": True})
    if proc in db.session:
        db.session.expunge(proc)
    proc.id = real.id  # for links that use the id (feedback forms); never flushed
    # When this version was written down (its change's date), not the moment of the request.
    proc.updated_at = written
    return proc


def _version_of(change: ProcedureChange, later: bool) -> tuple[dict, datetime] | None:
    """A change's record for a later day (the scheduled revision) or an earlier one (the
    record kept when it was applied), with when it was written."""
    record = (change.revision.data if change.revision is not None else None) if later \
        else change.previous
    return (record, change.created_at) if record is not None else None


def _record_on(proc: Procedure, day: date, today: date) -> tuple[dict, datetime] | None:
    base = select(ProcedureChange).where(ProcedureChange.procedure_id == proc.id,
                                         ProcedureChange.kind == "revision")
    if day > today:
        change = db.session.scalar(
            base.where(ProcedureChange.state == "scheduled", ProcedureChange.effective_on <= day)
            .order_by(ProcedureChange.effective_on.desc(), ProcedureChange.id.desc()).limit(1))
        return _version_of(change, later=True) if change is not None else None
    change = db.session.scalar(
        base.where(ProcedureChange.state == "applied", ProcedureChange.effective_on > day,
                   ProcedureChange.previous.is_not(None))
        .order_by(ProcedureChange.effective_on, ProcedureChange.id).limit(1))
    return _version_of(change, later=False) if change is not None else None


def version_on(proc: Procedure, day: date | None) -> Procedure:
    """``proc`` as in force on ``day`` (today when None); the rows when nothing differs."""
    today = today_local()
    if day is None or day == today:
        return proc
    version = _record_on(proc, day, today)
    if version is None:
        return proc
    try:
        return _transient(version[0], proc, version[1])
    except RecordError:  # a version the catalogue can no longer hold: show today's
        return proc


def abolished_by_slug(slug: str) -> tuple[Procedure, ProcedureChange] | None:
    """An abolished procedure's rows and its abolition, for its page after the date."""
    row = db.session.execute(
        select(Procedure, ProcedureChange)
        .join(ProcedureChange, ProcedureChange.procedure_id == Procedure.id)
        .where(Procedure.slug == slug, Procedure.published.is_(False),
               ProcedureChange.kind == "abolition", ProcedureChange.state == "applied")
        .limit(1)).first()
    return (row[0], row[1]) if row is not None else None


@dataclass
class CatalogueOn:
    """The catalogue as in force on ``day``, for lists (``?on=`` on a list page or the API
    list): the procedures abolished by then (``gone``) and the record of each procedure whose
    version in force that day is not its rows (``records``)."""

    day: date
    gone: frozenset[int] = frozenset()
    records: dict[int, tuple[dict, datetime]] = field(default_factory=dict)
    _shown: dict[int, Procedure] = field(default_factory=dict)

    def version(self, proc: Procedure) -> Procedure:
        """``proc`` as in force on the day (an unsaved copy when it differs)."""
        version = self.records.get(proc.id)
        if version is None:
            return proc
        if proc.id not in self._shown:
            try:
                self._shown[proc.id] = _transient(version[0], proc, version[1])
            except RecordError:  # as version_on: a version the catalogue can no longer hold
                self._shown[proc.id] = proc
        return self._shown[proc.id]

    def listed(self, procs) -> list[Procedure]:
        """``procs`` without those gone by the day, each as in force that day."""
        return [self.version(p) for p in procs if p.id not in self.gone]


def catalogue_on(day: date) -> CatalogueOn:
    """What lists show on ``day``. A later day: scheduled abolitions due by then leave and
    scheduled revisions due by then replace their procedure (the latest one). An earlier day:
    revisions applied after it give way to the record kept when they were applied; a
    procedure abolished since then does not come back (its rows are unpublished), which the
    list pages say."""
    today = today_local()
    if day == today:
        return CatalogueOn(day)
    if day > today:
        gone = frozenset(db.session.scalars(select(ProcedureChange.procedure_id).where(
            ProcedureChange.kind == "abolition", ProcedureChange.state == "scheduled",
            ProcedureChange.effective_on <= day)))
        changes = db.session.scalars(select(ProcedureChange).where(
            ProcedureChange.kind == "revision", ProcedureChange.state == "scheduled",
            ProcedureChange.effective_on <= day)
            .order_by(ProcedureChange.effective_on, ProcedureChange.id))
        records = {c.procedure_id: v for c in changes if (v := _version_of(c, later=True))}
        return CatalogueOn(day, gone, records)
    changes = db.session.scalars(select(ProcedureChange).where(
        ProcedureChange.kind == "revision", ProcedureChange.state == "applied",
        ProcedureChange.effective_on > day, ProcedureChange.previous.is_not(None))
        .order_by(ProcedureChange.effective_on.desc(), ProcedureChange.id.desc()))
    return CatalogueOn(day, frozenset(),
                       {c.procedure_id: v for c in changes if (v := _version_of(c, later=False))})


def list_as_of(day: date) -> CatalogueOn:
    """Make this request's lists those of ``day``: ``app.queries`` leaves out what is gone
    by then (read from ``g.catalogue_on``); the caller shows each row with ``version``."""
    g.catalogue_on = catalogue_on(day)
    return g.catalogue_on
