"""A readable, field-by-field difference between two procedure records.

Paths name a place in a record, like ``("channels", 0, "fees", 1, "amount")``; ``describe``
turns one into words ("Channel 1, fee 2: Amount (đồng per unit)"). The same wording labels
form errors in the error summary, so editors meet one vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.records import normalise_procedure

IGNORED = ("published", "reviewed_at")  # set by the workflow, not by editing
LIST_KEYS = ("steps", "channels", "fees", "tiers", "document_cases", "documents",
             "legal_bases", "agencies")
PARTS = {
    "steps": _l("Step %(n)s"), "channels": _l("Channel %(n)s"), "fees": _l("fee %(n)s"),
    "tiers": _l("tier %(n)s"), "document_cases": _l("Case %(n)s"),
    "documents": _l("document %(n)s"), "legal_bases": _l("Legal basis %(n)s"),
    "agencies": _l("Agency %(n)s"),
}
LABELS = {
    "code": _l("Code"), "code_is_demo": _l("Made-up code"), "local_suffix": _l("Local suffix"),
    "decision_number": _l("Announcing decision"), "official_name": _l("Official name"),
    "plain_name": _l("Name people use"), "name_en": _l("Name in English"),
    "slug": _l("Address (slug)"), "field": _l("Field"), "level": _l("Level"),
    "procedure_type": _l("Type of procedure"), "applicant_types": _l("Who can apply"),
    "description": _l("Description"), "description_en": _l("Description in English"),
    "result": _l("Result"), "result_en": _l("Result in English"),
    "conditions": _l("Requirements and conditions"), "number_of_sets": _l("Number of sets"),
    "intake_place": _l("Where to apply"), "counter": _l("Counter"), "keywords": _l("Keywords"),
    "fee_note": _l("Fee note"), "online_class": _l("Online service"),
    "legacy_level": _l("Level under Decree 43/2011"), "online_url": _l("Online service link"),
    "status": _l("Status"), "replaced_by": _l("Replaced by"),
    "popularity": _l("Rank among the most asked"), "source": _l("Source of the facts"),
    "source_url": _l("Source link"), "kind": _l("Kind"), "processing_time": _l("Processing time"),
    "processing_days": _l("Working days"), "note": _l("Note"), "name": _l("Name"),
    "amount": _l("Amount (đồng per unit)"), "unit": _l("Charged per"), "cap": _l("Cap"),
    "exempt_groups": _l("Who does not pay"), "legal_basis": _l("Legal basis of the fee"),
    "from_unit": _l("From unit"), "title": _l("Title"), "originals": _l("Originals"),
    "copies": _l("Copies"), "form_name": _l("Form name"), "form_url": _l("Link to the form"),
    "form_file": _l("Form file"), "number": _l("Number"), "issued_on": _l("Issued on"),
    "issuer": _l("Issued by"), "agency": _l("Agency"), "role": _l("Role"),
}


@dataclass(frozen=True)
class Change:
    path: tuple
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return describe(self.path)

    @property
    def kind(self) -> str:
        if self.path and isinstance(self.path[-1], int):
            if self.old is None:
                return "added"
            if self.new is None:
                return "removed"
        return "changed"


def describe(path: tuple) -> str:
    """Words for a path: list entries are numbered from 1 and the last key gets its label."""
    parts: list[str] = []
    key_label = ""
    i = 0
    while i < len(path):
        key = path[i]
        if key in PARTS and i + 1 < len(path) and isinstance(path[i + 1], int):
            parts.append(str(PARTS[key] % {"n": path[i + 1] + 1}))
            i += 2
            continue
        key_label = str(LABELS.get(key, key))
        i += 1
    place = ", ".join(parts)
    if place and key_label:
        return _("%(place)s: %(label)s", place=place, label=key_label)
    return place or key_label


def path_of(name: str) -> tuple:
    """The record path of a form field name (``channels-0-fees-1-amount``)."""
    return tuple(int(part) if part.isdigit() else part for part in name.split("-"))


def diff(old: dict | None, new: dict | None) -> list[Change]:
    """What changed from ``old`` to ``new``, in record order; list entries are compared by
    position, and an entry only on one side is one change ("added" or "removed")."""
    old = normalise_procedure(old or {}) if old is not None else {}
    new = normalise_procedure(new or {}) if new is not None else {}
    for key in IGNORED:
        old.pop(key, None)
        new.pop(key, None)
    out: list[Change] = []
    _compare((), old, new, out)
    return out


def _compare(path: tuple, old: Any, new: Any, out: list[Change]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            _compare((*path, key), old.get(key), new.get(key), out)
    elif path and path[-1] in LIST_KEYS and isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            before = old[i] if i < len(old) else None
            after = new[i] if i < len(new) else None
            if before is None or after is None:
                out.append(Change((*path, i), before, after))
            else:
                _compare((*path, i), before, after, out)
    else:
        out.append(Change(path, old, new))


def show(value: Any) -> str:
    """A value as text in the diff: lists joined, entries summarised, nothing as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "; ".join(show(v) for v in value)
    if isinstance(value, dict):
        texts = [show(v) for k, v in value.items()
                 if v not in (None, "", [], 0) and not isinstance(v, (list, dict))]
        return " · ".join(texts) or "—"
    return str(value)
