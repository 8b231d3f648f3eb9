"""``/ket-qua-phuc-vu``: the centre's service results, and their CSV download.

Figures come from ``app.quality.stats`` (the API serves the same ones). A month and the
twelve before it are shown; ``?thang=YYYY-MM`` picks the month. The answers may be cached
for 5 seconds at most, so a new rating shows in this month's figures within 5 s.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template, request

from app.public import bp
from app.quality import months as m
from app.quality import present
from app.quality.importer import HEADERS
from app.quality.stats import combine, figures, months_with_data

MAX_AGE = 5
SHOWN_MONTHS = 12


def _fresh(response: Response) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response


def _month_arg() -> str:
    try:
        return m.parse_month(request.args["thang"], "thang") if request.args.get("thang") \
            else m.current_month()
    except m.BadMonth as exc:
        abort(400, description=str(exc))


@bp.get("/ket-qua-phuc-vu")
def service_results() -> Response:
    month = _month_arg()
    figs = figures(m.span(m.shift(month, 1 - SHOWN_MONTHS), month))
    this = figs[-1]
    ytd = combine(m.year_start(month), [f for f in figs if f.month >= m.year_start(month)])
    known = months_with_data() or (month, month)
    last = max(known[1], month, m.current_month())
    choices = list(reversed(m.span(max(min(known[0], month), m.shift(last, 1 - m.MAX_SPAN)), last)))
    html = render_template(
        "quality/results.html", month=month, this=this, ytd=ytd, figs=figs,
        headlines=present.headlines(this), ytd_headlines=present.headlines(ytd),
        charts=present.month_charts(figs), choices=choices, label=present.month_label,
        percent=present.percent, count=present.count, demo=any(f.demo for f in figs),
        first=figs[0].month)
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
            writer.writerow([fig.month, item.field.name,
                             *(item.counts.values[k] for k in list(HEADERS)[2:])])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="ket-qua-phuc-vu-{first}-{last}.csv"')
    return _fresh(response)
