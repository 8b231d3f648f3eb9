"""The editor side of dated changes (issue 21, items 1, 5, 7): the history timeline and
withdrawing before the date, scheduling an abolition, the dashboard's scheduled lines with
their warnings, and the import-list page taking the decision and its date."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from sqlalchemy import select

from app import schedule
from app.extensions import db
from app.models import LegalDocument, Procedure, ProcedureChange
from tests.editor_support import csrf_token, procedure_id, read_form, signed_in
from tests.test_announcement import decision_list

TODAY = datetime(2026, 12, 7, 3, tzinfo=UTC)
BIRTH = "1.001193"


def _form_for(page: str, marker: str):
    chunks = page.split("<form")[1:]
    return read_form(page, next(i for i, c in enumerate(chunks) if marker in c.split(">")[0]))


def test_a_publisher_schedules_an_abolition_sees_it_on_the_timeline_and_withdraws_it(app):
    app.config["CLOCK"] = lambda: TODAY
    publisher = signed_in(app, "publisher")
    pid = procedure_id(app, BIRTH)
    page = publisher.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    form = _form_for(page, "/abolish")
    form["abolish-effective_on"], form["abolish-document_number"] = "01/01/2027", "4321/QĐ-UBND"
    form["abolish-change_note"] = "Bãi bỏ."
    assert publisher.post(f"/editor/review/procedures/{pid}/abolish",
                          data=form).status_code == 302
    again = publisher.post(f"/editor/review/procedures/{pid}/abolish", data={
        **form, "lock_version": _form_for(publisher.get(f"/editor/procedures/{pid}")
                                          .get_data(as_text=True), "/abolish")["lock_version"]})
    shown = publisher.get(again.headers["Location"]).get_data(as_text=True)
    assert "already scheduled" in shown, shown[shown.find("<main"):][:1500]
    history = publisher.get(f"/editor/procedures/{pid}/history").get_data(as_text=True)
    assert "01/01/2027" in history and "abolition" in history and "scheduled" in history
    public = app.test_client().get("/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    assert "01/01/2027" in public and "4321/QĐ-UBND" in public

    form = _form_for(history, "/withdraw")
    change = history.split("/changes/")[1].split("/")[0]
    assert publisher.post(f"/editor/review/procedures/{pid}/changes/{change}/withdraw",
                          data=form).status_code == 302
    history = publisher.get(f"/editor/procedures/{pid}/history").get_data(as_text=True)
    assert "withdrawn" in history
    public = app.test_client().get("/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    assert "01/01/2027" not in public
    app.config["CLOCK"] = lambda: datetime(2027, 1, 2, tzinfo=UTC)
    assert app.test_client().get("/thu-tuc/dang-ky-khai-sinh").status_code == 200
    editor = signed_in(app, "editor")
    token = csrf_token(editor.get("/editor/notices").get_data(as_text=True))
    assert editor.post(f"/editor/review/procedures/{pid}/changes/{change}/withdraw",
                       data={"csrf_token": token}).status_code == 403, "publishers only"


def test_the_dashboard_lists_scheduled_changes_and_warns_about_their_documents(app):
    app.config["CLOCK"] = lambda: TODAY
    with app.app_context():
        db.session.add(LegalDocument(number="9/2026/QĐ-UBND", kind="Quyết định",
                                     valid_from=date(2027, 3, 1)))
        db.session.add(LegalDocument(number="8/2026/QĐ-UBND", kind="Quyết định",
                                     valid_from=date(2026, 12, 1)))
        for code, number in (("1.001193", "404/QĐ-UBND"), ("1.000894", "9/2026/QĐ-UBND"),
                             ("1.004873", "8/2026/QĐ-UBND")):
            proc = db.session.scalar(select(Procedure).filter_by(code=code))
            schedule.schedule_abolition(proc, date(2027, 1, 1), number)
        db.session.commit()
    page = signed_in(app, "editor").get("/editor/").get_data(as_text=True)
    section = page.split('id="scheduled-changes"')[1]
    assert section.count("01/01/2027") == 3 + 2  # and the demo data's two
    assert "404/QĐ-UBND is not in the legal register" in section
    assert "9/2026/QĐ-UBND is not in force on that date" in section
    assert "8/2026/QĐ-UBND" not in section, "a registered document in force: no warning"


def test_the_import_list_page_takes_the_decision_and_its_date(app, tmp_path):
    app.config["CLOCK"] = lambda: TODAY
    admin = signed_in(app, "admin")
    data = read_form(admin.get("/editor/admin/import-list").get_data(as_text=True))
    data["file"] = (io.BytesIO(decision_list(tmp_path).read_bytes()), "qd.xlsx")
    data["decision_number"], data["effective_on"] = "4321/QĐ-UBND", "01/01/2027"
    report = admin.post("/editor/admin/import-list", data=data,
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "Scheduled for the decision" in report and "abolished from 01/01/2027" in report
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ProcedureChange.id))) == 2, "a dry run"
    apply = read_form(report, -1)
    applied = admin.post("/editor/admin/import-list/apply", data=apply).get_data(as_text=True)
    assert "Import applied" in applied
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ProcedureChange.id))) == 2 + 3
        doc = db.session.scalar(select(LegalDocument).filter_by(number="4321/QĐ-UBND"))
    register = admin.get(f"/editor/review/legal-documents/{doc.id}").get_data(as_text=True)
    assert "Procedures this decision announces (3)" in register and "abolished" in register
    assert csrf_token(register)
