"""What editor templates get besides view data: labels for states and roles, dates, places."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from app.editor import bp, formops
from app.editor.diff import describe, path_of, show
from app.editor.forms import ROLE_LABELS
from app.editor.record_form import LAYOUT, ProcedureForm
from app.editor.schema_form import SECTIONS
from app.editor.textrows import rows_for
from app.vocab import AgencyRole, ChannelKind, OnlineClass, RevisionState, Status

STATE_LABELS = {
    **RevisionState.labels(), "unpublished": _l("Unpublished"),
}


def when(value: datetime | None) -> str:
    """A stored (UTC) time in the centre's time zone; a dash when there is none."""
    return format_datetime(value, "short") if value else "—"


def errors_of(form) -> list[tuple[str | None, str, str]]:
    """(field id, place, message) for the error summary of any form (the one builder); the
    place is said for fields of repeating parts and for every field of the record form."""
    record = isinstance(form, ProcedureForm)
    return [(field.id if field is not None else None,
             where(field.name) if field is not None and (record or "-" in field.name) else "",
             message)
            for field, message in formops.errors(form)]


def where(name: str) -> str:
    """Words for a form field name, like "Channel 1, fee 2"."""
    return describe(path_of(name))


@bp.context_processor
def _editor_context() -> dict:
    return {
        "state_labels": STATE_LABELS, "role_labels": ROLE_LABELS, "when": when,
        "where": where, "errors_of": errors_of, "show_value": show,
        "channel_kinds": ChannelKind.labels(),
        "online_classes": OnlineClass.labels(), "statuses": Status.labels(),
        "agency_roles": AgencyRole.labels(),
        "record_layout": LAYOUT, "record_sections": SECTIONS,
    }


# App-wide: macros/forms.html, which sizes every textarea, serves the quality pages too.
bp.add_app_template_filter(rows_for, "textarea_rows")
