"""Form files: only real PDF, DOC, DOCX and ODT files, size-limited, served as attachments."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from app.editor.filecheck import OLE2
from app.extensions import db
from app.models import Document, FormFile
from tests.editor_support import en_page, post_file, signed_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOC = OLE2 + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\x00" * 100


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def _upload(client, name: str, content: bytes):
    return post_file(client, "/editor/files", "/editor/files", name, content)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("Tờ khai khai sinh.pdf", PDF, "pdf"), ("mau.doc", DOC, "doc"), ("mau.docx", DOCX, "docx"),
    ("mau.odt", ODT, "odt"),
])
def test_real_documents_are_accepted_and_served_as_attachments(app, name, content, kind):
    editor = signed_in(app, "editor")
    assert _upload(editor, name, content).status_code == 302
    with app.app_context():
        row = db.session.scalar(select(FormFile))
        assert (row.kind, row.original_name, row.size) == (kind, name, len(content))
        stored = row.stored_name
    response = editor.get(f"/editor/files/{stored}")
    assert response.status_code == 200 and response.data == content
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "html" not in response.mimetype


@pytest.mark.parametrize(("name", "content"), [
    ("virus.pdf", b"MZ\x90\x00 this is a program"),
    ("page.pdf", b"<html><script>alert(1)</script></html>"),
    ("sheet.doc", OLE2 + b"\x00" * 200),  # an OLE2 file that is not a Word document
    ("archive.docx", _zip({"readme.txt": b"hello"})),
    ("fake.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
    ("real.pdf.exe", PDF),
    ("renamed.docx", PDF),  # a real PDF with the wrong extension
    ("empty.pdf", b""),
])
def test_anything_else_is_refused_by_content(app, name, content):
    editor = signed_in(app, "editor")
    response = _upload(editor, name, content)
    assert response.status_code == 422
    en_page(response, status=422, h1="Form files")
    assert 'id="file-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(FormFile)) is None


def test_files_over_the_size_limit_are_refused(app):
    app.config["EDITOR_UPLOAD_MAX_BYTES"] = 1000
    editor = signed_in(app, "editor")
    response = _upload(editor, "big.pdf", PDF + b"0" * 2000)
    assert response.status_code == 422
    assert "larger than" in response.get_data(as_text=True)


def test_the_public_gets_a_file_only_once_a_published_procedure_links_it(app):
    editor = signed_in(app, "editor")
    _upload(editor, "to-khai.pdf", PDF)
    with app.app_context():
        stored = db.session.scalar(select(FormFile.stored_name))
    public = app.test_client()
    assert public.get(f"/files/{stored}").status_code == 404
    assert public.get(f"/editor/files/{stored}").status_code == 302  # the editor's copy: login
    with app.app_context():
        document = db.session.scalar(select(Document))
        document.form_file = stored
        db.session.commit()
    response = public.get(f"/files/{stored}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert public.get("/files/..%2Fdb.sqlite3").status_code == 404


def test_an_uploaded_file_can_be_chosen_for_a_document(app):
    from tests.editor_support import edit_form, procedure_id, revisions, save

    editor = signed_in(app, "editor")
    _upload(editor, "to-khai.docx", DOCX)
    with app.app_context():
        stored = db.session.scalar(select(FormFile.stored_name))
    pid = procedure_id(app, "1.001193")
    data = edit_form(editor, pid)
    assert f'value="{stored}"' in editor.get(f"/editor/procedures/{pid}/edit").get_data(
        as_text=True)
    data["document_cases-0-documents-0-form_file"] = stored
    assert save(editor, pid, data).status_code == 302
    assert revisions(app, pid)[-1][2]["document_cases"][0]["documents"][0]["form_file"] == stored
    data["document_cases-0-documents-0-form_file"] = "not-uploaded.pdf"
    assert save(editor, pid, data).status_code == 422
