"""Tests read HTML with a parser (tests/html.py), never with regular expressions.

A regex over markup breaks on attribute order, whitespace and entities, and passes on text that
only looks like the element. This scan finds ``re.search/findall/finditer/match/fullmatch``
(and the same methods of a compiled pattern) applied to something that holds a page: a name
like ``html``, ``body`` or ``page``, ``response.text`` or ``.data``, ``.get_data()``,
``.content()`` or ``.inner_html()``. Regexes over text the parser already extracted (``text()``,
``get_text()``, ``inner_text()``), URLs, logs, CSV or PDF bytes are not markup and pass.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
METHODS = {"search", "findall", "finditer", "match", "fullmatch"}
# A name that holds a page or a part of one.
HTML_NAME = re.compile(r"(^|_)(html|body|page|pages|markup|document|documents|source|"
                       r"response|snippet)(_|$)", re.IGNORECASE)
# Calls that give markup, and calls that give text already read from it.
MARKUP_CALLS = {"get_data", "content", "inner_html", "html_of", "decode"}
TEXT_CALLS = {"text", "get_text", "inner_text", "text_content", "text_of", "_text", "cells",
              "attr_values", "get_attribute", "str"}
STRING_METHODS = {"replace", "strip", "lstrip", "rstrip", "lower", "upper", "casefold",
                  "partition", "split"}

# Justified exceptions, (file, function) -> why the regex does not read markup.
ALLOWED: dict[tuple[str, str], str] = {
    ("test_kiosk_weight.py", "_weigh"):
        "reads url(…) references out of a style sheet (CSS, not HTML; no parser for it here)",
}


def _holds_markup(node: ast.AST, assigned: frozenset[str] = frozenset()) -> bool:
    """Whether an expression evidently holds HTML: by the names and calls it is made of, or a
    name the same function ``assigned`` from such an expression."""
    if isinstance(node, ast.Name):
        return node.id in assigned or bool(HTML_NAME.search(node.id))
    if isinstance(node, ast.Attribute):
        if node.attr in {"text", "data"}:  # response.text, response.data
            return _holds_markup(node.value, assigned) or "response" in ast.unparse(node.value)
        return bool(HTML_NAME.search(node.attr))
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in TEXT_CALLS:
            return False
        if name in MARKUP_CALLS:
            return True
        # A string method keeps markup markup (``html.replace(…)``); any other call on a
        # page-like name gives something else (``page.pdf()``, ``page.locator(…)``).
        return isinstance(func, ast.Attribute) and func.attr in STRING_METHODS and \
            _holds_markup(func.value, assigned)
    if isinstance(node, ast.Subscript):
        return _holds_markup(node.value, assigned)
    if isinstance(node, ast.BinOp):
        return _holds_markup(node.left, assigned) or _holds_markup(node.right, assigned)
    return False


def _markup_names(function: ast.AST) -> frozenset[str]:
    """Names a function assigns from markup (``listed = client.get(…).get_data(…)``)."""
    names: frozenset[str] = frozenset()
    while True:  # until no new name (``box = html[…]`` after ``html = …``)
        more = names | {target.id for node in ast.walk(function) if isinstance(node, ast.Assign)
                        for target in node.targets if isinstance(target, ast.Name)
                        and _holds_markup(node.value, names)}
        if more == names:
            return names
        names = more


def _subject(call: ast.Call) -> ast.AST | None:
    """The string a regex call reads: ``re.search(pattern, subject)`` or
    ``pattern.search(subject)``."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in METHODS:
        return None
    if isinstance(func.value, ast.Name) and func.value.id == "re":
        return call.args[1] if len(call.args) > 1 else None
    return call.args[0] if call.args else None


def regex_reads_of_markup(path: Path) -> list[tuple[str, int, str]]:
    """(function, line, code) of each regex call in ``path`` whose subject holds markup."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node: ast.AST, function: str, assigned: frozenset[str]) -> None:
        for child in ast.iter_child_nodes(node):
            name, names = function, assigned
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name, names = child.name, _markup_names(child)
            if isinstance(child, ast.Call) and (subject := _subject(child)) is not None \
                    and _holds_markup(subject, names):
                found.append((name, child.lineno, ast.unparse(child)))
            visit(child, name, names)

    visit(tree, "<module>", _markup_names(tree))
    return found


def test_no_test_reads_html_with_a_regular_expression():
    offenders = [f"{path.relative_to(TESTS)}:{line} in {function}: {code}"
                 for path in sorted(TESTS.rglob("*.py"))
                 for function, line, code in regex_reads_of_markup(path)
                 if (path.name, function) not in ALLOWED]
    assert offenders == [], "read HTML with tests/html.py instead:\n" + "\n".join(offenders)


def test_the_scan_finds_what_it_is_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import re\n"
        "FIGURE = re.compile('x')\n"
        "def test_a(client):\n"
        "    html = client.get('/').get_data(as_text=True)\n"
        "    re.search(r'<h1>(.*?)</h1>', html)\n"  # found
        "    re.findall('<tr>', client.get('/').get_data(as_text=True))\n"  # found
        "    FIGURE.findall(page_html)\n"  # found
        "    re.search('x', response.text)\n"  # found
        "    listed = client.get('/').get_data(as_text=True)\n"
        "    re.search(r'Issued \\d+', listed)\n"  # found: assigned from a page
        "    re.search(r'\\d', page.inner_text('#count'))\n"  # text: passes
        "    re.findall(rb'/Type', page.pdf())\n"  # a PDF: passes
        "    re.search(r'\\d+ ngày', text(one(html, 'p')))\n"  # text: passes
        "    re.fullmatch(r'steps-\\d+', key)\n"  # not markup: passes
        "    re.match(r'(Row|Dòng) 2:', parsed.errors[0])\n",  # not markup: passes
        encoding="utf-8")
    assert [line for _f, line, _c in regex_reads_of_markup(sample)] == [5, 6, 7, 8, 10]


def test_every_exception_is_still_needed():
    """An allowed exception whose regex has gone is taken off the list."""
    present = {(path.name, function) for path in TESTS.rglob("*.py")
               for function, _line, _code in regex_reads_of_markup(path)}
    assert set(ALLOWED) <= present
