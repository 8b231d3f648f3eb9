"""gzip by the app (app/compression.py): compressed once with its length for clients that
accept it, never for those that do not, every compressible answer varying on
Accept-Encoding, validators and 304s unchanged, files left to their own strong ETags."""

from __future__ import annotations

import gzip

import pytest

from app.compression import MIN_SIZE, accepts_gzip

PAGE = "/thu-tuc/dang-ky-khai-sinh"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, GZIP;q=0.5", True),
    ("x-gzip", True), ("*", True), ("", False), ("identity", False), ("br", False),
    ("gzip;q=0", False), ("gzip;q=0.000", False), ("*;q=0", False), ("gzip;q=oops", False),
    ("br, *;q=0.1", True), ("gzip;q=0, *", False),
])
def test_what_counts_as_accepting_gzip(header, expected):
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize("path", [PAGE, "/tim-kiem?q=dang+ky+khai+sinh",
                                  "/api/v1/procedures?per_page=5", "/kiosk/"])
def test_an_answer_comes_compressed_only_when_asked(client, path):
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get(path, headers=GZIP)
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)
    assert gzip.decompress(packed.data) == plain.data
    # The same ETag and cache headers: the weak validator is true of both encodings.
    for name in ("ETag", "Cache-Control", "Content-Type"):
        assert packed.headers[name] == plain.headers[name], name
    assert "Set-Cookie" not in packed.headers
    # A conditional GET is answered 304, without a body to compress.
    again = client.get(path, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert "Content-Encoding" not in again.headers


def test_a_repeated_page_is_compressed_once_and_identically(app, client):
    first = client.get(PAGE, headers=GZIP).data
    memo = app.wsgi_app.memo
    assert any(packed == first for packed in memo.values())
    assert client.get(PAGE, headers=GZIP).data == first


def test_refusals_and_other_answers_stay_plain(client):
    assert "Content-Encoding" not in client.get(PAGE, headers={"Accept-Encoding":
                                                               "gzip;q=0"}).headers
    # Errors, redirects, HEAD: as the app made them.
    missing = client.get("/thu-tuc/khong-co-thu-tuc-nay", headers=GZIP)
    assert missing.status_code == 404 and "Content-Encoding" not in missing.headers
    head = client.head(PAGE, headers=GZIP)
    assert head.status_code == 200 and "Content-Encoding" not in head.headers
    # A static file has a strong ETag naming its exact bytes: left to nginx's gzip_static.
    css = client.get("/static/css/site.css", headers=GZIP)
    assert css.status_code == 200 and "Content-Encoding" not in css.headers
    css.close()


def test_small_answers_are_not_compressed(client):
    small = client.get("/healthz", headers=GZIP)
    assert len(small.data) < MIN_SIZE and "Content-Encoding" not in small.headers
