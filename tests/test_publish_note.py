"""Publishing now asks for the public change note (issue 21, item 3): the editor's one
Publish form refuses a publication without a note unless it is marked minor, and the note
shows in "Thay đổi gần đây" and the Atom feed; a minor one is listed nowhere."""

from __future__ import annotations

import feedparser
from sqlalchemy import select

from app.extensions import db
from app.models import ProcedureChange
from tests.editor_support import edit_form, procedure_id, read_form, revisions, save, signed_in

BIRTH, SLUG = "1.001193", "dang-ky-khai-sinh"
NOTE = "Nhận kết quả qua bưu chính không mất thêm phí."


def _form(page: str, marker: str):
    chunks = page.split("<form")[1:]
    return read_form(page, next(i for i, c in enumerate(chunks) if marker in c.split(">")[0]))


def _in_review(app) -> tuple[object, int]:
    """A draft of the birth registration sent for review; the publisher's client and its id."""
    editor, publisher = signed_in(app, "editor"), signed_in(app, "publisher")
    pid = procedure_id(app, BIRTH)
    data = edit_form(editor, pid)
    data["plain_name"] = "Làm giấy khai sinh (có ghi chú)"
    assert save(editor, pid, data).status_code == 302
    page = editor.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    assert editor.post(f"/editor/procedures/{pid}/submit",
                       data=_form(page, "/submit\"")).status_code == 302
    return publisher, pid


def _publish(publisher, pid: int, **fields: str):
    page = publisher.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    form = _form(page, 'id="publish-form"')
    assert "effective_on" in form  # a reviewed draft may also go live on a date
    for key, value in fields.items():
        form[key] = value
    return publisher.post(f"/editor/review/procedures/{pid}/publish", data=form,
                          follow_redirects=True)


def _notes(app, pid: int) -> list[tuple[str, bool, str]]:
    with app.app_context():
        return [(c.note, c.minor, c.document_number) for c in db.session.scalars(
            select(ProcedureChange).filter_by(procedure_id=pid, state="applied"))]


def test_publishing_without_a_note_is_refused_with_the_reason(app):
    publisher, pid = _in_review(app)
    answer = _publish(publisher, pid, change_note="  ")
    text = answer.get_data(as_text=True)
    assert "Nothing was done" in text and "write a public change note" in text
    assert revisions(app, pid)[-1][1] == "in_review"
    assert "có ghi chú" not in app.test_client().get(f"/thu-tuc/{SLUG}").get_data(as_text=True)
    assert _notes(app, pid) == []


def test_the_publish_note_shows_on_the_page_and_in_the_feed(app):
    publisher, pid = _in_review(app)
    answer = _publish(publisher, pid, change_note=NOTE, document_number="123/2026/NĐ-CP")
    assert "Published. The public now sees this version." in answer.get_data(as_text=True)
    assert _notes(app, pid) == [(NOTE, False, "123/2026/NĐ-CP")]
    citizen = app.test_client()
    page = citizen.get(f"/thu-tuc/{SLUG}").get_data(as_text=True)
    recent = page[page.index('id="recent-changes-heading"'):]
    assert NOTE in recent and "123/2026/NĐ-CP" in recent
    feed = feedparser.parse(citizen.get("/thay-doi.atom").get_data())
    assert not feed.bozo
    assert any(NOTE in (entry.get("summary", "") + entry.title) for entry in feed.entries)


def test_a_minor_publication_needs_no_note_and_is_not_listed(app):
    publisher, pid = _in_review(app)
    answer = _publish(publisher, pid, change_note="", minor="y")
    assert "Published." in answer.get_data(as_text=True)
    assert _notes(app, pid) == [("", True, "")]
    page = app.test_client().get(f"/thu-tuc/{SLUG}").get_data(as_text=True)
    assert "có ghi chú" in page and 'id="recent-changes-heading"' not in page


def test_publishing_again_after_unpublishing_asks_for_the_note_too(app):
    publisher = signed_in(app, "publisher")
    pid = procedure_id(app, BIRTH)
    page = publisher.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    publisher.post(f"/editor/review/procedures/{pid}/unpublish", data=_form(page, "/unpublish\""))
    page = publisher.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    form = _form(page, 'id="publish-form"')
    assert "effective_on" not in form  # nothing reviewed to schedule: only now
    refused = publisher.post(f"/editor/review/procedures/{pid}/publish", data=form,
                             follow_redirects=True).get_data(as_text=True)
    assert "write a public change note" in refused
    form["change_note"] = "Thủ tục được công bố lại."
    publisher.post(f"/editor/review/procedures/{pid}/publish", data=form)
    assert app.test_client().get(f"/thu-tuc/{SLUG}").status_code == 200
    assert _notes(app, pid) == [("Thủ tục được công bố lại.", False, "")]
