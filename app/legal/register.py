"""The register in the catalogue file (top-level key ``legal_documents``): load, export, and
an entry for every number a procedure or fee cites.

An item: ``{"number", "kind", "title", "issuer", "issued_on", "valid_from", "valid_until",
"replaced_by" (another item's number), "status" (optional, only when set by hand), "url",
"note"}``; dates are ``YYYY-MM-DD``. Loading upserts by number and is idempotent.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from sqlalchemy import select

from app.extensions import db
from app.legal.status import guess_kind
from app.models import Fee, LegalBasis, LegalDocument, Procedure
from app.models.procedure import utcnow
from app.vocab import DocumentKind, DocumentStatus

TEXTS = ("kind", "title", "issuer", "url", "note")
DATES = ("issued_on", "valid_from", "valid_until")


class Report(Protocol):
    created: list[str]
    changed: list[str]
    rejected: list[tuple[str, str]]


class EntryError(ValueError):
    """An item that cannot be stored; the message names the key."""


def _date(item: dict, key: str) -> date | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise EntryError(f"{key}: not a date (YYYY-MM-DD): {str(value)[:40]!r}") from None


def _values(item: dict) -> dict[str, Any]:
    """The columns an item sets, checked; ``replaced_by`` is resolved separately."""
    values: dict[str, Any] = {}
    for key in TEXTS:
        value = item.get(key) or ""
        if not isinstance(value, str):
            raise EntryError(f"{key}: must be text")
        values[key] = value.strip()
    if values["url"] and not values["url"].lower().startswith(("http://", "https://")):
        raise EntryError("url: must start with http:// or https://")
    for key in DATES:
        values[key] = _date(item, key)
    status = item.get("status") or None
    if status is not None and status not in DocumentStatus.values():
        raise EntryError(f"status: must be one of {', '.join(DocumentStatus.values())}")
    values["status"] = status
    values["kind"] = values["kind"] or guess_kind(item["number"])
    if values["kind"] not in DocumentKind.values():
        raise EntryError(f"kind: must be one of {', '.join(DocumentKind.values())}, or empty")
    return values


def _number(item: Any) -> str:
    if not isinstance(item, dict) or not isinstance(item.get("number"), str):
        raise EntryError("number: required")
    number = item["number"].strip()
    if not number or len(number) > 120:
        raise EntryError("number: required, at most 120 characters")
    return number


def load_register(items: list, report: Report) -> None:
    """Upsert ``items`` by number, then link replacements; bad items are reported, not stored."""
    accepted: list[tuple[LegalDocument, dict]] = []
    for position, item in enumerate(items):
        try:
            number = _number(item)
            values = _values({**item, "number": number})
        except EntryError as exc:
            where = item.get("number") if isinstance(item, dict) else None
            report.rejected.append((f"legal_document:{where or position}", str(exc)))
            continue
        accepted.append((_upsert(number, values, report), item))
    db.session.flush()
    for doc, item in accepted:
        wanted = (item.get("replaced_by") or "").strip() or None
        successor = _by_number(wanted) if wanted else None
        if wanted and (successor is None or successor is doc):
            report.rejected.append((f"legal_document:{doc.number}",
                                    f"replaced_by: no other register entry has the number "
                                    f"{wanted[:120]!r}"))
        elif doc.replaced_by is not successor:
            doc.replaced_by = successor
            _changed(doc, report)


def _upsert(number: str, values: dict, report: Report) -> LegalDocument:
    doc = _by_number(number)
    if doc is None:
        doc = LegalDocument(number=number, **values)
        db.session.add(doc)
        report.created.append(f"legal_document:{number}")
        return doc
    if any(getattr(doc, k) != v for k, v in values.items()):
        if doc.status != values["status"]:
            doc.status_changed_at = utcnow()
        for key, value in values.items():
            setattr(doc, key, value)
        _changed(doc, report)
    return doc


def _changed(doc: LegalDocument, report: Report) -> None:
    key = f"legal_document:{doc.number}"
    if key not in report.changed and key not in report.created:
        report.changed.append(key)


def _by_number(number: str) -> LegalDocument | None:
    return db.session.scalar(select(LegalDocument).filter_by(number=number))


# What a new entry borrows from the first citation of its number: (title, issuer, issued_on).
Described = tuple[str, str, date | None] | None


def cited_numbers() -> dict[str, Described]:
    """Every number procedures cite → how its first legal basis describes it (None for a
    number only a fee cites). Columns only: this runs on every catalogue load."""
    found: dict[str, Described] = {}
    rows = db.session.execute(select(LegalBasis.number, LegalBasis.title, LegalBasis.issuer,
                                     LegalBasis.issued_on).order_by(LegalBasis.id))
    for number, title, issuer, issued_on in rows:
        if number and number.strip():
            found.setdefault(number.strip(), (title or "", issuer or "", issued_on))
    # Ordered, so entries are created (and reported) in the same order on every database.
    for number in db.session.scalars(select(Fee.basis_document).distinct()
                                     .order_by(Fee.basis_document)):
        if number and number.strip():
            found.setdefault(number.strip(), None)
    return found


def ensure_cited(report: Report | None = None) -> list[str]:
    """Create an entry for every cited number that has none; return the numbers created."""
    created = _add_entries(cited_numbers())
    if report is not None:
        report.created.extend(f"legal_document:{number}" for number in created)
    return created


def register_citations(proc: Procedure) -> list[str]:
    """Entries for the numbers one procedure cites that have none (called on publish)."""
    found: dict[str, Described] = {}
    for basis in proc.legal_bases:
        if (basis.number or "").strip():
            found.setdefault(basis.number.strip(), (basis.title, basis.issuer, basis.issued_on))
    for fee in proc.fees:
        if (fee.basis_document or "").strip():
            found.setdefault(fee.basis_document.strip(), None)
    return _add_entries(found)


def _add_entries(found: dict[str, Described]) -> list[str]:
    known: set[str] = set()
    numbers = list(found)
    for start in range(0, len(numbers), 500):  # bounded IN lists
        known.update(db.session.scalars(select(LegalDocument.number).where(
            LegalDocument.number.in_(numbers[start:start + 500]))))
    created = []
    for number, described in found.items():
        if number in known or len(number) > 120:
            continue
        title, issuer, issued_on = described or ("", "", None)
        db.session.add(LegalDocument(number=number, kind=guess_kind(number), title=title or "",
                                     issuer=(issuer or "")[:200], issued_on=issued_on, url="",
                                     note=""))
        created.append(number)
    if created:
        db.session.flush()
    return created


def document_to_dict(doc: LegalDocument) -> dict[str, Any]:
    """One entry in the catalogue file's format (what ``load_register`` reads)."""
    out: dict[str, Any] = {"number": doc.number}
    out.update({key: getattr(doc, key) for key in TEXTS})
    out.update({key: getattr(doc, key).isoformat() if getattr(doc, key) else None
                for key in DATES})
    out["replaced_by"] = doc.replaced_by.number if doc.replaced_by else None
    out["status"] = doc.status
    return out


def export_register() -> list[dict[str, Any]]:
    return [document_to_dict(doc) for doc in
            db.session.scalars(select(LegalDocument).order_by(LegalDocument.number))]
