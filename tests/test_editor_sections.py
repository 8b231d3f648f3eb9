"""The procedure editor section by section (issue #23, item 3): each section on its own page
with its own save, none over 120 form controls for the largest demo record, and a save of one
section that leaves every other section exactly as it was."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.editor.sections import PARTS
from app.extensions import db
from app.models import Procedure
from tests.editor_support import read_form, signed_in
from tests.html import attr_values, every

CONTROLS = "input:not([type=hidden]), select, textarea, button"
MAX_CONTROLS = 120


_LARGEST: list[int] = []  # every test starts from the same demo data: the same answer


def _largest(app, editor) -> int:
    """The demo procedure whose whole-record form has the most controls (measured once per
    test process: rendering and parsing every record's form took seconds)."""
    if _LARGEST:
        return _LARGEST[0]
    with app.app_context():
        ids = list(db.session.scalars(select(Procedure.id)))
    sizes = {pid: len(every(editor.get(f"/editor/procedures/{pid}/edit").get_data(
        as_text=True), CONTROLS)) for pid in ids}
    _LARGEST.append(max(sizes, key=sizes.get))
    return _LARGEST[0]


def _pages(editor, proc_id: int) -> list[str]:
    """Every section page of a procedure, each page of a paged section included."""
    urls = []
    for part in PARTS:
        first = f"/editor/procedures/{proc_id}/edit/{part}"
        more = attr_values(editor.get(first).get_data(as_text=True), "#section-pages a", "href")
        urls += more or [first]
    return urls


def _record(app, proc_id: int) -> dict:
    from app.records import normalise_procedure
    from app.revisions import drafts

    with app.app_context():
        record = drafts.working_record(db.session.get(Procedure, proc_id))
        return {k: v for k, v in normalise_procedure(record).items()
                if k not in ("published", "reviewed_at")}


def test_no_section_page_of_the_largest_record_has_over_120_controls(app):
    editor = signed_in(app, "editor")
    largest = _largest(app, editor)
    whole = len(every(editor.get(f"/editor/procedures/{largest}/edit").get_data(as_text=True),
                      CONTROLS))
    assert whole > MAX_CONTROLS  # the whole record is the review view, not the place to type
    counts = {}
    for url in _pages(editor, largest):
        page = editor.get(url)
        assert page.status_code == 200, url
        counts[url] = len(every(page.get_data(as_text=True), CONTROLS))
    assert max(counts.values()) <= MAX_CONTROLS, counts


def test_saving_a_section_unchanged_keeps_the_whole_record(app):
    editor = signed_in(app, "editor")
    largest = _largest(app, editor)
    before = _record(app, largest)
    for url in _pages(editor, largest):
        saved = editor.post(url, data=read_form(editor.get(url).get_data(as_text=True)))
        assert saved.status_code == 302, (url, saved.get_data(as_text=True)[:2000])
        assert _record(app, largest) == before, url


def test_a_section_saves_only_its_own_fields(app):
    editor = signed_in(app, "editor")
    largest = _largest(app, editor)
    before = _record(app, largest)
    url = f"/editor/procedures/{largest}/edit/identity"
    form = read_form(editor.get(url).get_data(as_text=True))
    form["plain_name"] = "Tên dễ hiểu mới"
    assert editor.post(url, data=form).status_code == 302
    after = _record(app, largest)
    assert after["plain_name"] == "Tên dễ hiểu mới"
    assert {k: v for k, v in after.items() if k != "plain_name"} == {
        k: v for k, v in before.items() if k != "plain_name"}


def test_an_unknown_section_is_not_found(app):
    editor = signed_in(app, "editor")
    with app.app_context():
        pid = db.session.scalar(select(Procedure.id).limit(1))
    assert editor.get(f"/editor/procedures/{pid}/edit/nonsense").status_code == 404


@pytest.fixture
def writer(app, live_server, browser):
    """A signed-in editor's page in Chromium, the first procedure's id, and the dialogs the
    page asked (each dismissed: the person stays)."""
    from tests.editor_support import browser_sign_in, make_user

    make_user(app, "writer@example.org", "editor")
    with app.app_context():
        pid = db.session.scalar(select(Procedure.id).limit(1))
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    browser_sign_in(page, live_server.url, "writer@example.org")
    yield page, f"{live_server.url}/editor/procedures/{pid}", asked
    context.close()


def _type_in_the_identity_section(page, procedure: str) -> None:
    """Open the procedure's identity section and add a word to its plain name, unsaved."""
    page.goto(f"{procedure}/edit/identity")
    page.locator("#plain_name").click()
    page.keyboard.type(" mới")


@pytest.mark.browser
def test_leaving_a_section_with_unsaved_changes_asks_first(writer):
    page, procedure, asked = writer
    _type_in_the_identity_section(page, procedure)
    page.locator("#sections a").last.click()  # the whole-record view
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert "/edit/identity" in page.url  # dismissed: still on the section


@pytest.mark.browser
def test_a_saved_section_leaves_without_asking_and_an_unsaved_reload_still_asks(writer):
    page, procedure, asked = writer
    _type_in_the_identity_section(page, procedure)
    page.get_by_role("button", name="Save this section").first.click()
    expect(page.locator(".flash, [role=status]").first).to_contain_text("Draft saved")
    page.locator("#sections a").last.click()  # the whole-record view
    expect(page).to_have_url(re.compile(rf"{re.escape(procedure)}/edit$"))
    assert asked == []  # saved: nothing to ask

    # An add button shows the section again from the server, not saved: leaving asks.
    page.goto(f"{procedure}/edit/steps")
    page.locator("button.button--add").first.click()
    expect(page.locator("form[data-unsaved]")).to_have_count(1)
    page.locator("#sections a").last.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert "/edit/steps" in page.url
