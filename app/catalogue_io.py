"""Whole-catalogue load and export in the format of docs/record-format.md.

``load_catalogue`` upserts by natural key (slug, code, term, counter number), so loading the
same data twice changes nothing; it reports what it created, changed and rejected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import search
from app.extensions import db
from app.legal.register import ensure_cited, export_register, load_register
from app.models import (
    Abbreviation,
    Agency,
    Centre,
    Counter,
    ElsewherePointer,
    FeeCondition,
    Field,
    Level,
    LifeEvent,
    LifeEventStep,
    Procedure,
    Sector,
    Synonym,
)
from app.records import RecordError, apply_procedure, procedure_to_dict
from app.schedule.demo import load_scheduled

DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def read_catalogue_dir(directory: Path = DEMO_DIR) -> dict[str, Any]:
    """Merge every ``*.json`` of a directory, in name order, into one catalogue."""
    merged: dict[str, Any] = {}
    for path in sorted(directory.glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = value
    return merged


def _upsert(model: type, key: str, value: Any, values: dict, report: LoadReport) -> Any:
    row = db.session.scalar(select(model).filter_by(**{key: value}))
    if row is None:
        row = model(**{key: value})
        db.session.add(row)
        report.created.append(f"{model.__tablename__}:{value}")
    elif any(getattr(row, k) != v for k, v in values.items()):
        report.changed.append(f"{model.__tablename__}:{value}")
    for name, new in values.items():
        if getattr(row, name) != new:
            setattr(row, name, new)
    return row


def _texts(item: dict, *names: str) -> dict:
    return {name: item.get(name) or "" for name in names}


def _load_reference(data: dict, report: LoadReport) -> None:
    for i, item in enumerate(data.get("levels", [])):
        _upsert(Level, "slug", item["slug"],
                {**_texts(item, "name", "name_en"), "position": i}, report)
    for i, item in enumerate(data.get("sectors", [])):
        _upsert(Sector, "slug", item["slug"],
                {**_texts(item, "name", "name_en"), "position": i}, report)
    db.session.flush()
    for i, item in enumerate(data.get("fields", [])):
        sector = db.session.scalar(select(Sector).filter_by(slug=item.get("sector")))
        values = _texts(item, "name", "name_en", "description", "description_en")
        _upsert(Field, "slug", item["slug"], {**values, "position": i, "sector": sector}, report)
    for item in data.get("agencies", []):
        level = db.session.scalar(select(Level).filter_by(slug=item.get("level")))
        _upsert(Agency, "slug", item["slug"],
                {**_texts(item, "name", "name_en"), "level": level}, report)
    for i, item in enumerate(data.get("fee_conditions", [])):
        _upsert(FeeCondition, "slug", item["slug"],
                {**_texts(item, "name", "name_en"), "position": i}, report)
    if "centre" in data:
        _load_centre(data["centre"], report)
    db.session.flush()


def _load_centre(item: dict, report: LoadReport) -> None:
    centre = db.session.scalar(select(Centre)) or Centre(name="")
    if centre.id is None:
        db.session.add(centre)
        report.created.append("centre")
    values = _texts(item, "name", "name_en", "address", "phone", "email", "opening_hours",
                    "opening_hours_en")
    if any(getattr(centre, k) != v for k, v in values.items()):
        for name, value in values.items():
            setattr(centre, name, value)
    known = {c.number: c for c in centre.counters}
    for counter in item.get("counters", []):
        number = str(counter["number"])
        row = known.get(number)
        if row is None:
            row = Counter(number=number)
            centre.counters.append(row)
        for name, value in _texts(counter, "name", "name_en").items():
            if getattr(row, name) != value:
                setattr(row, name, value)


def _store(code: str, record: dict, report: LoadReport) -> Procedure | None:
    """Apply one record in a savepoint; a bad record is reported and leaves no trace."""
    proc = db.session.scalar(select(Procedure).filter_by(code=code))
    try:
        with db.session.begin_nested():
            if proc is None:
                proc = Procedure(code=code)
                db.session.add(proc)
            changed = apply_procedure(proc, record)
    except (RecordError, KeyError, TypeError, AttributeError) as exc:
        report.rejected.append((code, str(exc)))
        return None
    return proc if changed else None


def _load_procedures(items: list[dict], report: LoadReport) -> None:
    # New records are first stored without their replaced_by link, so a record may point at
    # one that comes later in the file; the second pass applies every record in full.
    existing = set(db.session.scalars(select(Procedure.code)))
    for item in items:
        code = str(item.get("code") or "?")
        if code not in existing and _store(code, {**item, "replaced_by": None}, report):
            report.created.append(f"procedure:{code}")
    rejected = {code for code, _ in report.rejected}
    for item in items:
        code = str(item.get("code") or "?")
        if code in rejected:
            continue
        proc = _store(code, item, report)
        if proc is not None and code in existing:
            report.changed.append(f"procedure:{code}")
        if proc is not None or f"procedure:{code}" in report.created:
            db.session.flush()
            search.index(db.session.scalar(select(Procedure.id).filter_by(code=code)))


def _load_content(data: dict, report: LoadReport) -> None:
    for item in data.get("synonyms", []):
        _upsert(Synonym, "term", item["term"].strip().lower(),
                {"expansion": item["expansion"]}, report)
    for item in data.get("abbreviations", []):  # kept as written: "GCN QSDĐ"
        _upsert(Abbreviation, "term", item["term"].strip(), {"expansion": item["expansion"]},
                report)
    for item in data.get("elsewhere", []):  # requests handled elsewhere (issue 25)
        values = {"place": item["where"].strip(),
                  "place_en": (item.get("where_en") or "").strip(),
                  "url": (item.get("url") or "").strip()}
        term = " ".join(item["term"].split())
        problem = elsewhere_problem(term, values)
        if problem:
            report.rejected.append((f"elsewhere:{term[:60]}", problem))
        else:
            _upsert(ElsewherePointer, "term", term, values, report)
    for i, item in enumerate(data.get("life_events", [])):
        values = _texts(item, "name", "name_en", "description", "description_en")
        event = _upsert(LifeEvent, "slug", item["slug"], {**values, "position": i}, report)
        wanted = [
            (s.get("title", ""), s.get("title_en") or "", s.get("note") or "", s.get("procedure"))
            for s in item.get("steps", [])
        ]
        current = [
            (s.title, s.title_en, s.note, s.procedure.code if s.procedure else None)
            for s in event.steps
        ]
        codes = {code for *_, code in wanted if code}
        known = set(db.session.scalars(select(Procedure.code).where(Procedure.code.in_(codes))))
        if codes - known:
            report.rejected.append((f"life_event:{item['slug']}",
                                    f"unknown procedure codes {sorted(codes - known)}"))
            continue
        if wanted != current:
            event.steps = [
                LifeEventStep(
                    position=j, title=title, title_en=title_en, note=note,
                    procedure=db.session.scalar(select(Procedure).filter_by(code=code))
                    if code else None,
                )
                for j, (title, title_en, note, code) in enumerate(wanted)
            ]


def elsewhere_problem(term: str, values: dict[str, str]) -> str:
    """Why a pointer elsewhere cannot be stored ("" when it can): the column limits, and a
    link that is a web address (it is shown to citizens)."""
    if not term or not values["place"]:
        return "term and where are required"
    if max(len(term), len(values["place"]), len(values["place_en"])) > 300:
        return "term, where and where_en are at most 300 characters"
    url = values["url"]
    if url and (len(url) > 500 or not url.startswith(("https://", "http://")) or " " in url):
        return "url must be an http(s) address of at most 500 characters"
    return ""


def load_catalogue(data: dict[str, Any]) -> LoadReport:
    """Upsert everything in ``data``; the caller commits (or rolls back on a bad report)."""
    report = LoadReport()
    _load_reference(data, report)
    _load_procedures(data.get("procedures", []), report)
    _load_content(data, report)
    load_register(data.get("legal_documents") or [], report)
    ensure_cited(report)  # every cited number has a register entry
    load_scheduled(data.get("scheduled_changes") or [], report)  # app.schedule.demo
    db.session.flush()
    return report


def export_catalogue() -> dict[str, Any]:
    """Everything, in the format ``load_catalogue`` reads."""
    centre = db.session.scalar(select(Centre))
    out: dict[str, Any] = {}
    if centre:
        out["centre"] = {
            **{k: getattr(centre, k) for k in ("name", "name_en", "address", "phone", "email",
                                                "opening_hours", "opening_hours_en")},
            "counters": [{"number": c.number, "name": c.name, "name_en": c.name_en}
                         for c in centre.counters if c.retired_at is None],
        }
    order = (Level.position, Level.id)
    out["levels"] = [{"slug": x.slug, "name": x.name, "name_en": x.name_en}
                     for x in db.session.scalars(select(Level).order_by(*order))]
    out["sectors"] = [{"slug": x.slug, "name": x.name, "name_en": x.name_en}
                      for x in db.session.scalars(select(Sector).order_by(Sector.position))]
    out["fields"] = [
        {"slug": x.slug, "name": x.name, "name_en": x.name_en, "description": x.description,
         "description_en": x.description_en, "sector": x.sector.slug if x.sector else None}
        for x in db.session.scalars(select(Field).order_by(Field.position))
    ]
    out["agencies"] = [
        {"slug": x.slug, "name": x.name, "name_en": x.name_en,
         "level": x.level.slug if x.level else None}
        for x in db.session.scalars(select(Agency).order_by(Agency.id))
    ]
    out["fee_conditions"] = [
        {"slug": x.slug, "name": x.name, "name_en": x.name_en}
        for x in db.session.scalars(select(FeeCondition).order_by(FeeCondition.position))
    ]
    out["procedures"] = [procedure_to_dict(p)
                         for p in db.session.scalars(select(Procedure).order_by(Procedure.id))]
    out["synonyms"] = [{"term": s.term, "expansion": s.expansion}
                       for s in db.session.scalars(select(Synonym).order_by(Synonym.term))]
    out["abbreviations"] = [{"term": a.term, "expansion": a.expansion} for a in
                            db.session.scalars(select(Abbreviation).order_by(Abbreviation.term))]
    out["elsewhere"] = [{"term": e.term, "where": e.place, "where_en": e.place_en, "url": e.url}
                        for e in db.session.scalars(select(ElsewherePointer)
                                                    .order_by(ElsewherePointer.term))]
    out["life_events"] = [
        {"slug": e.slug, "name": e.name, "name_en": e.name_en, "description": e.description,
         "description_en": e.description_en,
         "steps": [{"title": s.title, "title_en": s.title_en, "note": s.note,
                    "procedure": s.procedure.code if s.procedure else None} for s in e.steps]}
        for e in db.session.scalars(select(LifeEvent).order_by(LifeEvent.position))
    ]
    out["legal_documents"] = export_register()
    return out
