"""Fee versions as a timeline (issue #23, item 2): each fee's versions on one line, a version
ending with nothing after it flagged, and "add a new rate from a day" that copies the current
version and asks only what changes, saved as a draft."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Fee, Procedure
from tests.editor_support import post_refused, read_form, signed_in
from tests.html import every, one, text

CARD_FEE = "Lệ phí cấp đổi thẻ căn cước"


def _card(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Fee.procedure_id).filter_by(name=CARD_FEE).limit(1))


def _lines(html: str) -> list:
    return every(html, "#fee-timelines li.fee-timeline")


def _line(html: str, name: str, ending: bool):
    found = [li for li in _lines(html) if text(li.find("strong")) == name
             and ("fee-timeline--ending" in li["class"]) == ending]
    assert len(found) == 1, [text(li) for li in _lines(html)]
    return found[0]


def _working_fees(app, proc_id: int) -> list[dict]:
    from app.revisions import drafts

    with app.app_context():
        return drafts.working_record(db.session.get(Procedure, proc_id))["fees"]


def _open_new_rate(app: Flask, ending: bool) -> tuple[FlaskClient, int, str, str]:
    """Sign an editor in and open "add a new rate" on the card fee's line that is (or is not)
    ending: the editor, the procedure's id, the form's address and its page."""
    proc_id = _card(app)
    editor = signed_in(app, "editor")
    html = editor.get(f"/editor/procedures/{proc_id}").get_data(as_text=True)
    link = one(_line(html, CARD_FEE, ending=ending), "a.button")["href"]
    return editor, proc_id, link, editor.get(link).get_data(as_text=True)


def test_versions_read_as_one_line_and_an_end_without_successor_shows(app):
    proc_id = _card(app)
    editor = signed_in(app, "editor")
    html = editor.get(f"/editor/procedures/{proc_id}",
                      headers={"Accept-Language": "vi"}).get_data(as_text=True)
    line = _line(html, CARD_FEE, ending=False)
    for hidden in line.select(".visually-hidden"):  # read what is seen
        hidden.decompose()
    general = " ".join(text(line).split())
    assert ("25.000 ₫ từ 01/07/2025 đến hết 31/12/2026 → 50.000 ₫ từ 01/01/2027"
            in general.replace("\xa0", " ")), general
    online = " ".join(text(_line(html, CARD_FEE, ending=True)).split())
    assert "28/02/2027" in online  # the free online rate ends and nothing follows


def test_a_new_rate_copies_the_current_one_and_ends_it_the_day_before(app):
    editor, proc_id, link, page = _open_new_rate(app, ending=False)
    assert one(page, "input#starts_on").get("value", "") == ""  # open end: nothing to guess
    form = read_form(page)
    form["starts_on"], form["amount"] = "01/07/2027", "60000"
    saved = editor.post(link, data=form)
    assert saved.status_code == 302
    fees = [f for f in _working_fees(app, proc_id)
            if f["name"] == CARD_FEE and f["condition"] is None]
    assert [(f["amount"], f["valid_from"], f["valid_until"]) for f in fees] == [
        (25000, "2025-07-01", "2026-12-31"), (50000, "2027-01-01", "2027-06-30"),
        (60000, "2027-07-01", None)]
    assert fees[2]["channels"] == fees[1]["channels"] and fees[2]["unit"] == fees[1]["unit"]


def test_a_new_rate_after_an_ending_one_clears_the_warning(app):
    editor, proc_id, link, page = _open_new_rate(app, ending=True)
    assert one(page, "input#starts_on")["value"] == "01/03/2027"  # the day after it ends
    form = read_form(page)  # only the day: the amount and document stay
    saved = editor.post(link, data=form)
    assert saved.status_code == 302
    html = editor.get(f"/editor/procedures/{proc_id}").get_data(as_text=True)
    assert not [li for li in _lines(html) if "fee-timeline--ending" in li["class"]
                and text(li.find("strong")) == CARD_FEE]
    online = [f for f in _working_fees(app, proc_id)
              if f["name"] == CARD_FEE and f["condition"] is not None]
    assert [(f["amount"], f["valid_from"], f["valid_until"]) for f in online] == [
        (0, "2026-08-15", "2027-02-28"), (0, "2027-03-01", None)]


def test_bad_days_are_refused_with_a_message(app):
    editor, proc_id, link, page = _open_new_rate(app, ending=False)
    form = read_form(page)
    for day in ("31/02/2027", "2027-07-01", "", "01/01/2027"):
        form["starts_on"] = day
        page = post_refused(editor, link, form, why=day)
        assert one(page, "input#starts_on").get("aria-invalid") == "true", day
        assert 'href="#starts_on"' in page
    assert editor.get(f"/editor/procedures/{proc_id}/fees/999/new-rate").status_code == 404
