"""Structured logs: one JSON object per line, so a log shipper needs no parsing rules.

- ``GunicornLogger`` (``logger_class`` in gunicorn.conf.py) writes the access log, one line
  per request to stdout, and gunicorn's own messages, as JSON.
- ``init_app`` gives every request an id (kept from a sane incoming ``X-Request-Id``, as a
  load balancer sets, or made here), returns it in ``X-Request-Id`` (the access line carries
  it) and writes the application's log records as JSON lines to stdout, tagged with it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler
from gunicorn.glogging import Logger

REQUEST_ID_HEADER = "X-Request-Id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line: time, level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _now(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,
        }
        if has_request_context():
            entry["request_id"] = g.get("request_id")
            entry["method"] = request.method
            entry["path"] = request.path
        for key, value in getattr(record, "fields", {}).items():
            entry.setdefault(key, value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is at the time (test runners swap it)."""

    _motcua = True

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value) -> None:
        pass


def _request_id() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


def _tag_response(response: Response) -> Response:
    if "request_id" in g:
        response.headers[REQUEST_ID_HEADER] = g.request_id
    return response


def init_app(app: Flask) -> None:
    app.before_request(_request_id)
    app.after_request(_tag_response)
    logger = app.logger
    logger.removeHandler(default_handler)
    if not any(getattr(h, "_motcua", False) for h in logger.handlers):
        logger.addHandler(StdoutHandler())
    if not app.debug and logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


class GunicornLogger(Logger):
    """gunicorn's logger with JSON lines: access log on stdout, server messages as set."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if getattr(handler, "_gunicorn", False):
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        try:
            self.access_log.info(json.dumps(access_entry(resp, environ, request_time),
                                            ensure_ascii=False))
        except Exception:
            self.exception("could not write the access log line")


def access_entry(resp, environ: dict, request_time) -> dict[str, Any]:
    """The fields of one access log line."""
    status = resp.status
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    headers = resp.headers.items() if hasattr(resp.headers, "items") else resp.headers
    request_id = next((v for k, v in headers if k.lower() == "x-request-id"), None)
    return {
        "ts": _now(),
        "type": "access",
        "remote": environ.get("REMOTE_ADDR"),
        "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
        "method": environ.get("REQUEST_METHOD"),
        # As sent (percent-encoded): WSGI's PATH_INFO is Latin-1-decoded bytes.
        "path": (environ.get("RAW_URI") or environ.get("PATH_INFO") or "").split("?", 1)[0],
        "query": environ.get("QUERY_STRING") or None,
        "status": int(status),
        "bytes": getattr(resp, "sent", None),
        "duration_ms": round(request_time.total_seconds() * 1000, 2),
        "referer": environ.get("HTTP_REFERER"),
        "user_agent": environ.get("HTTP_USER_AGENT"),
        "request_id": request_id,
        "pid": os.getpid(),
    }
