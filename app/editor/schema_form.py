"""The editor's record form, built from the record schema (``app.schema.record``).

Every key of the schema becomes a form field of the kind its type asks for (``Widget`` on the
type: text, line, whole number, days, date, web address, lines), with the schema's label, the
hint and section of its ``Input`` metadata, and the validators its constraints imply
(required, length, least value, http(s) only). A closed set (``app.vocab``) becomes a select
list, or radio buttons; a list of parts a repeating ``FieldList``. So a key added to the schema
appears in the form, in its section, with nothing else to write here.

The form's field names are the record's keys (``channels-0-fees-1-amount``), which
``app.editor.formops`` relies on to add, remove and move repeating parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from annotated_types import Ge, MaxLen
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.editor.dayfield import DmyField, day_hint
from app.editor.fields import DecimalDaysField, LinesField, WholeNumberField
from app.editor.forms import SLUG, options
from app.schema.types import Input, Label, Widget
from app.vocab import Vocab

# The form's parts for top-level keys, in page order (repeating parts have their own).
SECTIONS = {"identity": _l("Name and code"), "about": _l("About"),
            "online": _l("Online service"), "source": _l("Source")}
DEFAULT_SECTION = "about"
WEB = URL(require_tld=False, message=_l("Enter a full web address starting with https://"))
HTTP = Regexp(r"^[hH][tT][tT][pP][sS]?://",
              message=_l("Enter a full web address starting with https://"))
# Checks a key's type cannot express (the slug's shape is the site's rule for addresses).
EXTRA_VALIDATORS: dict[str, list] = {"slug": [SLUG]}


def _meta(info: FieldInfo, kind: type) -> Any:
    return next((m for m in info.metadata if isinstance(m, kind)), None)


def _nested_max(info: FieldInfo) -> int | None:
    """A length limit, also one inside an optional type (``Annotated[str, …] | None``)."""
    found = _meta(info, MaxLen)
    if found is not None:
        return found.max_length
    for arg in get_args(info.annotation):
        for inner in getattr(arg, "__metadata__", ()):
            limit = next((m.max_length for m in getattr(inner, "metadata", [])
                          if isinstance(m, MaxLen)), None)
            if limit is not None:
                return limit
    return None


def part_model(info: FieldInfo) -> type[BaseModel] | None:
    """The part a ``list[Part]`` key repeats, else None."""
    if get_origin(info.annotation) is list:
        (item,) = get_args(info.annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _vocab(info: FieldInfo) -> type[Vocab] | None:
    kind = info.annotation
    return kind if isinstance(kind, type) and issubclass(kind, Vocab) else None


def _text_field(key: str, info: FieldInfo, ask: Input, label: Any, widget: str) -> UnboundField:
    limit = _nested_max(info)
    checks: list = [DataRequired()] if info.is_required() else []
    if widget == "web":
        checks = [Optional(), HTTP, WEB]
    if limit:
        checks.append(Length(max=limit))
    checks += EXTRA_VALIDATORS.get(key, [])
    one_line = widget in ("line", "web") or limit is not None or ask.one_line
    kind = StringField if one_line else TextAreaField
    return kind(label, validators=checks, description=ask.hint)


def _select(info: FieldInfo, ask: Input, label: Any, vocab: type[Vocab]) -> UnboundField:
    default = info.default.value if isinstance(info.default, Vocab) else None
    kind = RadioField if ask.radio else SelectField
    return kind(label, choices=options(vocab.labels().items()), default=default,
                description=ask.hint)


def _literal(info: FieldInfo, ask: Input, label: Any) -> UnboundField:
    """A small fixed set of numbers (legacy_level): "" for not stated, then each value."""
    values = next(get_args(a) for a in (info.annotation, *get_args(info.annotation))
                  if get_origin(a) is Literal)
    return SelectField(label, choices=options([("", _l("Not stated")),
                                               *((str(v), str(v)) for v in values)]),
                       description=ask.hint)


def _repeating(info: FieldInfo, ask: Input, label: Any) -> UnboundField | None:
    part = part_model(info)
    if part is not None:
        return FieldList(FormField(form_class(part)), label=label)
    if ask.repeat:
        return FieldList(TextAreaField(label, validators=[DataRequired()]), label=label)
    return None


class CheckboxesField(SelectMultipleField):
    """Several values of a closed set, one checkbox each (a fee's ways to apply)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(info: FieldInfo, ask: Input, label: Any) -> UnboundField | None:
    """A list of a closed set's values: checkboxes."""
    if get_origin(info.annotation) is list:
        (item,) = get_args(info.annotation)
        if isinstance(item, type) and issubclass(item, Vocab):
            return CheckboxesField(label, choices=options(item.labels().items()),
                                   description=ask.hint)
    return None


def _choice(info: FieldInfo, ask: Input, label: Any) -> UnboundField | None:
    made = _choices(info, ask, label)
    if made is not None:
        return made
    if ask.database:  # choices are filled per request (``record_form.set_choices``)
        checks = [DataRequired()] if info.is_required() else []
        return SelectField(label, choices=[], validators=checks, description=ask.hint)
    vocab = _vocab(info)
    if vocab is not None:
        return _select(info, ask, label, vocab)
    if any(get_origin(a) is Literal for a in (info.annotation, *get_args(info.annotation))):
        return _literal(info, ask, label)
    return None


def _scalar(key: str, info: FieldInfo, ask: Input, label: Any, widget: str) -> UnboundField:
    if info.annotation is bool:
        return BooleanField(label, default=info.default, description=ask.hint)
    if widget == "lines":
        return LinesField(label, description=ask.hint)
    if widget == "day":
        # dd/mm/yyyy in the interface (the record and the API keep ISO): the hint says so.
        return DmyField(label, description=day_hint(ask.hint))
    if widget == "days":
        return DecimalDaysField(label, description=ask.hint)
    if widget == "whole" or info.annotation is int:
        least = _meta(info, Ge)
        checks: list = [InputRequired()] if info.is_required() else []
        if least is not None and least.ge:
            checks.append(NumberRange(min=least.ge))
        return WholeNumberField(label, validators=checks, description=ask.hint)
    return _text_field(key, info, ask, label, widget)


def form_field(key: str, info: FieldInfo) -> UnboundField | None:
    """The form field for one schema key; None for keys the workflow sets."""
    ask = _meta(info, Input) or Input()
    widget = (_meta(info, Widget) or Widget("")).name
    if not ask.edited or widget == "instant":
        return None
    label = (_meta(info, Label) or Label(key)).text
    return (_repeating(info, ask, label) or _choice(info, ask, label)
            or _scalar(key, info, ask, label, widget))


_FORMS: dict[type[BaseModel], type[Form]] = {}


def form_class(model: type[BaseModel], base: type[Form] = Form,
               extra: dict[str, UnboundField] | None = None) -> type[Form]:
    """A WTForms class with a field for every edited key of ``model``, in schema order."""
    if base is Form and not extra and model in _FORMS:
        return _FORMS[model]
    attrs = {key: made for key, info in model.model_fields.items()
             if (made := form_field(key, info)) is not None}
    built = type(f"{model.__name__}Form", (base,), {**attrs, **(extra or {})})
    if base is Form and not extra:
        _FORMS[model] = built
    return built


@dataclass
class PartLayout:
    """A repeating part's fields: those before its own repeating part, that part, the rest."""

    before: list[str] = field(default_factory=list)
    nested: str | None = None
    after: list[str] = field(default_factory=list)


def part_layout(model: type[BaseModel]) -> PartLayout:
    layout = PartLayout()
    for key, info in model.model_fields.items():
        if part_model(info) is not None:
            layout.nested = key
        elif form_field(key, info) is not None:
            (layout.after if layout.nested else layout.before).append(key)
    return layout


def sections(model: type[BaseModel]) -> dict[str, list[str]]:
    """Section → the top-level keys shown in it (schema order); repeating keys are apart."""
    out: dict[str, list[str]] = {name: [] for name in SECTIONS}
    for key, info in model.model_fields.items():
        ask = _meta(info, Input) or Input()
        if part_model(info) is None and not ask.repeat and form_field(key, info) is not None:
            section = ask.section or DEFAULT_SECTION
            if section not in out:
                raise RuntimeError(f"{model.__name__}.{key}: unknown form section {section!r}")
            out[section].append(key)
    return out
