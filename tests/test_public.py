"""The public pages: what a citizen learns on each one, from the demo data."""

from __future__ import annotations

import json
import re

import pytest

from app.config import TestConfig
from app.extensions import db
from app.models import Procedure
from tests.html import attr_values, every, one, positions, soup, text
from tests.pages import check_page

BIRTH = "/thu-tuc/dang-ky-khai-sinh"
SITE = TestConfig.SITE_URL  # absolute addresses come from SITE_URL, never the Host
COPY = "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh"


def html_of(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def text_of(html: str) -> str:
    """Visible text with whitespace collapsed, for phrase checks."""
    return text(soup(html))


def procedure(code: str) -> Procedure:
    return db.session.scalar(db.select(Procedure).filter_by(code=code))


# --- home, field, agency ---------------------------------------------------------------------

def test_home_has_fields_popular_life_events_online_and_the_centre(client, ctx):
    response = client.get("/")
    check_page(response, h1="Thủ tục hành chính")
    html = response.get_data(as_text=True)
    assert re.search(r"\d+ thủ tục", text(one(html, 'a[href="/linh-vuc/ho-tich"]')))
    popular = attr_values(one(html, 'section[aria-labelledby="popular-heading"]'), "a", "href")
    assert popular.index(BIRTH) < popular.index(COPY)
    links = attr_values(html, "a", "href")
    assert any(href.startswith("/su-kien-cuoc-song/") for href in links)
    assert "/dich-vu-truc-tuyen" in links
    from app import queries

    centre = queries.centre()
    assert centre.address in html and centre.opening_hours in html
    assert all(c.name in html for c in centre.counters)


def test_home_puts_the_search_box_first_when_search_exists(app, client):
    if "public.search" not in app.view_functions:
        pytest.skip("search is built in its own issue")
    html = html_of(client, "/")
    main = one(html, "main")
    assert positions(main, 'form[action="/tim-kiem"]', "h2") == sorted(
        positions(main, 'form[action="/tim-kiem"]', "h2"))


def test_field_page_lists_its_procedures_in_pages(app, client):
    app.config["PER_PAGE"] = 3
    first = client.get("/linh-vuc/ho-tich")
    check_page(first, h1="Hộ tịch")
    html = first.get_data(as_text=True)
    assert len(every(html, ".procedure-list-name")) == 3
    assert "/linh-vuc/ho-tich?page=2" in attr_values(html, '[rel="next"]', "href")
    second = html_of(client, "/linh-vuc/ho-tich?page=2")
    assert every(second, '[rel="prev"]') and "Trang 2 / " in text_of(second)
    assert client.get("/linh-vuc/khong-co").status_code == 404


def test_agency_pages(client):
    check_page(client.get("/co-quan"), h1="Cơ quan")
    html = html_of(client, "/co-quan")
    assert "/co-quan/ubnd-xa" in attr_values(html, "a", "href")
    page = client.get("/co-quan/ubnd-xa")
    check_page(page)
    assert every(page, ".procedure-list-name")
    assert client.get("/co-quan/khong-co").status_code == 404


# --- the procedure page ----------------------------------------------------------------------

def test_procedure_page_answers_the_four_questions_first(client, ctx):
    proc = procedure("1.001193")
    response = client.get(BIRTH)
    check_page(response, h1=proc.plain_name)
    html = response.get_data(as_text=True)
    # Name, one line, the case chooser, what to bring, fee, time and where; the rest after.
    order = positions(html, ".answer-line", "#case-heading", "#documents", "#fees", "#ways",
                      "#about", "#steps")
    assert order == sorted(order)
    line = text(one(html, ".answer-line"))
    assert "không mất phí" in line and "Nộp trực tuyến được" in line
    ways = text(one(html, "#ways"))
    assert "Quầy số 1" in ways and "hoàn toàn trực tuyến" in ways
    assert proc.official_name in html and "Mã thủ tục:" in html and proc.code in html


def test_one_primary_online_action_to_the_national_portal(app, client, ctx):
    # The portal's own id of 1.001193 is not known: its home page, and the code to search for,
    # rather than a page address built from the code (which the portal does not serve).
    html = html_of(client, BIRTH)
    assert len(every(html, ".button-start")) == 1
    start = one(html, "a.button.button-start")
    assert start["href"] == "https://dichvucong.gov.vn/"
    assert text(start).startswith("Nộp hồ sơ trực tuyến")
    assert "tìm mã thủ tục 1.001193" in html and "ma_thu_tuc=1.001193" not in html
    assert not every(html_of(client, COPY), ".button-start")  # not online
    procedure("1.001193").portal_id = "6007"
    db.session.commit()
    url = app.config["ONLINE_SERVICE_URL_TEMPLATE"].format(portal_id="6007")
    assert one(html_of(client, BIRTH), "a.button.button-start")["href"] == url


def test_channels_table_documents_steps_and_the_rest(client, ctx):
    proc = procedure("1.001193")
    html = html_of(client, BIRTH)
    ways = [text(dt) for dt in every(one(html, "dl.ways-list"), "dt")]
    for label in ("Trực tiếp", "Trực tuyến", "Qua bưu chính"):
        assert label in ways
    first, *others = proc.document_cases
    headings = [text(h3) for h3 in every(html, "h3")]
    assert first.title in headings
    assert all(case.title not in headings for case in others)
    all_cases = html_of(client, BIRTH + "?truong-hop=tat-ca")
    headings = [text(h3) for h3 in every(all_cases, "h3")]
    assert all(case.title in headings for case in proc.document_cases)
    assert "1 bản chính" in all_cases
    for step in proc.steps:
        assert step.text in html
    for basis in proc.legal_bases:
        assert basis.number in html
    links = attr_values(html, "a", "href")
    for link in proc.agency_links:
        assert f"/co-quan/{link.agency.slug}" in links
    assert "Cập nhật " in html and "Nguồn:" in html
    assert f"{BIRTH}/in?truong-hop={first.slug}" in links
    assert "/su-kien-cuoc-song/sinh-con" in links


def test_procedure_metadata_canonical_open_graph_and_json_ld(client):
    html = html_of(client, BIRTH + "?count=3&feedback=thanks")
    assert attr_values(html, 'link[rel="canonical"]', "href") == [f"{SITE}{BIRTH}"]
    assert attr_values(html, 'meta[property="og:title"]', "content") == ["Làm giấy khai sinh"]
    assert one(html, 'meta[property="og:description"]')
    data = json.loads(one(html, 'script[type="application/ld+json"]').string)
    assert data["@type"] == "GovernmentService" and data["identifier"] == "1.001193"
    assert data["url"] == f"{SITE}{BIRTH}"
    assert {c["name"] for c in data["availableChannel"]} >= {"Trực tiếp", "Trực tuyến"}
    assert [script.get("type") for script in every(html, "script")] == ["application/ld+json"]
    english = html_of(client, "/en" + BIRTH)
    assert attr_values(english, 'link[rel="canonical"]', "href") == [f"{SITE}/en{BIRTH}"]


def test_a_demo_code_is_never_shown_as_a_national_code(client, ctx):
    proc = procedure("1.001193")
    proc.code, proc.code_is_demo = "DEMO-000001", True
    db.session.commit()
    html = html_of(client, BIRTH)
    assert "Mã thủ tục:" not in html and "không phải mã thủ tục quốc gia" in html
    data = json.loads(one(html, 'script[type="application/ld+json"]').string)
    assert "identifier" not in data
    assert not every(html, ".button-start")  # no portal page exists for a made-up code


def test_a_procedure_no_longer_in_force_says_so_and_points_on(client, ctx):
    old, new = procedure("1.004884"), procedure("1.001193")
    old.status, old.replaced_by = "not_in_force", new
    db.session.commit()
    html = html_of(client, f"/thu-tuc/{old.slug}")
    notice = one(html, ".notice-warning")
    assert "Thủ tục này đã hết hiệu lực." in text(notice)
    assert BIRTH in attr_values(notice, "a", "href")
    assert not every(html, ".button-start")


def test_a_replaced_procedure_redirects_permanently(client, ctx):
    old = procedure("2.000986")
    response = client.get(f"/thu-tuc/{old.slug}")
    assert response.status_code == 301
    assert response.location.endswith(f"/thu-tuc/{old.replaced_by.slug}")
    printed = client.get(f"/en/thu-tuc/{old.slug}/in")
    assert printed.status_code == 301
    assert printed.location == f"/en/thu-tuc/{old.replaced_by.slug}/in"
    assert client.get("/thu-tuc/khong-co-thu-tuc-nay").status_code == 404


def test_unpublished_procedures_are_not_public(client, ctx):
    procedure("1.001193").published = False
    db.session.commit()
    assert client.get(BIRTH).status_code == 404
    assert BIRTH not in attr_values(html_of(client, "/"), "[href]", "href")


# --- fee calculator -------------------------------------------------------------------------

def test_fee_calculator_works_on_the_server(client):
    html = html_of(client, COPY)
    assert one(one(html, 'form.calculator[method="get"]'), '[name="count"]')
    result = html_of(client, COPY + "?count=5")
    box = text(one(result, ".result-box"))
    assert "Với 5:" in box and "7.000 ₫" in box.replace("\xa0", " ")
    capped = text_of(html_of(client, COPY + "?count=1.000"))
    assert "200.000 ₫" in capped.replace("\xa0", " ")


@pytest.mark.parametrize("typed", ["abc", "0", "-3", "99999999"])
def test_fee_calculator_explains_a_wrong_count(client, typed):
    html = html_of(client, f"{COPY}?count={typed}")
    assert one(html, "#count-error") and one(html, '[name="count"][aria-invalid="true"]')
    assert "Hãy nhập một số nguyên từ 1 đến 10.000" in html
    assert not every(html, ".result-box")


def test_no_calculator_where_the_fee_does_not_depend_on_a_count(client):
    assert not every(html_of(client, BIRTH), ".calculator")


# --- print view -----------------------------------------------------------------------------

def test_print_view_is_a_checklist_with_a_qr_code_to_the_page(app, client):
    # No app context around the requests: flask-babel keeps the locale in it.
    with app.app_context():
        proc = procedure("1.001193")
        name = proc.plain_name
        documents = proc.document_cases[0].documents
        common = proc.document_cases[0].slug
    response = client.get(BIRTH + "/in")
    check_page(response, h1=name)
    html = response.get_data(as_text=True)
    # the common case only
    assert len(every(html, '.checklist-items > li > span[lang="vi"]:first-child')) == len(
        documents)
    assert one(html, ".checklist-items") and one(html, ".checklist-others")
    qr = one(html, 'svg.qr[role="img"]')
    assert qr.get("aria-label") and re.fullmatch(r"0 0 \d+ \d+", qr.get("viewbox", ""))
    assert f"{SITE}{BIRTH}?truong-hop={common}" in [text(span) for span in every(html, "span")]
    assert "Miễn phí" in html and "Quầy số 1" in html
    assert every(html, '[media="print"]')
    english = html_of(client, "/en" + BIRTH + "/in")
    assert f"{SITE}/en{BIRTH}?truong-hop={common}" in [text(s) for s in every(english, "span")]
