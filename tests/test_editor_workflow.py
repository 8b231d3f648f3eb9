"""Draft → in review → published, unpublishing, history and restore, preview, and no lost
updates when two people save the same procedure."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

import app.search as search_module
from app.extensions import db
from app.models import AuditLog, Procedure, SearchChange
from tests.editor_support import (
    changed_edit_form,
    csrf_token,
    edit_form,
    en_page,
    post_form,
    procedure_id,
    read_form,
    revisions,
    save,
    signed_in,
    type_into,
)

if TYPE_CHECKING:
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

BIRTH = "1.001193"
SLUG = "dang-ky-khai-sinh"


@pytest.fixture
def synced(monkeypatch):
    calls = []
    real = search_module.sync
    monkeypatch.setattr(search_module, "sync", lambda: calls.append(1) or real())
    return calls


def _changes(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SearchChange.id)))


def _step(client, pid: int, action: str):
    prefix = "/editor" if action == "submit" else "/editor/review"
    page = client.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    form = read_form(page, _form_index(page, action))
    if action == "publish":
        form["change_note"] = "Cập nhật thông tin cho người dân."
    return client.post(f"{prefix}/procedures/{pid}/{action}", data=form)


def _form_index(page: str, action: str) -> int:
    chunks = page.split("<form")[1:]
    for i, chunk in enumerate(chunks):
        if f"/{action}\"" in chunk.split(">")[0]:
            return i
    raise AssertionError(f"no {action} button on the page")


def _save_draft(client: FlaskClient, pid: int, changes: Mapping[str, str]) -> TestResponse:
    """Save ``changes`` to procedure ``pid`` through its edit form, as its new draft."""
    return save(client, pid, changed_edit_form(client, pid, changes))


def _save_and_submit(client: FlaskClient, pid: int, changes: Mapping[str, str]) -> None:
    """Save ``changes`` to procedure ``pid`` as a draft and submit it for review."""
    _save_draft(client, pid, changes)
    _step(client, pid, "submit")


def _public_name(slug: str, app) -> str:
    response = app.test_client().get(f"/thu-tuc/{slug}")
    return response.get_data(as_text=True) if response.status_code == 200 else ""


def test_draft_review_publish_keeps_the_live_page_until_published(app, synced):
    editor = signed_in(app, "editor")
    publisher = signed_in(app, "publisher")
    pid = procedure_id(app, BIRTH)
    draft = {"plain_name": "Làm giấy khai sinh (bản nháp mới)"}
    assert _save_draft(editor, pid, draft).status_code == 302
    assert "bản nháp mới" not in _public_name(SLUG, app)  # the public keeps the live rows
    overview = editor.get(f"/editor/procedures/{pid}")
    en_page(overview, h1="bản nháp mới")
    assert "Changes not yet published" in overview.get_data(as_text=True)

    assert _step(editor, pid, "submit").status_code == 302
    assert revisions(app, pid)[-1][1] == "in_review"
    token = csrf_token(editor.get(f"/editor/procedures/{pid}").get_data(as_text=True))
    assert editor.post(f"/editor/review/procedures/{pid}/publish",
                       data={"csrf_token": token}).status_code == 403

    before = _changes(app)
    dashboard = publisher.get("/editor/").get_data(as_text=True)
    assert "Waiting for review" in dashboard and "bản nháp mới" in dashboard
    assert _step(publisher, pid, "publish").status_code == 302
    assert "bản nháp mới" in _public_name(SLUG, app)
    assert revisions(app, pid)[-1][1] == "published"
    assert _changes(app) == before + 1 and synced, "the index is updated at once"
    with app.app_context():
        proc = db.session.get(Procedure, pid)
        assert proc.published and proc.reviewed_at is not None
        actions = [a.action for a in db.session.scalars(select(AuditLog))]
    assert "publish" in actions and "submit" in actions


def test_unpublish_and_publish_again(app, synced):
    publisher = signed_in(app, "publisher")
    pid = procedure_id(app, BIRTH)
    before = _changes(app)
    assert _step(publisher, pid, "unpublish").status_code == 302
    assert app.test_client().get(f"/thu-tuc/{SLUG}").status_code == 404
    assert _changes(app) == before + 1 and len(synced) == 1
    assert _step(publisher, pid, "publish").status_code == 302
    assert app.test_client().get(f"/thu-tuc/{SLUG}").status_code == 200
    assert len(synced) == 2


def test_a_publisher_can_send_a_draft_back(app):
    editor = signed_in(app, "editor")
    publisher = signed_in(app, "publisher")
    pid = procedure_id(app, BIRTH)
    _save_and_submit(editor, pid, {"plain_name": "Cần sửa"})
    assert _step(publisher, pid, "send-back").status_code == 302
    assert revisions(app, pid)[-1][1] == "draft"
    assert "Cần sửa" not in _public_name(SLUG, app)


def test_a_step_taken_on_a_stale_page_does_nothing(app):
    editor = signed_in(app, "editor")
    publisher = signed_in(app, "publisher")
    pid = procedure_id(app, BIRTH)
    _save_and_submit(editor, pid, {"plain_name": "Phiên bản A"})
    page = publisher.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    stale = read_form(page, _form_index(page, "publish"))
    stale["change_note"] = "Tên mới."
    _save_and_submit(editor, pid, {"plain_name": "Phiên bản B, chưa được xem"})
    response = publisher.post(f"/editor/review/procedures/{pid}/publish", data=stale,
                              follow_redirects=True)
    assert "Someone changed this procedure" in response.get_data(as_text=True)
    assert "Phiên bản B" not in _public_name(SLUG, app)


def test_history_shows_who_changed_what_and_restores_as_a_new_draft(app):
    editor = signed_in(app, "editor")
    pid = procedure_id(app, BIRTH)
    _save_draft(editor, pid, {"plain_name": "Tên thứ hai", "fees-0-amount": "5000"})
    _save_draft(editor, pid, {"plain_name": "Tên thứ ba"})
    history = editor.get(f"/editor/procedures/{pid}/history")
    en_page(history, h1="History")
    html = history.get_data(as_text=True)
    assert "editor@example.org" in html and "Revision 2" in html
    page = editor.get(f"/editor/procedures/{pid}/revisions/1").get_data(as_text=True)
    assert "Name people use" in page and "Tên thứ hai" in page
    assert "Fee 1: Amount" in page and "5000" in page
    response = post_form(editor, f"/editor/procedures/{pid}/revisions/1/restore",
                         {"lock_version": read_form(page, _form_index(page, "restore"))[
                             "lock_version"]},
                         page_url=f"/editor/procedures/{pid}/revisions/1")
    assert response.status_code == 302
    rows = revisions(app, pid)
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[-1][2]["plain_name"] == "Tên thứ hai" and rows[-1][1] == "draft"


def test_preview_shows_the_draft_in_the_public_and_kiosk_layouts(app):
    editor = signed_in(app, "editor")
    pid = procedure_id(app, BIRTH)
    _save_draft(editor, pid, {"plain_name": "Xem trước bản nháp", "name_en": "Draft under preview"})
    page = editor.get(f"/editor/procedures/{pid}/preview")
    en_page(page, h1="Draft under preview")
    html = page.get_data(as_text=True)
    assert 'class="preview-banner"' in html and "site-header" in html
    kiosk = editor.get(f"/editor/procedures/{pid}/preview?layout=kiosk")
    en_page(kiosk, h1="Draft under preview")
    assert 'class="kiosk' in kiosk.get_data(as_text=True)
    assert "Xem trước" not in _public_name(SLUG, app)
    vietnamese = editor.get(f"/editor/procedures/{pid}/preview?lang=vi")
    assert "<h1>Xem trước bản nháp</h1>" in vietnamese.get_data(as_text=True)


def test_the_second_of_two_concurrent_saves_gets_a_conflict_and_keeps_its_input(app):
    first = signed_in(app, "editor", "an@example.org")
    second = signed_in(app, "editor", "binh@example.org")
    pid = procedure_id(app, BIRTH)
    form_a, form_b = edit_form(first, pid), edit_form(second, pid)
    form_a["plain_name"] = "Sửa của An"
    form_b["plain_name"] = "Sửa của Bình"
    form_b["channels-0-note"] = "Ghi chú của Bình"
    assert save(first, pid, form_a).status_code == 302
    response = save(second, pid, form_b)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved this procedure" in html
    assert "Sửa của An" in html and "an@example.org" in html  # their version
    kept = read_form(html)
    assert kept["plain_name"] == "Sửa của Bình" and kept["channels-0-note"] == "Ghi chú của Bình"
    assert [r[2]["plain_name"] for r in revisions(app, pid)] == ["Sửa của An"]
    assert save(second, pid, kept).status_code == 302  # a deliberate overwrite, after seeing
    assert [r[3] for r in revisions(app, pid)] == ["an@example.org", "binh@example.org"]


def test_simultaneous_saves_never_overwrite_each_other(app):
    pid = procedure_id(app, BIRTH)
    clients = [signed_in(app, "editor", f"e{i}@example.org") for i in range(4)]
    forms = [edit_form(c, pid) for c in clients]
    for i, form in enumerate(forms):
        form["plain_name"] = f"Người {i}"
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def run(i):
        barrier.wait()
        results[i] = save(clients[i], pid, forms[i]).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [302, 409, 409, 409]
    winner = results.index(302)
    assert [r[2]["plain_name"] for r in revisions(app, pid)] == [f"Người {winner}"]


def test_dashboard_lists_stale_procedures_feedback_and_failed_searches(app):
    from app.dates import today_local
    from app.models import Feedback, SearchQueryDay

    pid = procedure_id(app, BIRTH)
    with app.app_context():
        db.session.add(Feedback(procedure_id=pid, kind="report", reason="Sai lệ phí"))
        db.session.add(Feedback(procedure_id=pid, kind="useful", useful=False))
        db.session.add(SearchQueryDay(day=today_local(), query="giay phep nuoi cho", asked=7,
                                      missed=7))
        db.session.commit()
    editor = signed_in(app, "editor")
    page = editor.get("/editor/")
    en_page(page, h1="Dashboard")
    html = page.get_data(as_text=True)
    assert "Not checked for 180 days" in html and "Sai lệ phí" in html
    assert "giay phep nuoi cho" in html
    with app.app_context():
        feedback_id = db.session.scalar(select(Feedback.id).filter_by(kind="report"))
    response = post_form(editor, f"/editor/feedback/{feedback_id}/handled", page_url="/editor/")
    assert response.status_code == 302
    assert "Sai lệ phí" not in editor.get("/editor/").get_data(as_text=True)


def test_the_procedure_list_finds_by_name_and_code(app):
    editor = signed_in(app, "editor")
    page = editor.get("/editor/procedures?q=khai+sinh")
    en_page(page, h1="Procedures")
    assert SLUG not in page.get_data(as_text=True) or "1.001193" in page.get_data(as_text=True)
    assert "1.001193" in editor.get("/editor/procedures?q=1.001193").get_data(as_text=True)
    assert "1.001193" not in editor.get("/editor/procedures?q=%25%25").get_data(as_text=True)


def test_a_new_procedure_goes_live_when_published(app, synced):
    editor = signed_in(app, "editor")
    publisher = signed_in(app, "publisher")
    data = type_into(read_form(editor.get("/editor/procedures/new").get_data(as_text=True)), {
        "op": "", "code": "9.000002", "code_is_demo": "y", "slug": "thu-tuc-thu-nghiem",
        "official_name": "Thủ tục thử nghiệm", "plain_name": "Thử nghiệm",
    })
    response = editor.post("/editor/procedures/new", data=data)
    pid = int(response.location.rstrip("/").split("/")[-1])
    assert app.test_client().get("/thu-tuc/thu-tuc-thu-nghiem").status_code == 404
    assert _step(editor, pid, "submit").status_code == 302
    assert _step(publisher, pid, "publish").status_code == 302
    assert "Thử nghiệm" in _public_name("thu-tuc-thu-nghiem", app)
    assert synced
