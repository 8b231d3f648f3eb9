"""security.txt, and imports that used to crash: JSON nested far too deep."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Centre
from tests.editor_support import post_file, signed_in

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"procedures": ' + DEEP + b"}"


def _fields(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def test_security_txt_names_the_centre_and_expires(app, client):
    with app.app_context():
        centre = db.session.scalar(select(Centre))
        centre.email = "motcua@example.gov.vn"
        db.session.commit()
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers
    fields = _fields(response.get_data(as_text=True))
    assert fields["Contact"] == "mailto:motcua@example.gov.vn"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    days = (expires - datetime.now(UTC)).days
    assert 30 < days < 366  # RFC 9116: in the future, less than a year away


def test_security_txt_contact_from_config_or_the_site_address(app, client):
    app.config["SECURITY_CONTACT"] = "https://example.gov.vn/bao-loi"
    assert _fields(client.get("/.well-known/security.txt").get_data(as_text=True))[
        "Contact"] == "https://example.gov.vn/bao-loi"
    app.config["SECURITY_CONTACT"] = ""
    with app.app_context():
        for centre in db.session.scalars(select(Centre)):
            centre.email = ""
        db.session.commit()
    app.config["SITE_URL"] = "https://motcua.example.gov.vn"
    assert _fields(client.get("/.well-known/security.txt").get_data(as_text=True))[
        "Contact"] == "https://motcua.example.gov.vn/"


def test_security_txt_is_at_the_site_root_only(client):
    assert client.get("/kiosk/.well-known/security.txt").status_code == 404


def test_deeply_nested_json_is_an_import_error_not_a_crash(app):
    admin = signed_in(app, "admin")
    response = post_file(admin, "/editor/admin/import", "/editor/admin/import",
                         "catalogue.json", DEEP_OBJECT)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "nested too deeply" in page or "lồng nhau quá sâu" in page


def test_catalogue_load_reports_deeply_nested_json_in_one_line(app, tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(DEEP_OBJECT)
    result = app.test_cli_runner().invoke(args=["catalogue", "load", str(path)])
    assert result.exit_code == 1
    assert "nested too deeply" in result.output and "Traceback" not in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalogue", "load", str(broken)])
    assert result.exit_code == 1 and "not a JSON catalogue" in result.output
