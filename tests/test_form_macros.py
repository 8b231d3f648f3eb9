"""The shared form macros (templates/macros/forms.html) that replaced per-page copies: the one
error summary (field errors with links, or plain messages, under the page's own heading) and
the one simple form (every field, the button, multipart only when it sends a file)."""

from __future__ import annotations

import re
from html import unescape

from flask import render_template_string
from flask_babel import gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField

from tests.test_quality_pages import _csrf, _editor

SUMMARY = '{% import "macros/forms.html" as forms %}{{ forms.error_summary(errors, title) }}'


def _items(html: str) -> list[str]:
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", li)).split())
            for li in re.findall(r"<li>(.*?)</li>", html, re.S)]


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
    assert re.search(r'<h2 id="error-summary-title">\s*Nothing was saved\s*</h2>', plain)
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
    assert re.findall(r'<input[^>]* name="(title|body)"', note) == ["title", "body"]
    assert re.findall(r'<input[^>]* type="file"', upload)
    assert re.search(r'<button type="submit" class="button button--primary">Go</button>', note)


def test_quality_pages_show_their_problems_in_the_shared_summary(app):
    client = _editor(app, "editor")
    html = client.get("/editor/ket-qua/ly-do").get_data(as_text=True)
    ids = re.findall(r'name="name-(\d+)"', html)
    data = {"csrf_token": _csrf(html), **{f"name-{rid}": "x" for rid in ids}}
    data[f"name-{ids[0]}"] = ""
    refused = client.post("/editor/ket-qua/ly-do", data=data)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'<h2 id="error-summary-title">\s*Nothing was saved\s*</h2>', body)
    assert _items(body.split('id="error-summary"', 1)[1].split("</div>", 1)[0]) == [
        "Reason 1 needs a name of at most 200 characters."]
