"""``/api/v1/legal-documents``: the register of legal documents, with each one's status today
(Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from sqlalchemy import select

from app.api import bp
from app.api.errors import json_error
from app.dates import today_local
from app.extensions import db
from app.models import LegalDocument


def document_item(doc: LegalDocument) -> dict[str, Any]:
    """One entry as API users see it; ``replaced_by`` is the replacing entry's id."""
    def iso(value):
        return value.isoformat() if value else None

    return {
        "id": doc.id, "number": doc.number, "kind": doc.kind, "title": doc.title,
        "issuer": doc.issuer, "issued_on": iso(doc.issued_on), "valid_from": iso(doc.valid_from),
        "valid_until": iso(doc.valid_until), "status": doc.status_on(today_local()),
        "replaced_by": doc.replaced_by_id, "url": doc.url or None,
    }


@bp.get("/legal-documents")
def legal_documents() -> Response:
    docs = list(db.session.scalars(select(LegalDocument).order_by(LegalDocument.id)))
    return jsonify({"items": [document_item(doc) for doc in docs], "total": len(docs)})


@bp.get("/legal-documents/<int:document_id>")
def legal_document(document_id: int) -> Response:
    doc = db.session.get(LegalDocument, document_id)
    if doc is None:
        return json_error(404, f"no legal document has the id {document_id}")
    return jsonify(document_item(doc))
