"""Atom feeds of catalogue changes: the whole catalogue and one per field, in each language
under the language address scheme (``/thay-doi.atom``, ``/en/thay-doi.atom``,
``/linh-vuc/<slug>/thay-doi.atom``). Entries are changes that are in force: publications with
a note, scheduled revisions once their date came, abolitions; minor ones are left out. Being
GET answers of the public blueprint, they are cached like every other public answer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, current_app, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import queries
from app.extensions import db
from app.models import Field, Procedure, ProcedureChange
from app.presenters import is_kiosk, public_url
from app.public import bp
from app.siteurl import absolute_url

LIMIT = 50
EPOCH = datetime(2026, 1, 1)  # "updated" of a feed with no entry yet: any fixed instant


def changes(field: Field | None = None) -> list[ProcedureChange]:
    """Changes in force worth telling citizens, newest first."""
    stmt = (select(ProcedureChange).join(Procedure, Procedure.id == ProcedureChange.procedure_id)
            .options(selectinload(ProcedureChange.procedure))
            .where(ProcedureChange.state == "applied", ProcedureChange.minor.is_(False),
                   (ProcedureChange.kind == "abolition") | (ProcedureChange.note != ""))
            .order_by(ProcedureChange.applied_at.desc(), ProcedureChange.id.desc()).limit(LIMIT))
    if field is not None:
        stmt = stmt.where(Procedure.field_id == field.id)
    return list(db.session.scalars(stmt))


def iso(moment: datetime | None) -> str:
    """An RFC 3339 instant (Atom's date format) from a stored UTC time."""
    return (moment or EPOCH).replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _feed(field: Field | None) -> Response:
    if is_kiosk():  # the kiosk has no feed reader
        abort(404)
    entries = changes(field)
    xml = render_template(
        "public/changes_feed.xml", field=field, entries=entries, iso=iso, tag_host=request.host,
        self_url=absolute_url(request.path), page_url=absolute_url(
            url_for(".field", slug=field.slug) if field else url_for(".home")),
        updated=iso(max((c.applied_at for c in entries if c.applied_at), default=None)),
        entry_url=lambda change: public_url("procedure", slug=change.procedure.slug))
    return Response(xml, mimetype="application/atom+xml")


@bp.get("/thay-doi.atom")
def changes_feed() -> Response:
    return _feed(None)


@bp.get("/linh-vuc/<slug>/thay-doi.atom")
def field_changes_feed(slug: str) -> Response:
    return _feed(queries.field_by_slug(slug) or abort(404))


def feed_links() -> list[tuple[str, str]]:
    """(title, address) of the feeds a public page offers with ``<link rel="alternate">``."""
    if not request or request.blueprint is None or is_kiosk():
        return []
    blueprint = current_app.blueprints.get(request.blueprint)
    if blueprint is None or blueprint.name != "public":  # the site's pages, any language
        return []
    from flask_babel import gettext as _

    links = [(_("Changes to the catalogue"), url_for(".changes_feed"))]
    if request.endpoint and request.endpoint.endswith(".field") and request.view_args:
        slug = request.view_args.get("slug")
        links.append((_("Changes in this field"), url_for(".field_changes_feed", slug=slug)))
    return links
