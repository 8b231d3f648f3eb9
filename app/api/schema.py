"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Every operation, parameter (with its limits and enumerations, the catalogue's field and level
slugs included) and response body is described exactly: ``tests/test_api_contract.py`` runs
schemathesis against the live app with every check on, so a shape that drifts from
``app.api.serialize`` fails the suite. Closed sets come from ``app.vocab``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Field, Level
from app.search import SORTS
from app.vocab import (
    AgencyRole,
    ChannelKind,
    CodeKind,
    DocumentKind,
    DocumentStatus,
    FeeKind,
    FeeUnit,
    OnlineClass,
    ServicePointKind,
    Status,
)

MAX_QUERY_LENGTH = 500
# ``?at=`` of /service-points: a local date-time, minutes or seconds, no zone.
SP_AT_PATTERN = (r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
                 r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")
NO_NUL = "^[^\\u0000]*$"  # app.inputs refuses a NUL anywhere in an address (400)
MAX_PAGE = 1000
CODE_MAX_LENGTH = 60


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, dict], required: list[str] | None = None) -> dict:
    """An object whose keys are all present (``required`` defaults to every key)."""
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


def query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
# A procedure's public page; as of ``?on=`` when the request gave one.
PAGE_URL = {"type": "string", "format": "uri",
            "description": "The procedure's public page; with ?on=, the page as of that date."}
DATE = {"type": "string", "format": "date"}
COUNT = nullable({"type": "integer", "minimum": 0})
ERROR_RESPONSE = _json(ref("Error"), "A message saying what was wrong")
BOOLEAN = {"type": "string", "enum": ["", "true", "false", "1", "0", "yes", "no"]}
MONTH = {"type": "string", "pattern": r"^20[0-9]{2}-(0[1-9]|1[0-2])$"}


def _slugs(model: type) -> list[str]:
    return list(db.session.scalars(select(model.slug).order_by(model.slug))) or [""]


def _parameters() -> dict[str, dict]:
    fields = _slugs(Field)
    return {
        "page": query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                      "Page number, from 1"),
        "list_per_page": query("per_page", {"type": "integer", "minimum": 1, "maximum": 100},
                               "Items per page"),
        "search_per_page": query("per_page", {"type": "integer", "minimum": 1, "maximum": 50},
                                 "Hits per page"),
        "field": query("field", {"type": "string", "enum": fields}, "Field (lĩnh vực) slug"),
        # The search filters come from an HTML form too, where an unset filter is sent empty.
        "search_field": query("field", {"type": "string", "enum": ["", *fields]},
                              "Field (lĩnh vực) slug; empty = any"),
        "level": query("level", {"type": "string", "enum": ["", *_slugs(Level)]},
                       "Level (cấp thực hiện) slug; empty = any"),
        "on": query("on", DATE, "Answer as of this date (Asia/Ho_Chi_Minh); default today"),
        "q": query("q", {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": NO_NUL},
                   "What the person typed, diacritics optional (no NUL character)"),
    }


def _fee_schemas() -> dict[str, dict]:
    return {
        "FeeCondition": obj({"slug": STRING, "name": STRING, "name_en": STRING}),
        "FeeTier": obj({"from_unit": INTEGER, "amount": INTEGER}),
        "Fee": obj({
            "name": STRING, "name_en": STRING,
            "kind": {"type": "string", "enum": list(FeeKind.values())},
            "amount": nullable({"type": "integer", "description": "đồng per unit; 0 is free"}),
            "unit": {"type": "string", "enum": list(FeeUnit.values())},
            "cap": nullable(INTEGER), "free": {"type": "boolean"},
            "tiers": {"type": "array", "items": ref("FeeTier")},
            "exempt_groups": STRING, "legal_basis": STRING,
            "basis_document": nullable(STRING), "basis_article": STRING, "note": STRING,
            "verified": {"type": "boolean", "description": "false: not yet checked by an editor"},
            "valid_from": nullable(DATE), "valid_until": nullable(DATE),
            "condition": nullable(ref("FeeCondition")),
            "channel": {"type": "string", "enum": list(ChannelKind.values())},
        }),
    }


def _procedure_schemas(field_slugs: list[str]) -> dict[str, dict]:
    online = {"type": "string", "enum": list(OnlineClass.values())}
    field = nullable({"type": "string", "enum": field_slugs})
    return {
        "ProcedureListItem": obj({
            "code": STRING, "name": STRING, "official_name": STRING, "slug": STRING,
            "url": PAGE_URL, "field": field,
            "online_class": online, "fees": {"type": "array", "items": ref("Fee")}}),
        "ProcedureList": obj({
            "items": {"type": "array", "items": ref("ProcedureListItem")},
            "total": INTEGER, "page": INTEGER, "per_page": INTEGER, "pages": INTEGER}),
        "Channel": obj({
            "kind": {"type": "string", "enum": list(ChannelKind.values())},
            "processing_time": STRING, "processing_time_en": STRING,
            "processing_days": nullable({"type": "number"}),
            "note": STRING, "fees": {"type": "array", "items": ref("Fee")},
            "upcoming_fees": {"type": "array", "items": ref("Fee"),
                              "description": "versions that start after the date asked"}}),
        "Document": obj({
            "name": STRING, "originals": INTEGER, "copies": INTEGER, "form_name": STRING,
            "form_url": nullable(STRING), "form_file_url": nullable(STRING)}),
        "DocumentCase": obj({"title": STRING, "title_en": STRING, "slug": {
            "type": "string", "description": "unique within the procedure; the page's "
            "?truong-hop= takes it"},
                             "documents": {"type": "array", "items": ref("Document")}}),
        "LegalBasis": obj({"number": STRING, "title": STRING, "issuer": STRING,
                           "issued_on": nullable(DATE), "articles": STRING}),
        "AgencyLink": obj({"agency": STRING, "name": STRING,
                           "role": {"type": "string", "enum": list(AgencyRole.values())}}),
        "Procedure": obj({
            "code": STRING, "code_kind": {"type": "string", "enum": list(CodeKind.values())},
            "local_suffix": STRING, "decision_number": STRING, "name": STRING,
            "official_name": STRING, "plain_name": STRING, "name_en": STRING, "slug": STRING,
            "url": PAGE_URL, "field": field,
            "level": nullable(STRING), "procedure_type": STRING,
            "applicant_types": {"type": "array", "items": STRING},
            "description": STRING, "description_en": STRING, "result": STRING,
            "result_en": STRING, "conditions": STRING, "number_of_sets": STRING,
            "intake_place": STRING, "counter": nullable(STRING),
            "keywords": {"type": "array", "items": STRING}, "fee_note": STRING,
            "online_class": online,
            "legacy_level": nullable({"type": "integer", "minimum": 1, "maximum": 4}),
            "online_service_url": nullable(STRING), "portal_url": nullable(STRING),
            "status": {"type": "string", "enum": list(Status.values())},
            "replaced_by": nullable(STRING), "source": STRING, "source_url": nullable(STRING),
            "last_reviewed": nullable(STRING), "updated_at": STRING, "fees_on": DATE,
            "steps": {"type": "array", "items": STRING},
            "channels": {"type": "array", "items": ref("Channel")},
            "document_cases": {"type": "array", "items": ref("DocumentCase")},
            "legal_bases": {"type": "array", "items": ref("LegalBasis")},
            "agencies": {"type": "array", "items": ref("AgencyLink")}}),
    }


def _search_schemas() -> dict[str, dict]:
    facet_value = obj({"value": STRING, "count": INTEGER, "label": STRING})
    return {
        "SearchHit": obj({"code": STRING, "name": STRING,
                          "url": {"type": "string", "format": "uri"},
                          "score": {"type": "number"}, "snippet": STRING}),
        "SearchResult": obj({
            "query": STRING,
            "total": {"type": "integer", "description": "results listed (the relevant ones)"},
            "more": {"type": "integer",
                     "description": "further results far less relevant, not listed"},
            "items": {"type": "array", "items": ref("SearchHit")},
            "suggestion": nullable(STRING), "page": INTEGER, "pages": INTEGER,
            "facets": {"type": "object",
                       "additionalProperties": {"type": "array", "items": facet_value}},
            "elsewhere": {
                "type": "array", "items": ref("Elsewhere"), "maxItems": 3,
                "description": "where to go for what the query names that this centre does "
                               "not handle (editors' pointers); may be given with results"}},
            required=["query", "total", "items", "suggestion", "page", "pages", "facets",
                      "elsewhere"]),
        "Elsewhere": obj({
            "term": {"type": "string", "description": "what the query named, as editors wrote it"},
            "where": {"type": "string", "description": "where to go instead (Vietnamese)"},
            "where_en": {"type": "string", "description": "the same in English; may be empty"},
            "url": nullable({"type": "string", "format": "uri",
                             "description": "an official page about it, when known"})}),
        "Suggestion": obj({"name": STRING, "code": STRING, "slug": STRING,
                           "url": {"type": "string", "format": "uri"}}),
    }


def _register_schemas() -> dict[str, dict]:
    return {
        "LegalDocument": obj({
            "id": INTEGER, "number": STRING,
            "kind": {"type": "string", "enum": ["", *DocumentKind.values()],
                     "description": "loại văn bản; empty when not known"},
            "title": STRING, "issuer": STRING,
            "issued_on": nullable(DATE), "valid_from": nullable(DATE),
            "valid_until": nullable(DATE),
            "status": {"type": "string", "enum": list(DocumentStatus.values())},
            "replaced_by": nullable(INTEGER), "url": nullable(STRING)}),
        "LegalDocumentList": obj({"items": {"type": "array", "items": ref("LegalDocument")},
                                  "total": INTEGER}),
    }


FIGURES = ("carried_over", "received", "received_online", "resolved_early", "resolved_on_time",
           "resolved_late", "pending", "apologies")


def _index_schema() -> dict:
    """The month's (or year's) figures in the terms of the national index (app.quality.index):
    each share with what it counts (``part``) out of what (``whole``); null when not measured
    (no report, fewer ratings than the minimum, complaints not entered)."""
    share = nullable({"type": "number", "minimum": 0, "maximum": 1})
    measured = obj({"value": share, "part": COUNT, "whole": COUNT})
    count = obj({"value": COUNT})
    satisfaction = obj({"value": share, "part": COUNT, "whole": COUNT,
                        "mark": {"type": "number", "const": 0.9,
                                 "description": "the share that earns full marks"}})
    return obj({"on_time": measured, "online": measured, "satisfaction": satisfaction,
                "apologies": count, "complaints_received": count,
                "complaints_on_time": measured})


def _statistics_schemas() -> dict[str, dict]:
    by_field = obj({"field": STRING, **{name: COUNT for name in FIGURES}})
    any_month = {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"}
    month = obj({"month": any_month, **{name: COUNT for name in FIGURES},
                 "ratings": COUNT, "satisfied": COUNT,
                 "satisfaction_rate": nullable({"type": "number", "minimum": 0, "maximum": 1}),
                 "index": ref("ServiceIndex"),
                 "by_field": {"type": "array", "items": by_field}})
    year = nullable(obj({"from": any_month, "to": any_month, "index": ref("ServiceIndex")}))
    return {"ServiceIndex": _index_schema(), "MonthFigures": month,
            "Statistics": obj({"months": {"type": "array", "items": ref("MonthFigures")},
                               "year_to_date": year})}


def _service_point_schemas() -> dict[str, dict]:
    """``/service-points`` (app.api.service_points): wall-clock times in Asia/Ho_Chi_Minh."""
    hhmm = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}
    counter = obj({"number": STRING, "handles": STRING})
    hours = obj({"weekday": {"type": "integer", "minimum": 1, "maximum": 7,
                             "description": "ISO weekday: 1 = Monday … 7 = Sunday"},
                 "opens": hhmm, "closes": hhmm})
    exception = obj({"from": DATE, "until": DATE, "closed": {"type": "boolean"},
                     "opens": nullable(hhmm), "closes": nullable(hhmm), "reason": STRING})
    point = obj({"name": STRING, "kind": {"type": "string", "enum": ServicePointKind.values()},
                 "address": STRING,
                 "counters": {"type": "array", "items": counter},
                 "opening_hours": {"type": "array", "items": hours},
                 "exceptions": {"type": "array", "items": exception,
                                "description": "Holidays, Tết, closures and special hours "
                                               "that have not ended by the day asked about"},
                 "open_now": {"type": "boolean"}})
    return {"ServicePoint": point,
            "ServicePointList": obj({"items": {"type": "array", "items": ref("ServicePoint")}})}


def _paths(params: dict[str, dict]) -> dict[str, Any]:
    def get(summary: str, parameters: list[dict], ok: dict, *errors: int,
            description: str = "") -> dict:
        responses = {"200": ok}
        for status in errors:
            responses[str(status)] = ERROR_RESPONSE
        operation = {"summary": summary, "parameters": parameters, "responses": responses}
        if description:
            operation["description"] = description
        return {"get": operation}

    code = {"name": "code", "in": "path", "required": True, "description": "Mã thủ tục",
            "schema": {"type": "string", "minLength": 1, "maxLength": CODE_MAX_LENGTH,
                       "pattern": NO_NUL}}
    doc_id = {"name": "id", "in": "path", "required": True, "description": "Register entry id",
              "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
    return {
        "/api/v1/procedures": get(
            "Published procedures, paginated, with the fees in force on a date",
            [params["page"], params["list_per_page"], params["field"], params["on"]],
            _json(ref("ProcedureList"), "A page of procedures"), 400,
            description="With `on=YYYY-MM-DD` the list is the catalogue as of that date: "
                        "procedures abolished by then are left out (and not counted), and "
                        "each item is the version in force that day (a revision scheduled "
                        "by then gives its names and fees). Without `on`, today's list."),
        "/api/v1/procedures/{code}": get(
            "One procedure, with the fees in force on a date",
            [code, params["on"]], _json(ref("Procedure"), "The public record"), 400, 404),
        "/api/v1/search": get(
            "Full-text search, diacritics optional; only the relevant results are listed",
            [params["q"], params["page"], params["search_per_page"], params["search_field"],
             params["level"],
             query("applicant", {"type": "string", "pattern": "^[a-z0-9-]{0,80}$"},
                   "Applicant type key; empty = any"),
             query("online", {"type": "string", "enum": ["", *OnlineClass.values()]},
                   "Online class; empty = any"),
             query("free", BOOLEAN, "Only free procedures"),
             query("all", BOOLEAN, "Also list the much less relevant results"),
             query("sort", {"type": "string", "enum": ["", *SORTS]},
                   "Order of the results; empty = relevance")],
            _json(ref("SearchResult"), "The results"), 400,
            description="Only procedures that answer the query are listed (`total`): those "
                        "covering its distinctive words in their names, keywords, synonyms or "
                        "abbreviations; weaker matches are counted in `more` (`all=true` lists "
                        "them). For requests this centre does not handle, `total` is 0 and "
                        "`elsewhere` says where to go: `[{\"term\", \"where\", \"url\"}]`."),
        "/api/v1/suggest": get(
            "Up to 8 procedure names for what was typed so far",
            [params["q"], query("detail", BOOLEAN, "Procedures (name, code, slug, url) "
                                                   "instead of names")],
            _json({"type": "array", "items": {"anyOf": [STRING, ref("Suggestion")]},
                   "maxItems": 8}, "Names, or procedures with `detail=true`"), 400),
        "/api/v1/legal-documents": get(
            "The register of legal documents the catalogue cites", [],
            _json(ref("LegalDocumentList"), "Every register entry")),
        "/api/v1/legal-documents/{id}": get(
            "One register entry", [doc_id], _json(ref("LegalDocument"), "The entry"), 404),
        "/api/v1/statistics": get(
            "The centre's monthly service results",
            [query("from", MONTH, "First month, YYYY-MM (default: 11 months before `to`)"),
             query("to", MONTH, "Last month, YYYY-MM (default: this month, or `from` if later)")],
            _json(ref("Statistics"), "Figures per month; null where unknown"), 400,
            description="`from` after `to` is an empty range: 200 with no months and "
                        "`year_to_date` null. `satisfaction_rate` is null below the minimum "
                        "number of ratings (30 unless configured), with `ratings` still given. "
                        "`year_to_date` sums January to `to`, whatever `from` is."),
        "/api/v1/service-points": get(
            "Where and when: the centre's counters, opening hours and exceptions, other places",
            [query("at", {"type": "string", "pattern": SP_AT_PATTERN},
                   "Local date-time YYYY-MM-DDTHH:MM (Asia/Ho_Chi_Minh, no zone) for "
                   "`open_now` and which exceptions are listed; default now")],
            _json(ref("ServicePointList"), "Every place, the centre first"), 400,
            description="An impossible date such as 2026-02-30 is a 400 (a pattern cannot "
                        "say it)."),
        "/api/v1/openapi.json": get("This description", [],
                                    _json({"type": "object"}, "OpenAPI 3.1")),
    }


def openapi_document() -> dict:
    params = _parameters()
    field_slugs = params["field"]["schema"]["enum"]
    schemas: dict[str, dict] = {
        "Error": obj({"error": obj({"status": INTEGER, "message": STRING})}),
        **_fee_schemas(), **_procedure_schemas(field_slugs), **_search_schemas(),
        **_register_schemas(), **_statistics_schemas(), **_service_point_schemas(),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "MotCua API", "version": "1",
                 "description": "Administrative procedures, fees, online services, the legal "
                                "documents they rest on and the centre's service results. "
                                "Read-only, no authentication, no cookies. Changes: CHANGELOG.md."},
        "paths": _paths(params),
        "components": {"schemas": schemas},
    }
