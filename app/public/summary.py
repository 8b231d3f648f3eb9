"""Procedure facts in plain words: what it costs, how long it takes, how to apply.

Pure shaping for templates (public pages, kiosk, print view); no queries, no request state
beyond the locale.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.fees import (
    COUNT_LABELS,
    MAX_COUNT,
    NOUNS,
    UNITS,
    amount_for,
    is_countable,
    is_free,
    lowest_amount,
    parse_count,
)
from app.i18n import locale_code
from app.models import Channel, Fee, Procedure
from app.presenters import Localized, money, number, vietnamese

CHANNELS = {"in_person": _l("In person"), "online": _l("Online"), "post": _l("By post")}
ONLINE_CLASSES = {"full": _l("Fully online"), "partial": _l("Partly online"),
                  "none": _l("Not online")}
ONLINE_EXPLAINED = {
    "full": _l("You can do everything online: apply, pay and get the result online or by post."),
    "partial": _l("You can apply online, but you still need to come in, for example to pay, "
                  "show original documents or collect the result."),
    "none": _l("This cannot be done online. Apply at the counter."),
}
AGENCY_ROLES = {"performing": _l("Handles the procedure"), "competent": _l("Decides"),
                "delegated": _l("Delegated to decide"), "coordinating": _l("Works with")}
LEGACY_EXPLAINED = {
    1: _l("Level 1: information only."),
    2: _l("Level 2: forms can be downloaded; you apply in person or by post."),
    3: _l("Level 3: you apply online; you pay and collect the result at the office."),
    4: _l("Level 4: everything online, including payment; the result comes online or by post."),
}


@dataclass(frozen=True)
class Line:
    """One fact, optionally labelled (e.g. "Online: 10.000 ₫ per case")."""

    label: str
    text: Localized | str


def display_name(proc: Procedure) -> Localized:
    """The name people use: English when there is one, else the Vietnamese plain name."""
    if locale_code() != "vi" and proc.name_en:
        return Localized(proc.name_en, False)
    return vietnamese(proc.name)


def fee_text(fee: Fee) -> str:
    """"2.000 ₫ per page; from page 3 on: 1.000 ₫ per page; at most 200.000 ₫"."""
    if fee.amount is None:
        return _("Not published")
    if fee.amount == 0:
        return _("Free")
    unit = UNITS.get(fee.unit, "")
    parts = [_("%(amount)s %(unit)s", amount=money(fee.amount), unit=unit)]
    parts += [_("from %(noun)s %(number)s on: %(amount)s %(unit)s",
                noun=NOUNS.get(fee.unit, ""), number=number(tier.from_unit),
                amount=money(tier.amount), unit=unit) for tier in fee.tiers]
    if fee.cap is not None:
        parts.append(_("at most %(amount)s", amount=money(fee.cap)))
    return "; ".join(parts)


def channel_label(kind: str) -> str:
    return str(CHANNELS.get(kind, kind))


def _channel_cost(channel: Channel) -> str:
    """One channel's fees; each named when there are several (on time / late …)."""
    fees = channel.fees
    if is_free(fees):
        return _("Free")
    if len(fees) == 1:
        return fee_text(fees[0])
    return "; ".join(f"{f.name}: {fee_text(f)}" if f.name else fee_text(f) for f in fees)


def _per_channel(channels: list[Channel], texts: list) -> list[Line]:
    """One unlabelled line when every channel says the same, else one line per channel."""
    if len({str(t) for t in texts}) <= 1:
        return [Line("", texts[0])] if texts else []
    return [Line(channel_label(c.kind), t) for c, t in zip(channels, texts, strict=True)]


def cost_lines(proc: Procedure) -> list[Line]:
    """The summary's "Cost": free, unknown, fees by name, or per channel when channels differ."""
    if not proc.fees:
        note = vietnamese(proc.fee_note)
        return [Line("", note if note else _("Not published – ask at the counter"))]
    channels = [c for c in proc.channels if c.fees]
    costs = [_channel_cost(c) for c in channels]
    first = channels[0].fees
    if len(set(costs)) == 1 and len(first) > 1 and not is_free(first):
        return [Line(f.name, fee_text(f)) for f in first]
    return _per_channel(channels, costs)


def working_days(days: float) -> str:
    if days == int(days):
        return ngettext("%(num)s working day", "%(num)s working days", int(days))
    return _("%(days)s working days", days=number(days))


def processing_time(channel: Channel) -> Localized | str:
    """The official Vietnamese wording; in English the number of working days when known."""
    if locale_code() == "vi" and channel.processing_time:
        return channel.processing_time
    if channel.processing_days is not None:
        return working_days(channel.processing_days)
    return vietnamese(channel.processing_time) or _("Not published")


def time_lines(proc: Procedure) -> list[Line]:
    """The summary box's "Time": one line when every channel takes as long, else per channel."""
    channels = list(proc.channels)
    if not channels:
        return [Line("", _("Not published"))]
    days = {c.processing_days for c in channels}
    if len(days) == 1 and None not in days:
        return [Line("", processing_time(channels[0]))]
    return _per_channel(channels, [processing_time(c) for c in channels])


def short_cost(proc: Procedure) -> str:
    """For lists: "Free", "From 2.000 ₫", "Free, or from 50.000 ₫" or "Fee not published"."""
    fees = proc.fees
    if is_free(fees):
        return _("Free")
    lowest = lowest_amount(fees)
    some_free = any(fee.amount == 0 for fee in fees)
    if lowest is None:
        return _("Free in the usual case") if some_free else _("Fee not published")
    if some_free:
        return _("Free, or from %(amount)s", amount=money(lowest))
    return _("From %(amount)s", amount=money(lowest))


def short_time(proc: Procedure) -> str:
    """For lists: the shortest known processing time in working days, or ""."""
    known = [c.processing_days for c in proc.channels if c.processing_days is not None]
    return working_days(min(known)) if known else ""


def online_text(proc: Procedure) -> str:
    """The online class in plain words, with the old "level N" when the record has one."""
    text = str(ONLINE_EXPLAINED.get(proc.online_class, ""))
    if proc.online_class == "none" and any(c.kind == "post" for c in proc.channels):
        text = _("This cannot be done online. Apply at the counter or by post.")
    if proc.legacy_level:
        text += " " + _("Previously listed as level %(level)s.", level=proc.legacy_level)
    return text


def countable_fees(proc: Procedure) -> list[tuple[Channel, Fee]]:
    return [(c, f) for c in proc.channels for f in c.fees if is_countable(f)]


@dataclass(frozen=True)
class Calculator:
    """The fee calculator's state: what was typed, an error, and the amounts when valid."""

    label: str
    typed: str
    error: str
    rows: list[Line]


def calculator(proc: Procedure, typed: str | None) -> Calculator | None:
    """None when no fee depends on a count; else the amounts for the typed count, if any."""
    fees = countable_fees(proc)
    if not fees:
        return None
    unit = fees[0][1].unit
    label = str(COUNT_LABELS.get(unit, _l("How many")))
    if typed is None:
        return Calculator(label, "", "", [])
    count = parse_count(typed)
    if count is None:
        error = _("Enter a whole number from 1 to %(max)s", max=number(MAX_COUNT))
        return Calculator(label, typed[:20], error, [])
    rows = []
    for channel, fee in fees:
        name = channel_label(channel.kind)
        if len(fees) > 1 and fee.name:
            name = f"{name} – {fee.name}"
        rows.append(Line(name, money(amount_for(fee, count))))
    return Calculator(label, typed[:20], "", rows)
