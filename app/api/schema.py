"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any


def _param(name: str, kind: str, description: str, **schema: Any) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": kind, **schema}}


ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict:
    page = _param("page", "integer", "Page number, from 1", minimum=1, maximum=100000)
    return {
        "openapi": "3.1.0",
        "info": {"title": "MotCua API", "version": "1",
                 "description": "Administrative procedures, fees and online services of the "
                                "one-stop centre. Read-only, no authentication."},
        "paths": {
            "/api/v1/procedures": {"get": {
                "summary": "Published procedures, paginated",
                "parameters": [
                    page,
                    _param("per_page", "integer", "Items per page", minimum=1, maximum=100),
                    _param("field", "string", "Field (lĩnh vực) slug"),
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/ProcedureList"}, "A page"),
                    "400": _json(ERROR, "A bad parameter"),
                },
            }},
            "/api/v1/procedures/{code}": {"get": {
                "summary": "One whole procedure record (docs/record-format.md)",
                "parameters": [{"name": "code", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": _json({"type": "object"}, "The record"),
                              "404": _json(ERROR, "Unknown code")},
            }},
            "/api/v1/search": {"get": {
                "summary": "Full-text search, diacritics optional",
                "parameters": [
                    _param("q", "string", "What the person typed"), page,
                    _param("field", "string", "Field slug filter"),
                    _param("online", "string", "Online class filter",
                           enum=["full", "partial", "none"]),
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/SearchResult"}, "Hits"),
                    "400": _json(ERROR, "A bad parameter"),
                },
            }},
            "/api/v1/suggest": {"get": {
                "summary": "Up to 8 procedure names for a prefix",
                "parameters": [_param("q", "string", "The prefix typed so far")],
                "responses": {"200": _json({"type": "array", "items": {"type": "string"}},
                                           "Names")},
            }},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {
                "type": "object", "properties": {"status": {"type": "integer"},
                                                 "message": {"type": "string"}}}}},
            "Fee": {"type": "object", "properties": {
                "name": {"type": "string"}, "kind": {"type": "string"},
                "amount": {"type": ["integer", "null"], "description": "đồng per unit; 0 free"},
                "unit": {"type": "string"}, "cap": {"type": ["integer", "null"]},
                "free": {"type": "boolean"}, "channel": {"type": "string"}}},
            "ProcedureListItem": {"type": "object", "required": [
                "code", "name", "slug", "url", "field", "online_class", "fees"], "properties": {
                "code": {"type": "string"}, "name": {"type": "string"},
                "slug": {"type": "string"}, "url": {"type": "string"},
                "field": {"type": ["string", "null"]},
                "online_class": {"type": "string", "enum": ["full", "partial", "none"]},
                "fees": {"type": "array", "items": {"$ref": "#/components/schemas/Fee"}}}},
            "ProcedureList": {"type": "object", "required": ["items", "total", "page"],
                              "properties": {
                "items": {"type": "array",
                          "items": {"$ref": "#/components/schemas/ProcedureListItem"}},
                "total": {"type": "integer"}, "page": {"type": "integer"}}},
            "SearchResult": {"type": "object", "required": [
                "query", "total", "items", "suggestion"], "properties": {
                "query": {"type": "string"}, "total": {"type": "integer"},
                "suggestion": {"type": ["string", "null"]},
                "items": {"type": "array", "items": {"type": "object", "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"},
                    "url": {"type": "string"}, "score": {"type": "number"},
                    "snippet": {"type": "string"}}}}}},
        }},
    }
