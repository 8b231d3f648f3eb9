"""Values no database column can hold get a clear 4xx, on SQLite as on PostgreSQL.

SQLite stores a NUL byte or a 64-bit id without complaint; PostgreSQL refuses both with an
error that would surface as a 500 (schemathesis found both on the PostgreSQL run).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Feedback, Procedure
from app.records import procedure_to_dict
from app.schema import RecordError, normalise


@pytest.mark.parametrize("path", [
    "/api/v1/search?field=%00&level=0", "/api/v1/search?q=a%00b", "/api/v1/procedures?field=%00",
    "/api/v1/procedures/1.001%00193"])
def test_a_nul_in_an_api_address_is_a_400_json(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("path", ["/tim-kiem?q=khai%00sinh", "/en/le-phi?field=%00",
                                  "/kiosk/thu-tuc/dang-ky%00-khai-sinh"])
def test_a_nul_in_a_page_address_is_a_400_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_a_nul_in_the_feedback_form_is_refused_and_nothing_is_stored(app, client):
    with app.app_context():
        before = db.session.scalar(select(func.count(Feedback.id)))
    response = client.post("/thu-tuc/dang-ky-khai-sinh/y-kien",
                           data={"kind": "report", "reason": "sai\x00 phí"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Feedback.id))) == before


@pytest.mark.parametrize("path", ["/api/v1/legal-documents/2147483648",
                                  "/api/v1/legal-documents/99999999999999999999"])
def test_an_id_beyond_the_id_columns_is_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.is_json


def test_the_last_possible_id_is_still_asked_of_the_database(client):
    response = client.get("/api/v1/legal-documents/2147483647")
    assert response.status_code == 404
    assert "2147483647" in response.get_json()["error"]["message"]


def test_the_record_schema_refuses_a_nul_with_its_path(app):
    with app.app_context():
        record = procedure_to_dict(db.session.scalar(select(Procedure).limit(1)))
    record["official_name"] = "Đăng ký\x00"
    record["channels"][0]["note"] = "\x00"
    with pytest.raises(RecordError) as caught:
        normalise(record)
    paths = {path for path, message in caught.value.problems if "NUL" in message}
    assert paths == {"official_name", "channels[0].note"}
