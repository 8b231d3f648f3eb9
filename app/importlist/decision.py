"""A province list applied with its announcement decision (Quyết định công bố) and a future
effective date: new and amended rows become scheduled revisions, abolished rows scheduled
abolitions (``app.schedule``), and the decision's register entry lists them all. Nothing the
public sees changes before the date: new procedures stay unpublished until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.dates import today_local
from app.extensions import db
from app.models import AnnouncedProcedure, LegalDocument, Procedure, Revision
from app.schedule import abolition_for, schedule_abolition, schedule_revision


@dataclass(frozen=True)
class Decision:
    """The decision a list comes with: its number and the day its changes take effect."""

    number: str
    effective_on: date

    @property
    def in_future(self) -> bool:
        return self.effective_on > today_local()


def register_entry(decision: Decision) -> LegalDocument:
    """The decision's entry in the legal register, created when missing."""
    doc = db.session.scalar(select(LegalDocument).filter_by(number=decision.number))
    if doc is None:
        doc = LegalDocument(number=decision.number, kind="Quyết định",
                            title="công bố danh mục thủ tục hành chính",
                            valid_from=decision.effective_on)
        db.session.add(doc)
        db.session.flush()
    return doc


def announce(doc: LegalDocument, code: str, name: str, action: str, day: date) -> None:
    """Record that ``doc`` adds, amends or abolishes ``code`` from ``day`` (once)."""
    known = db.session.scalar(select(AnnouncedProcedure).filter_by(
        document_id=doc.id, code=code, action=action))
    if known is None:
        db.session.add(AnnouncedProcedure(document_id=doc.id, code=code, name=name[:2000],
                                          action=action, effective_on=day))


def schedule_row_revision(proc: Procedure, revision: Revision, decision: Decision,
                          name: str, action: str) -> None:
    """The draft a row made becomes a revision scheduled for the decision's date."""
    schedule_revision(proc, revision, decision.effective_on,
                      f"Theo Quyết định {decision.number}.", document=decision.number)
    announce(register_entry(decision), proc.code, name, action, decision.effective_on)


def schedule_row_abolition(code: str, name: str, decision: Decision) -> str:
    """An abolished row: a scheduled abolition of ``code``; the problem, or ""."""
    proc = db.session.scalar(select(Procedure).filter_by(code=code))
    if proc is None:
        return f"the decision abolishes {code}, which is not in the catalogue"
    if abolition_for(proc.id) is not None:
        return f"an abolition of {code} is already scheduled"
    schedule_abolition(proc, decision.effective_on, decision.number,
                       f"Bãi bỏ theo Quyết định {decision.number}.")
    announce(register_entry(decision), code, name, "abolish", decision.effective_on)
    return ""
