"""A date typed as people write it in Vietnam (dd/mm/yyyy): the editor's interface shows and
reads that form; ISO dates stay in files and the API."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

FORMAT = "%d/%m/%Y"


def parse_dmy(text: str) -> date | None:
    """``31/12/2026`` → a date; None when empty; ValueError when not a real date so written."""
    text = (text or "").strip()[:20]
    if not text:
        return None
    return datetime.strptime(text, FORMAT).date()


class DmyField(StringField):
    """A text input for dd/mm/yyyy whose ``data`` is a date (or None when empty)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "placeholder": "dd/mm/yyyy",
                                        "autocomplete": "off", "size": 10})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list) -> None:
        self.raw = (valuelist[0] if valuelist else "") or ""
        try:
            self.data = parse_dmy(self.raw)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date as dd/mm/yyyy, for example 01/01/2027.")) from None

    def _value(self) -> str:
        if isinstance(self.data, date):
            return self.data.strftime(FORMAT)
        return getattr(self, "raw", "")[:20]


def required_day(form, field: DmyField) -> None:
    """A validator: the date must be given."""
    if field.data is None and not field.errors:
        raise ValidationError(_l("Enter a date as dd/mm/yyyy, for example 01/01/2027."))
