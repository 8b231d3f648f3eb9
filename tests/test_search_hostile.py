"""Any input is a query, never an error: query syntax, control characters, huge and broken
input get a normal answer quickly, through the API, the page and ``search()`` itself."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import search
from app.api.schema import MAX_QUERY_LENGTH
from tests.pages import check_page

FAST, SLOW = 0.2, 2.0  # seconds of CPU: a search takes milliseconds; a bad path takes seconds
HOSTILE = [
    "", " ", "\t\n", '"', "'", '"unclosed', "'; DROP TABLE procedure; --", "(", ")", "((a)",
    "[a TO z]", "{a TO z}", "a AND b", "a OR b", "NOT a", "AND OR NOT", "a AND NOT (b OR c)",
    "*", "*" * 1000, "?" * 500, "a*", "*a", "~", "đăng~2", "ký^5", "title:x", "name:đăng",
    "pid:1", "code:*", "<a>", "<script>alert(1)</script>", "&amp;", "%", "%ZZ", "%E0%A4%A",
    "\\", "\\\\\\", "/", "\x00", "\x00\x01\x1f\x7f", "\u202eabc", "\u200b", "\ufeff",
    "🎉", "đăng ký 👶 khai sinh", "👨‍👩‍👧‍👦" * 50, "中文 検索", "مرحبا", "ﷺ" * 100,
    "a" * 10_000, "đăng ký " * 2_000, "x y " * 500, "1.000894", "1." * 300, "-1", "0",
    "null", "None", "../../etc/passwd", "${jndi:ldap://x}", "{{7*7}}", "\ud800", "ǅ" * 50,
]


def _cpu_seconds(work: Callable[[], object], runs: int = 3) -> float:
    """The least CPU time ``work`` took in up to ``runs`` runs (stopping once one is fast).
    CPU time, not wall time: other processes on a loaded machine must not fail the test, a
    super-linear path on hostile input (which costs seconds of CPU every run) must. The best
    run: the first search of a test also opens the index."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
        if best < FAST:
            break
    return best


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_search_function_answers_anything(ctx, text):
    results = []
    assert _cpu_seconds(lambda: results.append(search.search(text))) < SLOW
    result = results[-1]
    assert result.total >= 0 and len(result.query) <= 200 and not result.degraded
    search.suggest(text)


def _api_shape(data: dict) -> None:
    assert {"query", "total", "items", "suggestion"} <= set(data)
    assert isinstance(data["total"], int) and isinstance(data["items"], list)
    for item in data["items"]:
        assert set(item) == {"code", "name", "url", "score", "snippet"}


URL_SAFE = [t for t in HOSTILE if "\ud800" not in t]  # a lone surrogate cannot be sent


@pytest.mark.parametrize("text", URL_SAFE, ids=range(len(URL_SAFE)))
def test_api_and_page_answer_anything(client, text):
    api = client.get("/api/v1/search", query_string={"q": text})
    suggest = client.get("/api/v1/suggest", query_string={"q": text})
    page = client.get("/tim-kiem", query_string={"q": text})
    if "\x00" in text:  # no database can store it: refused everywhere (app.inputs)
        assert api.status_code == suggest.status_code == page.status_code == 400
        assert "NUL" in api.get_json()["error"]["message"]
        return
    if len(text) > MAX_QUERY_LENGTH:  # the API states its limit and refuses beyond it
        assert api.status_code == suggest.status_code == 400
        assert "at most" in api.get_json()["error"]["message"]
    else:
        assert api.status_code == suggest.status_code == 200
        _api_shape(api.get_json())
    check_page(page)  # the page cuts a long query instead


# (%00, a NUL, is refused with a 400 everywhere: tests/test_hostile_inputs.py)
@pytest.mark.parametrize("raw", ["%ZZ", "%", "%E0%A4%A", "%FF%FE", "%C3%28", "a%2",
                                 "%%%", "q=%25", "%F0%9F%8E%89%F0%9F"])
def test_invalid_percent_encoding_in_the_url(client, raw):
    api = client.get(f"/api/v1/search?q={raw}")
    assert api.status_code == 200
    _api_shape(api.get_json())
    assert client.get(f"/api/v1/suggest?q={raw}").status_code == 200
    assert client.get(f"/tim-kiem?q={raw}").status_code == 200


def test_long_queries_are_cut(client):
    data = client.get("/api/v1/search", query_string={"q": "đăng ký kết hôn " * 31}).get_json()
    assert len(data["query"]) <= 200 and data["total"] >= 1
    page = client.get("/tim-kiem", query_string={"q": "đăng ký kết hôn " * 700})
    check_page(page)
    assert "/thu-tuc/dang-ky-ket-hon" in page.get_data(as_text=True)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Any text an HTTP client can send: no NUL (no database can store it and every address refuses
# it, app.inputs) and no lone surrogate (not encodable as UTF-8, so no client can send one).
@given(text=st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)),
                    max_size=MAX_QUERY_LENGTH),
       page=st.integers(min_value=1, max_value=3))
def test_any_text_is_a_query(client, text, page):
    response = client.get("/api/v1/search", query_string={"q": text, "page": page})
    assert response.status_code == 200
    _api_shape(response.get_json())
    assert client.get("/api/v1/suggest", query_string={"q": text}).status_code == 200


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.text(alphabet=st.sampled_from(list('ađăâêôơưyýkí *?~"()[]:^-+!{}\\/AND OR NOT')),
                    max_size=120))
def test_query_syntax_soup_is_a_query(client, text):
    response = client.get("/api/v1/search", query_string={"q": text})
    assert response.status_code == 200
    _api_shape(response.get_json())
