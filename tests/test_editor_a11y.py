"""Editor pages are valid HTML (Nu checker) and pass axe-core in Chromium, including the
whole-record form with errors and the conflict page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.checkers import axe_violations, vnu_errors
from tests.editor_support import (
    browser_sign_in,
    edit_form,
    make_user,
    procedure_id,
    save,
    signed_in,
)

BIRTH = "1.001193"


def _pages(app) -> dict[str, str]:
    admin = signed_in(app, "admin")
    other = signed_in(app, "editor")
    pid = procedure_id(app, BIRTH)
    first, second = edit_form(admin, pid), edit_form(other, pid)
    first["plain_name"] = "Bản của quản trị"
    save(admin, pid, first)
    invalid = edit_form(admin, pid)
    invalid["official_name"] = ""
    invalid["fees-0-amount"] = "abc"
    pages = {
        "errors": save(admin, pid, invalid).get_data(as_text=True),
        "conflict": save(other, pid, second).get_data(as_text=True),
        "login": app.test_client().get("/editor/login").get_data(as_text=True),
    }
    for url in ("/editor/", "/editor/procedures", f"/editor/procedures/{pid}",
                f"/editor/procedures/{pid}/edit", f"/editor/procedures/{pid}/history",
                f"/editor/procedures/{pid}/revisions/1", f"/editor/procedures/{pid}/preview",
                "/editor/procedures/new", "/editor/files", "/editor/password",
                "/editor/admin/users", "/editor/admin/users/new", "/editor/admin/audit",
                "/editor/admin/fields", "/editor/admin/fields/new", "/editor/admin/synonyms",
                "/editor/admin/centre", "/editor/admin/import", "/editor/review/life-events",
                "/editor/review/life-events/new"):
        response = admin.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    return pages


def test_editor_pages_are_valid_html(app):
    assert vnu_errors(_pages(app)) == {}


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/editor/login", "/editor/", "/editor/procedures",
                                  "PROC", "PROC/edit", "PROC/history", "/editor/files",
                                  "/editor/admin/centre"])
def test_editor_pages_pass_axe(app, live_server, browser, path):
    make_user(app, "admin@example.org", "admin")
    pid = procedure_id(app, BIRTH)
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        if path != "/editor/login":
            browser_sign_in(page, live_server.url, "admin@example.org")
        page.goto(live_server.url + path.replace("PROC", f"/editor/procedures/{pid}"))
        if path == "PROC/edit":  # with errors showing
            page.get_by_label("Official name").fill("")
            page.get_by_role("button", name="Save draft").first.click()
            page.wait_for_load_state()
            expect(page.locator("#error-summary")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()
