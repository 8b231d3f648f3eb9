"""Where form files (mẫu đơn) live and who may download them.

Uploaded forms are stored under ``UPLOAD_DIR/forms`` with a random name. The public gets a file
only while a published procedure's document links it (``Document.form_file``): a file nobody
links, or linked only from drafts or unpublished procedures, answers 404. Nothing else under
``UPLOAD_DIR`` is ever served; pending catalogue imports are kept outside it
(``private_dir("imports")``). Files are served as attachments with ``nosniff``, never inline.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from flask import Response, abort, current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Document, DocumentCase, FormFile, Procedure

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
MAX_NAME = 200


def forms_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "forms"
    path.mkdir(parents=True, exist_ok=True)
    return path


def private_dir(name: str) -> Path:
    """A directory for files that must never get a URL (``IMPORT_DIR``, else a sibling of
    ``UPLOAD_DIR``: ``instance/imports`` by default)."""
    configured = current_app.config.get("IMPORT_DIR") if name == "imports" else None
    path = Path(configured) if configured else Path(current_app.config["UPLOAD_DIR"]).parent / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def published_file(name: str) -> FormFile | None:
    """The upload ``name`` when a published procedure links it, else None."""
    if not name or len(name) > MAX_NAME or "/" in name or "\\" in name:
        return None
    linked = db.session.scalar(
        select(Document.id).join(DocumentCase, Document.case_id == DocumentCase.id)
        .join(Procedure, DocumentCase.procedure_id == Procedure.id)
        .where(Document.form_file == name, Procedure.published.is_(True)).limit(1))
    if linked is None:
        return None
    return db.session.scalar(select(FormFile).filter_by(stored_name=name))


def send(row: FormFile) -> Response:
    """The file as a download; 404 when its bytes are gone."""
    path = forms_dir() / row.stored_name
    if not path.is_file():
        abort(404)
    # Files are small (EDITOR_UPLOAD_MAX_BYTES): read them whole, no file handle to leak.
    media_type = MEDIA_TYPES.get(row.kind, "application/octet-stream")
    return Response(path.read_bytes(), mimetype=media_type, headers={
        "Content-Disposition": f"attachment; filename={row.stored_name}; "
                               f"filename*=UTF-8''{quote(row.original_name)}",
        "X-Content-Type-Options": "nosniff",
    })
