"""The catalogue file format (docs/record-format.md): the only code that reads or writes it.

``procedure_to_dict`` / ``apply_procedure`` convert one procedure; ``export_catalogue`` /
``load_catalogue`` convert everything. Loading is idempotent: a record equal to what is stored
changes nothing (not even ``updated_at``), so running the demo loader twice is a no-op.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Agency,
    Channel,
    Counter,
    Document,
    DocumentCase,
    Fee,
    FeeTier,
    Field,
    LegalBasis,
    Level,
    Procedure,
    ProcedureAgency,
    Step,
)
from app.models.procedure import utcnow

SCALARS = (
    "code_is_demo", "local_suffix", "decision_number", "official_name", "plain_name", "name_en",
    "slug", "procedure_type", "applicant_types", "description", "description_en", "result",
    "result_en", "conditions", "number_of_sets", "intake_place", "keywords", "fee_note",
    "online_class", "legacy_level", "online_url", "status", "popularity", "source", "source_url",
    "published",
)
DEFAULTS: dict[str, Any] = {
    "code_is_demo": False, "applicant_types": [], "keywords": [], "online_class": "none",
    "legacy_level": None, "status": "in_force", "popularity": None, "published": True,
}


class RecordError(ValueError):
    """A record that cannot be stored; the message says which key and why."""


# --- procedure → dict -------------------------------------------------------------------------

def fee_to_dict(fee: Fee) -> dict:
    return {
        "name": fee.name, "kind": fee.kind, "amount": fee.amount, "unit": fee.unit, "cap": fee.cap,
        "tiers": [{"from_unit": t.from_unit, "amount": t.amount} for t in fee.tiers],
        "exempt_groups": fee.exempt_groups, "legal_basis": fee.legal_basis, "note": fee.note,
    }


def procedure_to_dict(proc: Procedure) -> dict:
    """The whole record, lossless: ``apply_procedure(p, procedure_to_dict(p))`` changes nothing."""
    data: dict[str, Any] = {"code": proc.code}
    for key in SCALARS:
        value = getattr(proc, key)
        data[key] = list(value) if isinstance(value, list) else value
    data["field"] = proc.field.slug if proc.field else None
    data["level"] = proc.level.slug if proc.level else None
    data["counter"] = proc.counter.number if proc.counter else None
    data["replaced_by"] = proc.replaced_by.code if proc.replaced_by else None
    data["reviewed_at"] = proc.reviewed_at.isoformat() if proc.reviewed_at else None
    data["steps"] = [s.text for s in proc.steps]
    data["channels"] = [
        {
            "kind": c.kind, "processing_time": c.processing_time,
            "processing_days": c.processing_days, "note": c.note,
            "fees": [fee_to_dict(f) for f in c.fees],
        }
        for c in proc.channels
    ]
    data["document_cases"] = [
        {
            "title": case.title,
            "documents": [
                {
                    "name": d.name, "originals": d.originals, "copies": d.copies,
                    "form_name": d.form_name, "form_url": d.form_url, "form_file": d.form_file,
                }
                for d in case.documents
            ],
        }
        for case in proc.document_cases
    ]
    data["legal_bases"] = [
        {
            "number": b.number, "title": b.title, "issuer": b.issuer,
            "issued_on": b.issued_on.isoformat() if b.issued_on else None,
        }
        for b in proc.legal_bases
    ]
    data["agencies"] = [{"agency": a.agency.slug, "role": a.role} for a in proc.agency_links]
    return data


# --- dict → procedure -------------------------------------------------------------------------

def _by_slug(model: type, slug: str | None, what: str) -> Any:
    if not slug:
        return None
    row = db.session.scalar(select(model).filter_by(slug=slug))
    if row is None:
        raise RecordError(f"{what}: unknown slug {slug!r}")
    return row


def _parse_date(value: str | None, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise RecordError(f"{what}: not a date (YYYY-MM-DD): {value!r}") from exc


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise RecordError(f"reviewed_at: not an ISO date-time: {value!r}") from exc


def _int_or_none(value: Any, what: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RecordError(f"{what}: must be a whole number of đồng ≥ 0, got {value!r}")
    return value


def _fee(data: dict, position: int) -> Fee:
    where = f"fees[{position}]"
    fee = Fee(
        position=position, name=data.get("name", ""), kind=data.get("kind", "le_phi"),
        amount=_int_or_none(data.get("amount"), f"{where}.amount"),
        unit=data.get("unit") or "case", cap=_int_or_none(data.get("cap"), f"{where}.cap"),
        exempt_groups=data.get("exempt_groups", ""), legal_basis=data.get("legal_basis", ""),
        note=data.get("note", ""),
    )
    for tier in data.get("tiers") or []:
        from_unit = _int_or_none(tier.get("from_unit"), f"{where}.tiers.from_unit")
        amount = _int_or_none(tier.get("amount"), f"{where}.tiers.amount")
        if from_unit is None or from_unit < 2 or amount is None:
            raise RecordError(f"{where}.tiers: from_unit (≥ 2) and amount are required")
        fee.tiers.append(FeeTier(from_unit=from_unit, amount=amount))
    return fee


def _children(data: dict) -> dict[str, list]:
    """Build the repeating parts as fresh rows."""
    steps = [Step(position=i, text=t) for i, t in enumerate(data.get("steps") or [])]
    channels = []
    for i, c in enumerate(data.get("channels") or []):
        channel = Channel(
            position=i, kind=c["kind"], processing_time=c.get("processing_time", ""),
            processing_days=c.get("processing_days"), note=c.get("note", ""),
        )
        channel.fees = [_fee(f, j) for j, f in enumerate(c.get("fees") or [])]
        channels.append(channel)
    cases = []
    for i, case in enumerate(data.get("document_cases") or []):
        row = DocumentCase(position=i, title=case.get("title", ""))
        row.documents = [
            Document(
                position=j, name=d["name"], originals=d.get("originals") or 0,
                copies=d.get("copies") or 0, form_name=d.get("form_name", ""),
                form_url=d.get("form_url", ""), form_file=d.get("form_file", ""),
            )
            for j, d in enumerate(case.get("documents") or [])
        ]
        cases.append(row)
    bases = [
        LegalBasis(
            position=i, number=b.get("number", ""), title=b.get("title", ""),
            issuer=b.get("issuer", ""), issued_on=_parse_date(b.get("issued_on"), "legal_bases"),
        )
        for i, b in enumerate(data.get("legal_bases") or [])
    ]
    agencies = [
        ProcedureAgency(
            position=i, role=a["role"], agency=_by_slug(Agency, a["agency"], "agencies")
        )
        for i, a in enumerate(data.get("agencies") or [])
    ]
    return {
        "steps": steps, "channels": channels, "document_cases": cases,
        "legal_bases": bases, "agency_links": agencies,
    }


def validate_procedure(data: dict) -> None:
    """Raise ``RecordError`` for a record that breaks the format's rules."""
    for key in ("code", "official_name", "slug"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise RecordError(f"{key}: required")
    if data.get("online_class", "none") not in ("full", "partial", "none"):
        raise RecordError("online_class: must be full, partial or none")
    if data.get("status", "in_force") not in ("in_force", "not_in_force", "replaced"):
        raise RecordError("status: must be in_force, not_in_force or replaced")
    if data.get("legacy_level") not in (None, 1, 2, 3, 4):
        raise RecordError("legacy_level: must be 1 to 4 or empty")
    for channel in data.get("channels") or []:
        if channel.get("kind") not in ("in_person", "online", "post"):
            raise RecordError("channels.kind: must be in_person, online or post")
    for link in data.get("agencies") or []:
        if link.get("role") not in ("performing", "competent", "delegated", "coordinating"):
            raise RecordError("agencies.role: unknown role")


def apply_procedure(proc: Procedure, data: dict) -> bool:
    """Make ``proc`` hold ``data``; return True when anything changed.

    Links to other procedures (``replaced_by``) must already exist; ``load_catalogue`` resolves
    them after all procedures are stored.
    """
    validate_procedure(data)
    data = normalise_procedure(data)
    if proc.id is not None and procedure_to_dict(proc) == data:
        return False
    proc.code = data["code"].strip()
    for key in SCALARS:
        setattr(proc, key, data[key])
    proc.field = _by_slug(Field, data.get("field"), "field")
    proc.level = _by_slug(Level, data.get("level"), "level")
    proc.counter = _counter(data.get("counter"))
    proc.reviewed_at = _parse_datetime(data.get("reviewed_at"))
    replaced_by = data.get("replaced_by")
    proc.replaced_by = (
        db.session.scalar(select(Procedure).filter_by(code=replaced_by)) if replaced_by else None
    )
    if replaced_by and proc.replaced_by is None:
        raise RecordError(f"replaced_by: unknown code {replaced_by!r}")
    for name, rows in _children(data).items():
        setattr(proc, name, rows)
    proc.updated_at = utcnow()
    proc.lock_version = (proc.lock_version or 0) + 1
    return True


def normalise_fee(data: dict) -> dict:
    return {
        "name": data.get("name") or "", "kind": data.get("kind") or "le_phi",
        "amount": data.get("amount"), "unit": data.get("unit") or "case", "cap": data.get("cap"),
        "tiers": [{"from_unit": t.get("from_unit"), "amount": t.get("amount")}
                  for t in sorted(data.get("tiers") or [], key=lambda t: t.get("from_unit") or 0)],
        "exempt_groups": data.get("exempt_groups") or "",
        "legal_basis": data.get("legal_basis") or "", "note": data.get("note") or "",
    }


def normalise_procedure(data: dict) -> dict:
    """``data`` in the exact shape ``procedure_to_dict`` prints, defaults filled in."""
    out: dict[str, Any] = {"code": (data.get("code") or "").strip()}
    for key in SCALARS:
        value = data.get(key, DEFAULTS.get(key, ""))
        out[key] = value if value is not None or key in DEFAULTS else ""
    for key in ("field", "level", "counter", "replaced_by", "reviewed_at"):
        out[key] = data.get(key) or None
    if out["counter"] is not None:
        out["counter"] = str(out["counter"])
    out["steps"] = list(data.get("steps") or [])
    out["channels"] = [
        {
            "kind": c.get("kind"), "processing_time": c.get("processing_time") or "",
            "processing_days": c.get("processing_days"), "note": c.get("note") or "",
            "fees": [normalise_fee(f) for f in c.get("fees") or []],
        }
        for c in data.get("channels") or []
    ]
    out["document_cases"] = [
        {
            "title": case.get("title") or "",
            "documents": [
                {
                    "name": d.get("name") or "", "originals": d.get("originals") or 0,
                    "copies": d.get("copies") or 0, "form_name": d.get("form_name") or "",
                    "form_url": d.get("form_url") or "", "form_file": d.get("form_file") or "",
                }
                for d in case.get("documents") or []
            ],
        }
        for case in data.get("document_cases") or []
    ]
    out["legal_bases"] = [
        {"number": b.get("number") or "", "title": b.get("title") or "",
         "issuer": b.get("issuer") or "", "issued_on": b.get("issued_on") or None}
        for b in data.get("legal_bases") or []
    ]
    out["agencies"] = [
        {"agency": a.get("agency"), "role": a.get("role")} for a in data.get("agencies") or []
    ]
    return out


def _counter(number: str | None) -> Counter | None:
    if not number:
        return None
    row = db.session.scalar(select(Counter).filter_by(number=str(number)))
    if row is None:
        raise RecordError(f"counter: unknown counter number {number!r}")
    return row
