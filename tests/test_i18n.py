"""Languages: complete catalogues, the language from the address, the switch, Babel formats,
content fallback. (Addresses, redirects and hreflang: test_language_urls.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

from tests.html import attr_values, every, one, soup, text
from tests.pages import check_page

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _msgid(message) -> str:
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def _strings(message) -> tuple:
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else (
        message.string,)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, list[str]]:
    """Every interface string in the app, extracted as ``make messages`` does, via a .pot."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with open(pot, "wb") as out:
        write_po(out, catalog)
    with open(pot, "rb") as back:
        template = read_po(back)
    return {_msgid(m): [f"{f}:{n}" for f, n in m.locations] for m in template if m.id}


def _catalogue(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def test_every_interface_string_is_in_the_catalogues(extracted):
    for lang in ("vi", "en"):
        known = {_msgid(m) for m in _catalogue(lang) if m.id}
        missing = {msgid: where for msgid, where in extracted.items() if msgid not in known}
        assert missing == {}, f"run `make messages` ({lang}): {missing}"


def test_every_interface_string_is_translated_into_vietnamese(extracted):
    catalogue = _catalogue("vi")
    untranslated = [_msgid(m) for m in catalogue
                    if m.id and _msgid(m) in extracted and not _translated(m)]
    assert untranslated == []


def test_translations_keep_their_placeholders():
    placeholder = re.compile(r"%\(\w+\)s")
    wrong = []
    for message in _catalogue("vi"):
        if not message.id or not _translated(message):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(ids[-1]))
        if any(set(placeholder.findall(s)) - wanted for s in strings) or (
                len(ids) == 1 and set(placeholder.findall(strings[0])) != wanted):
            wrong.append(_msgid(message))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    mo_path = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.mo"
    assert mo_path.exists(), "run `make translations` (pybabel compile)"
    with open(mo_path, "rb") as mo:
        compiled = {_msgid(m): _strings(m) for m in read_mo(mo) if m.id}
    stale = [_msgid(m) for m in _catalogue("vi")
             if m.id and _translated(m) and compiled.get(_msgid(m)) != _strings(m)]
    assert stale == [], "run `make translations` (pybabel compile)"


# --- the locale in requests ---------------------------------------------------------------

def test_vietnamese_is_the_default(client):
    page = check_page(client.get("/"), lang="vi", h1="Thủ tục hành chính")
    assert "Trung tâm Phục vụ hành chính công" in page.title


def test_english_lives_under_en_and_vietnamese_at_the_root(client):
    check_page(client.get("/en/"), lang="en", h1="Administrative procedures")
    check_page(client.get("/en/le-phi"), lang="en")
    check_page(client.get("/le-phi"), lang="vi")  # nothing is remembered between requests
    check_page(client.get("/"), lang="vi")


def test_accept_language_and_cookies_are_ignored_on_citizens_pages(client):
    client.set_cookie("lang", "en")
    for path, lang in (("/", "vi"), ("/thu-tuc/dang-ky-khai-sinh", "vi"), ("/kiosk/", "vi"),
                       ("/en/", "en"), ("/kiosk/en/", "en")):
        for accept in ("en-GB,en;q=0.8", "vi", "fr"):
            check_page(client.get(path, headers={"Accept-Language": accept}), lang=lang)


@pytest.mark.parametrize(("path", "other"), [
    ("/", "/en/"),
    ("/thu-tuc/dang-ky-khai-sinh", "/en/thu-tuc/dang-ky-khai-sinh"),
    ("/le-phi?free=1", "/en/le-phi?free=1"),
    ("/khong-co-trang-nay", "/en/khong-co-trang-nay"),
])
def test_the_language_switch_is_a_plain_link_to_the_same_page(client, path, other):
    html = client.get(path).get_data(as_text=True)
    switch = one(html, "nav.lang-switch")
    assert attr_values(switch, "a[href]", "href") == [other]
    assert text(one(switch, '[aria-current="true"]')) == "Tiếng Việt"
    back = one(client.get(other).get_data(as_text=True), "nav.lang-switch")
    assert attr_values(back, "a[href]", "href") == [path]
    assert text(one(back, '[aria-current="true"]')) == "English"


def test_money_is_formatted_for_the_locale(client):
    vi = client.get("/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh").get_data(as_text=True)
    en = client.get("/en/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh").get_data(as_text=True)
    assert "2.000\xa0₫" in vi and "200.000\xa0₫" in vi
    assert "₫2,000" in en and "₫200,000" in en


def test_dates_are_written_dd_mm_yyyy_in_both_languages(client):
    # As dates are written in Vietnam (and on the documents people bring), whatever the language.
    vi = client.get("/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    en = client.get("/en/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    assert re.search(r"Cập nhật \d{2}/\d{2}/\d{4}", text(soup(vi)))
    assert re.search(r"Updated \d{2}/\d{2}/\d{4}", text(soup(en)))


def test_english_content_is_used_when_it_exists(client):
    html = client.get("/en/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    check_page(client.get("/en/thu-tuc/dang-ky-khai-sinh"), lang="en",
               h1="Birth registration")
    assert "Giấy chứng sinh" in html  # documents exist in Vietnamese only …
    assert "This part is published in Vietnamese only." in html  # … and say so


def test_missing_english_shows_vietnamese_with_a_note(client, ctx):
    from app.extensions import db
    from app.models import Procedure

    proc = db.session.scalar(db.select(Procedure).filter_by(code="1.001193"))
    proc.name_en = ""
    proc.description_en = ""
    db.session.commit()
    html = client.get("/en/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    h1 = one(html, "h1")
    assert text(one(h1, 'span[lang="vi"]')) == proc.plain_name
    assert "in Vietnamese only" in text(h1)
    first_line = " ".join(proc.description.splitlines()[0].split())
    assert any(text(p).startswith(first_line) for p in every(html, 'p[lang="vi"]'))


def test_interface_text_is_vietnamese_by_default(client):
    html = client.get("/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    for words in ("Chuyển đến nội dung chính", "Phí, lệ phí", "Thời hạn và nơi nộp",
                  "Nộp hồ sơ trực tuyến", "Thành phần hồ sơ", "Trang này có hữu ích không?"):
        assert words in html
    for english in ("Skip to main content", "What to bring", "Apply online"):
        assert english not in html
