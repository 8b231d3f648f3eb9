"""The public register page (``/van-ban-phap-luat``) and the template helpers procedure pages
use to mark a citation that is no longer in force. Registered on the public blueprint, so the
kiosk and English mounts serve it too."""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.collation import vi_key
from app.dates import dmy, today_local
from app.extensions import db
from app.fees import fees_in_force
from app.legal.citations import citing
from app.legal.status import NOT_IN_FORCE, local_date, status_label
from app.models import LegalDocument, Procedure
from app.public import bp
from app.vocab import DocumentStatus

# Order of the page's groups: what no longer applies first, it is what people need to know.
GROUP_ORDER = (DocumentStatus.REPLACED, DocumentStatus.EXPIRED, DocumentStatus.IN_FORCE,
               DocumentStatus.NOT_YET_IN_FORCE)
PORTAL_HOME = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"


@bp.get("/van-ban-phap-luat")
def legal_documents() -> str:
    today = today_local()
    docs = sorted(db.session.scalars(
        select(LegalDocument).options(selectinload(LegalDocument.replaced_by))),
        key=lambda doc: (vi_key(doc.kind), doc.number))  # Vietnamese order (app.collation)
    cited = citing((doc.number for doc in docs), today)
    groups: dict[str, list[LegalDocument]] = {status: [] for status in GROUP_ORDER}
    for doc in docs:
        groups[doc.status_on(today)].append(doc)
    return render_template("public/legal_documents.html", groups=groups, cited=cited,
                           today=today)


@bp.get("/van-ban-phap-luat/<int:doc_id>")
def legal_document(doc_id: int) -> str:
    """One register entry and the published procedures citing it. The register page links
    here instead of listing every citing procedure, so it stays light as the register grows."""
    doc = db.get_or_404(LegalDocument, doc_id)
    today = today_local()
    procedures = citing([doc.number], today).get(doc.number, [])
    return render_template("public/legal_document.html", doc=doc, procedures=procedures)


def cited_document(number: str | None) -> LegalDocument | None:
    """The register entry a citation names. Looked up by number rather than through
    ``LegalBasis.document`` so the editor's preview (an unsaved procedure) is marked too."""
    if not number or not number.strip():
        return None
    return db.session.scalar(select(LegalDocument).filter_by(number=number.strip()))


def document_status(doc: LegalDocument | None) -> str | None:
    """``doc``'s status today, or None for a citation with no register entry."""
    return doc.status_on(today_local()) if doc is not None else None


def no_longer_in_force(doc: LegalDocument | None) -> bool:
    return document_status(doc) in NOT_IN_FORCE


def retired_fee_bases(proc: Procedure) -> list[LegalDocument]:
    """Documents that set a fee in force today but are themselves no longer in force: the
    fee page must not present such an amount as settled law."""
    found: dict[str, LegalDocument] = {}
    for fee in fees_in_force(proc):
        if no_longer_in_force(fee.document):
            found.setdefault(fee.document.number, fee.document)
    return list(found.values())


def is_skeleton(proc: Procedure) -> bool:
    """A record that says little more than its name (as an imported list makes it)."""
    return not proc.document_cases and not proc.steps


def portal_link(proc: Procedure) -> str:
    """Where the full record is: the portal's page for it when known, else the portal's list."""
    template = current_app.config.get("PORTAL_DETAIL_URL_TEMPLATE", "")
    return (proc.portal_url(template) if template else None) or PORTAL_HOME


TEMPLATE_GLOBALS = {
    "cited_document": cited_document, "document_status": document_status,
    "status_label": status_label,
    "no_longer_in_force": no_longer_in_force, "dmy": dmy, "is_skeleton": is_skeleton,
    "retired_fee_bases": retired_fee_bases, "portal_link": portal_link, "local_date": local_date,
}
for _name, _value in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_value, _name)
