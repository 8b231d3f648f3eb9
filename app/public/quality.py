"""``/ket-qua-phuc-vu``: the centre's service results, and their CSV download.

Figures come from ``app.quality.stats`` (the API serves the same ones). A month and the
eleven before it are shown; ``?thang=YYYY-MM`` picks the month, and without it the page opens
on the latest month that has a report or ratings (early in a month the current one is empty;
it stays one choice away). The answers may be cached for 5 seconds at most, so a new rating
shows in this month's figures within 5 s.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, current_app, render_template, request

from app.csvcells import neutral
from app.public import bp
from app.quality import months as m
from app.quality import present
from app.quality.importer import HEADERS
from app.quality.stats import combine, figures, min_ratings, months_with_data

MAX_AGE = 5
SHOWN_MONTHS = 12


def _fresh(response: Response) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response


def _month_arg(known: tuple[str, str] | None) -> str:
    try:
        if request.args.get("thang"):
            return m.parse_month(request.args["thang"], "thang")
    except m.BadMonth as exc:
        abort(400, description=str(exc))
    return known[1] if known else m.current_month()


@bp.get("/ket-qua-phuc-vu")
def service_results() -> Response:
    known = months_with_data()
    month = _month_arg(known)
    figs = figures(m.span(m.shift(month, 1 - SHOWN_MONTHS), month))
    this = figs[-1]
    ytd = combine(m.year_start(month), [f for f in figs if f.month >= m.year_start(month)])
    first, last = known or (month, month)
    last = max(last, month, m.current_month())
    # At most MAX_SPAN choices, whatever is stored (months_with_data keeps to the window).
    choices = list(reversed(m.span(max(min(first, month), m.shift(last, 1 - m.MAX_SPAN)), last)))
    html = render_template(
        "public/quality_results.html", month=month, this=this, ytd=ytd, figs=figs,
        headlines=present.headlines(this), ytd_headlines=present.headlines(ytd),
        charts=present.month_charts(figs), choices=choices, label=present.month_label,
        percent=present.percent, count=present.count, demo=any(f.demo for f in figs),
        first=figs[0].month, index=present.index_rows(this, ytd),
        index_url=current_app.config.get("SERVICE_INDEX_URL", ""), min_ratings=min_ratings())
    return _fresh(Response(html, mimetype="text/html"))


@bp.get("/ket-qua-phuc-vu/ket-qua.csv")
def service_results_csv() -> Response:
    """The monthly report's rows for ``tu``…``den`` (default: the last twelve months), in the
    report's own columns, so the download can be imported again."""
    try:
        last = m.parse_month(request.args["den"], "den") if request.args.get("den") \
            else m.current_month()
        first = m.parse_month(request.args["tu"], "tu") if request.args.get("tu") \
            else m.shift(last, 1 - SHOWN_MONTHS)
    except m.BadMonth as exc:
        abort(400, description=str(exc))
    if first > last or len(m.span(first, last)) > m.MAX_SPAN:
        abort(400, description="tu must not be after den, and at most 120 months")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS.values())
    for fig in figures(m.span(first, last)):
        for item in fig.by_field:
            # Field names are editors' text: neutral() keeps "=…" from running as a formula.
            writer.writerow([neutral(cell) for cell in (
                fig.month, item.field.name,
                *(item.counts.values[k] for k in list(HEADERS)[2:]))])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="ket-qua-phuc-vu-{first}-{last}.csv"')
    return _fresh(response)
