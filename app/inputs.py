"""Input no database column can hold, refused before any view sees it.

PostgreSQL (the production database) refuses text with a NUL byte and integers beyond 32 bits
with an error, which would surface as a 500 wherever such a value reaches a query; SQLite
accepts both, so only the production path would fail. Refusing them once here gives every page
and API the same clear answer instead of a check in each view:

- an integer in a URL (``<int:id>``) beyond the 32-bit ids the tables use matches no route: 404;
- a NUL byte in the path, the query string or a small form: 400 (records: the schema refuses it).
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer, the type of every id column


class BoundedInt(IntegerConverter):
    """``<int:…>`` as Flask has it, but only up to ``MAX_ID`` unless a rule says otherwise."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


# Small forms (feedback, sign-in, tablets, most editor forms) are checked here; bigger ones are
# uploads and records, whose text goes through the record schema (app.schema.types), which
# refuses NUL with the field's path. Parsing stays bounded, and a view's own smaller limit
# (the feedback form's) still applies to anything above this.
FORM_CHECK_LIMIT = 16 * 1024
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse_nul() -> None:
    if "\x00" in request.path or any("\x00" in v for v in request.args.values()):
        abort(400, description="The address contains a NUL character.")
    small = request.content_length is not None and request.content_length <= FORM_CHECK_LIMIT
    if (request.method == "POST" and small and request.mimetype in FORMS
            and any("\x00" in v for v in request.form.values())):
        abort(400, description="The form contains a NUL character.")


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: rules compile their converters when added."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request(_refuse_nul)
