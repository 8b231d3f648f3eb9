"""The read API: shapes, filters and errors (never a 500)."""

from __future__ import annotations

import pytest


def test_list_shape_and_pagination(client):
    body = client.get("/api/v1/procedures?per_page=5").get_json()
    assert set(body) >= {"items", "total", "page"}
    assert body["page"] == 1 and len(body["items"]) == 5 and body["total"] >= 40
    item = body["items"][0]
    assert set(item) >= {"code", "name", "slug", "url", "field", "online_class", "fees"}
    assert item["url"].endswith(f"/thu-tuc/{item['slug']}")
    second = client.get("/api/v1/procedures?per_page=5&page=2").get_json()
    assert {i["code"] for i in second["items"]}.isdisjoint({i["code"] for i in body["items"]})


def test_filter_by_field(client):
    body = client.get("/api/v1/procedures?field=chung-thuc&per_page=100").get_json()
    assert body["total"] >= 4
    assert {i["field"] for i in body["items"]} == {"chung-thuc"}


@pytest.mark.parametrize("query", [
    "page=-1", "page=0", "page=abc", "per_page=1000000000", "per_page=0",
    "field=no-such-field", "page=%ZZ", "per_page=1e3",
])
def test_bad_parameters_answer_400_json(client, query):
    response = client.get(f"/api/v1/procedures?{query}")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]["message"]


def test_whole_record(client):
    record = client.get("/api/v1/procedures/2.000815").get_json()
    assert record["code"] == "2.000815"
    for key in ("channels", "document_cases", "legal_bases", "steps", "online_service_url"):
        assert key in record
    fee = record["channels"][0]["fees"][0]
    assert fee["amount"] == 2000 and fee["cap"] == 200000
    assert fee["tiers"] == [{"from_unit": 3, "amount": 1000}]


def test_unknown_code_is_a_404_json(client):
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert "9.999999" in response.get_json()["error"]["message"]


def test_unknown_api_path_is_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json


def test_openapi_document_lists_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/search",
            "/api/v1/suggest"} <= set(spec["paths"])


def test_online_link_is_built_from_the_template(app, client):
    app.config["ONLINE_SERVICE_URL_TEMPLATE"] = "https://portal.example/tthc/{code}"
    record = client.get("/api/v1/procedures/1.001193").get_json()
    if record["online_class"] != "none" and not record["online_url"]:
        assert record["online_service_url"] == "https://portal.example/tthc/1.001193"
