"""Uploads held until an editor applies them: the one place for every import that is
checked first and applied later (the catalogue, the province's list, the monthly results).

A held file waits in ``IMPORT_DIR`` (``app.formfiles.private_dir("imports")``: never under
``UPLOAD_DIR``, which has a public route), in one subdirectory per kind, under a random token
that only the editor's report page knows, with the name it was uploaded as. It is forgotten
once applied (``release``) or after ``KEEP_SECONDS``.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from app import formfiles

KEEP_SECONDS = 24 * 3600
KINDS = ("catalogue", "province-list", "monthly-results")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class Held:
    content: bytes
    name: str
    note: str = ""  # what the editor said with the upload (e.g. a decision and its date)


def _directory(kind: str) -> Path:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of held upload: {kind!r}")
    path = formfiles.private_dir("imports") / kind
    path.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_SECONDS
    for old in path.iterdir():  # expired uploads go on every use: no timer needed
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        except OSError:
            continue
    return path


def _paths(kind: str, token: str) -> tuple[Path, Path, Path] | None:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    directory = _directory(kind)
    return directory / f"{token}.data", directory / f"{token}.name", directory / f"{token}.note"


def hold(kind: str, content: bytes, name: str, note: str = "") -> str:
    """Keep ``content`` (uploaded as ``name``, with an optional short ``note``); the token
    that gives it back."""
    token = secrets.token_urlsafe(24)
    directory = _directory(kind)
    (directory / f"{token}.data").write_bytes(content)
    (directory / f"{token}.name").write_text(name[:200], encoding="utf-8")
    if note:
        (directory / f"{token}.note").write_text(note[:1000], encoding="utf-8")
    return token


def read(kind: str, token: str) -> Held | None:
    """The held upload, or None when the token is unknown, expired or already applied."""
    paths = _paths(kind, token)
    if paths is None:
        return None
    try:
        content, name = paths[0].read_bytes(), paths[1].read_text(encoding="utf-8")
    except OSError:
        return None
    note = paths[2].read_text(encoding="utf-8") if paths[2].is_file() else ""
    return Held(content, name, note)


def release(kind: str, token: str) -> None:
    """Forget a held upload (it was applied)."""
    for path in _paths(kind, token) or ():
        path.unlink(missing_ok=True)
