"""Editors and the register: marking a document expired or replaced puts the procedures that
cite it on the dashboard (document named) until they are reviewed; the dashboard's early
warnings for fees; the list import page."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from app.dates import today_local
from app.extensions import db
from app.models import Fee, LegalBasis, LegalDocument, Procedure
from app.models.procedure import utcnow
from tests.editor_support import read_form, signed_in
from tests.html import one


def _edit(client, url: str, changes: dict):
    data = read_form(client.get(url).get_data(as_text=True))
    for key, value in changes.items():
        data[key] = value
    return client.post(url, data=data)


def _entry(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(LegalDocument.id).filter_by(number=number))


def _citing(app, number: str) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(Procedure.code).join(LegalBasis).where(
            LegalBasis.number == number, Procedure.published.is_(True))))


def test_marking_a_document_replaced_sends_its_procedures_to_the_dashboard(app):
    publisher = signed_in(app, "publisher")
    assert publisher.get("/editor/review/legal-documents").status_code == 200
    response = _edit(publisher, "/editor/review/legal-documents/new",
                     {"number": "99/2026/NĐ-CP", "valid_from": "01/01/2026"})
    assert response.status_code == 302
    old_id = _entry(app, "123/2015/NĐ-CP")
    dashboard = publisher.get("/editor/").get_data(as_text=True)
    assert "123/2015/NĐ-CP" not in dashboard
    response = _edit(publisher, f"/editor/review/legal-documents/{old_id}",
                     {"replaced_by": "99/2026/NĐ-CP"})
    assert response.status_code == 302
    dashboard = publisher.get("/editor/").get_data(as_text=True)
    warnings = dashboard.split('id="early-warnings"')[1].split("</section>")[0]
    assert "123/2015/NĐ-CP" in warnings and "99/2026/NĐ-CP" in warnings
    codes = _citing(app, "123/2015/NĐ-CP")
    assert codes
    # Reviewing a procedure takes it off the list; the others stay.
    with app.app_context():
        proc = db.session.scalar(select(Procedure).filter_by(code=codes[0]))
        proc.reviewed_at = utcnow() + timedelta(minutes=1)
        name = proc.name
        db.session.commit()
    documents = publisher.get("/editor/").get_data(as_text=True).split(
        'id="warn-documents"')[1].split("</ul>")[0]
    assert name not in documents and "123/2015/NĐ-CP" in documents
    public = app.test_client().get("/van-ban-phap-luat").get_data(as_text=True)
    assert 'id="group-replaced"' in public


def test_the_register_refuses_bad_input_with_messages(app):
    publisher = signed_in(app, "publisher")
    entry = _entry(app, "123/2015/NĐ-CP")
    url = f"/editor/review/legal-documents/{entry}"
    for changes, field in (
            ({"number": "60/2014/QH13"}, "number"),
            ({"replaced_by": "1/1900/XX"}, "replaced_by"),
            ({"valid_from": "01/05/2026", "valid_until": "30/04/2026"}, "valid_until"),
            ({"url": "javascript:alert(1)"}, "url"),
            ({"valid_from": "2026-12-31"}, "valid_from"),  # ISO is for files
            ({"valid_from": "31/02/2026"}, "valid_from")):
        response = _edit(publisher, url, changes)
        assert response.status_code == 422, changes
        html = response.get_data(as_text=True)
        assert one(html, f"input#{field}").get("aria-invalid") == "true", changes
        assert 'href="#' + field + '"' in html  # the error summary links to the field
    with app.app_context():
        assert db.session.get(LegalDocument, entry).number == "123/2015/NĐ-CP"


def test_the_kind_is_one_of_the_vocabulary_or_worked_out_from_the_number(app):
    publisher = signed_in(app, "publisher")
    entry = _entry(app, "123/2015/NĐ-CP")
    url = f"/editor/review/legal-documents/{entry}"
    page = publisher.get(url).get_data(as_text=True)
    assert '<option value="Thông tư liên tịch">' in page  # the choices come from app.vocab
    refused = _edit(publisher, url, {"kind": "Công văn"})
    assert refused.status_code == 422
    assert 'href="#kind"' in refused.get_data(as_text=True)
    assert _edit(publisher, url, {"kind": ""}).status_code in (302, 303)
    with app.app_context():
        assert db.session.get(LegalDocument, entry).kind == "Nghị định"  # from "/NĐ-CP"


def test_the_register_is_for_publishers(app):
    editor = signed_in(app, "editor")
    assert editor.get("/editor/review/legal-documents").status_code == 403


def _change_fees(app, *changes: dict[str, object]) -> list[int]:
    """Set each dict's attributes on one published fee (in id order); return those fees' ids."""
    with app.app_context():
        fees = list(db.session.scalars(select(Fee).join(Procedure).where(
            Procedure.published.is_(True)).order_by(Fee.id).limit(len(changes))))
        for fee, change in zip(fees, changes, strict=True):
            for attribute, value in change.items():
                setattr(fee, attribute, value)
        db.session.commit()
        return [fee.id for fee in fees]


def test_dashboard_warns_of_fees_ending_soon_scheduled_and_unverified(app):
    today = today_local()
    _change_fees(app, {"valid_until": today + timedelta(days=10)},
                 {"valid_from": today + timedelta(days=40)}, {"verified": False})
    publisher = signed_in(app, "publisher")
    warnings = publisher.get("/editor/").get_data(as_text=True).split(
        'id="early-warnings"')[1].split("</section>")[0]
    ending = warnings.split('id="warn-ending"')[1].split("</table>")[0]
    assert (today + timedelta(days=10)).strftime("%d/%m/%Y") in ending
    scheduled = warnings.split('id="warn-scheduled"')[1].split("</table>")[0]
    assert (today + timedelta(days=40)).strftime("%d/%m/%Y") in scheduled
    assert 'id="warn-unverified"' in warnings


def test_warnings_follow_the_public_rule_for_fees_in_force(app):
    """The dashboard decides "ending" and "scheduled" with app.fees, as the public pages do: a
    version that starts next week and ends within 30 days is scheduled, not ending; one that
    ended yesterday is neither, and is not reported as unverified either."""
    from app.editor.early_warnings import early_warnings

    today = today_local()
    ids = _change_fees(app, {"valid_from": today + timedelta(days=7),
                             "valid_until": today + timedelta(days=20)},
                       {"valid_until": today - timedelta(days=1), "verified": False})
    with app.app_context():
        found = early_warnings(today)
        ending = {fee.id for _, fee in found.ending}
        scheduled = {fee.id for _, fee in found.scheduled}
        unverified = {fee.id for _, fee in found.unverified}
    assert ids[0] in scheduled and ids[0] not in ending
    assert ids[1] not in ending | scheduled | unverified


def test_the_import_page_reports_then_applies_a_list(app, tmp_path):
    from tests.test_import_list import province_list

    admin = signed_in(app, "admin")
    assert "/editor/admin/import-list" in admin.get("/editor/admin/import").get_data(as_text=True)
    page = admin.get("/editor/admin/import-list")
    data = read_form(page.get_data(as_text=True))
    data["file"] = (io.BytesIO(province_list(tmp_path).read_bytes()), "danh-muc.xlsx")
    report = admin.post("/editor/admin/import-list", data=data,
                        content_type="multipart/form-data")
    html = report.get_data(as_text=True)
    assert report.status_code == 200 and "2.000740" in html and "Danh mục!15" in html
    with app.app_context():
        assert db.session.scalar(select(Procedure).filter_by(code="2.000740")) is None
    applied = admin.post("/editor/admin/import-list/apply", data=read_form(html))
    assert applied.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Procedure).filter_by(code="2.000740")) is not None
    data["file"] = (io.BytesIO(b"not a workbook"), "broken.xlsx")
    broken = admin.post("/editor/admin/import-list", data=data,
                        content_type="multipart/form-data")
    assert broken.status_code == 422 and 'aria-invalid="true"' in broken.get_data(as_text=True)


def test_the_preview_of_a_draft_citing_a_retired_document_renders(app):
    from tests.editor_support import edit_form, procedure_id, save

    with app.app_context():
        entry = db.session.scalar(select(LegalDocument).filter_by(number="60/2014/QH13"))
        entry.status = "expired"
        db.session.commit()
    editor = signed_in(app, "editor")
    pid = procedure_id(app, "1.001193")
    save(editor, pid, edit_form(editor, pid))
    page = editor.get(f"/editor/procedures/{pid}/preview")
    assert page.status_code == 200
    legal = page.get_data(as_text=True).split('id="legal"')[1].split("</section>")[0]
    assert "60/2014/QH13" in legal and "tag-warning" in legal
