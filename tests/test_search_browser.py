"""Every case of issue 14's "Why", typed into the search page of a real Chromium."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Procedure
from tests.checkers import axe_violations, vnu_errors

pytestmark = pytest.mark.browser

WHY = [  # (typed, expected procedure code)
    ("GKS", "1.001193"), ("LLTP", "3.000333"), ("HKD", "1.001612"),
    ("GCN QSDĐ", "1.013978"), ("gcn qsdd", "1.013978"), ("BHYT", "3.000722"),
    ("KT3", "1.004194"), ("CT07", "DEMO-CT07"), ("dangkykethon", "1.000894"),
    ("lylichtuphap", "3.000333"),
    ("cho hỏi thủ tục đăng ký kết hôn cần những gì", "1.000894"),
    ("làm căn cước mất bao lâu", "1.116410"), ("phí sao y bao nhiêu tiền", "2.000815"),
    ("đổi CCCD gắn chip", "1.116410"), ("sửa năm sinh trong giấy khai sinh", "1.004859"),
    ("đổi tên", "1.004859"),
]
ENGLISH = [("birth registration", "1.001193"), ("criminal record certificate", "3.000333"),
           ("building permit", "1.013225")]


def _slugs(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Procedure.code, Procedure.slug)).all())


def _search(page, base: str, typed: str) -> None:
    box = page.locator("#search-page-q")
    box.fill("")
    box.type(typed)
    with page.expect_navigation():
        box.press("Enter")


def _first_result(page) -> str:
    return page.locator(".search-result-name a").first.get_attribute("href") or ""


def test_every_case_of_the_issue_works_when_typed(live_server, phone, app):
    slugs = _slugs(app)
    phone.goto(live_server.url + "/tim-kiem")
    for typed, code in WHY:
        _search(phone, live_server.url, typed)
        assert _first_result(phone).endswith("/thu-tuc/" + slugs[code]), typed
        facts = phone.locator(".search-result").first.locator(".search-result-facts")
        assert facts.inner_text().strip(), typed  # fee and time in the row
    _search(phone, live_server.url, "đổi tên")
    assert "thay-doi-noi-dung-dang-ky-ho-kinh-doanh" not in phone.content()


def test_words_run_together_offer_the_split_words(live_server, phone):
    phone.goto(live_server.url + "/tim-kiem")
    _search(phone, live_server.url, "dangkykethon")
    offer = phone.locator(".search-suggestion a")
    assert offer.inner_text() == "dang ky ket hon"
    with phone.expect_navigation():
        offer.click()
    assert phone.locator("#search-page-q").input_value() == "dang ky ket hon"


def test_fewer_results_and_the_rest_one_click_away(live_server, phone_for_axe):
    phone = phone_for_axe
    phone.goto(live_server.url + "/tim-kiem")
    _search(phone, live_server.url, "lam so do")
    pages = {"listed": phone.content()}
    listed = phone.locator(".search-result").count()
    assert 1 <= listed <= 10
    count = phone.locator(".search-count").inner_text()
    assert re.search(rf"\b{listed}\b", count), count
    assert axe_violations(phone) == []
    more = phone.locator(".search-more a")
    assert "Xem thêm kết quả ít liên quan" in more.inner_text()
    with phone.expect_navigation():
        more.click()
    assert phone.locator(".search-result").count() > listed
    assert phone.locator(".search-more").count() == 0
    pages["everything"] = phone.content()
    assert vnu_errors(pages) == {}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_english_queries_on_both_language_versions(live_server, phone, app, prefix):
    slugs = _slugs(app)
    phone.goto(live_server.url + prefix + "/tim-kiem")
    for typed, code in ENGLISH:
        _search(phone, live_server.url, typed)
        assert _first_result(phone).endswith("/thu-tuc/" + slugs[code]), (prefix, typed)
