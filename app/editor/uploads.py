"""Form files (mẫu đơn): upload, list and download in the editor.

Uploads are checked by content (``filecheck``: kind, macros, archives that expand too far),
limited in size and stored with a random name (``app.formfiles``). Editors download any file
here; the public only through ``/mau-don/…`` once a published procedure links it.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import formfiles
from app.editor import audit, bp, filecheck
from app.editor.forms import UploadForm
from app.extensions import db
from app.models import FormFile

NAME = "<string(maxlength=40):name>"


def _reject(form: UploadForm, message: str):
    form.file.errors = [message]
    return _page(form), 422


def _page(form: UploadForm) -> str:
    files = list(db.session.scalars(select(FormFile).order_by(FormFile.created_at.desc())))
    return render_template("editor/uploads.html", form=form, files=files)


def _refusal(reason: str) -> str:
    if reason == "macros":
        return _("This document contains macros, which could harm citizens' computers. Save "
                 "it without macros (as .docx or .pdf) and upload it again.")
    return _("This archive would unpack to far more than its size. Save the document again "
             "from your word processor and upload that file.")


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
    try:
        kind = filecheck.sniff(content)
    except filecheck.Refused as refused:
        return _reject(form, _refusal(refused.reason))
    if kind is None or filecheck.extension(original) != kind:
        return _reject(form, _("Only PDF, DOC, DOCX or ODT files can be uploaded, and the "
                               "name must end in the right extension (.pdf, .doc, .docx, "
                               ".odt)."))
    stored = f"{secrets.token_hex(7)}.{kind}"
    (formfiles.forms_dir() / stored).write_bytes(content)
    db.session.add(FormFile(stored_name=stored, original_name=original, kind=kind,
                            size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                            uploaded_by_id=current_user.id))
    audit.record("file_uploaded", f"file:{stored}", original)
    db.session.commit()
    flash(_("Uploaded %(name)s. Choose it for a document in a procedure's form.",
            name=original), "success")
    return redirect(url_for(".uploads"))


@bp.get(f"/files/{NAME}")
def download(name: str) -> ResponseReturnValue:
    row = db.session.scalar(select(FormFile).filter_by(stored_name=name)) or abort(404)
    return formfiles.send(row)
