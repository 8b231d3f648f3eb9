"""Search: folding, ranking, facets, sorting, pages, snippets, suggestions, the API and the page.

Real app, real database copy, real Whoosh index on disk (see conftest.py).
"""

from __future__ import annotations

from sqlalchemy import select

from app import search
from app.extensions import db
from app.models import Procedure, SearchQueryDay
from app.search.querylog import flush
from app.search.text import clean_query, exact_key, fold, fold_word
from tests.pages import check_page
from tests.search_helpers import add_procedure, codes, top_codes

MARRIAGE, BIRTH, LAND = "1.000894", "1.001193", "1.013978"


# --- folding -----------------------------------------------------------------------------------

def test_folding_removes_case_diacritics_and_d_stroke():
    assert fold("Đăng KÝ kết hôn") == "dang ki ket hon"
    assert fold("ĐẤT ĐAI") == "dat dai"
    assert fold("Đăng ký") == fold("Đăng ký")  # NFD input (combining marks) folds the same
    assert fold("  Giấy—phép, xây dựng!! ") == "giay phep xay dung"


def test_i_and_y_spellings_fold_together():
    for a, b in [("kí", "ký"), ("lí", "lý"), ("kĩ", "kỹ"), ("mĩ", "mỹ"), ("quí", "quý")]:
        assert fold_word(a) == fold_word(b)
        assert exact_key(a) == exact_key(b)
    assert fold_word("y") == "y" and fold_word("tuy") == "tuy"  # not after a consonant alone


def test_exact_keys_keep_tones_but_unify_tone_placement():
    assert exact_key("bán") != exact_key("bản")
    assert exact_key("hoà") == exact_key("hòa")
    assert exact_key("thuỷ") == exact_key("thủy")


def test_queries_are_cleaned_and_cut():
    assert clean_query("a\x00b\u202ec") == "a b c"
    assert len(clean_query("x" * 10_000)) == 200


# --- matching and ranking ---------------------------------------------------------------------

def test_unaccented_query_finds_accented_name(ctx):
    assert top_codes("dang ky ket hon", 1) == [MARRIAGE]
    assert top_codes("DANG KY KET HON", 1) == [MARRIAGE]


def test_ki_and_ky_find_the_same(ctx):
    assert top_codes("đăng kí kết hôn") == top_codes("đăng ký kết hôn")
    assert top_codes("li lich tu phap", 1) == top_codes("lý lịch tư pháp", 1) == ["3.000333"]


def test_exact_diacritics_rank_first(ctx):
    add_procedure("T.1", "Quầy zênit bán hàng")
    add_procedure("T.2", "Quầy zênit bản hàng")
    assert top_codes("zênit bán", 2) == ["T.1", "T.2"]
    assert top_codes("zênit bản", 2) == ["T.2", "T.1"]
    assert set(top_codes("zenit ban", 2)) == {"T.1", "T.2"}


def test_consecutive_syllables_rank_above_scattered(ctx):
    add_procedure("T.1", "Vạn quýt sông phiếm dài thêm")
    add_procedure("T.2", "Sông vạn dài phiếm quýt thêm")
    assert top_codes("vạn quýt", 2, everything=True) == ["T.1", "T.2"]
    assert top_codes("phiem dai", 2, everything=True) == ["T.1", "T.2"]
    # The scattered words are no answer to the phrase: one click away, not listed (issue 25).
    assert top_codes("vạn quýt", 2) == ["T.1"] and search.search("vạn quýt").more == 1


def test_names_outrank_keywords_outrank_documents_outrank_the_rest(ctx):
    doc = {"document_cases": [{"title": "", "documents": [{"name": "Tờ xác nhận xoabzo"}]}]}
    add_procedure("T.4", "Thủ tục thứ tư", description="Mô tả có chữ xoabzo ở đây")
    add_procedure("T.3", "Thủ tục thứ ba", **doc)
    add_procedure("T.2", "Thủ tục thứ hai", keywords=["xoabzo"])
    add_procedure("T.1", "Thủ tục xoabzo")
    assert top_codes("xoabzo", 4, everything=True) == ["T.1", "T.2", "T.3", "T.4"]


def test_synonyms_and_abbreviations(ctx):
    assert top_codes("sổ đỏ", 1) == [LAND]
    assert top_codes("CCCD", 1) == ["1.116410"]
    assert top_codes("GPXD", 1) == ["1.013225"]


def test_typo_tolerance_and_did_you_mean(ctx):
    result = search.search("khai sihn")
    assert codes(result)[0] == BIRTH
    assert result.suggestion == "khai sinh"
    assert search.search("khai sinh").suggestion is None
    assert search.search("ket hin").suggestion is None  # 3 letters: too short to correct


def test_a_code_finds_its_procedure(ctx):
    assert top_codes("1.000894", 1) == [MARRIAGE]


def test_empty_query_finds_nothing_but_filters_alone_browse(ctx):
    assert search.search("").total == 0
    assert search.search("   ").hits == []
    browse = search.search("", field="ho-tich")
    assert browse.total > 5
    assert all(p.field.slug == "ho-tich" for p in _rows(browse))


# --- facets, sorting, pages, snippets ----------------------------------------------------------

def _rows(result):
    from app.queries import procedures_by_ids

    return procedures_by_ids(result.ids)


def test_facets_count_and_filter(ctx):
    everything = search.search("giấy", per_page=100)
    fields = {v.value: v.count for v in everything.facets["field"]}
    assert sum(fields.values()) == everything.total and fields["ho-tich"] > 1
    civil = search.search("giấy", field="ho-tich", per_page=100)
    assert civil.total == fields["ho-tich"]
    assert all(p.field.slug == "ho-tich" for p in _rows(civil))
    # the field facet ignores its own filter, so the other fields stay visible with counts
    assert {v.value: v.count for v in civil.facets["field"]} == fields
    assert [v.value for v in civil.facets["field"] if v.selected] == ["ho-tich"]
    assert set(everything.facets) == {"field", "level", "online", "applicant", "free"}


def test_online_applicant_level_and_free_filters(ctx):
    full = search.search("đăng ký", online="full", per_page=100)
    assert full.total and all(p.online_class == "full" for p in _rows(full))
    firms = search.search("đăng ký", applicant="doanh-nghiep", per_page=100)
    assert firms.total and all("Doanh nghiệp" in p.applicant_types for p in _rows(firms))
    free = search.search("đăng ký", free=True, per_page=100)
    assert free.total and all(f.amount == 0 for p in _rows(free) for f in p.fees)
    commune = search.search("đăng ký", level="xa", per_page=100)
    assert commune.total and all(p.level.slug == "xa" for p in _rows(commune))


def test_sort_by_name_and_by_update(ctx):
    by_name = [fold(p.name) for p in _rows(search.search("giấy", sort="name", per_page=100))]
    assert by_name == sorted(by_name) and len(by_name) > 5
    proc = db.session.scalar(select(Procedure).filter_by(code="2.001019"))
    proc.updated_at = proc.updated_at.replace(year=proc.updated_at.year + 1)
    search.index(proc.id)
    db.session.commit()
    search.sync()
    assert codes(search.search("giấy", sort="updated", everything=True))[0] == "2.001019"


def test_pagination(ctx):
    first = search.search("giấy", per_page=5)
    second = search.search("giấy", per_page=5, page=2)
    assert first.total == second.total > 10 and first.pages == -(-first.total // 5)
    assert len(first.ids) == len(second.ids) == 5 and not set(first.ids) & set(second.ids)
    assert search.search("giấy", per_page=5, page=first.pages + 3).hits == []


def test_snippets_are_escaped_and_marked(ctx):
    add_procedure("T.1", "Thủ tục thử", description="Ghi <script>alert(1)</script> & zuvox")
    hit = search.search("zuvox", everything=True).hits[0]
    assert "<mark>zuvox</mark>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "<script>" not in hit.snippet
    assert "&amp;" in hit.snippet
    # Whole phrases are marked (issue 25), folded: "dang ky ket hon" marks "Đăng ký kết hôn".
    assert "<mark>đăng ký kết hôn</mark>" in search.search(
        "dang ky ket hon").hits[0].snippet.lower()


def test_suggest_names_for_a_folded_prefix(ctx):
    names = search.suggest("dang k")
    assert 0 < len(names) <= 8 and fold(names[0]).startswith("dang ki")
    assert "Làm sổ đỏ lần đầu" in search.suggest("so d")
    assert search.suggest("x") == [] and search.suggest("") == []


# --- API and page -----------------------------------------------------------------------------

def test_search_api_shape(client):
    data = client.get("/api/v1/search?q=dang+ky+ket+hon").get_json()
    assert {"query", "total", "items", "suggestion"} <= set(data)
    assert data["query"] == "dang ky ket hon" and data["total"] >= 1
    item = data["items"][0]
    assert set(item) == {"code", "name", "url", "score", "snippet"}
    assert item["code"] == MARRIAGE and item["url"].endswith("/thu-tuc/" + "dang-ky-ket-hon")
    assert isinstance(item["score"], float) and "<mark>" in item["snippet"]
    assert client.get("/api/v1/search?q=khai+sihn").get_json()["suggestion"] == "khai sinh"


def test_search_api_filters_and_pages(client):
    data = client.get("/api/v1/search?q=giay&field=ho-tich&online=full&page=1").get_json()
    assert data["total"] >= 1 and data["facets"]["field"]
    second = client.get("/api/v1/search?q=giay&page=2").get_json()
    assert second["page"] == 2 and second["items"]


def test_search_api_rejects_bad_parameters(client):
    for query in ("page=-1", "page=abc", "page=0", "online=bogus", "field=nope",
                  "level=nope", "sort=random", "free=maybe", "per_page=1000",
                  "applicant=%3Cscript%3E"):
        response = client.get(f"/api/v1/search?q=giay&{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["status"] == 400


def test_suggest_api(client):
    names = client.get("/api/v1/suggest?q=dang+k").get_json()
    assert isinstance(names, list) and 0 < len(names) <= 8
    assert client.get("/api/v1/suggest").get_json() == []


def test_queries_are_counted_per_day_with_the_folded_text_only(client, app):
    client.get("/api/v1/search?q=Xyzzy+Plugh")
    client.get("/api/v1/search?q=xyzzy plugh")
    client.get("/tim-kiem?q=XYZZY+PLUGH")
    client.get("/api/v1/search?q=dang+ky")  # found something: asked, not missed
    client.get("/api/v1/search?q=xyzzy&field=ho-tich")  # a filter, not the words: not counted
    client.get("/api/v1/search?q=dang+ky&page=2")  # the next page of the same search
    with app.app_context():
        flush()  # counts wait in the worker (app.search.querylog)
        rows = {r.query: (r.asked, r.missed) for r in db.session.scalars(select(SearchQueryDay))}
    assert rows == {"xyzzy plugh": (3, 3), "dang ki": (1, 0)}


def test_search_page(client):
    page = client.get("/en/tim-kiem?q=dang+ky+ket+hon")
    check_page(page, lang="en", h1="Search results")
    html = page.get_data(as_text=True)
    assert 'role="search"' in html and 'for="search-page-q"' in html and 'role="status"' in html
    assert "/en/thu-tuc/dang-ky-ket-hon" in html and "<mark>" in html
    check_page(client.get("/tim-kiem"), lang="vi")  # the address decides, nothing is remembered
    filtered = client.get("/en/tim-kiem?q=giay&field=ho-tich&online=bogus&sort=name&page=2")
    check_page(filtered, lang="en")
    assert "field=ho-tich" in filtered.get_data(as_text=True)


def test_search_page_without_results_helps(client):
    page = client.get("/en/tim-kiem?q=xyzzy+plugh")
    check_page(page, lang="en")
    html = page.get_data(as_text=True)
    assert "/en/linh-vuc/ho-tich" in html  # browse by field
    assert "Ask in person" in html
    suggested = client.get("/tim-kiem?q=khai+sihn").get_data(as_text=True)
    assert 'href="/tim-kiem?q=khai+sinh"' in suggested


def test_kiosk_search_stays_in_the_kiosk(client):
    html = client.get("/kiosk/tim-kiem?q=khai+sinh").get_data(as_text=True)
    assert 'href="/kiosk/thu-tuc/dang-ky-khai-sinh"' in html
    assert 'action="/kiosk/tim-kiem"' in html


def test_replaced_procedures_rank_below_what_applies_now(ctx):
    found = top_codes("liên thông khai sinh thường trú bảo hiểm y tế trẻ dưới 6 tuổi", 5)
    assert found.index("3.000722") < found.index("2.000986")  # 2.000986 was replaced
