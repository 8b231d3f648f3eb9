"""The centre's figures in the terms of the national index of service to citizens and
businesses (Bộ chỉ số phục vụ người dân, doanh nghiệp, Quyết định 766/QĐ-TTg, 23/6/2023).

One definition for the page's "Chỉ số phục vụ" section and the API's ``index`` objects:

- *on time*: resolved early or on time, out of all resolved;
- *online*: received online, out of all received;
- *satisfaction*: "very satisfied" + "satisfied" out of all ratings, given only from
  ``QUALITY_MIN_RATINGS`` ratings; the index gives full marks from 90 % (``SATISFACTION_MARK``);
- *apologies*: apology letters sent for late applications;
- *complaints*: complaints and suggestions (phản ánh, kiến nghị) received, and the share
  answered on time, when editors entered them.

Every value is computed from sums of the monthly rows, so a year's figure is the sum of its
months' parts, never an average of shares.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.quality.stats import MonthFigures

SATISFACTION_MARK = 0.9


@dataclass(frozen=True)
class Measure:
    key: str
    value: float | int | None  # a share (0…1), a count, or None when not measured
    part: int | None  # what the share counts (numerator) …
    whole: int | None  # … out of what (denominator); None for a count


def measures(fig: MonthFigures) -> list[Measure]:
    """The index's measures for a month or a run of months (``stats.combine``)."""
    r, c = fig.results, fig.complaints
    return [
        Measure("on_time", r.on_time_share if r else None, r and r.resolved_in_time,
                r and r.resolved),
        Measure("online", r.online_share if r else None, r and r.received_online,
                r and r.received),
        Measure("satisfaction", fig.satisfaction_rate, fig.satisfied, fig.ratings),
        Measure("apologies", r.apologies if r else None, None, None),
        Measure("complaints_received", c.received if c else None, None, None),
        Measure("complaints_on_time", c.on_time_share if c else None,
                c and c.answered_on_time, c and c.received),
    ]


def as_json(fig: MonthFigures) -> dict:
    """The API's ``index`` object: each measure with its parts, shares rounded to 4 places."""
    out = {}
    for item in measures(fig):
        value = round(item.value, 4) if isinstance(item.value, float) else item.value
        entry: dict = {"value": value}
        if item.whole is not None or item.key in SHARES:
            entry.update(part=item.part, whole=item.whole)
        out[item.key] = entry
    out["satisfaction"]["mark"] = SATISFACTION_MARK
    return out


SHARES = ("on_time", "online", "satisfaction", "complaints_on_time")


def labels() -> dict[str, tuple[str, str]]:
    """Each measure's name and what it is computed from, for the page."""
    return {
        "on_time": (_("Applications resolved on time"),
                    _("resolved early or on time, out of all resolved")),
        "online": (_("Applications received online"),
                   _("received online, out of all received")),
        "satisfaction": (_("People satisfied"),
                         _("“very satisfied” and “satisfied”, out of all ratings; the index "
                           "gives full marks from 90 %")),
        "apologies": (_("Apology letters"),
                      _("letters sent to people whose application was late")),
        "complaints_received": (_("Complaints and suggestions received"),
                                _("phản ánh, kiến nghị about procedures or staff, as "
                                  "recorded by the centre")),
        "complaints_on_time": (_("Complaints and suggestions answered on time"),
                               _("answered on time, out of those received")),
    }
