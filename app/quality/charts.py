"""Bar charts as data for an inline SVG macro (``macros/quality.html``): geometry only.

Drawn on the server so the page needs no JavaScript and the chart is in the HTML a screen
reader, a printer and a cache all get. Each chart has a title, a description and a data
table built from the same points, so no figure exists only as a picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 16, 40


@dataclass(frozen=True)
class Point:
    label: str          # the month as people read it ("11/2026")
    value: float | None  # None: not measured (no bar, never a zero)
    shown: str          # the value formatted for the locale ("87,5 %")
    basis: str          # what it is computed from ("from 412 resolved applications")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    centre: float
    point: Point


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    value_heading: str
    bars: list[Bar]
    grid: list[tuple[float, str]]  # (y, label) of each horizontal rule
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def _nice_top(largest: float) -> float:
    """A round upper bound for a count axis (1, 2, 5 × 10ⁿ steps)."""
    if largest <= 0:
        return 1
    step = 10 ** math.floor(math.log10(largest))
    for factor in (1, 2, 5, 10):
        if largest <= factor * step:
            return factor * step
    return 10 * step


def bar_chart(chart_id: str, title: str, description: str, value_heading: str,
              points: list[Point], percent: bool, axis_label) -> Chart:
    """Bars for ``points``; ``percent`` fixes the axis at 0–100 %, else it fits the counts.
    ``axis_label(value)`` formats the grid labels in the page's locale."""
    top = 1.0 if percent else _nice_top(max((p.value or 0) for p in points) if points else 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    bars = []
    for i, point in enumerate(points):
        height = 0.0 if point.value is None else plot_h * min(point.value / top, 1.0)
        x = LEFT + i * slot + slot * 0.15
        bars.append(Bar(round(x, 1), round(TOP + plot_h - height, 1), round(slot * 0.7, 1),
                        round(height, 1), round(LEFT + i * slot + slot / 2, 1), point))
    grid = [(round(TOP + plot_h * (1 - k / 4), 1), axis_label(top * k / 4)) for k in range(5)]
    return Chart(chart_id, title, description, value_heading, bars, grid)
