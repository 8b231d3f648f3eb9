"""Turn the rows of a province's list into drafts, with a report by row number.

A new code becomes a skeleton draft (name, code, field, time, fee text, the ways to apply and
the legal documents the list names), unpublished. For a code that exists, only empty fields
are filled, as a new draft over the working record: nothing is ever removed. A field (lĩnh
vực) the catalogue does not know is created and reported. The caller commits or rolls back,
so a dry run is the same work, rolled back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.importlist.decision import Decision, schedule_row_abolition, schedule_row_revision
from app.importlist.reader import CODE, ListRow
from app.models import Field, Level, Procedure, User
from app.records import RecordError, normalise_procedure
from app.revisions import drafts
from app.search.text import fold

CHANNEL_WORDS = (("truc tiep", "in_person"), ("truc tuyen", "online"), ("buu chinh", "post"))
DOCUMENT_NUMBER = re.compile(r"\b\d{1,4}/(?:\d{4}/)?[A-ZĐ0-9][A-ZĐa-z0-9Đ-]{1,40}")
NOTE = "import-list"


@dataclass
class ListReport:
    """What the list did (or would do), each entry naming its row."""

    created: list[tuple[str, str]] = field(default_factory=list)  # (row, code)
    updated: list[tuple[str, str, list[str]]] = field(default_factory=list)  # + keys filled
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (row, why)
    new_fields: list[str] = field(default_factory=list)
    # With a future decision date: (row, code, "revision" | "abolition", dd/mm/yyyy)
    scheduled: list[tuple[str, str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as text, one line per row, for the command line."""
        out = [f"created {where} {code}" for where, code in self.created]
        out += [f"updated {where} {code}: filled {', '.join(keys)}"
                for where, code, keys in self.updated]
        out += [f"unchanged {where} {code}" for where, code in self.unchanged]
        out += [f"rejected {where}: {why}" for where, why in self.rejected]
        out += [f"new field {name}" for name in self.new_fields]
        out += [f"scheduled {where} {code}: {what} from {day}"
                for where, code, what, day in self.scheduled]
        out.append(f"{len(self.created)} created, {len(self.updated)} updated, "
                   f"{len(self.unchanged)} unchanged, {len(self.rejected)} rejected, "
                   f"{len(self.new_fields)} new fields")
        return out


def split_code(text: str) -> tuple[str, str] | None:
    """("1.001193", "000.00.00.H38") from a code with a provincial suffix; None if no code."""
    match = CODE.match(text)
    return (match.group(1), match.group(2).lstrip(".")) if match else None


def apply_rows(rows: list[ListRow], author: User | None, source: str,
               decision: Decision | None = None) -> ListReport:
    """Store every acceptable row as a draft in the open transaction; report all of them.

    With a ``decision`` whose date is still to come, drafts become revisions scheduled for
    that date and abolished rows scheduled abolitions (``app.importlist.decision``).
    """
    report = ListReport()
    seen: dict[str, str] = {}
    fields = _FieldFinder(report)
    dated = decision if decision is not None and decision.in_future else None
    for row in rows:
        if dated is not None and row.abolished:
            _abolish(row, dated, report)
            continue
        why = _problem(row, seen)
        if why:
            report.rejected.append((row.where, why))
            continue
        code, suffix = split_code(row.cells["code"]) or ("", "")
        seen[code] = row.where
        wanted = _record_from(row, code, suffix, fields.slug_for(_field_name(row)), source)
        try:
            with db.session.begin_nested():
                _store(row, code, wanted, author, report, dated)
        except RecordError as exc:
            report.rejected.append((row.where, str(exc)))
    return report


def _abolish(row: ListRow, decision: Decision, report: ListReport) -> None:
    code = (split_code(row.cells.get("code", "")) or ("", ""))[0]
    why = schedule_row_abolition(code, row.cells.get("name", ""), decision) if code else (
        "no procedure code (Mã TTHC)")
    if why:
        report.rejected.append((row.where, why))
    else:
        report.scheduled.append((row.where, code, "abolition",
                                 decision.effective_on.strftime("%d/%m/%Y")))


def _problem(row: ListRow, seen: dict[str, str]) -> str:
    code, name = row.cells.get("code", ""), row.cells.get("name", "")
    if row.abolished:
        return "the decision abolishes this procedure (bãi bỏ); it is not imported"
    if not code:
        return "no procedure code (Mã TTHC)" if name else "no code and no name"
    if split_code(code) is None:
        return f"{code[:60]!r} is not a procedure code like 1.001193"
    if not name:
        return "no procedure name (Tên thủ tục hành chính)"
    national = split_code(code)[0]
    if national in seen:
        return f"code {national} already on row {seen[national]}"
    return ""


def _field_name(row: ListRow) -> str:
    return (row.cells.get("field") or row.group or "").strip()


def _record_from(row: ListRow, code: str, suffix: str, field_slug: str | None,
                 source: str) -> dict:
    """The skeleton the row describes, in the record format."""
    cells = row.cells
    kinds = [kind for words, kind in CHANNEL_WORDS if words in fold(cells.get("channels", ""))]
    time = cells.get("time", "")
    numbers = list(dict.fromkeys(DOCUMENT_NUMBER.findall(cells.get("legal", ""))))
    return {
        "code": code, "local_suffix": suffix, "official_name": cells["name"],
        "field": field_slug, "level": _level_slug(cells.get("level", "")),
        "fee_note": cells.get("fee", ""), "source": source,
        "channels": [{"kind": kind, "processing_time": time} for kind in kinds or
                     (["in_person"] if time else [])],
        "legal_bases": [{"number": number} for number in numbers],
    }


def _level_slug(text: str) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    for level in db.session.scalars(select(Level)):
        if fold(level.name) in folded:
            return level.slug
    return None


def _store(row: ListRow, code: str, wanted: dict, author: User | None,
           report: ListReport, decision: Decision | None = None) -> None:
    proc = db.session.scalar(select(Procedure).filter_by(code=code))
    if proc is None:
        proc, rev = drafts.create({**wanted, "slug": _free_slug(wanted["official_name"], code)},
                                  author, note=NOTE)
        report.created.append((row.where, code))
        _schedule(proc, rev, decision, row, "add", report)
        return
    current = normalise_procedure(drafts.working_record(proc))
    filled = fill_empty(current, wanted)
    if not filled:
        report.unchanged.append((row.where, code))
        return
    rev = drafts.save_draft(proc, current, author, proc.lock_version, note=NOTE)
    report.updated.append((row.where, code, filled))
    _schedule(proc, rev, decision, row, "amend", report)


def _schedule(proc: Procedure, rev, decision: Decision | None, row: ListRow, action: str,
              report: ListReport) -> None:
    if decision is None:
        return
    schedule_row_revision(proc, rev, decision, row.cells.get("name", ""), action)
    report.scheduled.append((row.where, proc.code, "revision",
                             decision.effective_on.strftime("%d/%m/%Y")))


def fill_empty(current: dict, wanted: dict) -> list[str]:
    """Copy into ``current`` what ``wanted`` has and ``current`` lacks; the keys filled.

    Nothing is removed or overwritten: a channel with a time keeps it, documents, fees and
    steps are never touched.
    """
    filled = []
    for key in ("field", "level", "fee_note", "local_suffix"):
        if wanted.get(key) and not current.get(key):
            current[key] = wanted[key]
            filled.append(key)
    if wanted["legal_bases"] and not current.get("legal_bases"):
        current["legal_bases"] = wanted["legal_bases"]
        filled.append("legal_bases")
    if wanted["channels"] and not current.get("channels"):
        current["channels"] = wanted["channels"]
        filled.append("channels")
    elif wanted["channels"]:
        time = wanted["channels"][0]["processing_time"]
        blank = [c for c in current["channels"] if not c.get("processing_time")]
        for channel in blank:
            channel["processing_time"] = time
        if blank and time:
            filled.append("channels.processing_time")
    return filled


def _free_slug(name: str, code: str) -> str:
    base = "-".join(fold(name).split())[:150] or code.replace(".", "-")
    slug, n = base, 1
    while db.session.scalar(select(Procedure.id).filter_by(slug=slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


class _FieldFinder:
    """Fields by folded name; unknown names become new fields (reported once)."""

    def __init__(self, report: ListReport) -> None:
        self.report = report
        self.by_name = {fold(f.name): f for f in db.session.scalars(select(Field))}

    def slug_for(self, name: str) -> str | None:
        if not name:
            return None
        key = fold(name)
        found = self.by_name.get(key)
        if found is None:
            found = Field(slug=self._free_slug(key), name=name[:200],
                          position=(db.session.scalar(select(func.max(Field.position))) or 0) + 1)
            db.session.add(found)
            db.session.flush()
            self.by_name[key] = found
            self.report.new_fields.append(name)
        return found.slug

    @staticmethod
    def _free_slug(folded: str) -> str:
        base = "-".join(folded.split())[:70] or "linh-vuc"
        slug, n = base, 1
        while db.session.scalar(select(Field.id).filter_by(slug=slug)) is not None:
            n += 1
            slug = f"{base}-{n}"
        return slug
