"""The public pages: what a citizen learns on each one, from the demo data."""

from __future__ import annotations

import json
import re

import pytest

from app.config import TestConfig
from app.extensions import db
from app.models import Procedure
from tests.pages import check_page

BIRTH = "/thu-tuc/dang-ky-khai-sinh"
SITE = TestConfig.SITE_URL  # absolute addresses come from SITE_URL, never the Host
COPY = "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh"


def html_of(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def text_of(html: str) -> str:
    """Visible text with tags removed and whitespace collapsed, for phrase checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def procedure(code: str) -> Procedure:
    return db.session.scalar(db.select(Procedure).filter_by(code=code))


# --- home, field, agency ---------------------------------------------------------------------

def test_home_has_fields_popular_life_events_online_and_the_centre(client, ctx):
    response = client.get("/")
    check_page(response, h1="Thủ tục hành chính")
    html = response.get_data(as_text=True)
    assert re.search(r'href="/linh-vuc/ho-tich">.*?\d+ thủ tục', html, re.S)
    popular = html.index("Thủ tục thường dùng")
    assert html.index(f'href="{BIRTH}"', popular) < html.index(f'href="{COPY}"', popular)
    assert 'href="/su-kien-cuoc-song/' in html
    assert 'href="/dich-vu-truc-tuyen"' in html
    from app import queries

    centre = queries.centre()
    assert centre.address in html and centre.opening_hours in html
    assert all(c.name in html for c in centre.counters)


def test_home_puts_the_search_box_first_when_search_exists(app, client):
    if "public.search" not in app.view_functions:
        pytest.skip("search is built in its own issue")
    html = html_of(client, "/")
    main = html[html.index("<main"):]
    assert main.index('action="/tim-kiem"') < main.index("<h2")


def test_field_page_lists_its_procedures_in_pages(app, client):
    app.config["PER_PAGE"] = 3
    first = client.get("/linh-vuc/ho-tich")
    check_page(first, h1="Hộ tịch")
    html = first.get_data(as_text=True)
    assert html.count('class="procedure-list-name"') == 3
    assert 'rel="next" href="/linh-vuc/ho-tich?page=2"' in html
    second = html_of(client, "/linh-vuc/ho-tich?page=2")
    assert 'rel="prev"' in second and "Trang 2 / " in second
    assert client.get("/linh-vuc/khong-co").status_code == 404


def test_agency_pages(client):
    check_page(client.get("/co-quan"), h1="Cơ quan")
    html = html_of(client, "/co-quan")
    assert 'href="/co-quan/ubnd-xa"' in html
    page = client.get("/co-quan/ubnd-xa")
    check_page(page)
    assert 'class="procedure-list-name"' in page.get_data(as_text=True)
    assert client.get("/co-quan/khong-co").status_code == 404


# --- the procedure page ----------------------------------------------------------------------

def test_procedure_page_answers_the_four_questions_first(client, ctx):
    proc = procedure("1.001193")
    response = client.get(BIRTH)
    check_page(response, h1=proc.plain_name)
    html = response.get_data(as_text=True)
    # Name, one line, the case chooser, what to bring, fee, time and where; the rest after.
    order = [html.index(mark) for mark in ('class="answer-line"', 'id="case-heading"',
                                           'id="documents"', 'id="fees"', 'id="ways"',
                                           'id="about"', 'id="steps"')]
    assert order == sorted(order)
    line = text_of(html[html.index('class="answer-line"'):html.index("</p>", order[0])])
    assert "không mất phí" in line and "Nộp trực tuyến được" in line
    ways = text_of(html[order[4]:order[5]])
    assert "Quầy số 1" in ways and "hoàn toàn trực tuyến" in ways
    assert proc.official_name in html and "Mã thủ tục:" in html and proc.code in html


def test_one_primary_online_action_to_the_national_portal(app, client, ctx):
    # The portal's own id of 1.001193 is not known: its home page, and the code to search for,
    # rather than a page address built from the code (which the portal does not serve).
    html = html_of(client, BIRTH)
    assert html.count("button-start") == 1
    assert re.search(r'<a href="https://dichvucong.gov.vn/" class="button button-start"[^>]*>'
                     r'Nộp hồ sơ trực tuyến', html)
    assert "tìm mã thủ tục 1.001193" in html and "ma_thu_tuc=1.001193" not in html
    assert "button-start" not in html_of(client, COPY)  # not online
    procedure("1.001193").portal_id = "6007"
    db.session.commit()
    url = app.config["ONLINE_SERVICE_URL_TEMPLATE"].format(portal_id="6007")
    assert re.search(rf'<a href="{re.escape(url)}" class="button button-start"',
                     html_of(client, BIRTH).replace("&amp;", "&"))


def test_channels_table_documents_steps_and_the_rest(client, ctx):
    proc = procedure("1.001193")
    html = html_of(client, BIRTH)
    ways = html[html.index('<dl class="ways-list">'):html.index("</dl>",
                                                              html.index("ways-list"))]
    for label in ("Trực tiếp", "Trực tuyến", "Qua bưu chính"):
        assert f"<dt>{label}</dt>" in ways
    first, *others = proc.document_cases
    assert f"<h3>{first.title}</h3>" in html
    assert all(f"<h3>{case.title}</h3>" not in html for case in others)
    every = html_of(client, BIRTH + "?truong-hop=tat-ca")
    assert all(f"<h3>{case.title}</h3>" in every for case in proc.document_cases)
    assert "1 bản chính" in every
    for step in proc.steps:
        assert step.text in html
    for basis in proc.legal_bases:
        assert basis.number in html
    for link in proc.agency_links:
        assert f'href="/co-quan/{link.agency.slug}"' in html
    assert "Cập nhật " in html and "Nguồn:" in html
    assert f'href="{BIRTH}/in?truong-hop={first.slug}"' in html
    assert 'href="/su-kien-cuoc-song/sinh-con"' in html


def test_procedure_metadata_canonical_open_graph_and_json_ld(client):
    html = html_of(client, BIRTH + "?count=3&feedback=thanks")
    assert f'<link rel="canonical" href="{SITE}{BIRTH}">' in html
    assert '<meta property="og:title" content="Làm giấy khai sinh">' in html
    assert '<meta property="og:description"' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "GovernmentService" and data["identifier"] == "1.001193"
    assert data["url"] == f"{SITE}{BIRTH}"
    assert {c["name"] for c in data["availableChannel"]} >= {"Trực tiếp", "Trực tuyến"}
    assert "<script>" not in html and "<script " not in html.replace(
        '<script type="application/ld+json">', "")
    english = html_of(client, "/en" + BIRTH)
    assert f'<link rel="canonical" href="{SITE}/en{BIRTH}">' in english


def test_a_demo_code_is_never_shown_as_a_national_code(client, ctx):
    proc = procedure("1.001193")
    proc.code, proc.code_is_demo = "DEMO-000001", True
    db.session.commit()
    html = html_of(client, BIRTH)
    assert "Mã thủ tục:" not in html and "không phải mã thủ tục quốc gia" in html
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "identifier" not in data
    assert "button-start" not in html  # no portal page exists for a made-up code


def test_a_procedure_no_longer_in_force_says_so_and_points_on(client, ctx):
    old, new = procedure("1.004884"), procedure("1.001193")
    old.status, old.replaced_by = "not_in_force", new
    db.session.commit()
    html = html_of(client, f"/thu-tuc/{old.slug}")
    notice = html[html.index("notice-warning"):]
    assert "Thủ tục này đã hết hiệu lực." in notice
    assert f'href="{BIRTH}"' in notice[:notice.index("</div>")]
    assert "button-start" not in html


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
    assert f'href="{BIRTH}"' not in html_of(client, "/")


# --- fee calculator -------------------------------------------------------------------------

def test_fee_calculator_works_on_the_server(client):
    html = html_of(client, COPY)
    assert '<form class="calculator" method="get"' in html and 'name="count"' in html
    result = html_of(client, COPY + "?count=5")
    box = text_of(result[result.index("result-box"):])
    assert "Với 5:" in box and "7.000 ₫" in box.replace("\xa0", " ")
    capped = text_of(html_of(client, COPY + "?count=1.000"))
    assert "200.000 ₫" in capped.replace("\xa0", " ")


@pytest.mark.parametrize("typed", ["abc", "0", "-3", "99999999"])
def test_fee_calculator_explains_a_wrong_count(client, typed):
    html = html_of(client, f"{COPY}?count={typed}")
    assert 'id="count-error"' in html and 'aria-invalid="true"' in html
    assert "Hãy nhập một số nguyên từ 1 đến 10.000" in html
    assert "result-box" not in html


def test_no_calculator_where_the_fee_does_not_depend_on_a_count(client):
    assert 'class="calculator"' not in html_of(client, BIRTH)


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
    assert html.count("<li><span lang=\"vi\">") == len(documents)  # the common case only
    assert 'class="checklist-items"' in html and "checklist-others" in html
    assert re.search(r'<svg role="img" aria-label="[^"]+" viewBox="0 0 \d+ \d+" class="qr">', html)
    assert f"{SITE}{BIRTH}?truong-hop={common}</span>" in html
    assert "Miễn phí" in html and "Quầy số 1" in html
    assert 'media="print"' in html
    english = html_of(client, "/en" + BIRTH + "/in")
    assert f"{SITE}/en{BIRTH}?truong-hop={common}</span>" in english
