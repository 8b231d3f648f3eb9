"""Issue 19: the procedure page answers the citizen's own case first. A fee entered once, case
slugs and ``?truong-hop=``, uncertainty said once, where to get each form, no editors' notes
on public pages, and Vietnamese alphabetical order."""

from __future__ import annotations

import copy
import re

from sqlalchemy import select

from app.catalogue_io import load_catalogue
from app.collation import sorted_vi
from app.extensions import db
from app.models import Fee, LegalDocument, Procedure
from app.records import procedure_to_dict
from app.schema import normalise
from tests.html import attr_values, every, one, soup, text

BIRTH = "/thu-tuc/dang-ky-khai-sinh"
SHARED = {"name": "Phí thử", "kind": "phi", "amount": 5000, "unit": "case",
          "legal_basis": "Thông tư thử", "verified": True}


def _text(html: str) -> str:
    """A page's text as a reader sees it (no-break spaces read as spaces)."""
    return text(soup(html))


def _fees(html: str) -> str:
    """The text of the procedure page's fee section."""
    return text(one(html, "#fees"))


def _rows(html: str) -> list:
    return every(html, "tr")


def _birth(ctx=None) -> Procedure:
    return db.session.scalar(select(Procedure).filter_by(code="1.001193"))


def _old_format(record: dict, fee: dict) -> dict:
    """``record`` as a round-2 file held it: a copy of ``fee`` under each of its channels."""
    old = copy.deepcopy(record)
    old.pop("fees")
    for channel in old["channels"]:
        channel["fees"] = [dict(fee)]
    return old


# --- a fee entered once --------------------------------------------------------------------

def test_old_json_with_per_channel_copies_loads_into_one_fee(app, ctx):
    record = procedure_to_dict(_birth())
    assert len(record["channels"]) == 3
    old = _old_format(record, SHARED)
    loaded = normalise(old)
    assert [f["name"] for f in loaded["fees"]] == ["Phí thử"]
    assert loaded["fees"][0]["channels"] == []  # charged on every way to apply
    assert "fees" not in loaded["channels"][0]
    # Copies that differ stay apart and name their channels.
    old["channels"][1]["fees"][0] = {**SHARED, "amount": 3000}
    loaded = normalise(old)
    assert [(f["amount"], f["channels"]) for f in loaded["fees"]] == [
        (5000, ["in_person", "post"]), (3000, ["online"])]


def test_a_fee_shared_by_three_channels_is_stored_once_and_shown_once(app, client, ctx):
    old = _old_format(procedure_to_dict(_birth()), SHARED)
    report = load_catalogue({"procedures": [old]})
    assert not report.rejected
    db.session.commit()
    proc = _birth()
    assert db.session.scalar(select(db.func.count(Fee.id)).where(
        Fee.procedure_id == proc.id)) == 1
    assert all(len(c.fees) == 1 for c in proc.channels)  # each channel still has it
    html = client.get(BIRTH).get_data(as_text=True)
    box = _fees(html)
    assert box.count("5.000 ₫") == 1 and "Trực tuyến:" not in box
    api = client.get("/api/v1/procedures/1.001193").get_json()
    assert [len(c["fees"]) for c in api["channels"]] == [1, 1, 1]  # the API lists it per channel
    assert {c["fees"][0]["channel"] for c in api["channels"]} == {"in_person", "online", "post"}
    schedule = client.get("/le-phi").get_data(as_text=True)
    assert len(soup(schedule).find_all(string="Phí thử")) == 1


def test_a_fee_on_some_channels_names_them(app, client, ctx):
    record = procedure_to_dict(_birth())
    record["fees"] = [{**SHARED, "channels": ["online"]},
                      {**SHARED, "amount": 8000, "channels": ["in_person", "post"]}]
    load_catalogue({"procedures": [record]})
    db.session.commit()
    box = _fees(client.get(BIRTH).get_data(as_text=True))
    assert "Trực tuyến: Phí thử: 5.000 ₫" in box
    assert "Trực tiếp, Qua bưu chính: Phí thử: 8.000 ₫" in box


def test_a_fee_naming_a_channel_the_record_lacks_is_refused(app, ctx):
    record = procedure_to_dict(db.session.scalar(select(Procedure).filter_by(
        slug="chung-thuc-chu-ky")))
    record["fees"][0]["channels"] = ["online"]
    report = load_catalogue({"procedures": [record]})
    assert report.rejected and "fees[0].channels" in report.rejected[0][1]
    db.session.rollback()


# --- uncertainty once, and only where it is ------------------------------------------------

def test_unverified_is_said_once_per_fee_box_and_verified_fees_name_their_article(
        app, client, ctx):
    record = procedure_to_dict(_birth())
    record["fees"] = [
        {**SHARED, "name": "Đúng hạn", "amount": 0, "verified": True,
         "legal_basis": "Luật Hộ tịch 2014, Điều 11"},
        {**SHARED, "name": "Quá hạn", "amount": 8000, "verified": False},
        {**SHARED, "name": "Bản sao", "amount": 8000, "verified": False, "unit": "copy"},
        {**SHARED, "name": "Chưa rõ", "amount": None, "verified": False}]
    load_catalogue({"procedures": [record]})
    db.session.commit()
    html = client.get(BIRTH).get_data(as_text=True)
    box = _fees(html)
    assert box.count("Trung tâm chưa đối chiếu") == 1
    assert "chưa xác minh" not in box
    assert "Miễn phí (theo Luật Hộ tịch 2014, Điều 11)" in box
    assert "Chưa có mức thu – hỏi tại quầy" in box and "Chưa công bố" not in box
    schedule = client.get("/le-phi").get_data(as_text=True)
    rows = [text(r) for r in _rows(schedule) if BIRTH in attr_values(r, "a", "href")]
    assert len(rows) == 4  # each fee once
    assert sum(r.count("Mức thu chưa được đối chiếu") for r in rows) == 1  # once per procedure


def test_a_procedure_without_fees_is_not_yet_known_in_the_schedule(client):
    html = client.get("/le-phi").get_data(as_text=True)
    row = next(r for r in _rows(html) if "/thu-tuc/tach-ho" in attr_values(r, "a", "href")
               or "Chưa rõ" in text(r))
    assert "Chưa rõ" in text(row)


def test_provenance_is_one_line_and_the_editors_note_sits_behind_a_disclosure(client, ctx):
    proc = _birth()
    html = client.get(BIRTH).get_data(as_text=True)
    block = one(html, "div.provenance.meta")
    line = text(block.find("p"))
    assert "Cập nhật " in line and "Nguồn:" in line and proc.source not in line
    details = one(block, "details.source-details")
    assert text(details.find(True)) == "Về nguồn thông tin" and details.find(True).name == "summary"
    assert text(one(details, 'summary + p[lang="vi"]')).startswith(" ".join(proc.source.split()))


def test_no_editor_note_on_the_legal_register(client, ctx):
    notes = [d.note for d in db.session.scalars(select(LegalDocument)) if d.note]
    assert notes
    for path in ("/van-ban-phap-luat", "/en/van-ban-phap-luat", "/kiosk/van-ban-phap-luat"):
        page = client.get(path).get_data(as_text=True)
        assert "nguồn thứ cấp" not in page
        assert not any(note in page for note in notes)


# --- one case at a time --------------------------------------------------------------------

def test_case_slugs_come_from_titles_and_are_in_the_api(client, ctx):
    proc = _birth()
    slugs = [c.slug for c in proc.document_cases]
    assert len(set(slugs)) == len(slugs) and all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)
    api = client.get("/api/v1/procedures/1.001193").get_json()
    assert [c["slug"] for c in api["document_cases"]] == slugs


def test_the_chooser_shows_one_case_and_an_unknown_slug_is_not_an_error(client, ctx):
    cases = _birth().document_cases
    second = cases[1]
    response = client.get(f"{BIRTH}?truong-hop={second.slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    documents = text(one(html, "#documents"))
    assert second.title in documents and cases[0].title not in documents
    assert one(html, f'a[href="{BIRTH}?truong-hop={second.slug}#documents"][aria-current="true"]')
    assert f"{BIRTH}?truong-hop=tat-ca#documents" in attr_values(html, "a", "href")
    assert one(html, "#case-heading").find_parent("nav").find("script") is None
    unknown = client.get(f"{BIRTH}?truong-hop=khong-co")
    assert unknown.status_code == 200
    page = unknown.get_data(as_text=True)
    assert "Không tìm thấy trường hợp" in page and one(page, "#case-heading")
    english = client.get(f"/en{BIRTH}?truong-hop={second.slug}").get_data(as_text=True)
    assert "Your case" in english


def test_print_honours_the_choice_and_its_qr_carries_it(client, ctx):
    cases = _birth().document_cases
    second = cases[1]
    html = client.get(f"{BIRTH}/in?truong-hop={second.slug}").get_data(as_text=True)
    assert len(every(one(html, ".checklist-documents"), "li")) == len(second.documents)
    assert any(text(span).endswith(f"?truong-hop={second.slug}") for span in every(html, "span"))
    assert "Các trường hợp khác (không in):" in html and cases[0].title in html
    common = client.get(f"{BIRTH}/in").get_data(as_text=True)
    assert any(text(span).endswith(f"?truong-hop={cases[0].slug}")
               for span in every(common, "span"))


def test_an_editor_sets_where_to_get_a_form(app, client, ctx):
    record = procedure_to_dict(_birth())
    doc = record["document_cases"][0]["documents"][0]
    doc.update(form_name="Tờ khai thử", form_file="", form_url="", form_source="counter",
               form_counter=None)
    record["document_cases"][0]["documents"][1].update(
        form_name="Tờ khai điện tử", form_file="", form_url="", form_source="portal")
    load_catalogue({"procedures": [record]})
    db.session.commit()
    shown = _text(client.get(BIRTH).get_data(as_text=True))
    assert "Tờ khai thử – lấy tại quầy 1" in shown
    assert "Tờ khai điện tử – điền trên Cổng Dịch vụ công khi nộp trực tuyến" in shown


# --- English from the same fields ------------------------------------------------------------

def test_english_processing_time_comes_from_the_same_field(app, client, ctx):
    english = _text(client.get(f"/en{BIRTH}").get_data(as_text=True))
    proc = _birth()
    assert proc.channels[0].processing_time in english  # the Vietnamese, marked as such
    record = procedure_to_dict(proc)
    record["channels"][0]["processing_time_en"] = "The same day; the next working day after 3 pm"
    record["document_cases"][0]["title_en"] = "Born in Viet Nam"
    load_catalogue({"procedures": [record]})
    db.session.commit()
    english = _text(client.get(f"/en{BIRTH}").get_data(as_text=True))
    assert "The same day; the next working day after 3 pm" in english
    assert "Born in Viet Nam" in english


# --- Vietnamese alphabetical order ---------------------------------------------------------

def test_names_sort_as_a_vietnamese_dictionary_does():
    words = ["Đóng", "Chứng thực", "Đăng ký", "Cấp thẻ", "Dân", "ăn", "az", "ân", "an"]
    assert sorted_vi(words) == ["an", "az", "ăn", "ân", "Cấp thẻ", "Chứng thực", "Dân",
                                "Đăng ký", "Đóng"]


def test_lists_are_in_vietnamese_order(client, ctx):
    from app import queries

    names = [p.name for p in queries.listed_procedures()]
    assert names == sorted_vi(names)
    firsts = [n for n in names if n.startswith(("Cấp", "Chứng"))]
    assert firsts and firsts == sorted(firsts, key=lambda n: n.startswith("Chứng"))
    schedule = client.get("/le-phi").get_data(as_text=True)
    listed = list(dict.fromkeys(text(link) for link in every(
        schedule, 'th[scope="row"] > a[href]:first-child')))
    assert listed == sorted_vi(listed)
    agencies = [a.name for a, _n in queries.agencies_with_counts()]
    assert agencies == sorted_vi(agencies)
