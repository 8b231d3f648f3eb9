"""Applying due changes: the first public request of a new local day (on any worker, any
node), ``flask schedule apply``, or a test makes every change whose date has come live.

Cost on an ordinary request: a comparison of today's date with this worker's remembered
earliest scheduled date, which is read again at most every ``CHECK_SECONDS`` and at once
after this process committed anything (an editor scheduling on this worker).
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import date
from typing import Any, cast

import click
from flask import Flask, current_app, request
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import CursorResult, func, select, update

from app import search
from app.commits import commits_made
from app.dates import today_local
from app.dbretry import retry_when_busy
from app.extensions import db
from app.legal.register import register_citations
from app.models import ProcedureChange
from app.models.procedure import utcnow
from app.records import RecordError, apply_procedure, procedure_to_dict

log = logging.getLogger(__name__)
CHECK_SECONDS = 1.0
SHARED_BLUEPRINTS = frozenset({"public", "kiosk", "api"})


class Gate:
    """This worker's memory of the earliest scheduled date, so most requests ask nothing."""

    def __init__(self) -> None:
        self.next_due: date | None = None
        self.read_at = float("-inf")
        self.commits_seen = -1

    def due(self, today: date) -> bool:
        now = time.monotonic()
        if self.commits_seen != commits_made() or now - self.read_at >= CHECK_SECONDS:
            self.next_due = db.session.scalar(
                select(func.min(ProcedureChange.effective_on))
                .where(ProcedureChange.state == "scheduled"))
            self.read_at, self.commits_seen = now, commits_made()
        return self.next_due is not None and self.next_due <= today


def _apply_one(change_id: int) -> bool:
    """Apply one change in its own transaction; False when another process did (or it can
    no longer be stored: it then stays scheduled and the dashboard shows it)."""
    # The compare-and-set comes first, so the transaction starts with its write (SQLite) and
    # a second process waits for this one's commit (PostgreSQL) and then finds it applied.
    taken = db.session.execute(
        update(ProcedureChange).where(ProcedureChange.id == change_id,
                                      ProcedureChange.state == "scheduled")
        .values(state="applied", applied_at=utcnow())
        .execution_options(synchronize_session=False))
    if cast("CursorResult[Any]", taken).rowcount != 1:
        db.session.rollback()
        return False
    change = db.session.get_one(ProcedureChange, change_id)
    db.session.refresh(change)
    proc = change.procedure
    change.previous = procedure_to_dict(proc)
    proc.lock_version += 1  # an editor's page opened before midnight now shows a conflict
    if change.kind == "abolition":
        proc.published = False
        proc.updated_at = utcnow()
    else:
        data = change.revision.data if change.revision is not None else change.previous
        try:
            apply_procedure(proc, {**data, "published": True,
                                   "reviewed_at": utcnow().isoformat()})
        except RecordError:
            db.session.rollback()
            log.exception("scheduled change %s cannot be applied", change_id)
            return False
        register_citations(proc)
        if change.revision is not None:
            change.revision.state = "published"
    search.index(proc.id)  # the outbox row: every node's indexer follows it
    db.session.commit()
    return True


def apply_due(today: date | None = None) -> int:
    """Apply every scheduled change whose date has come, oldest date first (so several
    revisions of one procedure land in their order); the number this process applied."""
    today = today or today_local()
    ids = list(db.session.scalars(
        select(ProcedureChange.id).where(ProcedureChange.state == "scheduled",
                                         ProcedureChange.effective_on <= today)
        .order_by(ProcedureChange.effective_on, ProcedureChange.id)))
    db.session.rollback()  # the writes below each start a transaction of their own
    done = 0
    for change_id in ids:
        if retry_when_busy(functools.partial(_apply_one, change_id)):
            done += 1
    if done:
        log.info("applied %s scheduled change(s) for %s", done, today.isoformat())
    return done


def _catch_up() -> None:
    """before_request on citizens' blueprints: make today's version live before reading."""
    blueprint = current_app.blueprints.get(request.blueprint or "")
    if blueprint is None or blueprint.name not in SHARED_BLUEPRINTS:
        return
    today = today_local()
    if current_app.extensions["motcua_schedule_gate"].due(today):
        apply_due(today)


@click.command("apply")
@with_appcontext
def apply_command() -> None:
    """Make every change whose date has come live now (a cron line for a site no one visits
    at midnight; visitors' first request of the day does the same)."""
    click.echo(f"{apply_due()} change(s) applied")


def init_app(app: Flask) -> None:
    app.extensions["motcua_schedule_gate"] = Gate()
    app.before_request(_catch_up)
    group = AppGroup("schedule", help="Changes that take effect on their date.")
    group.add_command(apply_command)
    app.cli.add_command(group)
