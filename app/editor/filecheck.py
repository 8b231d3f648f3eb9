"""What kind of document a file is, judged by its content rather than its name.

Accepted: PDF, Word 97–2003 (.doc, an OLE2 compound file holding a ``WordDocument`` stream),
Word 2007+ (.docx, a ZIP with ``word/document.xml``) and OpenDocument text (.odt, a ZIP whose
``mimetype`` entry says so). The extension must agree with the content.
"""

from __future__ import annotations

import io
import zipfile

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def _zip_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read(info).strip() == ODT_MIMETYPE:
                    return "odt" if "content.xml" in names else None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def sniff(content: bytes) -> str | None:
    """``pdf``, ``doc``, ``docx`` or ``odt`` when the bytes are one of those, else None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(OLE2):
        return "doc" if "WordDocument".encode("utf-16-le") in content else None
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return None


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
