"""Who cites what: the procedures behind each register entry, and the procedures that need a
review because a document they cite stopped being in force.

A fee cites its ``basis_document``; fees whose ``valid_until`` has passed are history and do
not count. Only live (published) procedures are listed: they are what the public reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from app.extensions import db
from app.legal.status import NOT_IN_FORCE, local_date
from app.models import Fee, LegalBasis, LegalDocument, Procedure


def citing(numbers: Iterable[str], today: date) -> dict[str, list[Procedure]]:
    """number → the published procedures citing it (legal bases or current fees), by name."""
    numbers = set(numbers)
    found: dict[str, dict[int, Procedure]] = defaultdict(dict)
    if not numbers:
        return {}
    bases = select(LegalBasis.number, Procedure).join(
        Procedure, Procedure.id == LegalBasis.procedure_id).where(
        LegalBasis.number.in_(numbers), Procedure.published.is_(True))
    fees = select(Fee.basis_document, Procedure).join(
        Procedure, Procedure.id == Fee.procedure_id).where(
        Fee.basis_document.in_(numbers), Procedure.published.is_(True),
        or_(Fee.valid_until.is_(None), Fee.valid_until >= today))
    for statement in (bases, fees):
        for number, proc in db.session.execute(statement):
            found[number][proc.id] = proc
    return {number: sorted(procs.values(), key=lambda p: p.name)
            for number, procs in found.items()}


def out_of_force(today: date) -> list[LegalDocument]:
    """Register entries expired or replaced on ``today``."""
    docs = db.session.scalars(select(LegalDocument).order_by(LegalDocument.number))
    return [doc for doc in docs if doc.status_on(today) in NOT_IN_FORCE]


@dataclass(frozen=True)
class ReviewNeeded:
    """A procedure that cites documents no longer in force and was not checked since."""

    procedure: Procedure
    documents: tuple[LegalDocument, ...]


def needing_review(today: date) -> list[ReviewNeeded]:
    """Procedures to review because of the register, oldest review first.

    A procedure leaves the list once an editor marks it reviewed on or after the day the
    document stopped being in force (or removes the citation).
    """
    docs = out_of_force(today)
    by_number = {doc.number: doc for doc in docs}
    per_procedure: dict[int, list[LegalDocument]] = defaultdict(list)
    procedures: dict[int, Procedure] = {}
    for number, procs in citing(by_number, today).items():
        doc = by_number[number]
        since = doc.out_of_force_since(today)
        for proc in procs:
            if proc.reviewed_at is not None and since is not None \
                    and local_date(proc.reviewed_at) >= since:
                continue
            procedures[proc.id] = proc
            per_procedure[proc.id].append(doc)
    rows = [ReviewNeeded(procedures[pid], tuple(docs)) for pid, docs in per_procedure.items()]
    return sorted(rows, key=lambda row: (row.procedure.reviewed_at is not None,
                                         row.procedure.reviewed_at or today, row.procedure.id))
