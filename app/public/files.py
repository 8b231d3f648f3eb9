"""Form files (mẫu đơn) for citizens, at the address procedure pages link to (``/mau-don/…``).

The rule lives in ``app.formfiles``: only a file a published procedure links is served.
"""

from __future__ import annotations

from flask import abort
from werkzeug.wrappers import Response

from app import formfiles
from app.public import bp


@bp.get("/mau-don/<path:name>")
def form_file(name: str) -> Response:
    """A form an editor uploaded and a published procedure links, as a download."""
    row = formfiles.published_file(name) or abort(404)
    return formfiles.send(row)
