"""Atom feeds of catalogue changes (issue 21, item 4): valid Atom (parsed by feedparser and
checked for the elements RFC 4287 requires), the whole catalogue and per field, in both
languages, listed in the pages with rel="alternate", cached like other public answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import feedparser
import pytest
from sqlalchemy import select

from app import schedule
from app.extensions import db
from app.models import Procedure
from tests.editor_support import edit_form, procedure_id, read_form, save, signed_in

ATOM = "{http://www.w3.org/2005/Atom}"
AFTER = datetime(2027, 1, 1, 1, tzinfo=UTC)


def _parsed(client, path: str):
    answer = client.get(path)
    assert answer.status_code == 200, path
    assert answer.mimetype == "application/atom+xml"
    assert answer.headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in answer.headers
    body = answer.get_data()
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def _publish_now_with_note(app, code: str, note: str, minor: bool = False) -> None:
    editor, publisher = signed_in(app, "editor", f"e{code}@x.org"), signed_in(
        app, "publisher", f"p{code}@x.org")
    pid = procedure_id(app, code)
    data = edit_form(editor, pid)
    data["keywords"] = "thu nghiem"
    assert save(editor, pid, data).status_code == 302
    page = editor.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    chunks = page.split("<form")[1:]
    form = read_form(page, next(i for i, c in enumerate(chunks) if "/submit\"" in c.split(">")[0]))
    editor.post(f"/editor/procedures/{pid}/submit", data=form)
    page = publisher.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    chunks = page.split("<form")[1:]
    form = read_form(page, next(i for i, c in enumerate(chunks) if "publish-form" in c))
    form["change_note"] = note
    if minor:
        form["minor"] = "y"
    assert publisher.post(f"/editor/review/procedures/{pid}/publish",
                          data=form).status_code == 302


@pytest.fixture
def changed(app):
    app.config["CLOCK"] = lambda: datetime(2026, 12, 31, 3, tzinfo=UTC)
    _publish_now_with_note(app, "1.001193", "Thêm cách nộp qua VNeID <mức 2> & bưu chính.")
    _publish_now_with_note(app, "1.000894", "Sửa lỗi chính tả.", minor=True)
    with app.app_context():
        proc = db.session.scalar(select(Procedure).filter_by(code="1.004873"))
        schedule.schedule_abolition(proc, date(2027, 1, 1), "3249/QĐ-UBND", "Bãi bỏ.")
        db.session.commit()
    app.config["CLOCK"] = lambda: AFTER
    return app


def test_the_catalogue_feed_lists_changes_with_their_notes_in_both_languages(changed):
    client = changed.test_client()
    client.get("/")  # the first visit of the day applies the abolition
    for path in ("/thay-doi.atom", "/en/thay-doi.atom"):
        feed = _parsed(client, path)
        summaries = " ".join(e.summary for e in feed.entries)
        assert "Thêm cách nộp qua VNeID <mức 2> & bưu chính." in summaries
        assert "Sửa lỗi chính tả." not in summaries, "minor notes are not listed"
        assert any("01/01/2027" in e.title for e in feed.entries), "the abolition"
        assert all(e.link.startswith("http://") for e in feed.entries)
    assert _parsed(client, "/en/thay-doi.atom").feed.language == "en"


def test_a_field_feed_lists_only_its_field_and_pages_link_their_feeds(changed):
    client = changed.test_client()
    with changed.app_context():
        field = db.session.scalar(select(Procedure).filter_by(code="1.001193")).field.slug
    feed = _parsed(client, f"/linh-vuc/{field}/thay-doi.atom")
    assert any("VNeID" in e.summary for e in feed.entries)
    home = client.get("/").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml"' in home and "/thay-doi.atom" in home
    page = client.get(f"/en/linh-vuc/{field}").get_data(as_text=True)
    assert f"/en/linh-vuc/{field}/thay-doi.atom" in page
    assert client.get("/kiosk/thay-doi.atom").status_code == 404
    assert client.get("/linh-vuc/khong-co/thay-doi.atom").status_code == 404
