"""``?on=YYYY-MM-DD`` on the lists (issue 21): home, field, agency, life event, fee schedule,
online services, search and the API list show the catalogue as of that date — procedures
abolished by then leave, a revision in force by then gives its name — and say which date
they show, are not indexed and are cached no longer than any page; a bad date is a 400."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import schedule
from app.extensions import db
from app.models import Procedure
from app.schedule.demo import load_scheduled

TODAY = datetime(2026, 12, 7, 3, tzinfo=UTC)
LATER = "2027-01-02"
NEW_NAME = "Khai sinh theo quy định mới"
GONE_SLUG = "cap-giay-xac-nhan-tinh-trang-hon-nhan"
LISTS = ("/", "/linh-vuc/ho-tich", "/co-quan/ubnd-xa", "/le-phi", "/dich-vu-truc-tuyen",
         "/su-kien-cuoc-song/ket-hon", "/su-kien-cuoc-song/sinh-con",
         "/tim-kiem?q=khai+sinh", "/tim-kiem?q=tinh+trang+hon+nhan", "/en/linh-vuc/ho-tich",
         "/kiosk/linh-vuc/ho-tich")


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def dated(app):
    """Today 07/12/2026; from 01/01/2027 the birth registration has a new name and the
    marriage status certificate is abolished."""
    app.config["CLOCK"] = lambda: TODAY
    with app.app_context():
        report = Report()
        load_scheduled([{"code": "1.001193", "kind": "revision", "effective_on": "2027-01-01",
                         "note": "Tên mới.", "changes": {"plain_name": NEW_NAME}}], report)
        proc = db.session.scalar(select(Procedure).filter_by(code="1.004873"))
        schedule.schedule_abolition(proc, date(2027, 1, 1), "3249/QĐ-UBND", "Bãi bỏ.")
        db.session.commit()
        assert report.rejected == []
    return app


def _get(client, path: str, on: str | None = None):
    if on is not None:
        path += ("&" if "?" in path else "?") + f"on={on}"
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer


def test_lists_as_of_a_later_date_drop_the_abolished_and_show_the_coming_names(dated):
    client = dated.test_client()
    for path in LISTS:
        today = _get(client, path).get_data(as_text=True)
        later = _get(client, path, LATER).get_data(as_text=True)
        assert NEW_NAME not in today, path
        assert f"/thu-tuc/{GONE_SLUG}" not in later, path
        if "hon-nhan" in path or "hon+nhan" in path or "ket-hon" in path or "ho-tich" in path:
            assert f"/thu-tuc/{GONE_SLUG}" in today, path
        shows_birth = "sinh" in path or path in ("/", "/le-phi", "/dich-vu-truc-tuyen")
        if (shows_birth or "ho-tich" in path) and not path.startswith("/en/"):  # English: name_en
            assert NEW_NAME in later, path
        assert 'id="as-of"' in later and "02/01/2027" in later, path
        assert 'id="as-of"' not in today, path


def test_the_api_list_as_of_a_later_date(dated):
    client = dated.test_client()
    today = _get(client, "/api/v1/procedures?per_page=100").get_json()
    later = _get(client, "/api/v1/procedures?per_page=100", LATER).get_json()
    codes = {item["code"] for item in later["items"]}
    assert "1.004873" in {item["code"] for item in today["items"]} and "1.004873" not in codes
    assert "1.011606" not in codes  # the demo data's abolition from 01/01/2027
    assert later["total"] == today["total"] - 2
    birth = next(item for item in later["items"] if item["code"] == "1.001193")
    assert NEW_NAME in json.dumps(birth, ensure_ascii=False)
    assert NEW_NAME not in json.dumps(today, ensure_ascii=False)
    # Each item's page is the page as of that date too.
    assert [i["url"] for i in later["items"] if not i["url"].endswith(f"?on={LATER}")] == []
    assert [i["url"] for i in today["items"] if "on=" in i["url"]] == []
    one = _get(client, "/api/v1/procedures/1.001193", LATER).get_json()
    assert one["url"].endswith(f"/thu-tuc/dang-ky-khai-sinh?on={LATER}")
    assert "on=" not in _get(client, "/api/v1/procedures/1.001193").get_json()["url"]
    described = client.get("/api/v1/openapi.json").get_json()
    assert "abolished by then" in described["paths"]["/api/v1/procedures"]["get"]["description"]


def test_the_pages_of_a_dated_list_keep_its_date(dated):
    dated.config["PER_PAGE"] = 2
    client = dated.test_client()
    first = _get(client, "/linh-vuc/ho-tich", LATER).get_data(as_text=True)
    assert "page=2&amp;on=2027-01-02" in first or "on=2027-01-02&amp;page=2" in first
    assert "on=" not in _get(client, "/linh-vuc/ho-tich").get_data(as_text=True).split(
        'class="pagination"')[1].split("</nav>")[0]


def _procedure_links(html: str) -> list[str]:
    from tests.html import attr_values

    return [href for href in attr_values(html, "main a[href]", "href")
            if "/thu-tuc/" in href]


def test_a_dated_list_links_to_the_procedures_as_of_its_date(dated):
    """From a list as of a date, a procedure opens as of that date too (its name and fees
    then), not as it is today; an undated list links to today's pages. (One test over every
    list: the dated demo data is set up once.)"""
    client = dated.test_client()
    wrong: dict[str, list[str]] = {}
    without_links = []
    for path in LISTS:
        links = _procedure_links(_get(client, path, LATER).get_data(as_text=True))
        if not links and path != "/tim-kiem?q=tinh+trang+hon+nhan":  # abolished by then
            without_links.append(path)
        today = _procedure_links(_get(client, path).get_data(as_text=True))
        for name, hrefs in ((path, [h for h in links if f"on={LATER}" not in h]),
                            (f"{path} (today)", [h for h in today if "on=" in h])):
            if hrefs:
                wrong[name] = hrefs
    assert without_links == []
    assert wrong == {}


def test_a_dated_procedure_page_keeps_its_date_in_its_cases_print_and_calculator(dated):
    from tests.html import attr_values

    client = dated.test_client()
    html = _get(client, "/thu-tuc/dang-ky-khai-sinh", LATER).get_data(as_text=True)
    assert NEW_NAME in html
    cases = attr_values(html, "a.case-choice", "href")
    prints = attr_values(html, ".print-link a", "href")
    assert cases and prints
    assert [href for href in cases + prints if f"on={LATER}" not in href] == []
    linked = _get(client, prints[0]).get_data(as_text=True)
    assert NEW_NAME in linked
    calculator = _get(client, "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh", LATER).get_data(
        as_text=True)
    assert attr_values(calculator, 'form.calculator input[name="on"]', "value") == [LATER]
    today = _get(client, "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh").get_data(as_text=True)
    assert attr_values(today, 'form.calculator input[name="on"]', "value") == []


def test_the_search_page_says_what_its_date_does(dated):
    page = _get(dated.test_client(), "/tim-kiem?q=khai+sinh", LATER).get_data(as_text=True)
    assert 'id="search-as-of"' in page and "as it is today" not in page  # Vietnamese page
    english = _get(dated.test_client(), "/en/tim-kiem?q=khai+sinh", LATER).get_data(as_text=True)
    assert "as it is today" in english and "on=2027-01-02" in english


def test_an_earlier_date_shows_the_version_then_live(dated):
    with dated.app_context():
        assert schedule.apply_due(date(2027, 1, 1)) >= 3
    dated.config["CLOCK"] = lambda: datetime(2027, 1, 5, 3, tzinfo=UTC)
    client = dated.test_client()
    assert NEW_NAME in _get(client, "/linh-vuc/ho-tich").get_data(as_text=True)
    before = _get(client, "/linh-vuc/ho-tich", "2026-12-20").get_data(as_text=True)
    assert NEW_NAME not in before and "/thu-tuc/dang-ky-khai-sinh" in before


def test_dated_lists_are_not_indexed_and_cached_like_any_page(dated):
    client = dated.test_client()
    for path in (*LISTS[:6], "/api/v1/procedures"):
        plain, later = _get(client, path), _get(client, path, LATER)
        assert "X-Robots-Tag" not in plain.headers
        assert later.headers["X-Robots-Tag"] == "noindex", path
        max_age = int(later.headers["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert max_age <= dated.config["PUBLIC_MAX_AGE"], path


@pytest.mark.parametrize("path", [*LISTS[:7], "/tim-kiem?q=khai+sinh", "/api/v1/procedures"])
@pytest.mark.parametrize("bad", ["2027-13-01", "01/01/2027", "tomorrow", "20270101"])
def test_a_bad_date_on_a_list_is_a_400_with_a_message(app, path, bad):
    # The demo data as it is: a date is refused before anything dated is looked at.
    answer = app.test_client().get(path + ("&" if "?" in path else "?") + f"on={bad}")
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert "YYYY-MM-DD" in body
    if not path.startswith("/api/"):
        assert "<title>Không thể hiển thị địa chỉ này" in body
