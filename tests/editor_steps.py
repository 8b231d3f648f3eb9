"""Steps the editor tests share: typing into a procedure's edit form like a person would."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tests.editor_support import edit_form, procedure_id, signed_in

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.datastructures import MultiDict


def type_into(form: MultiDict, changes: Mapping[str, str]) -> MultiDict:
    """Replace the values of the fields named in ``changes`` and return ``form``."""
    for name, value in changes.items():
        form[name] = value
    return form


def changed_edit_form(client: FlaskClient, pid: int, changes: Mapping[str, str]) -> MultiDict:
    """The edit form of procedure ``pid`` with ``changes`` typed in, not yet saved."""
    return type_into(edit_form(client, pid), changes)


def start_editing(app: Flask, code: str, changes: Mapping[str, str]
                  ) -> tuple[FlaskClient, int, MultiDict]:
    """A newly signed-in editor, procedure ``code``'s id, and its edit form with ``changes``."""
    editor = signed_in(app, "editor")
    pid = procedure_id(app, code)
    return editor, pid, changed_edit_form(editor, pid, changes)
