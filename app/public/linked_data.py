"""schema.org ``GovernmentService`` for a procedure page, as a JSON-LD data block."""

from __future__ import annotations

from typing import Any

from app.models import Procedure
from app.presenters import localized, online_service_url
from app.public.summary import channel_label, display_name
from app.vocab import AgencyRole

ROLES_AS_PROVIDER = (AgencyRole.PERFORMING, AgencyRole.COMPETENT)


def _provider(proc: Procedure) -> dict | None:
    for link in proc.agency_links:
        if link.role in ROLES_AS_PROVIDER:
            return {"@type": "GovernmentOrganization", "name": str(localized(link.agency, "name"))}
    return None


def _channels(proc: Procedure, url: str) -> list[dict]:
    centre = proc.counter.centre if proc.counter else None
    out = []
    for channel in proc.channels:
        item: dict[str, Any] = {"@type": "ServiceChannel", "name": channel_label(channel.kind)}
        if channel.processing_days is not None:
            item["processingTime"] = f"P{channel.processing_days:g}D"
        if channel.kind == "online":
            item["serviceUrl"] = online_service_url(proc) or url
        elif channel.kind == "in_person" and centre is not None:
            item["serviceLocation"] = {"@type": "GovernmentOffice",
                                       "name": str(localized(centre, "name")),
                                       "address": centre.address}
        out.append(item)
    return out


def government_service(proc: Procedure, url: str) -> dict[str, Any]:
    """The record as schema.org sees it; demo codes are not given as identifiers."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": str(display_name(proc)),
        "alternateName": proc.official_name,
        "url": url,
        "availableChannel": _channels(proc, url),
    }
    description = localized(proc, "description")
    if description:
        data["description"] = str(description)
    if not proc.code_is_demo:
        data["identifier"] = proc.full_code
    if proc.field is not None:
        data["serviceType"] = str(localized(proc.field, "name"))
    provider = _provider(proc)
    if provider:
        data["provider"] = provider
    return data
