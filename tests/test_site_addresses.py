"""Addresses the site hands out by redirect, and the kiosk's way to the service results.

- The router's own redirects (``/en`` → ``/en/``) carry ``SITE_URL``, never the ``Host`` a
  client sent (app.siteurl); old addresses answer 301 (app.legacy_urls, and the snapshot in
  tests/test_public_pages.py).
- The kiosk has no site footer, so its home offers the service results as a tile.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.html import attr_values, every, one
from tests.test_kiosk import open_kiosk, tap_to

HOSTILE = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
PUBLIC = "https://motcua.example.gov.vn"


@pytest.mark.parametrize(("asked", "target"), [
    ("/en", "/en/"),
    ("/kiosk", "/kiosk/"),
    ("/kiosk/en", "/kiosk/en/"),
    ("/en?q=a%20b&x=1", "/en/?q=a%20b&x=1"),  # the query goes along, as sent
    ("/en//le-phi", "/en/le-phi"),  # doubled slashes, merged by the router
])
def test_the_routers_redirects_never_name_the_requests_host(app, client, asked, target):
    app.config["SITE_URL"] = PUBLIC
    for method in (client.get, client.head):
        response = method(asked, headers=HOSTILE)
        assert response.status_code == 308, asked  # the router's code: the method is kept
        assert response.headers["Location"] == target  # a path: no host, LAN kiosks stay
        assert "evil.example" not in response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers
    landed = client.get(target)
    assert landed.status_code == 200


def test_a_site_below_the_root_keeps_its_path_once(app):
    """The site mounted under /motcua: the prefix appears once in the redirect."""
    app.config["SITE_URL"] = PUBLIC + "/motcua"
    client = app.test_client()
    response = client.get("/en", headers=HOSTILE, base_url="http://evil.example/motcua")
    assert response.headers["Location"] == "/motcua/en/"


@pytest.mark.parametrize(("path", "lang"), [
    ("/kiosk/en", "en"), ("/kiosk/", "vi"), ("/kiosk/le-phi", "vi"), ("/kiosk/en/le-phi", "en")])
def test_a_wrong_method_on_a_kiosk_page_is_a_405_in_the_kiosk(client, path, lang):
    """The router refuses it before any view runs; the page still has the kiosk's frame (its
    values used to be missing there, which made this a 500)."""
    response = client.post(path, headers=HOSTILE)
    assert response.status_code == 405
    html = response.get_data(as_text=True)
    assert "/kiosk/" in attr_values(html, "[data-kiosk-root]", "data-kiosk-root")
    assert one(html, "html").get("lang") == lang


def test_other_answers_are_left_alone(client):
    """Only the router's redirects are rewritten: pages and 404s answer as before."""
    assert client.get("/en/", headers=HOSTILE).status_code == 200
    assert client.get("/en/khong-co", headers=HOSTILE).status_code == 404
    moved = client.get("/le-phi?lang=en", headers=HOSTILE)  # app.i18n's own 301 (a path)
    assert (moved.status_code, moved.headers["Location"]) == (301, "/en/le-phi")


# --- the kiosk home's tile to the service results ------------------------------------------

@pytest.mark.parametrize(("home", "results"), [
    ("/kiosk/", "/kiosk/ket-qua-phuc-vu"), ("/kiosk/en/", "/kiosk/en/ket-qua-phuc-vu")])
def test_the_kiosk_home_has_a_tile_to_the_service_results(client, home, results):
    html = client.get(home).get_data(as_text=True)
    section = one(html, 'section[aria-labelledby="services-heading"]')
    assert one(section, f'li > a.kiosk-tile[href="{results}"]')
    assert client.get(results).status_code == 200


def test_the_site_home_leaves_the_results_to_its_footer(client):
    html = client.get("/").get_data(as_text=True)
    assert not every(html, "#results-heading")
    footer = one(html, ".site-footer")
    assert "/ket-qua-phuc-vu" in attr_values(footer, "a", "href")
    assert not every(client.get("/kiosk/").get_data(as_text=True), ".site-footer")


@pytest.mark.browser
@pytest.mark.parametrize(("home", "title"), [
    ("/kiosk/", "Kết quả phục vụ"), ("/kiosk/en/", "Service results")])
def test_a_tap_on_the_tile_opens_the_results_in_the_kiosk(live_server, kiosk_page, home, title):
    page = kiosk_page
    open_kiosk(page, live_server.url + home)
    tile_selector = 'a.kiosk-tile[href$="/ket-qua-phuc-vu"]'  # the home's results tile
    box = page.locator(tile_selector).bounding_box()
    assert box["height"] >= 64 and box["width"] >= 64  # the kiosk's touch size
    tap_to(page, tile_selector, r"/ket-qua-phuc-vu$")
    assert page.url.startswith(live_server.url + home)  # still in the kiosk, same language
    assert page.locator("h1").inner_text() == title
    expect(page.locator(".kiosk-bar")).to_be_visible()
