"""Dates in the editor's forms (issue #23, item 3): shown and read as dd/mm/yyyy with a hint
that says so, an impossible date or another format refused with a message (never a 500);
ISO stays in the record, files and the API."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.editor.dayfield import NotADay, parse_dmy, parse_dmy_time
from app.extensions import db
from app.models import Fee, LegalDocument, Procedure
from app.revisions import drafts
from tests.editor_support import post_refused, read_form, signed_in
from tests.html import every, one, text

DMY = re.compile(r"\d{2}/\d{2}/\d{4}")
DATE_KEYS = ("valid_from", "valid_until", "issued_on", "checked_on", "online_only_from")


def _dated_procedure(app) -> int:
    """The demo procedure with the most dated fee versions."""
    with app.app_context():
        return db.session.scalar(
            select(Fee.procedure_id).where(Fee.valid_until.is_not(None))
            .group_by(Fee.procedure_id).order_by(func.count(Fee.id).desc()).limit(1))


def _date_inputs(html: str) -> list:
    return [i for i in every(html, "input")
            if any((i.get("name") or "").endswith(key) for key in DATE_KEYS)]


def _hint(html: str, field) -> str:
    ids = (field.get("aria-describedby") or "").split()
    return " ".join(text(one(html, f"#{i}")) for i in ids if i.endswith("-hint"))


@pytest.mark.parametrize("typed, day", [("31/12/2026", (2026, 12, 31)),
                                        ("1/7/2025", (2025, 7, 1)),
                                        (" 31.12.2026 ", (2026, 12, 31))])
def test_a_day_is_read_as_people_write_it(typed, day):
    assert parse_dmy(typed).timetuple()[:3] == day


@pytest.mark.parametrize("typed", ["2026-12-31", "12/31", "31/12/26", "hôm nay", "3" * 500])
def test_another_format_is_refused(typed):
    with pytest.raises(ValueError) as refused:
        parse_dmy(typed)
    assert not isinstance(refused.value, NotADay)


@pytest.mark.parametrize("typed", ["31/02/2026", "29/02/2027", "00/01/2026", "12/13/2026"])
def test_an_impossible_day_is_named_as_such(app, typed):
    with app.test_request_context(), pytest.raises(NotADay, match=re.escape(typed)):
        parse_dmy(typed)


def test_a_time_is_read_as_dd_mm_yyyy_hh_mm(app):
    assert parse_dmy_time("05/02/2027 08:00").isoformat() == "2027-02-05T08:00:00"
    with app.test_request_context():
        for typed in ("2027-02-05T08:00", "05/02/2027", "31/02/2027 08:00", "05/02/2027 25:00"):
            with pytest.raises(ValueError):
                parse_dmy_time(typed)


def test_every_date_of_the_record_form_and_its_sections_reads_dd_mm_yyyy(app):
    editor = signed_in(app, "editor")
    pid = _dated_procedure(app)
    urls = [f"/editor/procedures/{pid}/edit",
            *(f"/editor/procedures/{pid}/edit/{part}" for part in ("fees", "legal", "online"))]
    seen = set()
    for url in urls:
        html = editor.get(url).get_data(as_text=True)
        assert 'type="date"' not in html, url
        for field in _date_inputs(html):
            seen.add(field["name"].rsplit("-", 1)[-1])
            value = field.get("value") or ""
            assert value == "" or DMY.fullmatch(value), (url, field["name"], value)
            assert "dd/mm/yyyy" in _hint(html, field), (url, field["name"])
            assert field.get("inputmode") == "numeric"
    assert seen == set(DATE_KEYS)
    whole = editor.get(urls[0]).get_data(as_text=True)
    assert any(DMY.fullmatch(f.get("value") or "") for f in _date_inputs(whole))


def test_a_typed_date_is_stored_as_iso_and_a_wrong_one_refused_with_its_message(app):
    editor = signed_in(app, "editor")
    pid = _dated_procedure(app)
    url = f"/editor/procedures/{pid}/edit/fees"
    form = read_form(editor.get(url).get_data(as_text=True))
    field = next(k for k in form if k.endswith("-valid_until"))
    for typed, message in (("31/02/2026", "31/02/2026 is not a real date"),
                           ("2026-12-31", "Enter a date as dd/mm/yyyy"),
                           ("<script>", "Enter a date as dd/mm/yyyy")):
        form[field] = typed
        html = post_refused(editor, url, form, why=typed)
        assert message in text(one(html, "#error-summary")), typed
        shown = one(html, f"input#{field}")
        assert shown.get("aria-invalid") == "true" and shown.get("value") == typed[:20]
    form[field] = "30/11/2026"
    assert editor.post(url, data=form).status_code == 302
    index = int(field.split("-")[1])
    with app.app_context():
        record = drafts.working_record(db.session.get(Procedure, pid))
    assert record["fees"][index]["valid_until"] == "2026-11-30"  # ISO in the record
    assert "30/11/2026" in editor.get(url).get_data(as_text=True)


def test_the_register_form_reads_and_shows_dd_mm_yyyy(app):
    publisher = signed_in(app, "publisher")
    with app.app_context():
        doc = db.session.scalar(select(LegalDocument).where(
            LegalDocument.valid_from.is_not(None)).limit(1))
        doc_id, valid_from = doc.id, doc.valid_from
    url = f"/editor/review/legal-documents/{doc_id}"
    html = publisher.get(url).get_data(as_text=True)
    shown = one(html, "input#valid_from")
    assert shown.get("value") == valid_from.strftime("%d/%m/%Y")
    assert "dd/mm/yyyy" in _hint(html, shown) and 'type="date"' not in html
    form = read_form(html)
    form["valid_from"] = "31/04/2026"
    assert "31/04/2026 is not a real date" in post_refused(publisher, url, form)


def test_notices_take_their_times_as_dd_mm_yyyy_hh_mm(app):
    editor = signed_in(app, "editor")
    html = editor.get("/editor/notices").get_data(as_text=True)
    assert 'type="datetime-local"' not in html
    assert "dd/mm/yyyy HH:MM" in _hint(html, one(html, "input#starts_at"))
    form = read_form(html)
    form["title"], form["starts_at"] = "Nghỉ lễ", "2027-02-05T08:00"
    form["ends_at"] = "30/02/2027 08:00"
    page = post_refused(editor, "/editor/notices", form, status=400)
    assert "Enter a date and time as dd/mm/yyyy HH:MM" in page
    assert "30/02/2027 is not a real date" in page
    form["starts_at"], form["ends_at"] = "05/02/2027 08:00", "12/02/2027 08:00"
    assert editor.post("/editor/notices", data=form).status_code == 302
    assert "08:00 05/02/2027" in editor.get("/editor/notices").get_data(as_text=True)
