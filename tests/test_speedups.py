"""The test processes' memoised work (tests/speedups.py) gives what the original gives."""

from __future__ import annotations

import hashlib

from werkzeug.routing.rules import Rule
from werkzeug.security import check_password_hash, generate_password_hash

from tests import speedups


def test_the_memoised_url_builders_are_werkzeugs_own(app):
    assert Rule._compile_builder is speedups._compile_builder  # installed by conftest
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    for rule in rules:
        for append_unknown in (True, False):
            fresh = speedups.ORIGINAL_COMPILE_BUILDER(rule, append_unknown).__code__
            kept = speedups._compile_builder(rule, append_unknown).__code__
            assert (kept.co_code, kept.co_consts, kept.co_varnames) == \
                (fresh.co_code, fresh.co_consts, fresh.co_varnames), rule.rule


def test_urls_are_built_as_before(app):
    with app.test_request_context():
        from flask import url_for

        built = url_for("public.procedure", slug="dang-ky-khai-sinh", truong_hop="a b")
    assert built == "/thu-tuc/dang-ky-khai-sinh?truong_hop=a+b"


def test_memoised_scrypt_answers_what_scrypt_answers():
    assert hashlib.scrypt is speedups._scrypt
    for password, salt in ((b"one", b"salt-1"), (b"one", b"salt-2"), (b"two", b"salt-1")):
        ours = hashlib.scrypt(password, salt=salt, n=1024, r=8, p=1)
        assert ours == speedups.ORIGINAL_SCRYPT(password, salt=salt, n=1024, r=8, p=1)
    stored = generate_password_hash("secret", method="scrypt")
    assert check_password_hash(stored, "secret") and not check_password_hash(stored, "Secret")
