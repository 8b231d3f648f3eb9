"""No regular expression that sees user text can be made slow (ReDoS).

Every compiled pattern at module level in ``app`` (and every WTForms ``Regexp`` validator) is
fed adversarial strings of 100,000 characters; each must answer well under a second. New
patterns are found by the scan, so they are checked without anyone listing them here. The
feedback form is also checked end to end.
"""

from __future__ import annotations

import re
import sys
import time

import pytest
from wtforms.validators import Regexp

N = 100_000
LIMIT = 0.5  # seconds per pattern and input (linear ones take ~0.05 s); unbounded ones took 2–7 s
ADVERSARIAL = {
    "a@ repeated": "a@" * (N // 2),
    "space-@ repeated": " @" * (N // 2),
    "letters": "a" * N,
    "spaces then x": " " * N + "x",
    "digits then x": "1" * N + "x",
    "digit-space": "1 " * (N // 2) + "x",
    "dotted": "a." * (N // 2) + "@",
    "email then dots": "a@b" + "." * N + " ",
    "dashes and digits": "-1" * (N // 2) + "x",
    "list targets": "a-1-" * (N // 4) + "!",
    "tabs and newlines": "\t\n" * (N // 2) + "x",
    "accented": "đồng " * (N // 5) + "x",
}


def _patterns(app) -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}
    for name, module in list(sys.modules.items()):
        if not (name == "app" or name.startswith("app.")) or module is None:
            continue
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{name}.{attr}"] = value
            elif isinstance(value, Regexp):
                found[f"{name}.{attr}"] = value.regex
    return found


def test_the_scan_finds_the_patterns_that_see_user_text(app):
    names = set(_patterns(app))
    for expected in ("app.public.feedback._EMAIL", "app.public.feedback._LONG_NUMBER",
                     "app.editor.forms.EMAIL", "app.editor.fields._CURRENCY"):
        assert expected in names


@pytest.mark.parametrize("label", sorted(ADVERSARIAL))
def test_every_pattern_answers_fast_on_hostile_input(app, label):
    text = ADVERSARIAL[label]
    slow = []
    for name, pattern in _patterns(app).items():
        # Byte patterns (app.spreadsheet reads XLSX parts as bytes) get the same text encoded.
        subject = text.encode() if isinstance(pattern.pattern, bytes) else text
        empty = b"" if isinstance(pattern.pattern, bytes) else ""
        for operation in (pattern.match, pattern.search,
                          lambda s, p=pattern, e=empty: p.sub(e, s)):
            started = time.perf_counter()
            operation(subject)
            elapsed = time.perf_counter() - started
            if elapsed > LIMIT:
                slow.append((name, round(elapsed, 2)))
    assert slow == []


def test_scrubbing_feedback_is_fast_and_still_scrubs(app):
    from app.public.feedback import MAX_REASON, scrub

    for text in ADVERSARIAL.values():
        started = time.perf_counter()
        out = scrub(text)
        assert time.perf_counter() - started < LIMIT
        assert len(out) <= MAX_REASON
    assert scrub("viết cho a.b@example.com nhé") == "viết cho […] nhé"
    assert "0912" not in scrub("gọi 0912 345 678")


def test_editor_email_validation_is_fast_and_still_right(app):
    from app.editor.forms import EMAIL

    for good in ("e@example.org", "nguyen.van.a@ubnd.hanoi.gov.vn"):
        assert EMAIL.regex.match(good)
    for bad in ("e@example", "@example.org", "e example@x.org", "e@@x.org", "e@x..org"):
        assert not EMAIL.regex.match(bad)
    for text in ADVERSARIAL.values():
        started = time.perf_counter()
        EMAIL.regex.match(text)
        assert time.perf_counter() - started < LIMIT


def test_a_huge_feedback_post_is_answered_at_once(client):
    started = time.perf_counter()
    response = client.post("/thu-tuc/dang-ky-khai-sinh/y-kien",
                           data={"kind": "report", "reason": "a@" * (N // 2)})
    assert response.status_code == 413
    assert time.perf_counter() - started < 1.0
