"""``flask search …`` commands: rebuild, verify, sync and follow this node's index."""

from __future__ import annotations

import signal
import sys
import threading

import click

from app import search

search_cli = click.Group("search", help="Build, check and follow the search index.")


@search_cli.command("rebuild")
def rebuild_command() -> None:
    """Build a fresh index from the database and switch to it atomically."""
    count = search.rebuild()
    click.echo(f"indexed {count} procedures")


@search_cli.command("verify")
def verify_command() -> None:
    """Compare the index with the database; exit status 1 when they are out of step."""
    report = search.verify()
    if report.error:
        click.echo(f"index unavailable: {report.error}", err=True)
    for label, ids in (("missing", report.missing), ("extra", report.extra),
                       ("stale", report.stale)):
        if ids:
            shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
            click.echo(f"{label} ({len(ids)}): {shown}", err=True)
    if report.pending:
        click.echo(f"{report.pending} changes not yet applied", err=True)
    if not report.ok:
        sys.exit(1)
    click.echo("index and database agree")


@search_cli.command("sync")
def sync_command() -> None:
    """Apply pending changes now (does nothing if another process is applying them)."""
    click.echo(f"applied {search.sync()} changes")


@search_cli.command("follow")
def follow_command() -> None:
    """Keep this node's index in step with the database until SIGTERM or SIGINT."""
    stop = threading.Event()

    def _stop(signum, frame) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stop)
    click.echo("following the change sequence (stop with Ctrl-C)")
    search.follow(stop)
    click.echo("stopped")
