"""Form files (mẫu đơn): upload, list and download.

Uploads are checked by content (``filecheck``), limited in size, stored under ``UPLOAD_DIR``
with a random name and served only as attachments with ``nosniff``, never inline. The public
may download a file once a published procedure links to it (``files.download``).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.editor import audit, bp, filecheck
from app.editor.forms import UploadForm
from app.extensions import db
from app.models import Document, DocumentCase, FormFile, Procedure

files_bp = Blueprint("files", __name__)
NAME = "<string(maxlength=40):name>"


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "forms"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _reject(form: UploadForm, message: str):
    form.file.errors = [message]
    return _page(form), 422


def _page(form: UploadForm) -> str:
    files = list(db.session.scalars(select(FormFile).order_by(FormFile.created_at.desc())))
    return render_template("editor/uploads.html", form=form, files=files)


@bp.route("/files", methods=["GET", "POST"])
def uploads() -> ResponseReturnValue:
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form), 422 if form.errors else 200
    upload = form.file.data
    limit = current_app.config["EDITOR_UPLOAD_MAX_BYTES"]
    content = upload.stream.read(limit + 1)
    original = (upload.filename or "form").replace("/", "_").replace("\\", "_")[-200:]
    if len(content) > limit:
        return _reject(form, _("The file is larger than %(mb)s MB.", mb=limit // 2**20))
    kind = filecheck.sniff(content)
    if kind is None or filecheck.extension(original) != kind:
        return _reject(form, _("Only PDF, DOC, DOCX or ODT files can be uploaded, and the "
                               "name must end in the right extension (.pdf, .doc, .docx, "
                               ".odt)."))
    stored = f"{secrets.token_hex(7)}.{kind}"
    (upload_dir() / stored).write_bytes(content)
    db.session.add(FormFile(stored_name=stored, original_name=original, kind=kind,
                            size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                            uploaded_by_id=current_user.id))
    audit.record("file_uploaded", f"file:{stored}", original)
    db.session.commit()
    flash(_("Uploaded %(name)s. Choose it for a document in a procedure's form.",
            name=original), "success")
    return redirect(url_for(".uploads"))


def _send(row: FormFile):
    path = upload_dir() / row.stored_name
    if not path.is_file():
        abort(404)
    # Files are small (EDITOR_UPLOAD_MAX_BYTES): read them whole, no file handle to leak.
    return Response(path.read_bytes(), mimetype=filecheck.MEDIA_TYPES[row.kind], headers={
        "Content-Disposition": f"attachment; filename={row.stored_name}; "
                               f"filename*=UTF-8''{quote(row.original_name)}",
        "X-Content-Type-Options": "nosniff",
    })


@bp.get(f"/files/{NAME}")
def download(name: str) -> ResponseReturnValue:
    row = db.session.scalar(select(FormFile).filter_by(stored_name=name)) or abort(404)
    return _send(row)


@files_bp.get(f"/{NAME}")
def public_download(name: str) -> ResponseReturnValue:
    """A form file, for the public, once a published procedure links to it."""
    linked = db.session.scalar(
        select(Document.id).join(DocumentCase, Document.case_id == DocumentCase.id)
        .join(Procedure, DocumentCase.procedure_id == Procedure.id)
        .where(Document.form_file == name, Procedure.published.is_(True)).limit(1))
    row = db.session.scalar(select(FormFile).filter_by(stored_name=name))
    if linked is None or row is None:
        abort(404)
    return _send(row)
