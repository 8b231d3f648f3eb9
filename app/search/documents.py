"""What the index holds for one procedure, computed from its database rows.

Folding is done here, once, at indexing time, so the index stores ready-made terms and the
whitespace analyzer has nothing left to do. Fields, by weight: names (with word pairs, and
exact spellings) > keywords (with word pairs) > documents and steps > ``all``, every word of
the record, which also decides what matches. Word pairs are kept where they tell most (names,
keywords): pairs of every text would double the index for little gain.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import DocumentCase, Procedure, ProcedureAgency
from app.search.text import exact_terms, fold, index_terms, words

ENGLISH_FUNCTION_WORDS = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "with", "by", "at", "from",
    "as", "its", "their"))
LOAD = (
    selectinload(Procedure.steps),
    selectinload(Procedure.channels),
    selectinload(Procedure.fees),
    selectinload(Procedure.document_cases).selectinload(DocumentCase.documents),
    selectinload(Procedure.legal_bases),
    selectinload(Procedure.agency_links).selectinload(ProcedureAgency.agency),
    selectinload(Procedure.field),
    selectinload(Procedure.level),
)


@dataclass(frozen=True)
class Meta:
    """The per-document values facets, filters and sorts need, kept in one small column."""

    pid: int
    field: str
    level: str
    online: str
    free: bool
    applicants: tuple[str, ...]
    updated: int
    sort_name: str
    popularity: int  # 0 = not among the most asked
    in_force: bool = True  # replaced or repealed procedures stay findable, but rank lower
    # Facet name → the values this document counts under, worked out once per segment.
    facets: dict[str, tuple[str, ...]] = dataclass_field(
        default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.facets.update({
            "field": (self.field,) if self.field else (),
            "level": (self.level,) if self.level else (),
            "online": (self.online,),
            "applicant": tuple(applicant_key(a) for a in self.applicants),
            "free": ("yes",) if self.free else (),
        })

    def encode(self) -> bytes:
        parts = (str(self.pid), self.field, self.level, self.online, "1" if self.free else "",
                 "|".join(self.applicants), str(self.updated), self.sort_name,
                 str(self.popularity), "1" if self.in_force else "")
        return "\t".join(parts).encode("utf-8")

    @classmethod
    def decode(cls, raw: bytes) -> Meta | None:
        parts = raw.decode("utf-8").split("\t") if raw else []
        if len(parts) not in (9, 10):
            return None  # the sequence document, or an empty column slot
        pid, field, level, online, free, apps, updated, sort_name, pop = parts[:9]
        in_force = parts[9] == "1" if len(parts) == 10 else True  # indexes built before
        return cls(int(pid), field, level, online, bool(free),
                   tuple(a for a in apps.split("|") if a), int(updated), sort_name, int(pop),
                   in_force)


def applicant_key(label: str) -> str:
    """The URL value of an applicant type: "Công dân Việt Nam" → "cong-dan-viet-nam"."""
    return "-".join(fold(label).split())


def is_free(proc: Procedure) -> bool:
    """Free when fees are listed and every one of them is zero (unknown amounts are not free)."""
    fees = proc.fees
    return bool(fees) and all(fee.amount == 0 for fee in fees)


def meta_for(proc: Procedure) -> Meta:
    return Meta(
        pid=proc.id,
        field=proc.field.slug if proc.field else "",
        level=proc.level.slug if proc.level else "",
        online=proc.online_class or "none",
        free=is_free(proc),
        applicants=tuple(a.replace("|", " ").replace("\t", " ")
                         for a in proc.applicant_types or []),
        updated=int(proc.updated_at.timestamp()) if proc.updated_at else 0,
        sort_name=fold(proc.name).replace("\t", " "),
        popularity=proc.popularity or 0,
        in_force=proc.status == "in_force",
    )


def document_for(proc: Procedure) -> dict:
    """The index document of one published procedure (all text already folded)."""
    names = [proc.plain_name, proc.official_name]
    keywords = [*(proc.keywords or []), proc.name_en]
    # The English name ranks as a name for English queries; its function words are left out
    # of the name field, where some would read as Vietnamese syllables ("the" = thẻ).
    english = " ".join(w for w in words(proc.name_en or "") if w not in ENGLISH_FUNCTION_WORDS)
    documents = [f"{d.name}. {d.form_name}" for case in proc.document_cases
                 for d in case.documents]
    body = [*documents, *(s.text for s in proc.steps), proc.result,
            *(case.title for case in proc.document_cases)]
    rest = [proc.description, proc.conditions, proc.procedure_type, proc.fee_note,
            proc.field.name if proc.field else "", proc.level.name if proc.level else "",
            *(link.agency.name for link in proc.agency_links),
            *(basis.title for basis in proc.legal_bases), *(proc.applicant_types or []),
            proc.code]
    return {
        "pid": str(proc.id),
        "code": proc.code.lower(),
        "name": index_terms([*names, english]),
        "name_x": exact_terms(names),
        "kw": index_terms(keywords),
        "body": index_terms(body, with_bigrams=False),
        "all": index_terms([*names, *keywords, *body, *rest], with_bigrams=False),
        "meta": meta_for(proc).encode(),
    }


def published_procedures(session: Session, ids: list[int] | None = None,
                         chunk: int = 500) -> Iterator[Procedure]:
    """Published procedures with everything ``document_for`` reads, loaded in chunks."""
    stmt = select(Procedure.id).where(Procedure.published.is_(True)).order_by(Procedure.id)
    if ids is not None:
        stmt = stmt.where(Procedure.id.in_(ids))
    all_ids = list(session.scalars(stmt))
    for start in range(0, len(all_ids), chunk):
        part = all_ids[start:start + chunk]
        yield from session.scalars(select(Procedure).options(*LOAD)
                                   .where(Procedure.id.in_(part)).order_by(Procedure.id))
