"""Bar charts as data for an inline SVG macro (``macros/quality.html``): geometry only.

Drawn on the server so the page needs no JavaScript and the chart is in the HTML a screen
reader, a printer and a cache all get. Each chart has a title (shown above it), a description
and a data table built from the same points, so no figure exists only as a picture.

Bars are horizontal, one row per month, with the month on the left and the value written at
the end of the bar: the drawing is narrow (``WIDTH`` units), so its text stays at least 12 CSS
pixels on a phone (``FONT`` units over a ~330 px wide chart) and 24 on the kiosk (its CSS
widens the chart). A share axis starts above zero when every value is high, so a 95–100 %
series is not flattened; ``Chart.scale`` then says so in words above the chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 360
ROW = 30  # height of one month's row
FONT = 14
LABEL_W, VALUE_W, TOP, BOTTOM = 62, 78, 8, 8
PLOT_X = LABEL_W
PLOT_W = WIDTH - LABEL_W - VALUE_W


@dataclass(frozen=True)
class Point:
    label: str          # the month as people read it ("11/2026")
    value: float | None  # None: not measured (no bar, never a zero)
    shown: str          # the value formatted for the locale ("87,5 %")
    basis: str          # what it is computed from ("from 412 resolved applications")


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    text_y: float
    point: Point


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    value_heading: str
    bars: list[Bar]
    low: float  # where the axis starts (0 unless every share is high)
    scale: str  # "" or words saying where the bars start
    height: int
    width: int = WIDTH
    plot_x: int = PLOT_X
    plot_w: int = PLOT_W
    font: int = FONT
    bar_h: float = ROW * 0.6


def _nice_top(largest: float) -> float:
    """A round upper bound for a count axis (1, 2, 5 × 10ⁿ steps)."""
    if largest <= 0:
        return 1
    step = 10 ** math.floor(math.log10(largest))
    for factor in (1, 2, 5, 10):
        if largest <= factor * step:
            return factor * step
    return 10 * step


def share_floor(values: list[float]) -> float:
    """Where a share axis starts: 0, or a round 10 % step at least 5 points under the lowest
    value when all are 50 % or more (so differences between 95 and 100 % stay visible)."""
    if not values or min(values) < 0.5:
        return 0.0
    return max(0.0, math.floor((min(values) - 0.05) * 10) / 10)


def bar_chart(chart_id: str, title: str, description: str, value_heading: str,
              points: list[Point], percent: bool, axis_label) -> Chart:
    """Bars for ``points``; a share axis ends at 100 % (and may start above 0), a count axis
    fits the counts. ``axis_label(value)`` formats the scale's words in the page's locale."""
    values = [p.value for p in points if p.value is not None]
    low = share_floor(values) if percent else 0.0
    top = 1.0 if percent else _nice_top(max(values, default=0))
    bars = []
    for i, point in enumerate(points):
        width = 0.0 if point.value is None else \
            PLOT_W * min(max((point.value - low) / (top - low), 0.0), 1.0)
        y = TOP + i * ROW
        bars.append(Bar(round(y + ROW * 0.2, 1), round(max(width, 2.0 if point.value else 0), 1),
                        round(y + ROW / 2 + FONT * 0.35, 1), point))
    scale = axis_label(low) if low else ""
    return Chart(chart_id, title, description, value_heading, bars, low, scale,
                 height=TOP + len(points) * ROW + BOTTOM)
