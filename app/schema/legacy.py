"""Records of the older format, with a copy of each fee under every channel it applied to.

Round 2 files (and drafts and revisions stored then) hold ``channels[i].fees``; today a fee
is entered once, at ``fees``, naming the channels it is charged on. ``merge_channel_fees``
turns the first into the second: identical copies (every key equal) become one fee naming
those channels, or none when the fee is charged on every way to apply.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from app.schema.record import Fee


def _key(fee: dict) -> str:
    """What makes two copies the same fee: every key but the channels."""
    return json.dumps({k: v for k, v in fee.items() if k != "channels"}, sort_keys=True,
                      ensure_ascii=False)


def merge_channel_fees(data: dict, path_text: Any) -> tuple[dict, list[tuple[str, str]]]:
    """``data`` with channel fees moved to the top-level ``fees`` (after any already there),
    and the problems of those fees, with their old paths (``channels[1].fees[0].amount``)."""
    channels = data.get("channels")
    if not isinstance(channels, list) or not any(
            isinstance(c, dict) and c.get("fees") for c in channels):
        return data, []
    problems: list[tuple[str, str]] = []
    merged: dict[str, dict] = {}
    kinds: list[str] = []
    for i, channel in enumerate(channels):
        if not isinstance(channel, dict):
            continue
        kind = channel.get("kind")
        kinds.append(kind)
        for j, raw in enumerate(channel.get("fees") or []):
            try:
                fee = Fee.model_validate(raw).model_dump(mode="json")
            except ValidationError as exc:
                problems += [(path_text(("channels", i, "fees", j, *e["loc"])),
                              e["msg"].removeprefix("Value error, "))
                             for e in exc.errors(include_url=False)]
                continue
            entry = merged.setdefault(_key(fee), {**fee, "channels": []})
            if kind not in entry["channels"]:
                entry["channels"].append(kind)
    for fee in merged.values():
        if set(fee["channels"]) >= set(kinds):
            fee["channels"] = []  # charged on every way to apply: say nothing
    out = {**data, "channels": [{k: v for k, v in c.items() if k != "fees"}
                                if isinstance(c, dict) else c for c in channels]}
    out["fees"] = [*(data.get("fees") or []), *merged.values()]
    return out, problems
