"""Operational tasks as ``flask`` commands: setup, catalogue load/export/generate, search."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import search
from app.catalogue_io import DEMO_DIR, export_catalogue, load_catalogue, read_catalogue_dir
from app.extensions import db
from app.importlist.cli import import_list_command
from app.models import Procedure
from app.synthetic import generate_catalogue

catalogue_cli = AppGroup("catalogue", help="Load, export and generate procedure data.")
catalogue_cli.add_command(import_list_command)


def _read(source: Path) -> dict:
    """The catalogue in ``source``; a file that is not one ends the command with one line."""
    try:
        if source.is_dir():
            return read_catalogue_dir(source)
        data = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{source}: not a JSON catalogue ({exc})") from None
    except RecursionError:  # hostile nesting ([[[[…): json gives up, and so do we
        raise click.ClickException(f"{source}: nested too deeply to be a catalogue") from None
    if not isinstance(data, dict):
        raise click.ClickException(f"{source}: a catalogue file is a JSON object")
    return data


def load_and_report(data: dict) -> bool:
    """Load ``data`` in one transaction; print what happened; False (nothing kept) on errors."""
    report = load_catalogue(data)
    for code, why in report.rejected:
        click.echo(f"rejected {code}: {why}", err=True)
    if not report.ok:
        db.session.rollback()
        click.echo("nothing was changed", err=True)
        return False
    db.session.commit()
    click.echo(f"created {len(report.created)}, changed {len(report.changed)}")
    return True


@catalogue_cli.command("load")
@click.argument("source", required=False, type=click.Path(exists=True, path_type=Path))
def load_command(source: Path | None) -> None:
    """Load a catalogue file or directory (default: the demo data). Idempotent."""
    if not load_and_report(_read(source or DEMO_DIR)):
        sys.exit(1)
    search.sync()


@catalogue_cli.command("export")
@click.argument("target", type=click.File("w", encoding="utf-8"), default="-")
def export_command(target) -> None:
    """Write the whole catalogue as JSON (lossless: loading it reproduces it)."""
    json.dump(export_catalogue(), target, ensure_ascii=False, indent=1)
    target.write("\n")


@catalogue_cli.command("generate")
@click.argument("count", type=click.IntRange(1, 200_000))
@click.option("--output", type=click.File("w", encoding="utf-8"),
              help="Write the JSON here instead of loading it.")
def generate_command(count: int, output) -> None:
    """Make COUNT synthetic but realistic procedures (demo codes), for benchmarks."""
    data = generate_catalogue(count)
    if output:
        json.dump(data, output, ensure_ascii=False)
        return
    if not load_and_report(data):
        sys.exit(1)
    search.rebuild()


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Create or upgrade the database, load the demo data when empty, build a missing index."""
    upgrade(revision="heads")  # every migration branch
    if not db.session.scalar(select(func.count(Procedure.id))):
        click.echo("empty database: loading the demo data")
        if not load_and_report(read_catalogue_dir(DEMO_DIR)):
            sys.exit(1)
        from app.quality import demo

        click.echo(demo.load())  # twelve months of service results, marked as demo
        from app.service_points import demo as places_demo

        click.echo(places_demo.load())  # the centre's hours and other places, marked as demo
        db.session.commit()
    if not search.index_exists():
        click.echo("building the search index")
        search.rebuild()
    else:
        search.sync()


def init_app(app: Flask) -> None:
    from app.quality.cli import counters_cli, stats_cli
    from app.search.cli import search_cli

    app.cli.add_command(catalogue_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(setup_command)
    app.cli.add_command(counters_cli)
    app.cli.add_command(stats_cli)
