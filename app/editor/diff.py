"""A readable, field-by-field difference between two procedure records.

Paths name a place in a record, like ``("channels", 0, "fees", 1, "amount")``; ``describe``
turns one into words ("Channel 1, fee 2: Amount (đồng per unit)") with the schema's labels
(``app.schema``). The same wording labels form errors in the error summary, so editors meet
one vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.schema import PARTS, RecordError, label, normalise

IGNORED = ("published", "reviewed_at")  # set by the workflow, not by editing
LIST_KEYS = tuple(PARTS)


def _normal(record: dict) -> dict:
    """The record in export shape; an old revision that no longer validates is shown as it is."""
    try:
        return normalise(record)
    except RecordError:
        return dict(record)


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
        key_label = str(label(key))
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
    old = _normal(old) if old else {}
    new = _normal(new) if new else {}
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
