"""The shared form macros (templates/macros/forms.html) that replaced per-page copies: the one
error summary (field errors with links, or plain messages, under the page's own heading) and
the one simple form (every field, the button, multipart only when it sends a file)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField

from tests.html import attr_values, every, one, text
from tests.test_quality_pages import _csrf, _editor

SUMMARY = '{% import "macros/forms.html" as forms %}{{ forms.error_summary(errors, title) }}'


def _items(html) -> list[str]:
    return [text(li) for li in every(html, "li")]


def test_error_summary_links_field_errors_and_lists_plain_messages(app):
    with app.test_request_context("/editor/"):
        linked = render_template_string(SUMMARY, title=None, errors=[
            ("code", "Code", "is taken"), (None, "", "the whole form is stale")])
        plain = render_template_string(SUMMARY, title="Nothing was saved", errors=[
            "Reason 1 needs a name", "Row 3: not a number"])
        empty = render_template_string(SUMMARY, title=None, errors=[])
        default_title = gettext("There is a problem")
    assert '<a href="#code">Code – is taken</a>' in linked
    assert _items(linked) == ["Code – is taken", "the whole form is stale"]
    assert f'<h2 id="error-summary-title">{default_title}</h2>' in linked
    assert _items(plain) == ["Reason 1 needs a name", "Row 3: not a number"]
    assert "<a " not in plain and 'role="alert"' in plain
    assert text(one(plain, "h2#error-summary-title")) == "Nothing was saved"
    assert "error-summary" not in empty


class _Note(FlaskForm):
    title = StringField("Title")
    body = StringField("Body")


class _Upload(FlaskForm):
    file = FileField("File")


def test_simple_form_renders_every_field_once_and_multipart_only_for_files(app):
    page = ('{% import "macros/forms.html" as forms %}'
            '{{ forms.simple_form(form, [], "Go", files=files) }}')
    with app.test_request_context("/editor/"):
        note = render_template_string(page, form=_Note(), files=False)
        upload = render_template_string(page, form=_Upload(), files=True)
    assert "enctype" not in note and 'enctype="multipart/form-data"' in upload
    assert note.count('name="csrf_token"') == 1 and upload.count('name="csrf_token"') == 1
    assert attr_values(note, "input[name=title], input[name=body]", "name") == ["title", "body"]
    assert every(upload, "input[type=file]")
    button = one(note, "button[type=submit]")
    assert text(button) == "Go" and button["class"] == ["button", "button--primary"]


def test_quality_pages_show_their_problems_in_the_shared_summary(app):
    client = _editor(app, "editor")
    html = client.get("/editor/ket-qua/ly-do").get_data(as_text=True)
    ids = [name.removeprefix("name-") for name in attr_values(html, "[name^=name-]", "name")]
    data = {"csrf_token": _csrf(html), **{f"name-{rid}": "x" for rid in ids}}
    data[f"name-{ids[0]}"] = ""
    refused = client.post("/editor/ket-qua/ly-do", data=data)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert text(one(body, "h2#error-summary-title")) == "Nothing was saved"
    assert _items(one(body, "#error-summary")) == [
        "Reason 1 needs a name of at most 200 characters."]
