"""Service quality: counter ratings from tablets and the centre's monthly results.

``months`` (month arithmetic in the centre's time zone), ``stats`` (the figures, one
definition for the public page, the API and the editors), ``tablets`` (tokens and ratings),
``importer`` and ``results`` (the monthly report: reading, checking, applying with history),
``demo`` (twelve generated months), ``charts`` (SVG geometry), ``cli``. The views live with
their audience (docs/architecture.md): ``app.tablet`` (the counter tablet),
``app.public.quality`` (the public page), ``app.api.statistics`` and ``app.editor.quality``,
``quality_months``, ``quality_reasons``, ``quality_tablets`` (under /editor).
"""

from __future__ import annotations

import re

from flask import Flask

from app.quality.months import MONTH_PATTERN


def check_config(config: dict) -> None:
    """Refuse settings that would lose ratings or walk unbounded months, with the reason."""
    interval, thanks = config["RATING_INTERVAL_SECONDS"], config["RATING_THANKS_SECONDS"]
    if thanks < interval:
        raise RuntimeError(
            f"RATING_THANKS_SECONDS ({thanks}) must not be shorter than RATING_INTERVAL_SECONDS "
            f"({interval}): the question would come back while the tablet may not rate yet, "
            "and a person's tap would be thrown away. Leave it unset to use the interval.")
    first = str(config.get("QUALITY_FIRST_MONTH") or "2000-01")
    if not re.fullmatch(MONTH_PATTERN[1:-1], first):
        raise RuntimeError(f"QUALITY_FIRST_MONTH must be a month written YYYY-MM from 2000-01 "
                           f"to 2099-12, got {first!r}")
    if int(config.get("QUALITY_MIN_RATINGS", 30)) < 1:
        raise RuntimeError("QUALITY_MIN_RATINGS must be at least 1")


def init_app(app: Flask) -> None:
    """The settings (the tablet blueprint is ``app.tablet``, the commands ``app.cli``)."""
    from app.quality import tablets

    check_config(app.config)
    app.add_template_global(tablets.floods, "rating_floods")  # the editors' dashboard
