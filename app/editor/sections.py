"""The procedure editor one section at a time (issue #23, item 3): each section on its own
page with its own save; the whole-record form stays for review.

A section page shows and posts only its own fields. The save rebuilds the whole form from
the working record, as a browser would post it, replaces the section's fields with what was
posted, and goes through the same checks and draft save as the whole-record form, so the
other sections are kept exactly as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import ceil

from flask import abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form, SelectMultipleField

from app.editor import bp, editing, formops
from app.editor.context import errors_of
from app.editor.procedures import get_procedure
from app.editor.record_form import LAYOUT, ProcedureForm, set_choices
from app.editor.schema_form import SECTIONS as TOP_SECTIONS
from app.extensions import db
from app.revisions import drafts

# section → (title, repeating list names it edits); the top-level sections add their keys.
PARTS: dict[str, tuple[object, tuple[str, ...]]] = {
    "identity": (TOP_SECTIONS["identity"], ()),
    "about": (TOP_SECTIONS["about"], ()),
    "online": (TOP_SECTIONS["online"], ()),
    "steps": (_l("Steps"), ("steps",)),
    "channels": (_l("Ways to apply"), ("channels",)),
    "fees": (_l("Fees"), ("fees",)),
    "documents": (_l("Documents to bring"), ("document_cases",)),
    "legal": (_l("Legal bases"), ("legal_bases",)),
    "agencies": (_l("Agencies"), ("agencies",)),
    "source": (TOP_SECTIONS["source"], ()),
}


# Lists long enough in the largest record to need pages of their own (entries per page), so
# no page renders more than about 120 controls; a fee is about 25 with its buttons.
PER_PAGE = {"fees": 4}


@dataclass(frozen=True)
class Paging:
    rows: range  # the indices of the list's entries on this page
    page: int
    pages: int


def paging(part: str, total: int, page: int) -> Paging | None:
    """The page of a paged section's list; None for a section shown whole."""
    lists = PARTS[part][1]
    size = PER_PAGE.get(lists[0]) if lists else None
    if size is None:
        return None
    pages = max(1, ceil(total / size))
    page = min(max(page, 1), pages)
    return Paging(range((page - 1) * size, min(page * size, total)), page, pages)


def owns(part: str, name: str, paged: Paging | None = None) -> bool:
    """True when the form field ``name`` belongs to section ``part`` (on its page)."""
    if name == "note":
        return True  # the revision note goes with every save
    lists = PARTS[part][1]
    if paged is not None:
        found = re.match(rf"^{lists[0]}-(\d+)-", name)
        return found is not None and int(found.group(1)) in paged.rows
    if lists:
        return any(name == key or name.startswith(f"{key}-") for key in lists)
    return name in LAYOUT["sections"].get(part, ())


def as_posted(form: Form) -> MultiDict:
    """What a browser would post for ``form`` as shown (a stored record's form)."""
    out: MultiDict = MultiDict()
    for field in formops.walk(form):
        if field.type in ("CSRFTokenField",):
            continue
        if isinstance(field, BooleanField):
            if field.data:
                out.add(field.name, "y")
        elif isinstance(field, SelectMultipleField):
            for value in field.data or []:
                out.add(field.name, str(value))
        elif field.type in ("SelectField", "RadioField"):
            out.add(field.name, "" if field.data is None else str(field.data))
        else:
            out.add(field.name, field._value())
    return out


def _merged(part: str, record: dict, lock_version: str, paged: Paging | None) -> MultiDict:
    shown = editing.form_for(record, 0)
    merged = MultiDict([(k, v) for k, v in as_posted(shown).items(multi=True)
                        if not owns(part, k, paged)])
    for key, values in request.form.lists():
        if key in ("csrf_token", "lock_version", "op") or owns(part, key, paged):
            for value in values:
                merged.add(key, value)
    merged.setlist("lock_version", [lock_version])
    return merged


@bp.route("/procedures/<int:procedure_id>/edit/<part>", methods=["GET", "POST"])
def edit_section(procedure_id: int, part: str) -> ResponseReturnValue:
    if part not in PARTS:
        abort(404)
    page = request.args.get("page", "1")
    if not page.isdigit() or len(page) > 4:
        abort(404)
    proc = get_procedure(procedure_id)
    record = drafts.working_record(proc)
    lists = PARTS[part][1]
    paged = paging(part, len(record.get(lists[0]) or []) if lists else 0, int(page))
    if request.method == "GET":
        return _render(editing.form_for(record, proc.lock_version), proc, part, paged)
    posted = _merged(part, record, request.form.get("lock_version", ""), paged)
    op = formops.parse(posted.get("op"))
    form = ProcedureForm(formdata=formops.rewrite(posted, op) if op else posted)
    focus = formops.add_entry(form, op) if op and op.action == "add" else None
    set_choices(form, editing.choices())
    if op:
        if paged is not None and op.action == "add" and op.target == lists[0]:
            paged = paging(part, len(form[lists[0]].entries), paged.pages + 1)
        return _render(form, proc, part, paged, focus=focus)
    checked = editing.check(form, proc)
    if checked is None:
        return _render(form, proc, part, paged, 422)
    try:
        rev = drafts.save_draft(proc, checked, current_user, form.lock_version.data,
                                note=form.note.data or "")
    except drafts.Conflict:
        db.session.rollback()
        flash(_("Someone saved this procedure meanwhile. Your changes to this section were "
                "not saved; check the section and save again."), "error")
        return redirect(request.full_path)
    db.session.commit()
    flash(_("Draft saved as revision %(number)s.", number=rev.number), "success")
    return redirect(request.full_path)


def _render(form: ProcedureForm, proc, part: str, paged: Paging | None, status: int = 200,
            focus: str | None = None) -> ResponseReturnValue:
    # Every answer to a POST that renders holds what was posted, not saved (a save redirects).
    return render_template("editor/procedure_section.html", form=form, procedure=proc,
                           part=part, parts=PARTS, focus=focus, paged=paged,
                           errors=errors_of(form), unsaved=request.method == "POST"), status


@bp.context_processor
def _section_parts() -> dict:
    return {"section_parts": PARTS}
