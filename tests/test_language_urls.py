"""The language in the address (Vietnamese at /, English at /en/, the kiosk at /kiosk/ and
/kiosk/en/), redirects from the old ``?lang=``, hreflang, the sitemap, and absolute addresses
built from ``SITE_URL`` whatever Host a request names."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from tests.html import every, one
from tests.pages import check_page

SITE = "https://motcua.example.gov.vn"
BIRTH = "/thu-tuc/dang-ky-khai-sinh"
EVIL = {"Host": "evil.example"}


@pytest.fixture
def site_app(app):
    """The test app (SQLite or PostgreSQL, like every test) with a public address of its own."""
    app.config["SITE_URL"] = SITE
    return app


@pytest.mark.parametrize(("old", "new"), [
    ("/?lang=en", "/en/"),
    ("/?lang=vi", "/"),
    (f"{BIRTH}?lang=en", f"/en{BIRTH}"),
    (f"/en{BIRTH}?lang=vi", BIRTH),
    (f"{BIRTH}/in?lang=en", f"/en{BIRTH}/in"),
    ("/le-phi?free=1&lang=en&sort=amount", "/en/le-phi?free=1&sort=amount"),
    ("/tim-kiem?q=h%E1%BB%99+chi%E1%BA%BFu&lang=en", "/en/tim-kiem?q=h%E1%BB%99+chi%E1%BA%BFu"),
    ("/kiosk/?lang=en", "/kiosk/en/"),
    ("/kiosk/en/le-phi?lang=vi", "/kiosk/le-phi"),
    ("/le-phi?lang=xx", "/le-phi"),
    ("/khong-co-trang-nay?lang=en", "/en/khong-co-trang-nay"),
])
def test_old_lang_addresses_answer_301_with_the_new_one(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == new
    assert "Set-Cookie" not in response.headers


def test_each_version_is_in_its_language(client):
    check_page(client.get(f"/en{BIRTH}"), lang="en", h1="Birth registration")
    check_page(client.get(BIRTH), lang="vi")
    check_page(client.get(f"/kiosk/en{BIRTH}"), lang="en", h1="Birth registration")
    check_page(client.get("/en/khong-co-trang-nay"), status=404, lang="en")
    check_page(client.get("/kiosk/en/khong-co"), status=404, lang="en")


def test_links_stay_in_the_readers_language_and_skin(client):
    english = client.get("/en/").get_data(as_text=True)
    kiosk = client.get("/kiosk/en/").get_data(as_text=True)
    assert 'href="/en/le-phi"' in english and 'href="/le-phi"' not in english
    assert 'href="/kiosk/en/tim-kiem"' in kiosk
    assert every(kiosk, 'a[href^="/kiosk/en/linh-vuc/"]')


def _alternates(html: str) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in every(html, "link[rel=alternate][hreflang]")}


@pytest.mark.parametrize("path", ["/", BIRTH, f"{BIRTH}/in", "/le-phi", "/co-quan",
                                  "/su-kien-cuoc-song", "/dich-vu-truc-tuyen",
                                  "/quyen-rieng-tu", "/tim-kiem", "/linh-vuc/ho-tich"])
def test_every_page_links_its_other_language_version(site_app, path):
    client = site_app.test_client()
    expected = {"vi": SITE + path, "en": SITE + "/en" + path, "x-default": SITE + path}
    for version in (path, "/en" + path, "/kiosk" + path, "/kiosk/en" + path):
        response = client.get(version, headers=EVIL)
        assert response.status_code == 200, version
        html = response.get_data(as_text=True)
        assert _alternates(html) == expected, version
        language = "en" if "/en/" in version + "/" else "vi"
        canonical = one(html, "link[rel=canonical]")["href"]
        assert canonical == expected[language]
        assert one(html, 'meta[property="og:url"]')["content"] == canonical


def test_the_sitemap_lists_both_languages_with_alternates(site_app):
    xml = site_app.test_client().get("/sitemap.xml", headers=EVIL).get_data(as_text=True)
    sitemap = ElementTree.fromstring(xml)
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert SITE + BIRTH in locs and SITE + "/en" + BIRTH in locs
    assert SITE + "/" in locs and SITE + "/en/" in locs
    assert len([u for u in locs if u.startswith(SITE + "/en/")]) == len(locs) // 2
    assert f'hreflang="en" href="{SITE}/en{BIRTH}"' in xml
    assert "evil" not in xml
    for path in ("/en/sitemap.xml", "/kiosk/sitemap.xml", "/kiosk/en/robots.txt"):
        assert site_app.test_client().get(path).status_code == 404


def test_robots_names_the_sitemap_at_the_site_address(site_app):
    text = site_app.test_client().get("/robots.txt", headers=EVIL).get_data(as_text=True)
    assert f"Sitemap: {SITE}/sitemap.xml" in text


def test_structured_data_and_print_qr_use_the_site_address(site_app):
    client = site_app.test_client()
    html = client.get(f"/en{BIRTH}", headers=EVIL).get_data(as_text=True)
    block = one(html, 'script[type="application/ld+json"]')
    assert json.loads(block.string)["url"] == f"{SITE}/en{BIRTH}"
    printed = client.get(f"/kiosk/en{BIRTH}/in", headers=EVIL).get_data(as_text=True)
    assert f"{SITE}/en{BIRTH}" in printed and "evil" not in printed


def test_the_kiosk_hands_out_the_public_address_when_reached_on_a_lan_address(site_app):
    client = site_app.test_client()
    html = client.get(f"/kiosk{BIRTH}", headers={"Host": "192.168.1.20:8000"}).get_data(
        as_text=True)
    handoff = one(html, "figure.kiosk-handoff[data-url]")
    assert handoff.find("svg") is not None and handoff["data-url"] == SITE + BIRTH
    assert "192.168" not in html


def test_api_urls_use_the_site_address(site_app):
    client = site_app.test_client()
    listed = client.get("/api/v1/procedures", headers=EVIL).get_json()
    assert listed["items"] and all(i["url"].startswith(SITE + "/thu-tuc/")
                                   for i in listed["items"])
    found = client.get("/api/v1/search?q=khai+sinh", headers=EVIL).get_json()
    assert found["items"][0]["url"].startswith(SITE + "/thu-tuc/")
    detail = client.get("/api/v1/procedures/1.001193", headers=EVIL).get_json()
    assert detail["url"] == SITE + BIRTH


def test_trusted_hosts_refuse_other_hosts(site_app):
    site_app.config["TRUSTED_HOSTS"] = ["motcua.example.gov.vn", "localhost"]
    client = site_app.test_client()
    assert client.get("/").status_code == 200  # the test client's Host is localhost
    assert client.get("/", headers={"Host": "motcua.example.gov.vn"}).status_code == 200
    refused = client.get("/", headers=EVIL)
    assert refused.status_code == 400
    assert client.get("/api/v1/procedures", headers=EVIL).status_code == 400


def test_default_site_url_follows_the_port(monkeypatch):
    import importlib

    import app.config as config

    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("PORT", "8123")
    try:
        assert importlib.reload(config).Config.SITE_URL == "http://127.0.0.1:8123"
        monkeypatch.setenv("SITE_URL", "https://a.example/")
        assert importlib.reload(config).Config.SITE_URL == "https://a.example"
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_an_editor_chooses_their_language_in_the_session(client):
    first = client.get("/editor/login", headers={"Accept-Language": "en"})
    check_page(first, lang="en")
    chosen = client.get("/editor/login?lang=vi", headers={"Accept-Language": "en"})
    check_page(chosen, lang="vi")
    check_page(client.get("/editor/login", headers={"Accept-Language": "en"}), lang="vi")
    # … and that choice never reaches the citizens' pages, which follow their address.
    check_page(client.get("/en/"), lang="en")


def test_every_public_page_has_all_four_addresses(app):
    """A page added to the public blueprint gets its English and kiosk twins by itself."""
    rules: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        mount, _, view = rule.endpoint.partition(".")
        if mount in ("public", "public_en", "kiosk", "kiosk_en"):
            rules.setdefault(view.removeprefix("public."), set()).add(rule.rule)
    procedure = rules.pop("procedure")
    assert procedure == {BIRTH.replace("dang-ky-khai-sinh", "<slug>"),
                         "/en/thu-tuc/<slug>", "/kiosk/thu-tuc/<slug>", "/kiosk/en/thu-tuc/<slug>"}
    for view, paths in rules.items():
        if view in ("qr", "not_found", "stylesheet", "suggest"):  # the kiosk's own, two languages
            assert len(paths) == 2, view
        else:
            assert len(paths) == 4, (view, paths)
