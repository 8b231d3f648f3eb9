"""Shaping the figures for people: locale formats, headline figures, charts, table rows.

Shares use one decimal in the locale's format ("87,5 %" / "87.5%"); a share that was not
measured is shown as a sentence saying so, never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal, format_percent
from flask_babel import gettext as _

from app.i18n import locale_code
from app.quality import charts, index
from app.quality.stats import Counts, MonthFigures, min_ratings

PERCENT = "#,##0.0%"


def percent(value: float | None) -> str:
    return "" if value is None else format_percent(value, format=PERCENT, locale=locale_code())


def axis_percent(value: float) -> str:
    """A chart's grid label: whole per cent ("25 %" / "25%")."""
    return format_percent(value, format="#,##0%", locale=locale_code())


def count(value: int | None) -> str:
    return "" if value is None else format_decimal(value, locale=locale_code())


def month_label(month: str) -> str:
    """A month for people: "11/2026" (the site writes dates dd/mm/yyyy)."""
    return f"{month[5:]}/{month[:4]}"


def not_enough(ratings: int) -> str:
    """What stands instead of a share computed from too few ratings (stats.min_ratings)."""
    return _("not enough ratings yet (%(n)s ratings)", n=count(ratings))


@dataclass(frozen=True)
class Headline:
    label: str
    shown: str | None  # None: not measured; ``basis`` then says why
    basis: str
    measured: bool = True  # False: ``shown`` is words saying why there is no figure


def headlines(fig: MonthFigures) -> list[Headline]:
    """The four published figures of a month (or year to date), each with its basis."""
    r = fig.results
    no_report = _("No monthly report yet.")
    return [
        Headline(_("Applications received"), count(r.received) if r else None,
                 _("%(online)s online, %(direct)s in person or by post",
                   online=count(r.received_online), direct=count(r.received_direct))
                 if r else no_report),
        _share(_("Resolved on time or early"), r and r.on_time_share,
               _("of %(n)s applications resolved", n=count(r.resolved)) if r else no_report),
        _share(_("Received online"), r and r.online_share,
               _("of %(n)s applications received", n=count(r.received)) if r else no_report),
        _satisfaction(fig),
    ]


def _satisfaction(fig: MonthFigures) -> Headline:
    label = _("Satisfied with the service")
    if fig.ratings and not fig.enough_ratings:
        return Headline(label, not_enough(fig.ratings),
                        _("a share is given from %(n)s ratings", n=count(min_ratings())),
                        measured=False)
    return _share(label, fig.satisfaction_rate,
                  _("of %(n)s ratings at the counters' tablets", n=count(fig.ratings))
                  if fig.ratings else _("No ratings yet."))



def _share(label: str, value: float | None, basis: str) -> Headline:
    return Headline(label, percent(value) if value is not None else None, basis)


def _points(figs: list[MonthFigures], value, basis, why) -> list[charts.Point]:
    points = []
    for fig in figs:
        v = value(fig)
        shown = "" if v is None else (percent(v) if isinstance(v, float) else count(v))
        points.append(charts.Point(month_label(fig.month), v, shown,
                                   basis(fig) if v is not None else why(fig)))
    return points


def _no_data(_fig: MonthFigures) -> str:
    return _("no data")


def _too_few(fig: MonthFigures) -> str:
    return not_enough(fig.ratings) if fig.ratings else _("no data")


def _results(fig: MonthFigures) -> Counts:
    assert fig.results is not None
    return fig.results


def month_charts(figs: list[MonthFigures]) -> list[charts.Chart]:
    """The four charts of the last months, with descriptions that state the range."""
    first, last = month_label(figs[0].month), month_label(figs[-1].month)
    span = _("Monthly, %(first)s to %(last)s. Months without data have no bar.",
             first=first, last=last)

    def on_results(getter):
        return lambda f: None if f.results is None else getter(f.results)

    specs = [
        ("received", _("Applications received each month"), _("Received"), False,
         on_results(lambda r: r.received),
         lambda f: _("%(n)s online", n=count(_results(f).received_online)), _no_data),
        ("on-time", _("Share resolved on time or early"), _("On time or early"), True,
         on_results(lambda r: r.on_time_share),
         lambda f: _("of %(n)s resolved", n=count(_results(f).resolved)), _no_data),
        ("online", _("Share received online"), _("Online"), True,
         on_results(lambda r: r.online_share),
         lambda f: _("of %(n)s received", n=count(_results(f).received)), _no_data),
        ("satisfaction", _("Share of ratings satisfied or very satisfied"), _("Satisfied"), True,
         lambda f: f.satisfaction_rate, lambda f: _("of %(n)s ratings", n=count(f.ratings)),
         _too_few),
    ]
    return [
        charts.bar_chart(f"chart-{key}", title, span, heading,
                         _points(figs, value, basis, why), is_percent,
                         axis_percent if is_percent else count)
        for key, title, heading, is_percent, value, basis, why in specs
    ]


@dataclass(frozen=True)
class IndexRow:
    key: str
    label: str
    basis: str
    month: str  # the month's figure as shown, or words saying why there is none
    month_parts: str  # "412 of 430", "" for a count
    year: str
    year_parts: str


def _index_cell(item: index.Measure, fig: MonthFigures) -> tuple[str, str]:
    if item.key == "satisfaction" and fig.ratings and not fig.enough_ratings:
        return not_enough(fig.ratings), ""
    if item.value is None:
        return (_("not entered") if item.key.startswith("complaints") else _("no data")), ""
    if item.whole is None:
        return count(int(item.value)), ""
    return percent(float(item.value)), _("%(part)s of %(whole)s", part=count(item.part),
                                         whole=count(item.whole))


def index_rows(month: MonthFigures, year: MonthFigures) -> list[IndexRow]:
    """The "Chỉ số phục vụ" table: each measure for the month and for the year to date."""
    names = index.labels()
    rows = []
    for this, ytd in zip(index.measures(month), index.measures(year), strict=True):
        label, basis = names[this.key]
        rows.append(IndexRow(this.key, label, basis, *_index_cell(this, month),
                             *_index_cell(ytd, year)))
    return rows
