"""Editing the whole record: every part round-trips through the form, repeating parts are
added, removed and reordered without JavaScript, and errors keep what was typed."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Procedure
from app.records import procedure_to_dict
from tests.editor_support import (
    edit_form,
    en_page,
    procedure_id,
    read_form,
    revisions,
    save,
    signed_in,
    start_editing,
    type_into,
)
from tests.html import attr_values, every, one, text

COPY = "2.000815"  # certified copies: a tiered fee with a cap


def test_every_demo_record_survives_the_form_unchanged(app):
    editor = signed_in(app, "editor")
    with app.app_context():
        ids = list(db.session.scalars(select(Procedure.id)))
    assert len(ids) >= 40
    for pid in ids:
        response = save(editor, pid, edit_form(editor, pid))
        assert response.status_code == 302, (pid, response.get_data(as_text=True)[:2000])
        with app.app_context():
            live = procedure_to_dict(db.session.get(Procedure, pid))
        assert revisions(app, pid)[-1][2] == live, pid


def test_the_edit_page_is_a_proper_page(app):
    editor = signed_in(app, "editor")
    pid = procedure_id(app, COPY)
    response = editor.get(f"/editor/procedures/{pid}/edit")
    en_page(response, h1="Edit the procedure")
    html = response.get_data(as_text=True)
    fieldsets = every(html, "fieldset")
    assert len(fieldsets) >= 10 and len(every(html, "legend")) == len(fieldsets)
    labelled = set(attr_values(html, "[for]", "for"))
    for control in every(html, "input[id], select[id], textarea[id]"):
        if control["id"] not in labelled:  # every control has a label (radios: the legend)
            assert control.get("type") in ("hidden", "radio"), control["id"]


def test_a_fee_with_tiers_cap_and_exemptions_is_edited(app):
    editor, pid, data = start_editing(app, COPY, {
        "fees-0-amount": "3.000",
        "fees-0-cap": "250 000 đ",
        "fees-0-exempt_groups": "Người có công",
        "fees-0-tiers-0-from_unit": "4",
        "fees-0-tiers-0-amount": "1,500",
    })
    assert save(editor, pid, data).status_code == 302
    fee = revisions(app, pid)[-1][2]["fees"][0]
    assert (fee["amount"], fee["cap"], fee["exempt_groups"]) == (3000, 250000, "Người có công")
    assert fee["tiers"] == [{"from_unit": 4, "amount": 1500}]


def _ops_page(client, pid, data, op):
    response = save(client, pid, data, op)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True), read_form(response.get_data(as_text=True))


def test_rows_are_added_removed_and_moved_without_javascript_keeping_typed_text(app):
    editor, pid, data = start_editing(app, COPY, {"official_name": "Tên đang gõ, chưa lưu"})
    steps = len([k for k in data if re.fullmatch(r"steps-\d+", k)])

    html, data = _ops_page(editor, pid, data, "add:steps")
    assert data["official_name"] == "Tên đang gõ, chưa lưu"
    assert len([k for k in data if re.fullmatch(r"steps-\d+", k)]) == steps + 1
    assert one(html, f"#steps-{steps}[autofocus]")
    data[f"steps-{steps}"] = "Bước mới"

    html, data = _ops_page(editor, pid, data, f"up:steps-{steps}")
    assert data[f"steps-{steps - 1}"] == "Bước mới"

    html, data = _ops_page(editor, pid, data, "add:fees-0-tiers")
    data["fees-0-tiers-1-from_unit"] = "10"
    data["fees-0-tiers-1-amount"] = "500"
    kinds = {data[k] for k in data if re.fullmatch(r"channels-\d+-kind", k)}
    for n in range(len(kinds) - 1, 0, -1):  # one way to apply, so "post" can be added
        html, data = _ops_page(editor, pid, data, f"remove:channels-{n}")
    data["channels-0-kind"] = "in_person"
    for key in [k for k in data if re.fullmatch(r"fees-\d+-channels", k)]:
        del data[key]  # every remaining fee: every way to apply
    html, data = _ops_page(editor, pid, data, "add:channels")
    html, data = _ops_page(editor, pid, data, "add:fees")
    last = len([k for k in data if re.fullmatch(r"fees-\d+-name", k)]) - 1
    data["channels-1-kind"] = "post"
    data[f"fees-{last}-name"] = "Phí gửi"
    data[f"fees-{last}-amount"] = "0"
    data[f"fees-{last}-channels"] = "post"
    html, data = _ops_page(editor, pid, data, "up:channels-1")
    html, data = _ops_page(editor, pid, data, f"up:fees-{last}")
    assert data["channels-0-kind"] == "post" and data[f"fees-{last - 1}-name"] == "Phí gửi"
    html, data = _ops_page(editor, pid, data, "add:document_cases-0-documents")
    html, data = _ops_page(editor, pid, data, "remove:document_cases-0-documents-0")
    agencies = len([k for k in data if re.fullmatch(r"agencies-\d+-agency", k)])
    html, data = _ops_page(editor, pid, data, "add:agencies")
    assert len([k for k in data if re.fullmatch(r"agencies-\d+-agency", k)]) == agencies + 1
    html, data = _ops_page(editor, pid, data, f"remove:agencies-{agencies}")
    assert len([k for k in data if re.fullmatch(r"agencies-\d+-agency", k)]) == agencies
    html, data = _ops_page(editor, pid, data, "add:legal_bases")
    assert revisions(app, pid) == [], "an op never saves"

    docs = [k for k in data if re.fullmatch(r"document_cases-0-documents-\d+-name", k)]
    for key in docs:
        data[key] = data[key] or "Giấy tờ mới"
    last_basis = max(int(m.group(1)) for k in data
                     if (m := re.fullmatch(r"legal_bases-(\d+)-number", k)))
    data[f"legal_bases-{last_basis}-number"] = "01/2026/TT-BTP"
    response = save(editor, pid, data)
    assert response.status_code == 302, [text(error) for error in every(response,
                                                                         ".field-error")]
    record = revisions(app, pid)[-1][2]
    assert record["official_name"] == "Tên đang gõ, chưa lưu"
    assert "Bước mới" in record["steps"] and record["steps"][-1] != "Bước mới"
    assert record["channels"][0]["kind"] == "post"
    assert record["fees"][last - 1] == {**record["fees"][last - 1], "name": "Phí gửi",
                                        "amount": 0, "channels": ["post"]}
    assert any(f["tiers"][-1:] == [{"from_unit": 10, "amount": 500}] for f in record["fees"])
    assert record["legal_bases"][-1]["number"] == "01/2026/TT-BTP"


def test_errors_are_shown_next_to_fields_and_nothing_typed_is_lost(app):
    editor, pid, data = start_editing(app, COPY, {
        "official_name": "",
        "plain_name": "Tên mới đang gõ",
        "fees-0-amount": "hai nghìn",
        "fees-0-tiers-0-from_unit": "1",
        "online_url": "javascript:alert(1)",
        "legal_bases-0-issued_on": "31/02/2020",
    })
    response = save(editor, pid, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    en_page(response, status=422)
    summary = one(html, "#error-summary")
    for field_id in ("official_name", "fees-0-amount",
                     "fees-0-tiers-0-from_unit", "online_url",
                     "legal_bases-0-issued_on"):
        assert f"#{field_id}" in attr_values(summary, "a", "href"), field_id
        assert one(html, f"#{field_id}-error"), field_id
        assert one(html, f'#{field_id}[aria-invalid="true"]'), field_id
    assert "Fee 1" in text(summary)
    kept = read_form(html)
    assert kept["plain_name"] == "Tên mới đang gõ"
    assert kept["fees-0-amount"] == "hai nghìn"
    assert kept["legal_bases-0-issued_on"] == "31/02/2020"
    assert revisions(app, pid) == []


def test_catalogue_rules_are_checked_next_to_the_field(app):
    editor, pid, data = start_editing(app, COPY, {
        "slug": "dang-ky-khai-sinh",  # another procedure's address
        "status": "replaced",
        "replaced_by": "9.999999",
    })
    response = save(editor, pid, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Another procedure already uses this address." in html
    assert "No procedure has this code." in html
    data["slug"] = "Có Dấu"
    html = save(editor, pid, data).get_data(as_text=True)
    assert "Use lower-case letters" in html


def test_a_new_procedure_stays_private_until_published(app):
    editor = signed_in(app, "editor")
    page = editor.get("/editor/procedures/new")
    en_page(page, h1="New procedure")
    data = type_into(read_form(page.get_data(as_text=True)), {
        "op": "", "code": "9.000001", "code_is_demo": "y", "slug": "thu-tuc-moi",
        "official_name": "Thủ tục mới", "channels-0-processing_time": "03 ngày",
    })
    response = editor.post("/editor/procedures/new", data=data)
    assert response.status_code == 302
    pid = int(response.location.rstrip("/").split("/")[-1])
    assert revisions(app, pid)[0][:2] == (1, "draft")
    with app.app_context():
        assert db.session.get(Procedure, pid).published is False
    assert app.test_client().get("/thu-tuc/thu-tuc-moi").status_code == 404
    again = editor.post("/editor/procedures/new", data=data)
    assert again.status_code == 422
    assert "Another procedure already has this code." in again.get_data(as_text=True)
