"""A date typed as people write it in Vietnam (dd/mm/yyyy): the editor's interface shows and
reads that form; ISO dates stay in files and the API.

The input is a plain text box (``inputmode=numeric``), not ``<input type=date>``: a browser's
date box shows the browser's own order (mm/dd/yyyy in an English browser), so the hint and
the box would disagree. Separators "/", "." and "-" are accepted (31.12.2026); the year has
four digits, so an ISO date (2026-12-31) is refused with the format's message rather than
read the wrong way round.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import StringField
from wtforms.validators import ValidationError

FORMAT = "%d/%m/%Y"
MAX_INPUT = 20  # longer than any date typed: cut first, then match (bounded patterns only)
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_TIME = re.compile(r"(\d{1,2})[:hH](\d{2})")
TIME_FORMAT = "%d/%m/%Y %H:%M"
FORMAT_HINT = _l("Day/month/year (dd/mm/yyyy), for example 31/12/2026.")
WRONG_FORMAT = _l("Enter a date as dd/mm/yyyy, for example 01/01/2027.")
TIME_HINT = _l("Day/month/year and local time (dd/mm/yyyy HH:MM), for example 05/02/2027 "
               "08:00.")
WRONG_TIME_FORMAT = _l("Enter a date and time as dd/mm/yyyy HH:MM, for example 05/02/2027 08:00.")


class NotADay(ValueError):
    """Typed in the format but no such day (31/02/2026); ``str()`` is the message to show."""


def parse_dmy(text: str) -> date | None:
    """``31/12/2026`` → a date; None when empty; ValueError when not so written, ``NotADay``
    when so written but impossible."""
    text = (text or "")[:MAX_INPUT].strip()
    if not text:
        return None
    found = _DMY.fullmatch(text)
    if found is None:
        raise ValueError(str(WRONG_FORMAT))
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise NotADay(str(_l("%(typed)s is not a real date: check the day and the month.",
                             typed=text))) from None


def parse_dmy_time(text: str) -> datetime | None:
    """``05/02/2027 08:00`` → a naive local datetime; None when empty; ValueError (or
    ``NotADay``) as ``parse_dmy``."""
    text = (text or "")[:MAX_INPUT].strip()
    if not text:
        return None
    day_part, _, time_part = text.partition(" ")
    at = _TIME.fullmatch(time_part.strip())
    if at is None or _DMY.fullmatch(day_part) is None:
        raise ValueError(str(WRONG_TIME_FORMAT))
    hour, minute = int(at.group(1)), int(at.group(2))
    day = parse_dmy(day_part)
    if day is None or hour > 23 or minute > 59:
        raise NotADay(str(_l("%(typed)s is not a real time: the hour is 0 to 23, the "
                             "minutes 0 to 59.", typed=text)))
    return datetime.combine(day, time(hour, minute))


class Hint:
    """Several hints shown as one, each translated when shown (lazy, like ``_l``)."""

    def __init__(self, *parts: Any) -> None:
        self.parts = [p for p in parts if p]

    def __str__(self) -> str:
        return " ".join(str(p) for p in self.parts)

    def __html__(self) -> Markup:
        return escape(str(self))

    def __bool__(self) -> bool:
        return bool(self.parts)


def day_hint(own: Any = None) -> Hint:
    """The format first, then what the field says of itself ("Leave empty when open.")."""
    return Hint(FORMAT_HINT, own)


class DmyField(StringField):
    """A text input for dd/mm/yyyy whose ``data`` is a date (or None when empty). What was
    typed is shown again when it is not a date, with a message saying what to fix."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "placeholder": "dd/mm/yyyy",
                                        "autocomplete": "off", "size": 10,
                                        "maxlength": MAX_INPUT})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list) -> None:
        self.raw = ((valuelist[0] if valuelist else "") or "")[:MAX_INPUT]
        try:
            self.data = parse_dmy(self.raw)
        except ValueError as problem:
            self.data = None
            raise ValueError(str(problem)) from None

    def _value(self) -> str:
        if isinstance(self.data, date):
            return self.data.strftime(FORMAT)
        return getattr(self, "raw", "")


def required_day(form, field: DmyField) -> None:
    """A validator: the date must be given."""
    if field.data is None and not field.errors:
        raise ValidationError(WRONG_FORMAT)


class DmyTimeField(DmyField):
    """A local date and time as dd/mm/yyyy HH:MM (notices), ``data`` a naive datetime."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric",
                                        "placeholder": "dd/mm/yyyy HH:MM",
                                        "autocomplete": "off", "size": 16,
                                        "maxlength": MAX_INPUT})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list) -> None:
        self.raw = ((valuelist[0] if valuelist else "") or "")[:MAX_INPUT]
        try:
            self.data = parse_dmy_time(self.raw)
        except ValueError as problem:
            self.data = None
            raise ValueError(str(problem)) from None

    def _value(self) -> str:
        if isinstance(self.data, datetime):
            return self.data.strftime(TIME_FORMAT)
        return getattr(self, "raw", "")


def required_time(form, field: DmyTimeField) -> None:
    """A validator: the date and time must be given."""
    if field.data is None and not field.errors:
        raise ValidationError(WRONG_TIME_FORMAT)
