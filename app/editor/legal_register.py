"""The register of legal documents, for publishers: list, add, edit, mark replaced or expired.

Entries are live at once (they have no drafts): marking one replaced or expired puts every
procedure that cites it on the dashboard as needing review, and public pages mark the
citation at once. Pages that show a changed entry are re-indexed so their text stays current.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app import search
from app.dates import today_local
from app.editor import audit, review_bp
from app.editor.dayfield import DmyField, day_hint
from app.editor.forms import options
from app.extensions import db
from app.legal.citations import citing
from app.legal.status import guess_kind
from app.models import LegalDocument
from app.models.procedure import utcnow
from app.vocab import DocumentKind, DocumentStatus

TEXTS = ("number", "kind", "title", "issuer", "url", "note")
DATES = ("issued_on", "valid_from", "valid_until")


def _kind_choices() -> list:
    """The kinds as written in Vietnamese, with the label beside them where it says more
    ("Thông tư (Circular)" in English; just "Thông tư" in Vietnamese). Built per request."""
    named = [(kind, kind if str(label) == kind else f"{kind} ({label})")
             for kind, label in DocumentKind.labels().items()]
    return options([("", _("Worked out from the number")), *named])


class LegalDocumentForm(FlaskForm):
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=120)],
                         description=_l("As printed on the document, like 64/2025/TT-BTC."))
    kind = SelectField(_l("Kind"), choices=_kind_choices)
    title = TextAreaField(_l("Title"), validators=[Length(max=2000)])
    issuer = StringField(_l("Issued by"), validators=[Length(max=200)])
    issued_on = DmyField(_l("Issued on"), description=day_hint())
    valid_from = DmyField(_l("In force from"), description=day_hint())
    valid_until = DmyField(_l("In force until"),
                           description=day_hint(_l("The last day it applies; empty when open.")))
    replaced_by = StringField(_l("Replaced by"), validators=[Length(max=120)],
                              description=_l("The number of the document that replaces it."))
    status = SelectField(_l("Status"), choices=options([
        ("", _l("Worked out from the dates and the replacement")),
        *DocumentStatus.labels().items()]),
        description=_l("Set it by hand only when the dates do not tell the whole story."))
    url = StringField(_l("Link to the text"), validators=[
        Length(max=500), Optional(),
        Regexp(r"^https?://\S+$", message=_l("Enter a web address starting with https://."))])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


EXPIRING_DAYS = 90  # "sắp hết hiệu lực": in force today, out within this many days


def titled(doc: LegalDocument) -> str:
    """The kind and title as one name, the kind once: most titles already start with it
    ("Thông tư quy định …"), which the register used to print after the kind again."""
    title, kind = (doc.title or "").strip(), (doc.kind or "").strip()
    if not kind or title.casefold().startswith(kind.casefold()):
        return title
    return f"{kind} {title}".strip()


def _ends_soon(doc: LegalDocument, today: date) -> bool:
    if doc.status_on(today) != "in_force":
        return False
    last = today + timedelta(days=EXPIRING_DAYS)
    successor = doc.replaced_by
    return ((doc.valid_until is not None and doc.valid_until <= last)
            or (successor is not None and successor.valid_from is not None
                and successor.valid_from <= last + timedelta(days=1)))


# name → (label, test on a document given today and the citations); one definition each.
FILTERS = {
    "expiring": (_l("Ending soon"), lambda doc, today, cited: _ends_soon(doc, today)),
    "replaced": (_l("Replaced"),
                 lambda doc, today, cited: doc.status_on(today) == "replaced"),
    # "chưa có ngày": nobody has entered when it came into force, so its status is a guess.
    "undated": (_l("No date"), lambda doc, today, cited: doc.valid_from is None),
    "cited": (_l("Cited"), lambda doc, today, cited: bool(cited.get(doc.number))),
}


@review_bp.get("/legal-documents")
def legal_register() -> ResponseReturnValue:
    today = today_local()
    shown, error = request.args.get("show", ""), ""
    if shown and shown not in FILTERS:
        shown, error = "", _("Unknown filter: choose one of the links above the list.")
    docs = list(db.session.scalars(select(LegalDocument).options(
        selectinload(LegalDocument.replaced_by)).order_by(LegalDocument.number)))
    cited = citing((doc.number for doc in docs), today)
    counts = {name: sum(1 for doc in docs if keep(doc, today, cited))
              for name, (_label, keep) in FILTERS.items()}
    if shown:
        docs = [doc for doc in docs if FILTERS[shown][1](doc, today, cited)]
    return render_template("editor/legal_register.html", docs=docs, cited=cited, today=today,
                           titled=titled, filters=FILTERS, counts=counts, shown=shown,
                           error=error), 400 if error else 200


@review_bp.route("/legal-documents/new", methods=["GET", "POST"],
                 defaults={"document_id": None})
@review_bp.route("/legal-documents/<int:document_id>", methods=["GET", "POST"])
def legal_document_edit(document_id: int | None) -> ResponseReturnValue:
    doc = db.session.get(LegalDocument, document_id) if document_id else None
    if document_id and doc is None:
        abort(404)
    form = LegalDocumentForm(obj=doc)
    if doc is not None and not form.is_submitted():
        form.replaced_by.data = doc.replaced_by.number if doc.replaced_by else ""
        form.status.data = doc.status or ""
    if form.validate_on_submit() and _check(form, doc):
        return _save(form, doc)
    today = today_local()
    citations = citing([doc.number], today).get(doc.number, []) if doc else []
    return render_template("editor/legal_document.html", form=form, doc=doc,
                           citations=citations, today=today), 422 if form.errors else 200


def _by_number(number: str) -> LegalDocument | None:
    # Exact match: SQLite's lower() leaves Đ alone, so a case-folded match would differ by
    # database; numbers are written one way anyway.
    return db.session.scalar(select(LegalDocument).filter_by(number=number.strip()))


def _check(form: LegalDocumentForm, doc: LegalDocument | None) -> bool:
    """Rules across fields; errors go on the fields, as the error summary expects."""
    clash = _by_number(form.number.data)
    if clash is not None and clash is not doc:
        form.number.errors.append(_("Another entry already has this number."))
    wanted = (form.replaced_by.data or "").strip()
    if wanted:
        successor = _by_number(wanted)
        if successor is None or successor is doc:
            form.replaced_by.errors.append(
                _("Add the new document to the register first, then choose it here."))
    if form.valid_from.data and form.valid_until.data \
            and form.valid_until.data < form.valid_from.data:
        form.valid_until.errors.append(_("The last day cannot come before the first."))
    return not (form.number.errors or form.replaced_by.errors or form.valid_until.errors)


def _save(form: LegalDocumentForm, doc: LegalDocument | None) -> Response:
    today = today_local()
    before = doc.status_on(today) if doc is not None else None
    if doc is None:
        doc = LegalDocument()
        db.session.add(doc)
    old_numbers = {doc.number} if doc.number else set()
    for name in TEXTS:
        setattr(doc, name, (form[name].data or "").strip())
    doc.kind = doc.kind or guess_kind(doc.number)
    for name in DATES:
        setattr(doc, name, form[name].data)
    wanted = (form.replaced_by.data or "").strip()
    doc.replaced_by = _by_number(wanted) if wanted else None
    doc.status = form.status.data or None
    db.session.flush()
    if doc.status_on(today) != before:
        doc.status_changed_at = utcnow()  # procedures reviewed before this need a new look
    for procs in citing(old_numbers | {doc.number}, today).values():
        for proc in procs:
            search.index(proc.id)
    audit.record("legal_document_saved", f"legal_document:{doc.number}", doc.status_on(today))
    db.session.commit()
    search.sync()
    flash(_("Saved."), "success")
    return redirect(url_for(".legal_register"))
