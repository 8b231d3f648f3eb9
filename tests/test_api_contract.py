"""The API against its own description: schemathesis on the live app, every check on.

Every operation of ``openapi.json`` gets generated requests (valid and invalid, fixed seed):
no 5xx, every response body conforms to its schema, valid input is accepted, invalid input is
refused with a documented 4xx, unsupported methods answer 405 with ``Allow``.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode

EXAMPLES = 100
schemathesis.checks.load_all_checks()


# The operations of openapi.json; a test below keeps this list equal to the document.
OPERATIONS = ["/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/search",
              "/api/v1/suggest", "/api/v1/legal-documents", "/api/v1/legal-documents/{id}",
              "/api/v1/statistics", "/api/v1/service-points", "/api/v1/openapi.json"]
ALL_CHECKS = list(schemathesis.checks.CHECKS.get_all())


def months_in_order(ctx, response, case) -> bool | None:
    """/statistics refuses ``from`` after ``to``, which a schema cannot say: that 400 is
    right; any other refusal of valid input is not."""
    months = case.query or {}
    if response.status_code == 400:
        first, last = months.get("from"), months.get("to")
        assert first and last and first > last, "valid months refused"
    return None


def real_local_times(ctx, response, case) -> bool | None:
    """/service-points refuses an impossible day (2026-02-30), which a pattern cannot say:
    that 400 is right; any other refusal of valid input is not."""
    from datetime import datetime

    if response.status_code == 400:
        raw = (case.query or {}).get("at", "")
        try:
            datetime.fromisoformat(raw)
        except ValueError:
            return None
        raise AssertionError(f"valid local time refused: {raw!r}")
    return None


PARAMETERLESS = {"/api/v1/legal-documents", "/api/v1/openapi.json"}
CASES = [(path, mode) for path in OPERATIONS
         for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if mode is GenerationMode.POSITIVE or path not in PARAMETERLESS]


# schemathesis' own pytest plumbing (from_fixture) does not run under pytest 9, so each
# operation is driven with hypothesis directly: same strategies, same checks.
@pytest.mark.parametrize(("path", "mode"), CASES,
                         ids=[f"{path}-{mode.value}" for path, mode in CASES])
def test_every_operation_keeps_its_contract(app, path, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path]["GET"]
    checks = ALL_CHECKS
    if path == "/api/v1/statistics" and mode is GenerationMode.POSITIVE:
        checks = [c for c in ALL_CHECKS if c.__name__ != "positive_data_acceptance"]
        checks.append(months_in_order)
    if path == "/api/v1/service-points" and mode is GenerationMode.POSITIVE:
        checks = [c for c in ALL_CHECKS if c.__name__ != "positive_data_acceptance"]
        checks.append(real_local_times)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        # schemathesis' WSGI transport asks for gzip like a browser but reads the body as it
        # comes; the app compresses when asked (app.compression), so ask for none here.
        case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})

    run()


def test_the_operation_list_is_the_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert sorted(spec["paths"]) == sorted(OPERATIONS)


def test_the_description_is_valid_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert all(path.startswith("/api/v1/") for path in spec["paths"])
    for path, item in spec["paths"].items():
        for operation in item.values():
            assert "200" in operation["responses"], path


def test_field_slugs_are_enumerated(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/procedures"]["get"]["parameters"]}
    assert "ho-tich" in params["field"]["schema"]["enum"]
    assert params["per_page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


def test_unsupported_method_says_what_is_allowed(client):
    response = client.post("/api/v1/procedures")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["error"]["status"] == 405
