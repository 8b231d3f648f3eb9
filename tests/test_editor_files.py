"""Form files: only real PDF, DOC, DOCX and ODT files, without macros, size-limited, served as
attachments; the public gets a file only at /mau-don/ and only while a published procedure
links it."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.editor.filecheck import OLE2
from app.extensions import db
from app.models import Document, DocumentCase, FormFile, Procedure
from tests import ole2
from tests.editor_support import en_page, post_file, signed_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOC = ole2.build({"WordDocument": b"\xec\xa5 a Word document"})


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
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
    ("sheet.doc", ole2.build({"Workbook": b"an Excel sheet"})),
    ("fake.doc", OLE2 + b"\x00" * 100 + "WordDocument".encode("utf-16-le")),  # not a real file
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


def _link(app, stored: str, published: bool = True) -> str:
    """Link ``stored`` from the first document of a procedure; that procedure's slug."""
    with app.app_context():
        document = db.session.scalar(select(Document).order_by(Document.id))
        document.form_file = stored
        proc = db.session.get(Procedure, db.session.get(DocumentCase, document.case_id)
                              .procedure_id)
        proc.published = published
        db.session.commit()
        return proc.slug


def test_the_public_gets_a_file_only_once_a_published_procedure_links_it(app):
    editor = signed_in(app, "editor")
    _upload(editor, "to-khai.pdf", PDF)
    with app.app_context():
        stored = db.session.scalar(select(FormFile.stored_name))
    public = app.test_client()
    assert public.get(f"/mau-don/{stored}").status_code == 404  # uploaded, linked by nobody
    assert public.get(f"/mau-don/forms/{stored}").status_code == 404  # the storage path
    assert public.get(f"/editor/files/{stored}").status_code == 302  # the editor's copy: login
    slug = _link(app, stored)
    page = public.get(f"/thu-tuc/{slug}").get_data(as_text=True)
    assert f'href="/mau-don/{stored}"' in page  # the address the page links to works
    for prefix in ("", "/kiosk"):
        response = public.get(f"{prefix}/mau-don/{stored}")
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers
    assert public.get("/mau-don/..%2Fdb.sqlite3").status_code == 404
    assert public.get("/mau-don/../db.sqlite3").status_code == 404
    old = public.get(f"/files/{stored}")  # the old address only points at the one route
    assert (old.status_code, old.location) == (301, f"/mau-don/{stored}")


def test_a_file_stops_being_served_when_its_procedure_is_unpublished(app):
    editor = signed_in(app, "editor")
    _upload(editor, "to-khai.pdf", PDF)
    with app.app_context():
        stored = db.session.scalar(select(FormFile.stored_name))
    _link(app, stored)
    assert app.test_client().get(f"/mau-don/{stored}").status_code == 200
    _link(app, stored, published=False)
    assert app.test_client().get(f"/mau-don/{stored}").status_code == 404


def test_pending_imports_are_never_under_a_public_address(app):
    from tests.editor_support import post_file as upload

    admin = signed_in(app, "admin")
    body = b'{"procedures": []}'
    response = upload(admin, "/editor/admin/import", "/editor/admin/import", "catalogue.json",
                      body)
    assert response.status_code == 200
    uploads = Path(app.config["UPLOAD_DIR"])
    assert not list(uploads.rglob("*.data")), "an import was stored under UPLOAD_DIR"
    pending = list((uploads.parent / "imports" / "catalogue").glob("*.data"))  # uploads_held
    assert len(pending) == 1
    public = app.test_client()
    for url in (f"/mau-don/imports/{pending[0].name}", f"/mau-don/{pending[0].name}",
                f"/mau-don/../imports/{pending[0].name}"):
        assert public.get(url).status_code == 404, url


def _office_zip(entries: dict[str, bytes]) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                 **entries}, zipfile.ZIP_DEFLATED)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("macro.doc", ole2.build({"WordDocument": b"doc", "Macros": {"VBA": {"_VBA_PROJECT": b""}}}),
     "contains macros"),
    ("macro2.doc", ole2.build({"WordDocument": b"doc", "_VBA_PROJECT_CUR": {"VBA": {}}}),
     "contains macros"),
    ("macro.docx", _office_zip({"word/vbaProject.bin": b"\xd0\xcf"}), "contains macros"),
    ("docm.docx", _zip({
        "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.ms-word.'
                               b'document.macroEnabled.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>"}), "contains macros"),
    ("basic.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                        "content.xml": b"<x/>", "Basic/Standard/Module1.xml": b"<x/>"}),
     "contains macros"),
    ("bomb.docx", _office_zip({"word/media/big.bin": b"\0" * (20 * 2**20)}), "unpack"),
])
def test_macros_and_archive_bombs_are_refused_with_a_reason(app, name, content, message):
    editor = signed_in(app, "editor")
    response = _upload(editor, name, content)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page and message in page
    with app.app_context():
        assert db.session.scalar(select(FormFile)) is None


def test_a_large_but_ordinary_docx_is_accepted(app):
    editor = signed_in(app, "editor")
    media = os.urandom(1_000_000)  # a photo: it does not compress, the ratio stays near 1
    assert _upload(editor, "anh.docx", _office_zip({"word/media/a.bin": media})).status_code == 302


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


def test_archives_over_the_total_unpacked_limit_are_refused(app, monkeypatch):
    from app.editor import filecheck

    monkeypatch.setattr(filecheck, "MAX_UNPACKED", 500_000)  # instead of building 100 MB
    editor = signed_in(app, "editor")
    response = _upload(editor, "lon.docx", _office_zip({"word/media/a.bin": os.urandom(600_000)}))
    assert response.status_code == 422 and "unpack" in response.get_data(as_text=True)


def _rewrite_size(data: bytearray, signature: bytes, name: bytes, size: int, *,
                  length_at: int, name_at: int, size_at: int) -> None:
    """Write ``size`` as ``name``'s uncompressed size in every ``signature`` header of ``data``."""
    start = data.find(signature)
    while start != -1:
        name_length = int.from_bytes(data[start + length_at:start + length_at + 2], "little")
        if data[start + name_at:start + name_at + name_length] == name:
            data[start + size_at:start + size_at + 4] = size.to_bytes(4, "little")
        start = data.find(signature, start + 4)


def _understate_sizes(content: bytes, name: bytes, size: int) -> bytes:
    """``content`` with ``name``'s uncompressed size rewritten as ``size`` in both headers."""
    data = bytearray(content)
    _rewrite_size(data, b"PK\x03\x04", name, size,  # the local file header
                  length_at=26, name_at=30, size_at=22)
    _rewrite_size(data, b"PK\x01\x02", name, size,  # the central directory entry
                  length_at=28, name_at=46, size_at=24)
    return bytes(data)


def test_an_archive_that_lies_about_its_sizes_is_refused(app):
    bomb = _office_zip({"word/media/big.bin": b"\0" * (20 * 2**20)})
    lying = _understate_sizes(bomb, b"word/media/big.bin", 100_000)
    editor = signed_in(app, "editor")
    response = _upload(editor, "noi-doi.docx", lying)
    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(FormFile)) is None
