"""``flask catalogue import-list [--apply] FILE.xlsx``: the report, and with ``--apply`` the
drafts, in one transaction."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from app import budget, search
from app.extensions import db
from app.importlist.apply import apply_rows
from app.importlist.decision import Decision
from app.importlist.reader import UnreadableList, read_list

if TYPE_CHECKING:
    from app.importlist.apply import ListReport
    from app.models import User

MAX_BYTES = 20 * 1024 * 1024


def run(content: bytes, name: str, apply: bool, author: User | None = None,
        before_commit: Callable[[ListReport], None] | None = None,
        decision: Decision | None = None) -> ListReport:
    """Read and apply the list in the open transaction; commit only when ``apply`` (after
    ``before_commit``, which may add to the transaction, e.g. an audit entry).

    Raises ``UnreadableList`` before anything is written when the file cannot be read.
    """
    if len(content) > MAX_BYTES:
        raise UnreadableList(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:  # read in a child process within the import budget; the drafts are written here
        sheet = budget.run(read_list, content)
    except budget.OverBudget as exc:
        raise UnreadableList(str(exc)) from None
    try:
        report = apply_rows(sheet.rows, author, source=f"Danh mục TTHC ({name[:200]})",
                            decision=decision)
    except Exception:
        db.session.rollback()
        raise
    if apply:
        if before_commit is not None:
            before_commit(report)
        db.session.commit()
        search.sync()
    else:
        db.session.rollback()  # a dry run: the same work, undone
    return report


@click.command("import-list")
@with_appcontext
@click.option("--apply", "apply_", is_flag=True,
              help="Store the rows that passed as drafts (default: only report).")
@click.option("--decision", default="", help="The decision's number, like 3249/QĐ-UBND.")
@click.option("--effective", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Its effective date (YYYY-MM-DD); a future one schedules every change.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_list_command(file: Path, apply_: bool, decision: str, effective) -> None:
    """Read a province's list of procedures (Quyết định công bố danh mục TTHC, .xlsx)."""
    if bool(decision.strip()) != (effective is not None):
        raise click.UsageError("--decision and --effective go together")
    announced = Decision(decision.strip()[:120], effective.date()) if effective else None
    try:
        content = file.read_bytes()
        report = run(content, file.name, apply_, decision=announced)
    except (OSError, UnreadableList) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        click.echo(f"cannot read {file}: {reason}; nothing was changed", err=True)
        sys.exit(1)
    for line in report.lines():
        click.echo(line)
    click.echo("applied" if apply_ else "dry run: nothing was changed (use --apply to store)")
