"""``/api/v1/statistics``: the centre's monthly results and ratings, month by month.

The same figures as the public page ``/ket-qua-phuc-vu`` (both come from
``app.quality.stats``). Every key is present in every month; a month without a report has
``null`` for the report's counts, never 0. ``ratings`` and ``satisfied`` are counts of the
ratings stored for the month (0 when none was made); ``satisfaction_rate`` is their share, or
``null`` below ``QUALITY_MIN_RATINGS`` ratings. ``index`` gives the month's figures in the terms
of the national index (``app.quality.index``); ``year_to_date`` sums January to the last month
asked.
"""

from __future__ import annotations

from flask import Response, jsonify, request

from app.api import bp
from app.api.errors import BadParameter
from app.quality import index
from app.quality import months as m
from app.quality.stats import Counts, MonthFigures, combine, figures

MAX_AGE = 5  # seconds: a new rating must show within 5 s
DEFAULT_SPAN = 12
COUNT_KEYS = ("carried_over", "received", "received_online", "resolved_early",
              "resolved_on_time", "resolved_late", "pending", "apologies")


def counts_json(counts: Counts | None) -> dict[str, int | None]:
    """The report's counts as the API names them (all None when there is no report)."""
    return {name: None if counts is None else getattr(counts, name) for name in COUNT_KEYS}


def month_json(fig: MonthFigures) -> dict:
    return {
        "month": fig.month,
        **counts_json(fig.results),
        "ratings": fig.ratings,
        "satisfied": fig.satisfied,
        "satisfaction_rate": _rate(fig.satisfaction_rate),
        "index": index.as_json(fig),
        "by_field": [{"field": item.field.slug, **counts_json(item.counts)}
                     for item in fig.by_field],
    }


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _month_arg(args, name: str) -> str | None:
    """A month parameter exactly as written (absent → None; empty or padded → BadMonth)."""
    if name not in args:
        return None
    raw = args[name]
    if m.parse_month(raw, name) != raw:
        raise m.BadMonth(f"{name} must be a month written YYYY-MM, got {raw[:20]!r}")
    return raw


def requested_range(args) -> tuple[str, str]:
    """``from`` and ``to`` from the query. Without ``to``: this month, or ``from`` when that is
    later; without ``from``: the twelve months up to ``to``. ``from`` after ``to`` is an empty
    range (no months), as in any range query; the pattern bounds both to 2000-01…2099-12, so
    a range is never huge."""
    try:
        first, last = _month_arg(args, "from"), _month_arg(args, "to")
    except m.BadMonth as exc:
        raise BadParameter(str(exc)) from None
    last = last or max(m.current_month(), first or "")
    return first or m.shift(last, 1 - DEFAULT_SPAN), last


@bp.get("/statistics")
def statistics() -> Response:
    first, last = requested_range(request.args)
    figs = figures(m.span(first, last))
    ytd = combine(m.year_start(last), figures(m.span(m.year_start(last), last))) \
        if figs else None
    response = jsonify({"months": [month_json(f) for f in figs],
                        "year_to_date": None if ytd is None else {
                            "from": m.year_start(last), "to": last, "index": index.as_json(ytd)}})
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response
