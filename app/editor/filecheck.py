"""What kind of document a file is, judged by its content rather than its name, and whether
it is safe to hand to citizens.

Accepted: PDF, Word 97–2003 (.doc, an OLE2 compound file holding a ``WordDocument`` stream),
Word 2007+ (.docx, a ZIP with ``word/document.xml``) and OpenDocument text (.odt, a ZIP whose
``mimetype`` entry says so). The extension must agree with the content.

Refused even when the kind is right (``check`` says why): Office files carrying macros (an
OLE2 ``Macros``/``VBA``/``_VBA_PROJECT`` entry; a ``vbaProject.bin`` part or a macro-enabled
content type in a DOCX; ``Basic/`` or ``Scripts/`` in an ODT), and archives that would expand far
beyond their size (a "ZIP bomb"): over ``MAX_UNPACKED`` bytes in all, or more than
``MAX_RATIO`` times the file's size. Archives whose entries do not unpack to what their headers
say (a lie about sizes, or damage) are not documents.
"""

from __future__ import annotations

import io
import zipfile

import olefile

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_UNPACKED = 100 * 2**20
MAX_RATIO = 100
MAX_ENTRIES = 2000
# OLE2 storages and streams where Word and Excel keep VBA projects.
OLE_MACRO_NAMES = frozenset({"macros", "vba", "_vba_project", "_vba_project_cur"})
# "macroEnabled" content types (docm, dotm, xlsm…) and the part that holds the VBA project.
MACRO_CONTENT_TYPE = b"macroenabled"


class Refused(ValueError):
    """The file has the right kind but may not be published; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "macros" | "bomb"


def _check_sizes(archive: zipfile.ZipFile, size: int) -> None:
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    if len(infos) > MAX_ENTRIES or unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(size, 1):
        raise Refused("bomb")


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise Refused("bomb")
    return archive.read(info)


def _check_macros_zip(archive: zipfile.ZipFile, names: set[str]) -> None:
    lowered = {name.lower() for name in names}
    if any(name.endswith("vbaproject.bin") or name.startswith(("basic/", "scripts/"))
           for name in lowered):
        raise Refused("macros")
    if "[Content_Types].xml" in names and \
            MACRO_CONTENT_TYPE in _read_small(archive, "[Content_Types].xml").lower():
        raise Refused("macros")


def _check_entries(archive: zipfile.ZipFile) -> None:
    """Unpack every entry once, without keeping it: the sizes checked above come from the
    archive's own headers, which a hostile file can understate. zipfile stops at the stated
    size and the CRC then fails (``BadZipFile``), so a lie is caught within the limits."""
    for info in archive.infolist():
        with archive.open(info) as entry:
            while entry.read(1 << 20):
                pass


def _zip_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_sizes(archive, len(content))
            names = set(archive.namelist())
            kind = None
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read(info).strip() == ODT_MIMETYPE:
                    kind = "odt" if "content.xml" in names else None
            if kind is None and "[Content_Types].xml" in names and "word/document.xml" in names:
                kind = "docx"
            if kind:
                _check_macros_zip(archive, names)
                _check_entries(archive)
            return kind
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None


def _ole_kind(content: bytes) -> str | None:
    try:
        with olefile.OleFileIO(content) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except Exception:  # olefile raises many kinds on malformed input: not a document then
        return None
    if not any(path == ["WordDocument"] for path in entries):
        return None
    if any(part.lower() in OLE_MACRO_NAMES for path in entries for part in path):
        raise Refused("macros")
    return "doc"


def sniff(content: bytes) -> str | None:
    """``pdf``, ``doc``, ``docx`` or ``odt`` when the bytes are one of those, else None.

    Raises ``Refused`` for a document of one of those kinds that carries macros or would
    unpack to far more than its size.
    """
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(OLE2):
        return _ole_kind(content)
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return None


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
