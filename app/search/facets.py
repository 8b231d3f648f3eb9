"""Facet counts with their labels, in the order people expect to read them."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.extensions import db
from app.models import Field, Level
from app.models.procedure import ONLINE_CLASSES
from app.search.documents import Meta
from app.search.results import FacetValue


def applicant_labels(meta: list[Meta | None]) -> dict[str, str]:
    """Applicant key → the label as the data spells it ("cong-dan-viet-nam" → "Công dân …")."""
    labels: dict[str, str] = {}
    for m in meta:
        if m is not None:
            for label, key in zip(m.applicants, m.facets["applicant"], strict=True):
                labels.setdefault(key, label)
    return labels


def describe(counts: dict[str, Counter], filters: dict[str, str],
             applicants: dict[str, str]) -> dict[str, list[FacetValue]]:
    """Labelled facet values; a selected value is listed even when it now counts zero."""
    for name, value in filters.items():
        if value and name in counts:
            counts[name].setdefault(value, 0)
    out: dict[str, list[FacetValue]] = {}
    fields = {f.slug: (f.name, f.name_en, f.position) for f in db.session.scalars(
        select(Field).where(Field.slug.in_(list(counts.get("field", {})))))}
    out["field"] = sorted(
        (FacetValue(slug, n, *fields.get(slug, (slug, ""))[:2], filters.get("field") == slug)
         for slug, n in counts.get("field", {}).items()),
        key=lambda v: (-v.count, fields.get(v.value, ("", "", 0))[2]))
    levels = {lv.slug: (lv.name, lv.name_en, lv.position) for lv in db.session.scalars(
        select(Level).where(Level.slug.in_(list(counts.get("level", {})))))}
    out["level"] = sorted(
        (FacetValue(slug, n, *levels.get(slug, (slug, ""))[:2], filters.get("level") == slug)
         for slug, n in counts.get("level", {}).items()),
        key=lambda v: levels.get(v.value, ("", "", 99))[2])
    online = counts.get("online", {})
    out["online"] = [FacetValue(c, online[c], "", "", filters.get("online") == c)
                     for c in ONLINE_CLASSES if c in online]
    out["applicant"] = sorted(
        (FacetValue(key, n, applicants.get(key, key), "", filters.get("applicant") == key)
         for key, n in counts.get("applicant", {}).items()),
        key=lambda v: (-v.count, v.label))
    free = counts.get("free", {})
    out["free"] = [FacetValue("yes", free["yes"], "", "", filters.get("free") == "yes")
                   ] if "yes" in free else []
    return out
