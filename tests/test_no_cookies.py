"""Citizens' pages, the kiosk and the API are stateless: a first visit sets no cookie, and no
answer depends on one (no ``Vary: Cookie``), so a shared cache may keep them. Only the
editor area has sessions (its login page sets the CSRF cookie)."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from app.i18n import MOUNTS
from tests.html import soup

PER_ENDPOINT = 2  # pages of one kind visited (two procedures, two fields …)
# Where a page kind is reached from; the crawl follows links from these.
STARTS = ("/", "/en/", "/kiosk/", "/kiosk/en/", "/tim-kiem?q=khai+sinh",
          "/en/tim-kiem?q=birth", "/kiosk/tim-kiem?q=ket+hon", "/kiosk/en/tim-kiem?q=ho+chieu",
          "/khong-co-trang-nay", "/en/khong-co-trang-nay", "/kiosk/khong-co",
          "/sitemap.xml", "/robots.txt")
# Public views that no page links to (crawler files) or that need a file or a POST.
UNLINKED = {"sitemap", "robots", "favicon", "form_file", "feedback", "not_found", "qr"}
UNLINKED |= {"field_changes_feed"}  # the kiosk links no feed (tests/test_feeds.py checks them)


def _endpoint(app, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(urlsplit(path).path, method="GET")[0]
    except HTTPException:
        return None


def _assert_stateless(response, url: str) -> None:
    assert "Set-Cookie" not in response.headers, (url, response.headers.get("Set-Cookie"))
    assert "cookie" not in response.headers.get("Vary", "").lower(), (url, response.headers)


def _local_links(response) -> list[str]:
    """Every address on the site that a page links to, loads or posts to (no fragment)."""
    page = soup(response)
    found = [node.get(name) for name in ("href", "src", "action")
             for node in page.find_all(attrs={name: True})]
    return [link.split("#", 1)[0] for link in found if link.startswith("/")]


def crawl(app) -> Counter:
    """Visit every page kind reachable from ``STARTS`` in both languages and skins, each as a
    first visit (a client that keeps no cookie); return the endpoints seen."""
    client = app.test_client(use_cookies=False)
    seen: Counter = Counter()
    queue, queued = list(STARTS), set(STARTS)
    while queue:
        url = queue.pop(0)
        endpoint = _endpoint(app, url)
        if endpoint is not None and endpoint.startswith(("static", "editor", "api")):
            continue
        if seen[endpoint] >= PER_ENDPOINT:
            continue
        seen[endpoint] += 1
        response = client.get(url)
        _assert_stateless(response, url)
        assert response.status_code < 500, url
        if response.mimetype == "text/html":
            for link in _local_links(response):
                if link not in queued:
                    queued.add(link)
                    queue.append(link)
    return seen


def test_no_public_or_kiosk_page_sets_or_reads_a_cookie(app):
    seen = crawl(app)
    rules = [rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith(tuple(f"{m.name}." for m in MOUNTS))
             and "GET" in rule.methods and rule.endpoint.rsplit(".", 1)[-1] not in UNLINKED]
    client = app.test_client(use_cookies=False)
    for rule in rules:  # pages no other page links to (yet): visited by their address
        if rule.endpoint not in seen and not rule.arguments:
            url = rule.build({})[1]
            response = client.get(url)
            _assert_stateless(response, url)
            seen[rule.endpoint] += 1
    missing = sorted({rule.endpoint for rule in rules} - set(seen))
    assert missing == [], "page kinds the crawl did not reach"
    assert seen[None] >= 2  # 404 pages on the site too


def test_kiosk_qr_codes_and_crawler_files_set_no_cookie(app):
    client = app.test_client(use_cookies=False)
    for url in ("/kiosk/qr.svg?url=https%3A%2F%2Fdichvucong.gov.vn%2F",
                "/kiosk/en/qr.svg?url=https%3A%2F%2Fdichvucong.gov.vn%2F", "/favicon.ico",
                "/sitemap.xml", "/robots.txt", "/kiosk/en/khong-co", "/?lang=en"):
        response = client.get(url)
        assert response.status_code in (200, 301, 404), url
        _assert_stateless(response, url)
        response.close()


API_ARGS = {"code": "1.001193", "slug": "ho-tich"}


def test_no_api_url_sets_or_reads_a_cookie(app):
    client = app.test_client(use_cookies=False)
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint.startswith("api.") and "GET" in r.methods]
    assert len(rules) >= 5
    for rule in rules:
        url = rule.build({name: API_ARGS.get(name, "1") for name in rule.arguments})[1]
        for query in ("", "?q=khai+sinh&page=2", "?page=0"):
            response = client.get(url + query)
            assert response.status_code < 500, url
            _assert_stateless(response, url + query)


@pytest.mark.parametrize("url", ["/editor/login", "/editor/"])
def test_the_editor_area_still_has_its_session(client, url):
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200
    assert "session=" in response.headers.get("Set-Cookie", "")


def test_writing_to_the_session_outside_the_editor_is_refused(app):
    from flask import session

    with app.test_request_context("/thu-tuc/dang-ky-khai-sinh"):
        app.preprocess_request()
        with pytest.raises(RuntimeError, match="no session"):
            session["anything"] = 1
        assert dict(session) == {}
