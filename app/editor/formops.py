"""Add, remove and reorder repeating parts of a form without JavaScript.

Each repeating row has submit buttons named ``op`` with values like ``add:channels-0-fees``,
``remove:channels-0-fees-1``, ``up:steps-2`` or ``down:steps-2``. The view rewrites the
submitted field names and renders the form again, so everything typed so far is kept (even
values that are not valid yet). Nothing is saved by an op.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict
from wtforms import Field, FieldList, Form, FormField

ACTIONS = ("add", "remove", "up", "down")
_TARGET = re.compile(r"^[a-z_]+(-\d+-[a-z_]+)*(-\d+)?$")


@dataclass(frozen=True)
class Op:
    action: str
    target: str  # a list name for "add", an entry name (list-index) otherwise

    @property
    def list_name(self) -> str:
        return self.target if self.action == "add" else self.target.rsplit("-", 1)[0]

    @property
    def index(self) -> int:
        return int(self.target.rsplit("-", 1)[1])


def parse(value: str | None) -> Op | None:
    """The op a button asked for, or None for a plain save (or a malformed value)."""
    if not value or ":" not in value:
        return None
    action, target = value.split(":", 1)
    if action not in ACTIONS or not _TARGET.match(target) or len(target) > 200:
        return None
    if action != "add" and not re.search(r"-\d+$", target):
        return None
    return Op(action, target)


def _indices(formdata: MultiDict, list_name: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(list_name)}-(\d+)(?:-|$)")
    return sorted({int(m.group(1)) for key in formdata if (m := pattern.match(key))})


def _rename(formdata: MultiDict, list_name: str, mapping: dict[int, int | None]) -> MultiDict:
    """Copy ``formdata`` moving entry i of ``list_name`` to ``mapping[i]`` (None drops it)."""
    pattern = re.compile(rf"^{re.escape(list_name)}-(\d+)((?:-.*)?)$")
    out: MultiDict = MultiDict()
    for key, values in formdata.lists():
        m = pattern.match(key)
        if m and int(m.group(1)) in mapping:
            new = mapping[int(m.group(1))]
            if new is None:
                continue
            key = f"{list_name}-{new}{m.group(2)}"
        for value in values:
            out.add(key, value)
    return out


def rewrite(formdata: MultiDict, op: Op) -> MultiDict:
    """The submitted data with the op applied to the names (``add`` is done on the form)."""
    if op.action == "add":
        return formdata
    indices = _indices(formdata, op.list_name)
    if op.index not in indices:
        return formdata
    if op.action == "remove":
        return _rename(formdata, op.list_name, {op.index: None})
    at = indices.index(op.index)
    other = at - 1 if op.action == "up" else at + 1
    if not 0 <= other < len(indices):
        return formdata
    return _rename(formdata, op.list_name,
                   {op.index: indices[other], indices[other]: op.index})


def add_entry(form: Form, op: Op) -> str | None:
    """Append an empty entry to the list ``op`` names; return the id of its first input."""
    for field in walk_lists(form):
        if field.name == op.target and isinstance(field, FieldList):
            if field.max_entries and len(field.entries) >= field.max_entries:
                return None
            entry = field.append_entry()
            first = next(iter(entry.form), None) if hasattr(entry, "form") else entry
            return first.id if first is not None else entry.id
    return None


def walk(form: Form) -> Iterator[Field]:
    """Every leaf field of a form, in page order, through sub-forms and lists."""
    for field in form:
        if isinstance(field, FormField):
            yield from walk(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from walk(entry.form)
                else:
                    yield entry
        else:
            yield field


def walk_lists(form: Form) -> Iterator[FieldList]:
    """Every repeating part of a form, outer lists before the lists inside their entries."""
    for field in form:
        if isinstance(field, FieldList):
            yield field
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from walk_lists(entry.form)
        elif isinstance(field, FormField):
            yield from walk_lists(field.form)


def errors(form: Form) -> list[tuple[Field | None, str]]:
    """Each error with the field it belongs to, in page order (for the error summary);
    errors about the whole form come last, with no field."""
    found: list[tuple[Field | None, str]] = [
        (field, str(message)) for field in walk(form) for message in field.errors]
    found.extend((None, str(message)) for message in form.form_errors)
    return found
