"""The new markup of dated changes, notices and the editor's scheduling pages is valid HTML
(Nu checker), with every block showing: an upcoming change, recent changes, an abolition
notice, a ``?on=`` banner, notices of each severity, the timeline and the dashboard lines."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import schedule
from app.extensions import db
from app.models import Notice, Procedure, ProcedureChange
from tests.checkers import axe_violations, vnu_errors
from tests.editor_support import (
    browser_sign_in,
    edit_form,
    make_user,
    read_form,
    save,
    signed_in,
)

NOW = datetime(2026, 12, 7, 3, tzinfo=UTC)


def _things(app) -> int:
    with app.app_context():
        birth = db.session.scalar(select(Procedure).filter_by(code="1.001193"))
        db.session.add(ProcedureChange(procedure_id=birth.id, kind="revision", state="applied",
                                       effective_on=date(2026, 12, 1), note="Đã sửa <b>x</b>.",
                                       document_number="1/2026/QĐ-UBND"))
        for severity in ("info", "critical", "warning"):
            db.session.add(Notice(severity=severity, title=f"Thông báo {severity}",
                                  body="Nội dung.", starts_at=datetime(2026, 12, 1),
                                  ends_at=datetime(2027, 1, 1)))
        schedule.schedule_abolition(birth, date(2027, 1, 1), "3249/QĐ-UBND", "Bãi bỏ.")
        db.session.commit()
        return birth.id


def test_pages_with_dated_changes_and_notices_are_valid_html(app):
    app.config["CLOCK"] = lambda: NOW
    pid = _things(app)
    editor, publisher = signed_in(app, "editor"), signed_in(app, "publisher")
    data = edit_form(editor, pid)
    data["plain_name"] = "Tên mới"
    save(editor, pid, data)
    public = app.test_client()
    pages = {path: public.get(path).get_data(as_text=True) for path in (
        "/thu-tuc/cap-the-can-cuoc", "/thu-tuc/cap-the-can-cuoc?on=2027-01-02",
        "/kiosk/thu-tuc/dang-ky-khai-sinh", "/en/thu-tuc/dang-ky-khai-sinh", "/",
        "/thu-tuc/dang-ky-khai-sinh/in", "/linh-vuc/ho-tich?on=2027-01-02",
        "/tim-kiem?q=khai+sinh&on=2027-01-02", "/kiosk/le-phi?on=2027-01-02",
        "/thu-tuc/dang-ky-khai-sinh?on=2027-13-01")}
    assert "Recent changes" not in pages["/"] and "Thông báo critical" in pages["/"]
    page = editor.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    chunks = page.split("<form")[1:]
    form = read_form(page, next(i for i, c in enumerate(chunks) if "/submit\"" in c))
    assert editor.post(f"/editor/procedures/{pid}/submit", data=form).status_code == 302
    for path in (f"/editor/procedures/{pid}", f"/editor/procedures/{pid}/history", "/editor/",
                 "/editor/notices"):
        answer = publisher.get(path)
        assert answer.status_code == 200, path
        pages[path] = answer.get_data(as_text=True)
    assert 'id="scheduled-changes"' in pages["/editor/"]
    assert 'id="publish-form"' in pages[f"/editor/procedures/{pid}"]
    assert 'id="timeline"' in pages[f"/editor/procedures/{pid}/history"]
    assert vnu_errors(pages) == {}


@pytest.mark.browser
def test_pages_with_dated_changes_and_notices_pass_axe(app, live_server, browser):
    from app.records import procedure_to_dict
    from app.revisions import drafts

    app.config["CLOCK"] = lambda: NOW
    pid = _things(app)
    with app.app_context():
        proc = db.session.get(Procedure, pid)
        drafts.add_revision(proc, {**procedure_to_dict(proc), "plain_name": "Tên mới"}, None,
                            proc.lock_version, state="in_review")
        db.session.commit()
    make_user(app, "admin@example.org", "admin")
    found = {}
    for locale, kiosk in (("vi-VN", False), ("en-GB", True)):
        context = browser.new_context(locale=locale, bypass_csp=True)
        page = context.new_page()
        try:
            paths = ["/thu-tuc/dang-ky-khai-sinh", "/thu-tuc/cap-the-can-cuoc",
                     "/thu-tuc/cap-the-can-cuoc?on=2027-01-02", "/",
                     "/tim-kiem?q=khai+sinh&on=2027-01-02"]
            if kiosk:
                paths = ["/kiosk" + p for p in paths[:2]]
                browser_sign_in(page, live_server.url, "admin@example.org")
                paths += [f"/editor/procedures/{pid}", f"/editor/procedures/{pid}/history",
                          "/editor/", "/editor/notices"]
            for path in paths:
                page.goto(live_server.url + path)
                violations = axe_violations(page)
                if violations:
                    found[path] = violations
        finally:
            context.close()
    assert found == {}
