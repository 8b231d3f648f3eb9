"""The read API: shapes, filters and errors (never a 500)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Fee, Procedure


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
    with app.app_context():
        proc = db.session.scalar(select(Procedure).where(
            Procedure.online_class != "none", Procedure.online_url == "",
            Procedure.code_is_demo.is_(False), Procedure.published.is_(True)))
        code = proc.code
    record = client.get(f"/api/v1/procedures/{code}").get_json()
    assert record["online_service_url"] == f"https://portal.example/tthc/{code}"


def test_storage_and_workflow_fields_are_not_published(client):
    record = client.get("/api/v1/procedures/2.000815").get_json()
    for key in ("published", "popularity", "code_is_demo", "lock_version", "reviewed_at",
                "online_url"):
        assert key not in record
    assert "last_reviewed" in record and record["code_kind"] == "national"
    item = client.get("/api/v1/procedures?per_page=1").get_json()["items"][0]
    assert {"code", "name", "slug", "url", "field", "online_class", "fees"} <= set(item)
    assert "published" not in item and "popularity" not in item


def _dated_versions(app, code: str) -> None:
    """Today's amount ends on 2026-12-31; the next starts on 2027-01-01."""
    with app.app_context():
        proc = db.session.scalar(select(Procedure).where(Procedure.code == code))
        only = [proc.channels[0].kind]
        proc.fees = [
            Fee(name="Lệ phí", kind="le_phi", amount=25000, unit="card", channels=only,
                valid_until=date(2026, 12, 31), position=0),
            Fee(name="Lệ phí", kind="le_phi", amount=50000, unit="card", channels=only,
                valid_from=date(2027, 1, 1), position=1),
        ]
        db.session.commit()


def test_fees_answer_for_the_date_asked(app, client):
    _dated_versions(app, "2.000815")
    now = client.get("/api/v1/procedures/2.000815?on=2026-12-31").get_json()
    later = client.get("/api/v1/procedures/2.000815?on=2027-01-01").get_json()
    assert [f["amount"] for f in now["channels"][0]["fees"]] == [25000]
    assert now["channels"][0]["fees"][0]["valid_until"] == "2026-12-31"
    assert [f["amount"] for f in now["channels"][0]["upcoming_fees"]] == [50000]
    assert [f["amount"] for f in later["channels"][0]["fees"]] == [50000]
    assert later["fees_on"] == "2027-01-01" and later["channels"][0]["upcoming_fees"] == []
    fee = later["channels"][0]["fees"][0]
    assert fee["valid_from"] == "2027-01-01" and fee["valid_until"] is None
    assert fee["condition"] is None
    listed = client.get("/api/v1/procedures?per_page=100&on=2027-01-01").get_json()
    item = next(i for i in listed["items"] if i["code"] == "2.000815")
    assert [f["amount"] for f in item["fees"]] == [50000]


def test_today_is_the_centres_day(app, client):
    """23:30 UTC on 31/12 is already 01/01 in Hà Nội: the new amount applies."""
    _dated_versions(app, "2.000815")
    app.config["CLOCK"] = lambda: datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    fees = client.get("/api/v1/procedures/2.000815").get_json()["channels"][0]["fees"]
    assert [f["amount"] for f in fees] == [50000]
    app.config["CLOCK"] = lambda: datetime(2026, 12, 31, 16, 59, tzinfo=UTC)
    fees = client.get("/api/v1/procedures/2.000815").get_json()["channels"][0]["fees"]
    assert [f["amount"] for f in fees] == [25000]


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "", "2026-1-1", "20261231"])
def test_a_bad_date_is_a_400_json(client, value):
    response = client.get(f"/api/v1/procedures/2.000815?on={value}")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.get_json()["error"]["message"]
