"""Field types of the record schema: how each kind of value is read, checked and labelled.

``Label`` rides in a field's metadata so that forms, the diff and error summaries read one
wording per key. Before-validators accept what the ways in send (JSON, CSV cells, form data:
``None`` for an empty text, numbers for a counter) and nothing looser: no booleans as numbers,
no timestamps as dates, and only http(s) links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field


@dataclass(frozen=True)
class Label:
    """What people call a key (lazy gettext), for forms, diffs and error summaries."""

    text: Any


@dataclass(frozen=True)
class Widget:
    """Which kind of input a value type takes in the editor's form (``app.editor.schema_form``
    reads it); each type below carries one, so a new key of a known type needs nothing else."""

    name: str


@dataclass(frozen=True)
class Input:
    """How the editor's form asks for one key, where its type does not say it all.

    ``hint``: the help under the field; ``section``: the part of the form a top-level key
    goes in (``app.editor.schema_form.SECTIONS``; default "about"); ``one_line``: a one-line
    box for text without a length limit (text with a limit gets one anyway); ``radio``: a
    closed set as radio buttons; ``database``: choices read from the database (fields, levels,
    agencies …); ``repeat``: a list of texts edited one entry at a time (steps); ``edited``:
    False for keys the workflow sets (published, reviewed_at).
    """

    hint: Any = None
    section: str | None = None
    one_line: bool = False
    radio: bool = False
    database: bool = False
    repeat: bool = False
    edited: bool = True


def _no_nul(value: Any) -> Any:
    # PostgreSQL cannot store a NUL byte in text (app.inputs): refuse it with the field's path.
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _text(value: Any) -> Any:
    return "" if value is None else _no_nul(value)


def _required(value: str) -> str:
    if not value.strip():
        raise ValueError("required")
    return value


def _optional_text(value: Any) -> Any:
    return None if value == "" else _no_nul(value)


def _whole(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, got {value!r}")
    return value


def _number(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, got {value!r}")
    return value


def _iso(value: Any, parse: Callable[[str], Any], what: str) -> Any:
    """None for a blank, else ``value`` read as ISO text by ``parse``; anything else is an
    error naming ``what`` was expected."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return parse(value)
        except ValueError:
            pass
    raise ValueError(f"not {what}: {value!r}")


def _day(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _iso(value, date.fromisoformat, "a date (YYYY-MM-DD)")


def _instant(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    return _iso(value, datetime.fromisoformat, "an ISO date-time")


def _key_text(value: Any) -> Any:
    """A slug, code or counter number: text, with numbers (a CSV or JSON counter) as text."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _no_nul(value)


def web_address(value: str) -> str:
    """"" or an absolute http(s) address: never ``javascript:``, ``data:`` or a relative path."""
    if value == "":
        return value
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValueError("a web address has no spaces or control characters")
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValueError("not a web address") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("must be a full web address starting with http:// or https://")
    return value


Text = Annotated[str, BeforeValidator(_text), Widget("text")]
RequiredText = Annotated[str, BeforeValidator(_text), AfterValidator(_required), Widget("text")]
# Text or null (a link by number); the length limit sits inside, where the value is text.
OptionalKey = Annotated[Annotated[str, Field(max_length=120)] | None,
                        BeforeValidator(_optional_text), Widget("line")]
KeyText = Annotated[str | None, BeforeValidator(_key_text), Widget("line")]
WholeNumber = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_whole),
                        Widget("whole")]
Count = Annotated[int, BeforeValidator(lambda v: 0 if v in (None, "") else v),
                  BeforeValidator(_whole), Field(ge=0), Widget("whole")]
Days = Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(_number),
                 Widget("days")]
Day = Annotated[date | None, BeforeValidator(_day), Widget("day")]
Instant = Annotated[datetime | None, BeforeValidator(_instant), Widget("instant")]
WebAddress = Annotated[str, BeforeValidator(_text), Field(max_length=500),
                       AfterValidator(web_address), Widget("web")]
TextList = Annotated[list[str], BeforeValidator(lambda v: [] if v is None else v),
                     Widget("lines")]
