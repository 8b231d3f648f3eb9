"""The one record schema and the one vocabulary: paths in messages, strict links, CSV limits,
and values the database itself refuses."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.catalogue_io import load_catalogue
from app.editor import csvformat
from app.extensions import db
from app.models import Procedure
from app.records import procedure_to_dict
from app.schema import RecordError, column_kinds, label, normalise, record_keys
from app.vocab import ChannelKind, FeeUnit, OnlineClass
from tests.editor_support import edit_form, post_file, procedure_id, save, signed_in
from tests.html import attr_values, every
from tests.html import text as text_of

CODE = "1.001193"
HOSTILE = ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
           "vbscript:x", "//evil.example/x", "/relative", "https:/no-host", " https://x.y")


def _record(app) -> dict:
    with app.app_context():
        proc = db.session.scalar(select(Procedure).filter_by(code=CODE))
        return procedure_to_dict(proc)


def test_messages_name_the_path_of_every_problem(app):
    record = _record(app)
    record["channels"][1]["fees"] = [{"amount": -5, "unit": "bowl"}]
    record["legacy_level"] = 9
    with pytest.raises(RecordError) as caught:
        normalise(record)
    paths = [path for path, _message in caught.value.problems]
    assert paths == ["legacy_level", "channels[1].fees[0].amount", "channels[1].fees[0].unit"]
    assert "channels[1].fees[0].amount: Input should be greater than or equal to 0" in str(
        caught.value)


def test_numbers_are_not_booleans_or_text_and_dates_are_iso(app):
    record = _record(app)
    for bad in (True, "5", 1.5):
        record["fees"][0]["amount"] = bad
        with pytest.raises(RecordError, match=r"fees\[0\]\.amount"):
            normalise(record)
    record["fees"][0]["amount"] = 5
    record["fees"][0]["valid_until"] = 1_700_000_000  # not a timestamp
    with pytest.raises(RecordError, match="valid_until: not a date"):
        normalise(record)
    record["fees"][0].update(valid_from="2027-01-01", valid_until="2026-12-31")
    with pytest.raises(RecordError, match="valid_until is before valid_from"):
        normalise(record)


@pytest.mark.parametrize("url", HOSTILE)
def test_every_url_field_takes_http_and_https_only(app, url):
    record = _record(app)
    for where in ("online_url", "source_url"):
        with pytest.raises(RecordError, match=where):
            normalise({**record, where: url})
    record["document_cases"][0]["documents"][0]["form_url"] = url
    with pytest.raises(RecordError, match=r"document_cases\[0\]\.documents\[0\]\.form_url"):
        normalise(record)
    assert normalise({**_record(app), "online_url": "HTTPS://Example.gov.vn/a?b=c"})


def test_catalogue_load_refuses_a_javascript_link(app):
    record = {**_record(app), "source_url": "javascript:alert(document.cookie)"}
    with app.app_context():
        report = load_catalogue({"procedures": [record]})
        assert [code for code, _why in report.rejected] == [CODE]
        db.session.rollback()
        proc = db.session.scalar(select(Procedure).filter_by(code=CODE))
        assert not proc.source_url.startswith("javascript")


def test_json_and_csv_imports_refuse_a_data_link(app):
    admin = signed_in(app, "admin")
    record = {**_record(app), "online_url": "data:text/html,<script>alert(1)</script>"}
    for name, content in (
            ("bad.json", json.dumps({"procedures": [record]}).encode()),
            ("bad.csv", csvformat.write([record]).encode("utf-8-sig"))):
        response = post_file(admin, "/editor/admin/import", "/editor/admin/import", name,
                             content)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "online_url: must be a full web address starting with http" in html, name
        # nothing created or changed
        assert len([h2 for h2 in every(html, "h2") if text_of(h2).endswith("(0)")]) == 2, name


def test_the_editor_form_refuses_a_javascript_link_next_to_the_field(app):
    editor = signed_in(app, "editor")
    pid = procedure_id(app, CODE)
    data = edit_form(editor, pid)
    data["document_cases-0-documents-0-form_url"] = "javascript:alert(1)"
    response = save(editor, pid, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "#document_cases-0-documents-0-form_url" in attr_values(html, "a", "href")


def test_a_huge_csv_cell_is_an_import_error_not_a_crash(app):
    admin = signed_in(app, "admin")
    content = ("code,official_name,slug\r\n1.0,\"" + "x" * 140_000 + "\",a\r\n").encode()
    response = post_file(admin, "/editor/admin/import", "/editor/admin/import", "big.csv",
                         content)
    assert response.status_code == 422
    assert "field larger than field limit" in response.get_data(as_text=True)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_csv_formula_guard_covers_tab_and_cr(start):
    record = {"code": "1", "official_name": f"{start}cmd|' /C calc'!A0", "slug": "a"}
    written = csvformat.write([record])
    assert f"'{start}cmd" in written
    read, rejected = csvformat.read(written)
    assert not rejected and read[0]["official_name"] == record["official_name"]


def test_csv_columns_and_labels_come_from_the_schema():
    assert csvformat.COLUMNS == record_keys() == tuple(column_kinds())
    assert str(label("valid_until")) == "Applies until (last day)"
    assert column_kinds()["channels"] == "json" and column_kinds()["published"] == "bool"


def test_the_database_refuses_values_outside_the_vocabulary(app):
    with app.app_context():
        for table, column, value in (("procedure", "online_class", "sometimes"),
                                     ("channel", "kind", "pigeon"),
                                     ("fee", "unit", "bowl")):
            with pytest.raises(IntegrityError):
                db.session.execute(text(f"UPDATE {table} SET {column} = :v"), {"v": value})
                db.session.flush()
            db.session.rollback()
    assert "full" in OnlineClass.values() and ChannelKind.POST.label == "By post"
    assert set(FeeUnit.extra("noun")) == set(FeeUnit.values())


def test_every_closed_set_of_the_app_is_in_the_vocabulary():
    """The closed sets found elsewhere before are enums now (roles, revision states, legal
    document kinds and statuses, the tablet's answers), each value with a label."""
    from app import vocab

    names = {cls.__name__ for cls in vocab.Vocab.__subclasses__()}
    assert {"Role", "RevisionState", "DocumentKind", "DocumentStatus", "RatingAnswer",
            "OnlineClass", "ChannelKind", "AgencyRole", "FeeKind", "FeeUnit"} <= names
    for cls in vocab.Vocab.__subclasses__():
        assert all(str(cls(value).label) for value in cls.values()), cls
    assert vocab.Role("publisher").includes("editor")
    assert not vocab.Role("publisher").includes("admin")


def test_the_database_refuses_roles_states_kinds_and_answers_outside_the_vocabulary(app):
    from app.models import Revision, User

    with app.app_context():
        user = User(email="r1@example.org", password_hash="x", role="editor")
        proc = db.session.scalar(select(Procedure).filter_by(code=CODE))
        db.session.add_all([user, Revision(procedure=proc, number=99, data={}, author=user)])
        db.session.commit()
        for table, column, value in (("user_account", "role", "superuser"),
                                     ("revision", "state", "archived"),
                                     ("legal_document", "kind", "Công văn"),
                                     ("legal_document", "status", "repealed"),
                                     ("rating", "answer", "meh")):
            assert db.session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar(), table
            with pytest.raises(IntegrityError):
                db.session.execute(text(f"UPDATE {table} SET {column} = :v"), {"v": value})
                db.session.flush()
            db.session.rollback()
        db.session.execute(text("UPDATE legal_document SET kind = ''"))  # unknown kind: allowed
        db.session.rollback()


def test_no_other_module_lists_a_closed_set():
    """The values of the closed sets appear as literal tuples/lists/sets/dict keys only in vocab
    (any two values of one set together is a list of it: ``in ("draft", "in_review")`` too)."""
    from app import vocab

    sets = [set(cls.values()) for cls in vocab.Vocab.__subclasses__()
            if cls is not vocab.LegacyLevel]  # "1".."4" are too common to be told apart
    offenders = []
    for path in Path("app").rglob("*.py"):
        if path.name == "vocab.py" or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            items = (node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set)
                     else node.keys if isinstance(node, ast.Dict) else [])
            found = {i.value for i in items if isinstance(i, ast.Constant)}
            if any(len(found & values) >= 2 for values in sets):
                offenders.append(f"{path}:{node.lineno}")
    assert offenders == []


def test_the_editor_form_edits_every_key_of_the_schema(app):
    """A key added to the schema without a form field would be silently kept from editors."""
    from app.editor.formops import walk
    from app.editor.record_form import ProcedureForm
    from app.schema.record import MODELS, ProcedureRecord

    workflow = {"published", "reviewed_at"}  # set by publishing, not by editing
    with app.test_request_context():
        form = ProcedureForm(formdata=None, meta={"csrf": False},
                             data={"channels": [{}], "fees": [{"tiers": [{}]}],
                                   "document_cases": [{"documents": [{}]}],
                                   "legal_bases": [{}], "agencies": [{}]})
        names = {field.short_name for field in walk(form)}
    keys = {k for model in MODELS if model is not ProcedureRecord
            for k, info in model.model_fields.items() if "list" not in str(info.annotation)}
    keys |= {k for k, info in ProcedureRecord.model_fields.items()
             if "list[" not in str(info.annotation) or k in ("applicant_types", "keywords")}
    missing = keys - workflow - names - {"steps"}
    assert missing == set()


def test_a_key_added_to_the_schema_gets_its_form_field_with_no_more_code(app):
    """The editor's form is built from the schema: a new key of a known type comes with its
    label, hint, validators and section; a new key of a part joins that part's row."""
    from typing import Annotated

    from flask_wtf import FlaskForm
    from pydantic import Field, create_model
    from wtforms import StringField, TextAreaField

    from app.editor.schema_form import form_class, part_layout, sections
    from app.schema.record import Document, ProcedureRecord
    from app.schema.types import Day, Input, Label, Text

    extended = create_model("Extended", __base__=ProcedureRecord, office_hours=(Annotated[
        Text, Label("Office hours"), Field(max_length=80), Input(hint="Mon–Fri")], ""),
        opens_on=(Annotated[Day, Label("Opens on"), Input(section="identity")], None))
    with app.test_request_context():
        form = form_class(extended, base=FlaskForm)(formdata=None, meta={"csrf": False})
        assert isinstance(form.office_hours, StringField)  # length-limited text: one line
        assert (form.office_hours.label.text, form.office_hours.description) == (
            "Office hours", "Mon–Fri")
        form.office_hours.data = "x" * 80
        assert form.office_hours.validate(form)
        form.office_hours.data = "x" * 81
        assert not form.office_hours.validate(form)
    assert "office_hours" in sections(extended)["about"]
    assert sections(extended)["identity"][-1] == "opens_on"
    part = create_model("Part2", __base__=Document, remark=(Annotated[Text, Label("Remark")], ""))
    assert part_layout(part).before[-1] == "remark"
    assert isinstance(form_class(part)().remark, TextAreaField)


def test_the_edit_page_shows_a_field_for_every_key_the_form_has(app):
    """The template lays out what the schema says: no field of the form is left unrendered."""
    from app.editor.formops import walk
    from app.editor.record_form import ProcedureForm

    editor = signed_in(app, "editor")
    pid = procedure_id(app, CODE)
    html = editor.get(f"/editor/procedures/{pid}/edit").get_data(as_text=True)
    with app.test_request_context():
        form = ProcedureForm(formdata=None, meta={"csrf": False}, data=_record(app))
        ids = [field.id for field in walk(form) if field.type not in ("CSRFTokenField",)]
    present = set(attr_values(html, "[id]", "id"))
    missing = [i for i in ids if i not in present]
    assert ids and missing == []


@pytest.mark.parametrize(("template", "portal_id", "demo", "expected"), [
    ("https://p.example/{portal_id}", "6007", False, "https://p.example/6007"),
    ("https://p.example/{portal_id}", None, False, None),  # unknown: no link, not a broken one
    ("https://p.example/?c={code}", None, False, "https://p.example/?c=1.001193"),
    ("https://p.example/?c={code}", None, True, None),  # a made-up code is no national code
    ("https://p.example/{nonsense}", "6007", False, None),  # misconfigured: no link, no 500
])
def test_portal_links_need_what_their_template_uses(template, portal_id, demo, expected):
    proc = Procedure(code="1.001193", portal_id=portal_id, code_is_demo=demo,
                     online_class="full")
    assert proc.portal_url(template) == expected
    assert proc.online_service_url(template) == expected


def test_an_old_revision_that_breaks_todays_rules_is_restored_as_a_draft_to_correct(app):
    from app.models import Revision
    from tests.editor_support import csrf_token, edit_form, procedure_id, save, signed_in

    editor = signed_in(app, "editor")
    pid = procedure_id(app, CODE)
    assert save(editor, pid, edit_form(editor, pid)).status_code == 302
    with app.app_context():  # as if saved before links were checked
        rev = db.session.scalar(select(Revision).filter_by(procedure_id=pid)
                                .order_by(Revision.number.desc()))
        rev.data = {**rev.data, "source_url": "javascript:alert(1)"}
        number, version = rev.number, db.session.get(Procedure, pid).lock_version
        db.session.commit()
    page = editor.get(f"/editor/procedures/{pid}/history")
    response = editor.post(f"/editor/procedures/{pid}/revisions/{number}/restore",
                           data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                 "lock_version": str(version)})
    assert response.status_code == 302
    form = editor.get(f"/editor/procedures/{pid}/edit")
    assert form.status_code == 200 and "javascript:alert(1)" in form.get_data(as_text=True)
    refused = save(editor, pid, edit_form(editor, pid))
    assert refused.status_code == 422 and "#source_url" in attr_values(refused, "a", "href")
