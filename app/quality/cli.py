"""``flask counters tablet-url`` and ``flask stats import`` / ``flask stats demo``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from app.extensions import db
from app.quality import demo, importer, results, tablets

counters_cli = AppGroup("counters", help="Counters' rating tablets.")
stats_cli = AppGroup("stats", help="The centre's monthly results.")


@counters_cli.command("tablet-url")
@click.argument("number")
@click.option("--rotate", is_flag=True, help="Issue a new token and revoke the old one.")
def tablet_url_command(number: str, rotate: bool) -> None:
    """Print the address to open on counter NUMBER's tablet (issuing a token if it has none).

    Tokens are stored hashed, so an address can be printed only when it is issued: for a
    counter that already has one, use --rotate (the old address stops working)."""
    counter = tablets.counter_by_number(number)
    if counter is None:
        click.echo(f"no counter numbered {number!r}", err=True)
        sys.exit(1)
    tablet, token = tablets.issue(counter, by="flask counters", rotate=rotate)
    db.session.commit()
    if token is None:
        click.echo(f"counter {number} already has a tablet token, stored hashed, so its "
                   "address cannot be shown again; run with --rotate for a new one", err=True)
        sys.exit(1)
    click.echo("issued a new token" + (" (the old one is revoked)" if rotate else ""), err=True)
    with current_app.test_request_context():
        click.echo(tablets.tablet_url(tablet, token))


@stats_cli.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--apply", "apply_", is_flag=True, help="Store the rows (all or nothing).")
def import_command(source: Path, apply_: bool) -> None:
    """Read a monthly report (CSV or XLSX), print what it holds; --apply stores it."""
    with force_locale("en"):  # commands speak English, like the rest of the CLI
        _import(source, apply_)


def _import(source: Path, apply_: bool) -> None:
    parsed = importer.read(source.name, source.read_bytes())
    for line in parsed.messages():
        click.echo(line, err=not parsed.ok)
    if not parsed.ok:
        click.echo("nothing was changed", err=True)
        sys.exit(1)
    if not apply_:
        click.echo(f"{len(parsed.rows)} rows can be applied; run again with --apply")
        return
    summary = results.apply(parsed.rows, by="flask stats import")
    db.session.commit()
    click.echo(summary.text())


@stats_cli.command("demo")
def demo_command() -> None:
    """Generate the twelve demo months (results and ratings), replacing earlier demo rows."""
    click.echo(demo.load())
    db.session.commit()
