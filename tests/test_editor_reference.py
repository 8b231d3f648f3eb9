"""The small editors: fields, agencies, synonyms, the centre and life events."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog, Centre, Field, LifeEvent, Synonym
from tests.editor_support import en_page, post_refused, read_form, signed_in


def _post_page(client, url: str, changes: dict, op: str | None = None):
    data = read_form(client.get(url).get_data(as_text=True))
    for key, value in changes.items():
        data[key] = value
    if op is not None:
        data["op"] = op
    return client.post(url, data=data)


def test_a_field_is_renamed_and_procedure_pages_follow(app):
    admin = signed_in(app, "admin")
    en_page(admin.get("/editor/admin/fields"), h1="Fields")
    with app.app_context():
        field_id = db.session.scalar(select(Field.id).filter_by(slug="ho-tich"))
    response = _post_page(admin, f"/editor/admin/fields/{field_id}", {"name": "Hộ tịch (mới)"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Field, field_id).name == "Hộ tịch (mới)"
    assert "Hộ tịch (mới)" in app.test_client().get("/").get_data(as_text=True)


def test_a_field_in_use_is_not_deleted_and_a_taken_slug_is_refused(app):
    admin = signed_in(app, "admin")
    with app.app_context():
        field_id = db.session.scalar(select(Field.id).filter_by(slug="ho-tich"))
    page = admin.get("/editor/admin/fields").get_data(as_text=True)
    token = read_form(page, 0)["csrf_token"]
    response = admin.post(f"/editor/admin/fields/{field_id}/delete",
                          data={"csrf_token": token}, follow_redirects=True)
    assert "Still used by procedures" in response.get_data(as_text=True)
    response = _post_page(admin, "/editor/admin/fields/new",
                          {"slug": "chung-thuc", "name": "Trùng"})
    assert response.status_code == 200 and "already in use" in response.get_data(as_text=True)


def test_synonyms_and_agencies_are_added(app):
    admin = signed_in(app, "admin")
    assert _post_page(admin, "/editor/admin/synonyms/new", {
        "term": "  Giấy Phép Lái Xe ", "expansion": "bằng lái"}).status_code == 302
    assert _post_page(admin, "/editor/admin/agencies/new", {
        "slug": "so-gtvt", "name": "Sở Giao thông vận tải", "level": "tinh"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Synonym.expansion).filter_by(
            term="giấy phép lái xe")) == "bằng lái"
        assert "agencies_saved" in set(db.session.scalars(select(AuditLog.action)))


def test_reference_editors_are_for_admins_only(app):
    publisher = signed_in(app, "publisher")
    assert publisher.get("/editor/admin/synonyms").status_code == 403
    assert publisher.get("/editor/review/life-events").status_code == 200


def test_the_centre_gets_a_counter_without_javascript(app):
    admin = signed_in(app, "admin")
    url = "/editor/admin/centre"
    en_page(admin.get(url), h1="The centre's details")
    data = read_form(admin.get(url).get_data(as_text=True))
    count = len([k for k in data if k.endswith("-number")])
    data["opening_hours"] = "Đang sửa giờ mở cửa"
    data["op"] = "add:counters"
    page = admin.post(url, data=data).get_data(as_text=True)
    data = read_form(page)
    assert data["opening_hours"] == "Đang sửa giờ mở cửa"
    data[f"counters-{count}-number"] = "7"
    data[f"counters-{count}-name"] = "Quầy mới"
    data["op"] = ""
    assert admin.post(url, data=data).status_code == 302
    with app.app_context():
        centre = db.session.scalar(select(Centre))
        assert centre.opening_hours == "Đang sửa giờ mở cửa"
        assert [c.number for c in centre.counters][-1] == "7"


def test_a_counter_named_by_procedures_is_kept(app):
    admin = signed_in(app, "admin")
    url = "/editor/admin/centre"
    data = read_form(admin.get(url).get_data(as_text=True))
    data["op"] = "remove:counters-0"
    data = read_form(admin.post(url, data=data).get_data(as_text=True))
    data["op"] = ""
    assert "are named by procedures" in post_refused(admin, url, data)


def test_a_life_event_is_edited_by_a_publisher(app):
    publisher = signed_in(app, "publisher")
    with app.app_context():
        event = db.session.scalar(select(LifeEvent).order_by(LifeEvent.position))
        event_id, steps = event.id, len(event.steps)
    url = f"/editor/review/life-events/{event_id}"
    data = read_form(publisher.get(url).get_data(as_text=True))
    data["op"] = "add:steps"
    data = read_form(publisher.post(url, data=data).get_data(as_text=True))
    data[f"steps-{steps}-title"] = "Bước thêm"
    data[f"steps-{steps}-procedure"] = "9.999999"
    data["op"] = ""
    assert "No procedure has this code." in post_refused(publisher, url, data)
    data[f"steps-{steps}-procedure"] = "1.001193"
    assert publisher.post(url, data=data).status_code == 302
    with app.app_context():
        event = db.session.get(LifeEvent, event_id)
        assert event.steps[-1].title == "Bước thêm"
        assert event.steps[-1].procedure.code == "1.001193"
