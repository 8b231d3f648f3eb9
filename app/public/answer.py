"""The citizen's own answer at the top of a procedure page: which case they are in, what to
bring for it, and each distinct fee once.

Pure shaping for templates (page, kiosk skin, print view); the case comes from the address
(``?truong-hop=<slug>``), so the page works without JavaScript and a link or QR code can
carry the choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.fees import fees_in_force, general
from app.models import Document, DocumentCase, Fee, Procedure
from app.public.summary import (
    Line,
    fee_channels,
    fee_name,
    fee_text,
    scheduled_text,
    short_cost,
    short_time,
    unverified,
    upcoming_fees,
    verified_basis,
)
from app.vocab import FormSource

CASE_ARG = "truong-hop"
ALL_CASES = "tat-ca"  # ``?truong-hop=tat-ca`` lists every case, as the record has them


@dataclass(frozen=True)
class CaseChoice:
    """The cases that have documents, the one shown (None: all of them), what was asked."""

    cases: list[DocumentCase]
    shown: list[DocumentCase]
    chosen: DocumentCase | None
    asked: str
    unknown: bool = False
    common: bool = False  # no choice made: the first (common) case is shown

    @property
    def several(self) -> bool:
        return len(self.cases) > 1

    @property
    def others(self) -> list[DocumentCase]:
        return [c for c in self.cases if c is not self.chosen]


def case_choice(proc: Procedure, asked: str | None) -> CaseChoice:
    """What ``?truong-hop=`` asks for. No choice shows the first case, labelled as the common
    one; ``tat-ca`` shows all; an unknown slug is not an error: the page says so and asks."""
    cases = [c for c in proc.document_cases if c.documents]
    asked = (asked or "").strip()[:80]
    by_slug = {c.slug: c for c in cases}
    if len(cases) <= 1:
        return CaseChoice(cases, cases, cases[0] if cases else None, asked)
    if asked in by_slug:
        return CaseChoice(cases, [by_slug[asked]], by_slug[asked], asked)
    if asked == ALL_CASES:
        return CaseChoice(cases, cases, None, asked)
    return CaseChoice(cases, [cases[0]], cases[0], asked, unknown=bool(asked),
                      common=not asked)


@dataclass(frozen=True)
class FeeBox:
    """A procedure's fees in force today, each once; what is announced for later; whether to
    say once that an amount is unverified; what sets the verified ones."""

    lines: list[Line]
    upcoming: list[Line]
    notes: list[str] = field(default_factory=list)
    unverified: bool = False


def _label(fee: Fee, proc: Procedure) -> str:
    return fee_channels(fee, proc)


def fee_box(proc: Procedure) -> FeeBox:
    current = fees_in_force(proc)
    ordered = general(current) + [f for f in current if f not in general(current)]
    several = len(ordered) > 1
    lines = []
    for fee in ordered:
        name = fee_name(fee)
        text = f"{name}: {fee_text(fee)}" if name and several else fee_text(fee)
        basis = verified_basis(fee)
        if basis:
            text = _("%(fee)s (set by %(basis)s)", fee=text, basis=basis)
        lines.append(Line(_label(fee, proc), text))
    later = [f for c in proc.channels for f in upcoming_fees(c)]
    upcoming = [Line(_label(f, proc), scheduled_text(f)) for f in dict.fromkeys(later)]
    notes = [str(f.exempt_groups) for f in ordered if f.exempt_groups]
    return FeeBox(lines, upcoming, list(dict.fromkeys(notes)),
                  unverified(ordered + list(dict.fromkeys(later))))


def one_line(proc: Procedure) -> list[str]:
    """"Free · 1 working day · Can be done online": the answer in one line, under the name."""
    parts = [short_cost(proc)]
    time = short_time(proc)
    if time:
        parts.append(time)
    if proc.online_class != "none" and proc.status == "in_force":
        parts.append(_("Can be done online"))
    return parts


def form_where(doc: Document, proc: Procedure) -> tuple[str, str]:
    """Where a named form comes from: ("download", "") for a file or link, ("portal", ""),
    ("counter", number) or ("ask", "") when nobody said; ("", "") for a document with no
    form."""
    if not (doc.form_name or doc.form_file or doc.form_url):
        return "", ""
    if doc.form_file or doc.form_url:
        return "download", ""
    if doc.form_source == FormSource.PORTAL:
        return "portal", ""
    if doc.form_source == FormSource.COUNTER:
        number = doc.form_counter or (proc.counter.number if proc.counter else "")
        return ("counter", number) if number else ("ask", "")
    return "ask", ""



def short_source(proc: Procedure) -> str:
    """The source in a few words for the one-line provenance: the first clause of the editors'
    note (the rest sits behind a disclosure), else the announcing decision, else the national
    database."""
    first = re.split(r";|\. | \(|:", (proc.source or "")[:400], maxsplit=1)[0].strip()
    if first:
        return first if len(first) <= 90 else first[:89].rsplit(" ", 1)[0] + "…"
    if proc.decision_number:
        return _("decision %(number)s", number=proc.decision_number)
    return _("the national database of administrative procedures")
