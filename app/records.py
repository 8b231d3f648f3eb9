"""The catalogue format (docs/record-format.md) ⇄ the database rows of one procedure.

The format itself is declared once, in ``app.schema``; this module only maps it onto the
models. ``procedure_to_dict`` / ``apply_procedure`` convert one procedure. Applying is
idempotent: a record equal to what is stored changes nothing (not even ``updated_at``), so
running the demo loader twice is a no-op.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import schema
from app.extensions import db
from app.models import (
    Agency,
    Channel,
    Counter,
    Document,
    DocumentCase,
    Fee,
    FeeCondition,
    FeeTier,
    Field,
    LegalBasis,
    Level,
    Procedure,
    ProcedureAgency,
    Step,
)
from app.models.procedure import utcnow
from app.schema import RecordError, record
from app.schema.record import Part, ProcedureRecord

__all__ = ["SCALARS", "RecordError", "apply_procedure", "fee_to_dict", "normalise_procedure",
           "procedure_to_dict", "validate_procedure"]

# Keys that need more than a plain column: links by slug/number/code, and the repeating parts.
LINKS = ("code", "field", "level", "counter", "replaced_by", "reviewed_at")
REPEATING = ("steps", "channels", "fees", "document_cases", "legal_bases", "agencies")
SCALARS = tuple(k for k in schema.record_keys() if k not in LINKS + REPEATING)


def _columns(row: object, part: type[Part], **special: Any) -> dict:
    """A part's keys read from a row's same-named attributes, except the ``special`` ones."""
    return {name: special[name] if name in special else getattr(row, name)
            for name in part.model_fields}


# --- procedure → dict -------------------------------------------------------------------------

def _fee_raw(fee: Fee) -> dict:
    return _columns(fee, record.Fee, condition=fee.condition.slug if fee.condition else None,
                    channels=list(fee.channels or []),
                    tiers=[_columns(t, record.Tier) for t in fee.tiers])


def fee_to_dict(fee: Fee) -> dict:
    """One fee in the record format (dates as ISO text)."""
    return record.Fee.model_validate(_fee_raw(fee)).model_dump(mode="json")


def procedure_to_dict(proc: Procedure) -> dict:
    """The whole record, lossless: ``apply_procedure(p, procedure_to_dict(p))`` changes nothing."""
    raw = _columns(
        proc, ProcedureRecord,
        field=proc.field.slug if proc.field else None,
        level=proc.level.slug if proc.level else None,
        counter=proc.counter.number if proc.counter else None,
        replaced_by=proc.replaced_by.code if proc.replaced_by else None,
        steps=[s.text for s in proc.steps],
        channels=[_columns(c, record.Channel) for c in proc.channels],
        fees=[_fee_raw(f) for f in proc.fees],
        document_cases=[
            _columns(case, record.DocumentCase,
                     documents=[_columns(d, record.Document) for d in case.documents])
            for case in proc.document_cases],
        legal_bases=[_columns(b, record.LegalBasis) for b in proc.legal_bases],
        agencies=[{"agency": a.agency.slug, "role": a.role} for a in proc.agency_links],
    )
    return schema.normalise(raw)


# --- dict → procedure -------------------------------------------------------------------------

def _by_slug(model: type, slug: str | None, what: str) -> Any:
    if not slug:
        return None
    row = db.session.scalar(select(model).filter_by(slug=slug))
    if row is None:
        raise RecordError([(what, f"unknown slug {slug!r}")])
    return row


def _row(model: type, part: Part, skip: tuple[str, ...] = (), **extra: Any) -> Any:
    """A fresh row of ``model`` holding a parsed part's plain keys, plus ``extra``."""
    values = {name: getattr(part, name) for name in type(part).model_fields if name not in skip}
    return model(**values, **extra)


def _fee(fee: record.Fee, position: int, where: str) -> Fee:
    row = _row(Fee, fee, ("tiers", "condition", "channels"), position=position,
               channels=[str(kind) for kind in fee.channels],
               condition=_by_slug(FeeCondition, fee.condition, f"{where}.condition"))
    row.tiers = [_row(FeeTier, tier) for tier in fee.tiers]
    return row


def _children(rec: ProcedureRecord) -> dict[str, list]:
    """Build the repeating parts as fresh rows."""
    cases = []
    for i, case in enumerate(rec.document_cases):
        row = _row(DocumentCase, case, ("documents",), position=i)
        row.documents = [_row(Document, d, position=j) for j, d in enumerate(case.documents)]
        cases.append(row)
    return {
        "steps": [Step(position=i, text=t) for i, t in enumerate(rec.steps)],
        "channels": [_row(Channel, c, position=i) for i, c in enumerate(rec.channels)],
        "fees": [_fee(f, i, f"fees[{i}]") for i, f in enumerate(rec.fees)],
        "document_cases": cases,
        "legal_bases": [_row(LegalBasis, b, position=i) for i, b in enumerate(rec.legal_bases)],
        "agency_links": [
            ProcedureAgency(position=i, role=a.role,
                            agency=_by_slug(Agency, a.agency, f"agencies[{i}].agency"))
            for i, a in enumerate(rec.agencies)],
    }


def validate_procedure(data: dict) -> None:
    """Raise ``RecordError`` for a record that breaks the format's rules."""
    schema.parse(data)


def normalise_procedure(data: dict) -> dict:
    """``data`` in the exact shape ``procedure_to_dict`` prints, defaults filled in; raises
    ``RecordError`` when it is not a valid record."""
    return schema.normalise(data)


def apply_procedure(proc: Procedure, data: dict) -> bool:
    """Make ``proc`` hold ``data``; return True when anything changed.

    Links to other procedures (``replaced_by``) must already exist; ``load_catalogue`` resolves
    them after all procedures are stored.
    """
    rec = schema.parse(data)
    if proc.id is not None and procedure_to_dict(proc) == schema.dump(rec):
        return False
    proc.code = rec.code.strip()
    for key in SCALARS:
        value = getattr(rec, key)
        setattr(proc, key, list(value) if isinstance(value, list) else value)
    proc.field = _by_slug(Field, rec.field, "field")
    proc.level = _by_slug(Level, rec.level, "level")
    proc.counter = _counter(rec.counter)
    proc.reviewed_at = rec.reviewed_at
    proc.replaced_by = (
        db.session.scalar(select(Procedure).filter_by(code=rec.replaced_by))
        if rec.replaced_by else None)
    if rec.replaced_by and proc.replaced_by is None:
        raise RecordError([("replaced_by", f"unknown code {rec.replaced_by!r}")])
    for name, rows in _children(rec).items():
        setattr(proc, name, rows)
    proc.updated_at = utcnow()
    proc.lock_version = (proc.lock_version or 0) + 1
    return True


def _counter(number: str | None) -> Counter | None:
    if not number:
        return None
    row = db.session.scalar(select(Counter).filter_by(number=str(number)))
    if row is None:
        raise RecordError([("counter", f"unknown counter number {number!r}")])
    return row
