"""The monthly-results import (issue #23 item 5, issue #18 item 2): the checked file waits in
``app.uploads_held`` (``IMPORT_DIR``), not in the page; the page previews, for each month and
field, the figures stored now and those the file would write, changed ones marked; nothing is
written until the editor confirms; a row breaking the cross-check is refused with the same
words as manual entry."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Field, MonthlyResult
from app.models.quality import RESULT_COLUMNS
from app.quality import crosscheck
from app.quality.importer import HEADERS
from tests.editor_support import csrf_token, post_file, read_form, signed_in
from tests.html import every, one, text

IMPORT = "/editor/ket-qua/nhap"
APPLY = "/editor/ket-qua/nhap/ap-dung"


def _csv(rows: list[list[object]]) -> bytes:
    lines = [list(HEADERS.values()), *rows]
    return "\n".join(",".join(str(c) for c in cells) for cells in lines).encode("utf-8")


def _upload(client, content: bytes):
    return post_file(client, IMPORT, IMPORT, "report.csv", content)


def _apply_form(html: str):
    actions = [form.get("action") for form in every(html, "form")]
    return read_form(html, actions.index(APPLY))


def _stored(app, month: str, slug: str) -> dict[str, int] | None:
    with app.app_context():
        row = db.session.scalar(select(MonthlyResult).join(Field).where(
            MonthlyResult.month == month, Field.slug == slug))
        return None if row is None else {c: getattr(row, c) for c in RESULT_COLUMNS}


def _demo_month(app) -> str:
    with app.app_context():
        return db.session.scalar(select(MonthlyResult.month).order_by(
            MonthlyResult.month.desc()).limit(1))


def test_the_checked_report_waits_in_import_dir_not_in_the_page(app, tmp_path):
    app.config["CLOCK"] = lambda: datetime(2027, 2, 10, tzinfo=UTC)
    app.config["IMPORT_DIR"] = str(tmp_path / "held")
    editor = signed_in(app, "editor")
    content = _csv([["2027-01", "Hộ tịch", 2, 3, 4, 5, 3, 0, 1, 0, 0]])
    page = _upload(editor, content)
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[-2000:]
    assert 'name="payload"' not in html and base64.b64encode(content).decode() not in html
    data = _apply_form(html)
    held = tmp_path / "held" / "monthly-results" / f"{data['token']}.data"
    assert held.read_bytes() == content
    applied = editor.post(APPLY, data=data)
    assert applied.status_code == 302
    assert _stored(app, "2027-01", "ho-tich")["resolved_early"] == 5
    assert not held.exists()  # released once applied
    again = editor.post(APPLY, data=data, follow_redirects=True)
    assert "expired or was already applied" in again.get_data(as_text=True)
    forged = editor.post(APPLY, data={**data, "token": "x" * 30}, follow_redirects=True)
    assert "expired or was already applied" in forged.get_data(as_text=True)


def test_the_preview_shows_stored_and_new_figures_and_confirm_applies(app):
    app.config["CLOCK"] = lambda: datetime(2027, 2, 10, tzinfo=UTC)
    month = _demo_month(app)
    before = _stored(app, month, "ho-tich")
    assert before is not None
    wanted = {**before, "carried_over": before["carried_over"] + 5,
              "apologies": before["apologies"] + 1}
    new_row = [2, 3, 4, 5, 3, 0, 1, 0, 0]
    editor = signed_in(app, "editor")
    page = _upload(editor, _csv([["2027-01", "Hộ tịch", *new_row],
                                 [month, "Hộ tịch", *(wanted[c] for c in RESULT_COLUMNS)]]))
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[-2000:]
    changed = one(html, f'#import-preview tr[data-month="{month}"]')
    for column in RESULT_COLUMNS:
        cell = one(changed, f'td[data-column="{column}"]')
        if column in ("carried_over", "apologies"):
            assert "changed" in cell.get("class", [])
            assert text(one(cell, "del")).endswith(str(before[column]))
            assert text(one(cell, "ins")).endswith(str(wanted[column]))
        else:
            assert cell.get("class") is None and text(cell) == str(before[column])
    assert "2 figures change" in text(one(changed, ".preview-status"))
    created = one(html, '#import-preview tr[data-month="2027-01"]')
    assert text(one(created, ".preview-status")) == "new"
    assert [text(td) for td in every(created, "td[data-column]")] == [str(v) for v in new_row]
    assert every(created, "td.changed") == []
    # Nothing is written before the editor confirms.
    assert _stored(app, month, "ho-tich") == before and _stored(app, "2027-01", "ho-tich") is None
    assert editor.post(APPLY, data=_apply_form(html)).status_code == 302
    assert _stored(app, month, "ho-tich") == wanted
    assert _stored(app, "2027-01", "ho-tich") == dict(zip(RESULT_COLUMNS, new_row, strict=True))


def test_a_row_breaking_the_cross_check_is_refused_like_manual_entry(app):
    app.config["CLOCK"] = lambda: datetime(2027, 2, 10, tzinfo=UTC)
    # carried 2 + received 3 + 4 = 9; resolved 5 + 6 + 0 and pending 1 + 0: 12 > 9
    values = [2, 3, 4, 5, 6, 0, 1, 0, 0]
    with app.test_request_context("/editor/", headers={"Accept-Language": "en"}):
        message = crosscheck.row_problems(dict(zip(RESULT_COLUMNS, values, strict=True)))[0]
    editor = signed_in(app, "editor")
    refused = _upload(editor, _csv([["2027-01", "Hộ tịch", *values]]))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"Row 2: {message}." in html and "Apply the report" not in html
    assert _stored(app, "2027-01", "ho-tich") is None
    # Manual entry refuses the same figures with the same words.
    with app.app_context():
        field_id = db.session.scalar(select(Field.id).where(Field.slug == "ho-tich"))
    url = "/editor/ket-qua/2027-01/nhap-tay"
    typed = editor.post(url, data={
        "csrf_token": csrf_token(editor.get(url).get_data(as_text=True)),
        **{f"v-{field_id}-{c}": str(v) for c, v in zip(RESULT_COLUMNS, values, strict=True)}})
    assert typed.status_code == 422 and message in typed.get_data(as_text=True)
    assert _stored(app, "2027-01", "ho-tich") is None


@pytest.mark.browser
def test_the_preview_passes_axe_and_applies_in_a_browser(app, live_server, browser):
    from playwright.sync_api import expect

    from tests.checkers import axe_violations
    from tests.editor_support import browser_sign_in, make_user

    app.config["CLOCK"] = lambda: datetime(2027, 2, 10, tzinfo=UTC)
    month = _demo_month(app)
    before = _stored(app, month, "ho-tich")
    changed = [before[c] + (1 if c == "apologies" else 0) for c in RESULT_COLUMNS]
    make_user(app, "editor@example.org", "editor")
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        browser_sign_in(page, live_server.url, "editor@example.org")
        page.goto(live_server.url + IMPORT)
        page.get_by_label("Monthly report (CSV or XLSX)").set_input_files(files=[{
            "name": "report.csv", "mimeType": "text/csv",
            "buffer": _csv([[month, "Hộ tịch", *changed]])}])
        page.get_by_role("button", name="Check the file").click()
        expect(page.locator("#import-preview td.changed")).to_have_count(1)
        assert axe_violations(page) == []
        assert _stored(app, month, "ho-tich") == before
        page.get_by_role("button", name="Apply the report").click()
        expect(page.get_by_text("The report is applied")).to_be_visible()
        assert _stored(app, month, "ho-tich")["apologies"] == before["apologies"] + 1
    finally:
        context.close()
