"""Procedure facts in plain words: what it costs, how long it takes, how to apply.

Pure shaping for templates (public pages, kiosk, print view); no queries, no request state
beyond the locale.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.dates import dmy
from app.fees import (
    MAX_COUNT,
    amount_for,
    fees_in_force,
    general,
    is_countable,
    is_free,
    lowest_amount,
    parse_count,
    scheduled,
)
from app.i18n import locale_code
from app.models import Channel, Fee, Procedure
from app.presenters import Localized, localized, money, number, vietnamese
from app.vocab import ChannelKind, FeeUnit, LegacyLevel, OnlineClass

UNITS = FeeUnit.labels()
NOUNS = FeeUnit.extra("noun")
COUNT_LABELS = FeeUnit.extra("count_label")
ONLINE_EXPLAINED = OnlineClass.extra("explained")
LEGACY_EXPLAINED = {int(k): v for k, v in LegacyLevel.extra("explained").items()}


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


def amount_text(fee: Fee) -> str:
    """"2.000 ₫ per page; from page 3 on: 1.000 ₫ per page; at most 200.000 ₫"."""
    if fee.amount is None:
        return _("No set amount – ask at the counter")
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


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def fee_text(fee: Fee) -> str:
    """The amount with what limits it: its condition ("if applied online with a level-2 VNeID
    account: Free") and its end ("until the end of 31/12/2026"). Whether an editor verified
    it is said once per fee box (``unverified``), not on every line."""
    text = amount_text(fee)
    if fee.condition is not None:
        name = str(localized(fee.condition, "name")) or fee.condition.slug
        text = _("if %(condition)s: %(fee)s", condition=_lower_first(name), fee=text)
    if fee.valid_until is not None:
        text = _("%(fee)s (until the end of %(date)s)", fee=text, date=dmy(fee.valid_until))
    return text


def unverified(fees: list[Fee]) -> bool:
    """True when a known amount among ``fees`` has not been verified by an editor (an unknown
    amount already says "ask at the counter": there is no amount to doubt)."""
    return any(not fee.verified and fee.amount is not None for fee in fees)


def verified_basis(fee: Fee) -> str:
    """For a verified fee, what sets it ("Luật Hộ tịch 2014, Điều 11"); else ""."""
    if not fee.verified or fee.amount is None:
        return ""
    if fee.basis_document:
        return ", ".join(t for t in (fee.basis_document, fee.basis_article) if t)
    return fee.legal_basis


def fee_channels(fee: Fee, proc: Procedure) -> str:
    """The ways to apply a fee is charged on, in words, only when it is not every way the
    procedure has ("Online"; "In person, By post"); "" when it applies to all."""
    kinds = [c.kind for c in proc.channels]
    named = [k for k in kinds if fee.applies_to(k)]
    if not fee.channels or set(named) >= set(kinds):
        return ""
    return ", ".join(channel_label(k) for k in named)


def fee_name(fee: Fee) -> Localized:
    return localized(fee, "name")


def scheduled_text(fee: Fee) -> str:
    """A version announced for later: "from 01/01/2027: 50.000 ₫ per card"."""
    return _("from %(date)s: %(fee)s", date=dmy(fee.valid_from), fee=fee_text(fee))


def current_fees(channel: Channel) -> list[Fee]:
    """The channel's fees in force today (local time)."""
    return fees_in_force(channel)


def upcoming_fees(channel: Channel) -> list[Fee]:
    """The channel's fee versions that start after today."""
    return scheduled(channel)


def fee_basis_texts(proc: Procedure) -> list[str]:
    """What sets the fees in force today, once each: "64/2025/TT-BTC, Điều 1" when a document
    is linked, else the free text."""
    out: list[str] = []
    for fee in fees_in_force(proc):
        if fee.basis_document:
            text = ", ".join(t for t in (fee.basis_document, fee.basis_article) if t)
        else:
            text = fee.legal_basis
        if text and text not in out:
            out.append(text)
    return out


def channel_label(kind: str) -> str:
    return str(ChannelKind.labels().get(kind, kind))


def _fees_cost(fees: list[Fee]) -> str:
    """Some fees of one channel; each named when there are several (on time / late …)."""
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
    """The summary's "Cost" today: free, unknown, fees by name, or per channel when channels
    differ; then what applies only under a condition. (Changes announced for later are in the
    channels table, ``fee_cell``; the printed checklist is for today and one A4 page.)"""
    return _current_cost(proc)


def _current_cost(proc: Procedure) -> list[Line]:
    """Each distinct fee in force once, labelled with its ways to apply only where it is not
    charged on all of them; conditional amounts after the general ones."""
    current = fees_in_force(proc)
    if not current:
        note = vietnamese(proc.fee_note)
        return [Line("", note if note else _("No set amount – ask at the counter"))]
    plain = general(current)
    if is_free(plain) and not any(fee_channels(f, proc) for f in plain):
        lines = [Line("", _("Free"))]
    else:
        several = len(plain) > 1
        lines = [Line(fee_channels(f, proc), _named(f) if several else fee_text(f))
                 for f in plain]
    lines += [Line(fee_channels(f, proc), _named(f)) for f in current if f not in plain]
    return lines


def _named(fee: Fee) -> str:
    name = fee_name(fee)
    return f"{name}: {fee_text(fee)}" if name else fee_text(fee)


def working_days(days: float) -> str:
    if days == int(days):
        return ngettext("%(num)s working day", "%(num)s working days", int(days))
    return _("%(days)s working days", days=number(days))


def processing_time(channel: Channel) -> Localized | str:
    """The official wording from the same field in both languages: the English value where an
    editor wrote one, else the Vietnamese text marked as such (never a number of days that
    could contradict it); the number of working days only when no text exists."""
    text = localized(channel, "processing_time")
    if text:
        return text
    if channel.processing_days is not None:
        return working_days(channel.processing_days)
    return _("Not published")


def time_lines(proc: Procedure) -> list[Line]:
    """The summary box's "Time": one line when every channel takes as long, else per channel."""
    channels = list(proc.channels)
    if not channels:
        return [Line("", _("Not published"))]
    return _per_channel(channels, [processing_time(c) for c in channels])


def short_cost(proc: Procedure) -> str:
    """For lists: "Free", "From 2.000 ₫", "Free, or from 50.000 ₫" or "Fee not published",
    from the fees in force today without a condition (what most people pay)."""
    current = fees_in_force(proc)
    fees = general(current) or current
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
    """Fees in force today whose amount depends on a count."""
    return [(c, f) for c in proc.channels for f in current_fees(c) if is_countable(f)]


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
        if fee.condition is not None:
            condition = str(localized(fee.condition, "name")) or fee.condition.slug
            name = _("%(name)s, if %(condition)s", name=name, condition=_lower_first(condition))
        rows.append(Line(name, money(amount_for(fee, count))))
    return Calculator(label, typed[:20], "", rows)
