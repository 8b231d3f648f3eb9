"""Words for the register: the kind a document number implies, and which statuses mean a
citation is no longer good law. Today and dd/mm/yyyy come from ``app.dates``; the status values
and labels from ``app.vocab.DocumentStatus``."""

from __future__ import annotations

import re

from app.dates import local_date
from app.vocab import NOT_IN_FORCE, DocumentKind, DocumentStatus

__all__ = ["NOT_IN_FORCE", "guess_kind", "local_date", "status_label"]

# The number's suffix names the kind of document (Nghị định 07/2025/NĐ-CP, Luật 60/2014/QH13 …).
_KIND_BY_SUFFIX = (
    (re.compile(r"/TTLT-"), DocumentKind.THONG_TU_LIEN_TICH),
    (re.compile(r"/TT-"), DocumentKind.THONG_TU),
    (re.compile(r"/NĐ-CP$"), DocumentKind.NGHI_DINH),
    (re.compile(r"/NQLT-"), DocumentKind.NGHI_QUYET_LIEN_TICH),
    (re.compile(r"/NQ-"), DocumentKind.NGHI_QUYET),
    (re.compile(r"/QĐ-"), DocumentKind.QUYET_DINH),
    (re.compile(r"/CT-"), DocumentKind.CHI_THI),
    (re.compile(r"/QH\d+$"), DocumentKind.LUAT),
)


def guess_kind(number: str) -> str:
    """The kind a document number implies, or "" when the number does not say."""
    for pattern, kind in _KIND_BY_SUFFIX:
        if pattern.search(number[:120]):
            return kind.value
    return ""


def status_label(status: str) -> str:
    return DocumentStatus(status).label
