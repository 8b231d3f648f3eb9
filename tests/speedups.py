"""Work the test processes would otherwise repeat for every test, done once per process.

Each test gets an app of its own, and profiling the suite found two pure computations taking
about a third of a typical test's time, both repeated with the same inputs test after test:

- werkzeug compiles a URL builder for every route of every new app (about 190 routes, an AST
  built and compiled twice each): about 70 ms per app. The builder depends only on the rule's
  text, its parsed parts, its defaults and whether unknown arguments are appended; the
  function it returns is bound to each rule afterwards, so one compiled function serves the
  same rule in every app.
- scrypt, slow by design (0.1 s a call), hashed the test password again for every account and
  every sign-in. Its result depends only on its arguments; the same password with the same
  salt gives the same bytes.

Both are memoised here for the test processes only (``install``, called by tests/conftest.py);
the application is unchanged. tests/test_speedups.py checks that the memoised builders are
the ones werkzeug compiles and that scrypt's answers are its own.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from werkzeug.routing.rules import Rule

ORIGINAL_COMPILE_BUILDER = Rule._compile_builder
ORIGINAL_SCRYPT = hashlib.scrypt


def builder_key(rule: Rule, append_unknown: bool) -> tuple:
    """Everything werkzeug's builder for ``rule`` is made from."""
    converters = tuple((name, type(conv), getattr(conv, "regex", None))
                       for name, conv in rule._converters.items())
    defaults = tuple(sorted((str(k), repr(v)) for k, v in (rule.defaults or {}).items()))
    return rule.rule, tuple(rule._trace), defaults, converters, append_unknown


_builders: dict[tuple, Callable[..., Any]] = {}


def _compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., Any]:
    key = builder_key(self, append_unknown)
    if key not in _builders:
        _builders[key] = ORIGINAL_COMPILE_BUILDER(self, append_unknown)
    return _builders[key]


@functools.lru_cache(maxsize=256)
def _scrypt(password: bytes, *, salt: bytes, n: int, r: int, p: int, maxmem: int = 0,
            dklen: int = 64) -> bytes:
    return ORIGINAL_SCRYPT(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)


def install() -> None:
    """Memoise both for this process (idempotent)."""
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]
    hashlib.scrypt = _scrypt  # type: ignore[assignment]
