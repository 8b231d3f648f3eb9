"""Reading HTML in tests with a parser (BeautifulSoup), never with regular expressions.

A regex over markup breaks on attribute order, whitespace and entities, and passes on text that
only looks like the element; the parser reads the page as a browser would.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag


def soup(source) -> BeautifulSoup:
    """The parsed document of a response (Flask test response) or a string of HTML or XML.

    The HTML parser lowercases attribute names: an SVG's ``viewBox`` is read as ``viewbox``."""
    if hasattr(source, "get_data"):
        source = source.get_data(as_text=True)
    return BeautifulSoup(source, "html.parser")


def text(node: Tag | BeautifulSoup | None) -> str:
    """An element's text as a reader sees it: entities decoded, whitespace collapsed."""
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def one(source, selector: str) -> Tag:
    """The one element matching a CSS selector; fails with the selector if there is none."""
    node = soup(source).select_one(selector) if not isinstance(source, Tag) else \
        source.select_one(selector)
    assert node is not None, f"nothing matches {selector!r}"
    return node


def every(source, selector: str) -> list[Tag]:
    """Every element matching a CSS selector, in document order."""
    return (source if isinstance(source, Tag) else soup(source)).select(selector)


def attr_values(source, selector: str, attribute: str) -> list[str]:
    """The values of one attribute on every element matching a selector (entities decoded)."""
    return [str(node.get(attribute)) for node in every(source, selector)
            if node.get(attribute) is not None]


def section(source, heading_id: str) -> BeautifulSoup:
    """What follows the heading with ``heading_id`` up to the next heading of its level or
    higher, as a document of its own (the part of a page a heading introduces)."""
    heading = one(source, f"#{heading_id}")
    level = int(heading.name[1]) if heading.name in {f"h{n}" for n in range(1, 7)} else 6
    stops = {f"h{n}" for n in range(1, level + 1)}
    parts = []
    for sibling in heading.next_siblings:
        if isinstance(sibling, Tag) and (sibling.name in stops or sibling.find(stops)):
            break
        parts.append(str(sibling))
    return BeautifulSoup("".join(parts), "html.parser")


def cells(row: Tag) -> list[str]:
    """The text of a table row's data cells (``td``), in order."""
    return [text(cell) for cell in row.find_all("td")]


def positions(source, *selectors: str) -> list[int]:
    """Where the first element matching each selector stands in document order (to check
    that a page says one thing before another); fails with the selector if one is missing."""
    document = source if isinstance(source, Tag) else soup(source)
    order = {id(node): n for n, node in enumerate(document.find_all(True))}
    return [order[id(one(document, selector))] for selector in selectors]
