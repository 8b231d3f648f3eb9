"""The record schema (pydantic 2): ``ProcedureRecord`` and its parts, and what derives from it.

``normalise`` / ``check`` are the only ways a record dict is read; ``labels()`` gives every
key's wording; ``column_kinds()`` tells CSV how to write each top-level key.
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import ValidationError

from app.schema.legacy import merge_channel_fees
from app.schema.record import MODELS, PARTS, ProcedureRecord
from app.schema.types import Label

__all__ = ["PARTS", "ProcedureRecord", "RecordError", "column_kinds", "dump", "label",
           "labels", "normalise", "parse", "path_text", "record_keys"]


class RecordError(ValueError):
    """A record that cannot be stored; ``problems`` are (path, message), the path written
    like ``channels[1].fees[0].amount``."""

    def __init__(self, problems: list[tuple[str, str]] | str) -> None:
        if isinstance(problems, str):
            path, _, message = problems.partition(": ")
            problems = [(path, message)]
        self.problems = problems
        super().__init__("; ".join(f"{p}: {m}" if p else m for p, m in problems))


def path_text(loc: tuple) -> str:
    """``("channels", 1, "fees", 0, "amount")`` → ``channels[1].fees[0].amount``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def parse(data: Any) -> ProcedureRecord:
    """``data`` as a validated record; raises ``RecordError`` naming every problem by path."""
    if not isinstance(data, dict):
        raise RecordError([("", "a record must be an object")])
    data, problems = merge_channel_fees(data, path_text)
    try:
        parsed = ProcedureRecord.model_validate(data)
    except ValidationError as exc:
        problems += [(path_text(e["loc"]), e["msg"].removeprefix("Value error, "))
                     for e in exc.errors(include_url=False)]
    if problems:
        raise RecordError(sorted(problems, key=_order)) from None
    return parsed


def _order(problem: tuple[str, str]) -> int:
    # Problems in record key order, as one validation would list them.
    top = problem[0].split(".")[0].split("[")[0]
    keys = record_keys()
    return keys.index(top) if top in keys else len(keys)


def dump(record: ProcedureRecord) -> dict:
    """A parsed record in the exact shape exports print (dates as ISO text)."""
    out = record.model_dump(mode="json")
    out["code"] = out["code"].strip()
    return out


def normalise(data: Any) -> dict:
    """``data`` validated and in the exact shape exports print (defaults filled in, dates as
    ISO text, tiers in order); raises ``RecordError`` naming every problem by its path."""
    return dump(parse(data))


def record_keys() -> tuple[str, ...]:
    """The record's top-level keys, in order."""
    return tuple(ProcedureRecord.model_fields)


def label(key: str) -> Any:
    """The lazy label of a key (any part); the key itself when it has none."""
    return labels().get(key, key)


def labels() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model in MODELS:
        for name, info in model.model_fields.items():
            found = next((m.text for m in info.metadata if isinstance(m, Label)), None)
            if found is not None:
                out.setdefault(name, found)
    return out


def column_kinds() -> dict[str, str]:
    """Top-level key → ``json`` (lists and parts), ``bool``, ``int`` or ``text``."""
    kinds = {}
    for name, info in ProcedureRecord.model_fields.items():
        annotation = info.annotation
        args = get_args(annotation)
        if get_origin(annotation) is list or annotation is list:
            kinds[name] = "json"
        elif annotation is bool:
            kinds[name] = "bool"
        elif int in args or name == "legacy_level":
            kinds[name] = "int"
        else:
            kinds[name] = "text"
    return kinds
