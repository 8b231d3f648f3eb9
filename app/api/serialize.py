"""The public API's own contract: what citizens' software may rely on, and nothing else.

The storage record (``app.records``) serves import, export and editor revisions; it carries
workflow fields (``published``, ``popularity``, lock versions) that are nobody's business outside
the centre. This module says, key by key, what ``/api/v1`` publishes; ``app.api.schema``
describes exactly these shapes in ``openapi.json`` and the schemathesis run holds them together.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app

from app.fees import fees_in_force, scheduled
from app.models import Channel, Fee, Procedure
from app.siteurl import absolute_url_for
from app.vocab import CodeKind


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def procedure_url(proc: Procedure, page_on: date | None = None) -> str:
    """The procedure's public page (Vietnamese), under ``SITE_URL``; with ``page_on`` (a
    request as of a date), the page as of that date, like the item it is the address of."""
    dated = {"on": page_on.isoformat()} if page_on is not None else {}
    return absolute_url_for("public.procedure", slug=proc.slug, **dated)


def condition(fee: Fee) -> dict | None:
    cond = fee.condition
    if cond is None:
        return None
    return {"slug": cond.slug, "name": cond.name, "name_en": cond.name_en}


def fee(item: Fee, channel_kind: str) -> dict:
    """One fee version, as charged on one channel. ``amount`` is whole đồng per unit: 0 is
    free, null is not known. A fee stored once for several channels (``Fee.channels``) is
    listed under each of them, as the API always did."""
    return {
        "name": item.name, "name_en": item.name_en, "kind": item.kind, "amount": item.amount,
        "unit": item.unit,
        "cap": item.cap, "free": item.amount == 0,
        "tiers": [{"from_unit": t.from_unit, "amount": t.amount} for t in item.tiers],
        "exempt_groups": item.exempt_groups, "legal_basis": item.legal_basis,
        "basis_document": item.basis_document or None, "basis_article": item.basis_article,
        "note": item.note, "verified": bool(item.verified),
        "valid_from": _iso(item.valid_from), "valid_until": _iso(item.valid_until),
        "condition": condition(item), "channel": channel_kind,
    }


def _channel_fees(channel: Channel, on: date) -> tuple[list[dict], list[dict]]:
    current, upcoming = fees_in_force(channel.fees, on), scheduled(channel, on)
    return ([fee(f, channel.kind) for f in current], [fee(f, channel.kind) for f in upcoming])


def list_item(proc: Procedure, on: date, page_on: date | None = None) -> dict:
    fees: list[dict] = []
    for channel in proc.channels:
        fees.extend(_channel_fees(channel, on)[0])
    return {
        "code": proc.code, "name": proc.name, "official_name": proc.official_name,
        "slug": proc.slug, "url": procedure_url(proc, page_on),
        "field": proc.field.slug if proc.field else None,
        "online_class": proc.online_class, "fees": fees,
    }


def _channel(channel: Channel, on: date) -> dict:
    current, upcoming = _channel_fees(channel, on)
    return {"kind": channel.kind, "processing_time": channel.processing_time,
            "processing_time_en": channel.processing_time_en,
            "processing_days": channel.processing_days, "note": channel.note,
            "fees": current, "upcoming_fees": upcoming}


def _documents(proc: Procedure) -> list[dict]:
    return [{"title": case.title, "title_en": case.title_en, "slug": case.slug, "documents": [
        {"name": d.name, "originals": d.originals, "copies": d.copies,
         "form_name": d.form_name, "form_url": d.form_url or None,
         "form_file_url": absolute_url_for("public.form_file", name=d.form_file)
         if d.form_file else None}
        for d in case.documents]} for case in proc.document_cases]


def _legal_bases(proc: Procedure) -> list[dict]:
    return [{"number": b.number, "title": b.title, "issuer": b.issuer,
             "issued_on": _iso(b.issued_on), "articles": b.articles}
            for b in proc.legal_bases]


def procedure(proc: Procedure, on: date, page_on: date | None = None) -> dict:
    """The whole public record of ``proc``, with the fees in force on ``on``; ``page_on``: its
    page's date when the request asked for one (``?on=``)."""
    config = current_app.config
    return {
        "code": proc.code, "code_kind": CodeKind.LOCAL if proc.code_is_demo else CodeKind.NATIONAL,
        "local_suffix": proc.local_suffix, "decision_number": proc.decision_number,
        "name": proc.name, "official_name": proc.official_name, "plain_name": proc.plain_name,
        "name_en": proc.name_en, "slug": proc.slug, "url": procedure_url(proc, page_on),
        "field": proc.field.slug if proc.field else None,
        "level": proc.level.slug if proc.level else None,
        "procedure_type": proc.procedure_type, "applicant_types": list(proc.applicant_types),
        "description": proc.description, "description_en": proc.description_en,
        "result": proc.result, "result_en": proc.result_en, "conditions": proc.conditions,
        "number_of_sets": proc.number_of_sets, "intake_place": proc.intake_place,
        "counter": proc.counter.number if proc.counter else None,
        "keywords": list(proc.keywords), "fee_note": proc.fee_note,
        "online_class": proc.online_class, "legacy_level": proc.legacy_level,
        "online_service_url": proc.online_service_url(config["ONLINE_SERVICE_URL_TEMPLATE"]),
        "portal_url": proc.portal_url(config.get("PORTAL_DETAIL_URL_TEMPLATE", "")),
        "status": proc.status,
        "replaced_by": proc.replaced_by.code if proc.replaced_by else None,
        "source": proc.source, "source_url": proc.source_url or None,
        "last_reviewed": proc.reviewed_at.isoformat() if proc.reviewed_at else None,
        "updated_at": proc.updated_at.isoformat(),
        "fees_on": on.isoformat(),
        "steps": [s.text for s in proc.steps],
        "channels": [_channel(c, on) for c in proc.channels],
        "document_cases": _documents(proc),
        "legal_bases": _legal_bases(proc),
        "agencies": [{"agency": a.agency.slug, "name": a.agency.name, "role": a.role}
                     for a in proc.agency_links],
    }


def page(items: list[Any], total: int, page_number: int, per_page: int, pages: int) -> dict:
    return {"items": items, "total": total, "page": page_number, "per_page": per_page,
            "pages": pages}
