"""Form fields that keep what was typed: a bad value is shown back as typed, with an error."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

_SEPARATORS = re.compile(r"[\s.,_]")
# Anchored at the end with no leading "\s*" (which made a long run of spaces quadratic);
# the spaces go with the separators.
_CURRENCY = re.compile(r"(?:đồng|đ|₫|vnd)\Z", re.IGNORECASE)


class WholeNumberField(StringField):
    """A whole number ≥ 0 written the Vietnamese way or not: 2000, 2.000, 2,000, 2 000 đ.

    ``data`` is an int, or None when left blank.
    """

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        cleaned = _SEPARATORS.sub("", _CURRENCY.sub("", raw))
        if not cleaned.isdigit():
            self.data = None
            raise ValueError(_l("Enter a whole number, like 2000 or 2.000."))
        self.data = int(cleaned)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class DecimalDaysField(StringField):
    """A number of days that may have a fraction (0,5 or 0.5); None when blank."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            value = -1.0
        if not 0 <= value <= 3650:
            self.data = None
            raise ValueError(_l("Enter a number of days, like 5 or 0,5."))
        self.data = int(value) if value.is_integer() else value

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return str(int(self.data)) if float(self.data).is_integer() else str(self.data)


class LinesField(TextAreaField):
    """A list of short texts, one per line; blank lines are dropped."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in raw.splitlines() if line.strip()]

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(self.data or [])
