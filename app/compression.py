"""gzip for clients that accept it, done once by the app (a WSGI middleware).

Why here and not in nginx: nginx's microcache (deploy/nginx/motcua.conf.template) stores
what its upstream sends. nginx's own gzip output has no ``Content-Length``, so a stored copy
of it is sent chunked, framed again on every hit; a copy the app compressed keeps its length
and a hit is the stored file sent as it is, like a static file. Without nginx (``make run``)
phones get compressed pages too.

Rules:
- Only a ``200`` answer to ``GET`` whose type is text-like (``COMPRESSIBLE``), of at least
  ``MIN_SIZE`` bytes, not already encoded, and without a strong ``ETag``: a strong validator
  names exact bytes (a file sent by Flask), and one of the two encodings would break it.
  The shareable answers carry a weak one (``app.caching``), which stays true for both.
- Every answer of a compressible type says ``Vary: Accept-Encoding``, compressed or not,
  so no cache hands a compressed copy to a client that did not ask for it.
- Compressed bodies are kept per worker by ``ETag`` (``MEMO_ENTRIES``): the ETag is a hash
  of the body, so a repeated page is compressed once, not per request.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

COMPRESSIBLE = frozenset({
    "text/html", "text/plain", "text/css", "text/xml", "text/javascript", "text/csv",
    "application/json", "application/problem+json", "application/xml",
    "application/atom+xml", "application/javascript", "application/manifest+json",
    "image/svg+xml",
})
MIN_SIZE = 256  # as nginx's gzip_min_length: smaller answers grow or gain nothing
LEVEL = 6
MEMO_ENTRIES = 256

StartResponse = Callable[..., Any]


def accepts_gzip(header: str) -> bool:
    """True when ``Accept-Encoding`` allows gzip (``gzip``/``x-gzip``, or ``*``, with q > 0)."""
    star = None
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding in ("gzip", "x-gzip"):
            return quality > 0
        if coding == "*":
            star = quality > 0
    return bool(star)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), None)


def _with_vary(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    vary = _header(headers, "Vary")
    if vary is None:
        return [*headers, ("Vary", "Accept-Encoding")]
    if "accept-encoding" in vary.lower() or vary.strip() == "*":
        return headers
    return [(k, f"{v}, Accept-Encoding" if k.lower() == "vary" else v) for k, v in headers]


class GzipMiddleware:
    """Wraps a WSGI app (``app.wsgi_app``); see the module's rules."""

    def __init__(self, app: Callable[[dict, StartResponse], Iterable[bytes]]) -> None:
        self.app = app
        self.memo: OrderedDict[tuple[str, int], bytes] = OrderedDict()

    def _compress(self, body: bytes, etag: str | None) -> bytes:
        key = (etag, len(body)) if etag else None
        if key is not None and (packed := self.memo.get(key)) is not None:
            self.memo.move_to_end(key)
            return packed
        packed = gzip.compress(body, compresslevel=LEVEL, mtime=0)
        if key is not None:
            self.memo[key] = packed
            if len(self.memo) > MEMO_ENTRIES:
                self.memo.popitem(last=False)
        return packed

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            seen.update(status=status, headers=headers, exc_info=exc_info)
            return start_response(status, headers, exc_info) if exc_info else _no_write

        result = self.app(environ, capture)
        if "status" not in seen or seen["exc_info"]:
            return result  # an error already started (or nothing to do): leave it as it is
        status, headers = seen["status"], list(seen["headers"])
        kind = (_header(headers, "Content-Type") or "").split(";")[0].strip().lower()
        if kind not in COMPRESSIBLE:
            start_response(status, headers)
            return result
        headers = _with_vary(headers)
        etag = _header(headers, "ETag")
        if (environ.get("REQUEST_METHOD") != "GET" or not status.startswith("200")
                or _header(headers, "Content-Encoding") is not None
                or (etag is not None and not etag.startswith("W/"))
                or not accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))):
            start_response(status, headers)
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if len(body) >= MIN_SIZE:
            body = self._compress(body, etag)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
        start_response(status, headers)
        return [body]


def _no_write(data: bytes) -> None:
    raise RuntimeError("the app wrote through start_response's write(): not supported here")
