"""The kiosk's QR endpoint draws only addresses a kiosk page can offer (issue 20, item 9)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Centre, LegalDocument, Procedure


def _status(client, url: str) -> int:
    return client.get("/kiosk/qr.svg", query_string={"url": url}).status_code


def test_a_foreign_address_is_refused(app, client):
    app.config["SITE_URL"] = "https://motcua.example.gov.vn"
    for foreign in ("https://evil.example/login", "https://dichvucong.gov.vn.evil.example/",
                    "https://motcua.example.gov.vn.evil.example/", "tel:19001234",
                    "mailto:someone@evil.example", "https://user@dichvucong.gov.vn/",
                    "http://127.0.0.1:8000/"):
        assert _status(client, foreign) == 400, foreign


def test_our_pages_the_portal_and_the_centre_are_drawn(app, client):
    app.config["SITE_URL"] = "https://motcua.example.gov.vn"
    with app.app_context():
        centre = db.session.scalar(select(Centre))
        centre.phone, centre.email = "0236 3 123 456", "motcua@example.gov.vn"
        db.session.commit()
    for ours in ("https://motcua.example.gov.vn", "https://motcua.example.gov.vn/thu-tuc/x",
                 "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html",
                 "tel:02363123456", "mailto:motcua@example.gov.vn"):
        assert _status(client, ours) == 200, ours
    app.config["PORTAL_DETAIL_URL_TEMPLATE"] = "https://portal.example.gov.vn/tthc?id={portal_id}"
    assert _status(client, "https://portal.example.gov.vn/tthc?id=5") == 200


def test_an_outside_link_of_a_published_page_is_drawn(app, client):
    source = "https://vbpl.example.gov.vn/van-ban/123"
    assert _status(client, source) == 400
    with app.app_context():
        proc = db.session.scalar(select(Procedure).where(Procedure.published.is_(True)))
        proc.source_url = source
        db.session.add(LegalDocument(number="99/2099/TT-TEST", url=source + "/text"))
        db.session.commit()
    assert _status(client, source) == 200
    assert _status(client, source + "/text") == 200
    assert _status(client, source + "/other") == 400
