"""Facet counts with their labels, in the order people expect to read them."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Field, Level
from app.models.procedure import ONLINE_CLASSES
from app.search.documents import Meta
from app.search.results import FacetValue

LABELS_SECONDS = 30.0  # fields and levels are renamed rarely; a search need not ask each time
_labels: dict[str, tuple[float, dict[str, dict[str, tuple[str, str, int]]]]] = {}


def applicant_labels(meta: list[Meta | None]) -> dict[str, str]:
    """Applicant key → the label as the data spells it ("cong-dan-viet-nam" → "Công dân …")."""
    labels: dict[str, str] = {}
    for m in meta:
        if m is not None:
            for label, key in zip(m.applicants, m.facets["applicant"], strict=True):
                labels.setdefault(key, label)
    return labels


def _reference() -> dict[str, dict[str, tuple[str, str, int]]]:
    """Slug → (name, English name, position) of fields and levels, cached briefly."""
    key = str(db.engine.url)
    cached = _labels.get(key)
    if cached and time.monotonic() - cached[0] < LABELS_SECONDS:
        return cached[1]
    models: tuple[tuple[str, Any], ...] = (("field", Field), ("level", Level))
    found = {name: {row.slug: (row.name, row.name_en, row.position)
                    for row in db.session.scalars(select(model))}
             for name, model in models}
    _labels[key] = (time.monotonic(), found)
    return found


def describe(counts: dict[str, dict[str, int]], filters: dict[str, str],
             applicants: dict[str, str]) -> dict[str, list[FacetValue]]:
    """Labelled facet values; a selected value is listed even when it now counts zero."""
    for name, value in filters.items():
        if value and name in counts:
            counts[name].setdefault(value, 0)
    reference = _reference()
    out: dict[str, list[FacetValue]] = {}
    for name in ("field", "level"):
        known = reference[name]
        values = [FacetValue(slug, n, *known.get(slug, (slug, "", 0))[:2],
                             selected=filters.get(name) == slug)
                  for slug, n in counts.get(name, {}).items()]
        if name == "field":  # the biggest first: that is where people look
            values.sort(key=lambda v: (-v.count, known.get(v.value, ("", "", 0))[2]))
        else:  # levels read top-down, as government is organised
            values.sort(key=lambda v: known.get(v.value, ("", "", 99))[2])
        out[name] = values
    online = counts.get("online", {})
    out["online"] = [FacetValue(c, online[c], "", selected=filters.get("online") == c)
                     for c in ONLINE_CLASSES if c in online]
    out["applicant"] = sorted(
        (FacetValue(key, n, applicants.get(key, key), selected=filters.get("applicant") == key)
         for key, n in counts.get("applicant", {}).items()),
        key=lambda v: (-v.count, v.label))
    free = counts.get("free", {})
    out["free"] = [FacetValue("yes", free["yes"], "", selected=filters.get("free") == "yes")
                   ] if "yes" in free else []
    return out
