"""The whole workflow in real headless Chromium: an editor drafts and sends for review, a
publisher publishes, the public sees it, and the history restores an earlier version."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.editor_support import PASSWORD, make_user

pytestmark = pytest.mark.browser

BIRTH_SLUG = "dang-ky-khai-sinh"


@pytest.fixture
def person(browser):
    """Open a new browser session (own cookies) in English, for one person."""
    contexts = []

    def open_session():
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_session
    for context in contexts:
        context.close()


def sign_in(page, base: str, email: str, start: str = "/editor/") -> None:
    page.goto(base + start)
    assert "/editor/login" in page.url  # the guard sends visitors to sign in first
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/editor/login" not in page.url


def open_procedure(page, base: str, code: str) -> None:
    page.goto(f"{base}/editor/procedures?q={code}")
    page.get_by_role("link", name=re.compile("khai sinh", re.I)).first.click()
    page.wait_for_load_state()


def test_editor_and_publisher_take_a_procedure_to_published_and_back(
        app, live_server, person):
    make_user(app, "editor@example.org", "editor")
    make_user(app, "publisher@example.org", "publisher")
    base = live_server.url
    public_before = person()
    public_before.goto(f"{base}/thu-tuc/{BIRTH_SLUG}")
    original = public_before.locator("h1").inner_text()

    editor = person()
    sign_in(editor, base, "editor@example.org", "/editor/procedures?q=1.001193")
    assert "/editor/procedures" in editor.url  # back where the editor wanted to go
    editor.get_by_role("link", name=re.compile("khai sinh", re.I)).first.click()
    editor.get_by_role("link", name="Edit", exact=True).click()
    editor.get_by_label("Name people use").fill("Khai sinh cho bé (bản mới)")
    editor.get_by_role("button", name="Add a step").click()  # a plain submit: no JavaScript
    new_step = editor.locator("[autofocus]")
    assert new_step.get_attribute("id").startswith("steps-")
    new_step.fill("Nhận kết quả tại quầy số 1.")
    assert editor.get_by_label("Name people use").input_value() == "Khai sinh cho bé (bản mới)"
    editor.get_by_role("button", name="Save draft").first.click()
    expect(editor.get_by_text("Draft saved as revision 1.")).to_be_visible()
    assert editor.locator("h1").inner_text() == "Khai sinh cho bé (bản mới)"

    public_before.reload()
    assert public_before.locator("h1").inner_text() == original  # still the live version

    editor.get_by_role("link", name="Preview", exact=True).click()
    expect(editor.locator(".preview-banner")).to_be_visible()
    editor.go_back()
    editor.get_by_role("button", name="Send for review").click()
    expect(editor.get_by_text("Sent for review.")).to_be_visible()
    # Publishing is not an editor's step.
    assert editor.get_by_role("button", name="Publish", exact=True).count() == 0

    publisher = person()
    sign_in(publisher, base, "publisher@example.org")
    waiting = publisher.get_by_role("region", name=re.compile("Waiting for review"))
    waiting.get_by_role("link", name="Khai sinh cho bé (bản mới)").click()
    assert publisher.get_by_role("cell", name="Khai sinh cho bé (bản mới)").count() == 1
    note = publisher.locator("#publish-form").get_by_label("Public change note")
    note.fill("Thêm bước nhận kết quả tại quầy.")
    publisher.get_by_role("button", name="Publish", exact=True).click()
    expect(publisher.get_by_text("Published. The public now sees this version.")).to_be_visible()

    public = person()
    public.goto(f"{base}/thu-tuc/{BIRTH_SLUG}")
    assert public.locator("h1").inner_text() == "Khai sinh cho bé (bản mới)"
    assert public.get_by_text("Nhận kết quả tại quầy số 1.").count() == 1

    # Back through history: the publisher restores the live text as it was before.
    publisher.get_by_role("link", name="History").click()
    assert publisher.get_by_role("cell", name="editor@example.org").count() == 1
    publisher.get_by_role("link", name="Revision 1").click()
    assert publisher.get_by_role("rowheader", name="Name people use").count() == 1
    publisher.go_back()
    publisher.goto(publisher.url.replace("/history", "/edit"))
    publisher.get_by_label("Name people use").fill(original)
    publisher.get_by_role("button", name="Save draft").first.click()
    publisher.get_by_role("link", name="History").click()
    publisher.get_by_role("link", name="Revision 1").click()
    publisher.get_by_role("button", name="Restore as a new draft").click()
    expect(publisher.get_by_text("Revision 1 restored as a new draft, revision 3.")).to_be_visible()
    publisher.get_by_role("button", name="Send for review").click()
    publisher.get_by_label("Minor correction").check()
    publisher.get_by_role("button", name="Publish", exact=True).click()
    public.reload()
    assert public.locator("h1").inner_text() == "Khai sinh cho bé (bản mới)"


def test_a_validation_error_is_announced_and_keeps_the_typing(app, live_server, person):
    make_user(app, "editor@example.org", "editor")
    base = live_server.url
    editor = person()
    sign_in(editor, base, "editor@example.org")
    open_procedure(editor, base, "1.001193")
    editor.get_by_role("link", name="Edit", exact=True).click()
    editor.get_by_label("Official name").fill("")
    editor.get_by_label("Name in English").first.fill("Still typed")
    editor.get_by_role("button", name="Save draft").first.click()
    summary = editor.locator("#error-summary")
    expect(summary).to_be_visible()
    assert editor.evaluate("document.activeElement.id") == "error-summary"  # editor.js
    summary.get_by_role("link", name=re.compile("Official name")).click()
    assert editor.evaluate("document.activeElement.id") == "official_name"
    assert editor.get_by_label("Name in English").first.input_value() == "Still typed"
