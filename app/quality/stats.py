"""The figures, defined once for the public page, its downloads, the API and the editors.

- *received*: applications received in the month (online + in person and by post), not the
  ones carried over from the month before;
- *on time*: resolved early or on time, out of all resolved in the month;
- *online*: received online, out of all received;
- *satisfaction*: "Rất hài lòng" + "Hài lòng", out of all ratings from the counter tablets.

A month without a report has no results (``None``), never zeros; a share whose base is zero
is ``None`` too, so nobody reads "0 %" where nothing was measured.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import case, func, select

from app.extensions import db
from app.models import Counter, Field
from app.models.quality import (
    ANSWERS,
    RESULT_COLUMNS,
    MonthlyComplaint,
    MonthlyResult,
    Rating,
    RatingReason,
    rating_reason_link,
)
from app.quality.months import accepted
from app.vocab import SATISFIED_ANSWERS

DEFAULT_MIN_RATINGS = 30


def min_ratings() -> int:
    """Below this many ratings a satisfaction share is not given (``QUALITY_MIN_RATINGS``):
    "75 %" of 4 ratings says nothing, and reads as if it did."""
    return int(current_app.config.get("QUALITY_MIN_RATINGS", DEFAULT_MIN_RATINGS))


@dataclass
class Counts:
    """The monthly report's columns for one month (or a sum of months), one field or all."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RESULT_COLUMNS, 0))

    def add(self, other: Counts | MonthlyResult) -> None:
        for name in RESULT_COLUMNS:
            source = other.values[name] if isinstance(other, Counts) else getattr(other, name)
            self.values[name] += source

    def __getattr__(self, name: str) -> int:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def received(self) -> int:
        return self.values["received_online"] + self.values["received_direct"]

    @property
    def resolved(self) -> int:
        return sum(self.values[n] for n in ("resolved_early", "resolved_on_time", "resolved_late"))

    @property
    def resolved_in_time(self) -> int:
        return self.values["resolved_early"] + self.values["resolved_on_time"]

    @property
    def pending(self) -> int:
        return self.values["pending_on_time"] + self.values["pending_late"]

    @property
    def on_time_share(self) -> float | None:
        return share(self.resolved_in_time, self.resolved)

    @property
    def online_share(self) -> float | None:
        return share(self.values["received_online"], self.received)


@dataclass
class FieldFigures:
    field: Field
    counts: Counts


@dataclass
class MonthFigures:
    """What is known about one month (or, for year to date, a run of months)."""

    month: str
    results: Counts | None = None
    by_field: list[FieldFigures] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ANSWERS, 0))
    demo: bool = False
    months_with_results: int = 0
    # Complaints and suggestions (phản ánh, kiến nghị): None when editors entered none.
    complaints: Complaints | None = None

    @property
    def ratings(self) -> int:
        return sum(self.answers.values())

    @property
    def satisfied(self) -> int:
        return sum(self.answers[a] for a in SATISFIED_ANSWERS)

    @property
    def satisfaction(self) -> float | None:
        return share(self.satisfied, self.ratings)

    @property
    def enough_ratings(self) -> bool:
        return self.ratings >= max(min_ratings(), 1)

    @property
    def satisfaction_rate(self) -> float | None:
        """The satisfied share, or None below ``min_ratings()`` (the count still says how
        many ratings there were)."""
        return self.satisfaction if self.enough_ratings else None

    @property
    def empty(self) -> bool:
        return self.results is None and not self.ratings


@dataclass
class Complaints:
    received: int = 0
    answered_on_time: int = 0

    @property
    def on_time_share(self) -> float | None:
        return share(self.answered_on_time, self.received)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def figures(months: list[str]) -> list[MonthFigures]:
    """The figures of each month in ``months`` (in that order), from two grouped queries."""
    by_month = {month: MonthFigures(month) for month in months}
    if not months:
        return []
    rows = db.session.execute(
        select(MonthlyResult, Field).join(Field, MonthlyResult.field_id == Field.id)
        .where(MonthlyResult.month.between(min(months), max(months)))
        .order_by(Field.position, Field.name)
    ).all()
    for result, fld in rows:
        fig = by_month.get(result.month)
        if fig is None:
            continue
        if fig.results is None:
            fig.results, fig.months_with_results = Counts(), 1
        fig.results.add(result)
        counts = Counts()
        counts.add(result)
        fig.by_field.append(FieldFigures(fld, counts))
        fig.demo = fig.demo or result.is_demo
    answers = db.session.execute(
        select(Rating.month, Rating.answer, func.count(Rating.id),
               func.max(case((Rating.is_demo, 1), else_=0)))  # PostgreSQL has no max(bool)
        .where(Rating.month.between(min(months), max(months)))
        .group_by(Rating.month, Rating.answer)
    ).all()
    for month, answer, count, demo in answers:
        if month not in by_month:
            continue
        by_month[month].answers[answer] = count
        by_month[month].demo = by_month[month].demo or bool(demo)
    for row in db.session.scalars(select(MonthlyComplaint).where(
            MonthlyComplaint.month.between(min(months), max(months)))):
        if row.month in by_month:
            by_month[row.month].complaints = Complaints(row.received, row.answered_on_time)
    return [by_month[month] for month in months]


def combine(label: str, parts: list[MonthFigures]) -> MonthFigures:
    """Several months as one (year to date): sums; results None when no month had any."""
    total = MonthFigures(label)
    per_field: dict[int, FieldFigures] = {}
    for part in parts:
        for answer, count in part.answers.items():
            total.answers[answer] += count
        total.demo = total.demo or part.demo
        if part.complaints is not None:
            total.complaints = total.complaints or Complaints()
            total.complaints.received += part.complaints.received
            total.complaints.answered_on_time += part.complaints.answered_on_time
        if part.results is None:
            continue
        total.months_with_results += 1
        total.results = total.results or Counts()
        total.results.add(part.results)
        for item in part.by_field:
            into = per_field.setdefault(item.field.id, FieldFigures(item.field, Counts()))
            into.counts.add(item.counts)
    total.by_field = list(per_field.values())
    return total


def months_with_data() -> tuple[str, str] | None:
    """The first and last month that has a report or a rating, or None when nothing has.

    Only months in the accepted window count (``months.accepted``): a row stored for 9999-12
    before the window existed cannot stretch the page's list of months."""
    first, last = accepted()
    bounds = [db.session.execute(select(func.min(col), func.max(col))
                                 .where(col.between(first, last))).one()
              for col in (MonthlyResult.month, Rating.month)]
    firsts = [low for low, _high in bounds if low]
    lasts = [high for _low, high in bounds if high]
    return (min(firsts), max(lasts)) if firsts else None


def ratings_by_counter(month: str) -> list[tuple[Counter, dict[str, int]]]:
    """Every counter of the centre with its answers in ``month`` (zeros for a quiet counter)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ANSWERS, 0))
    for counter_id, answer, count in db.session.execute(
        select(Rating.counter_id, Rating.answer, func.count(Rating.id))
        .where(Rating.month == month).group_by(Rating.counter_id, Rating.answer)
    ):
        counts[counter_id][answer] = count
    counters = db.session.scalars(select(Counter).order_by(Counter.number)).all()
    # A retired counter is listed for the months it has ratings in, not after.
    return [(counter, counts[counter.id]) for counter in counters
            if counter.retired_at is None or counter.id in counts]


def reasons_given(month: str) -> list[tuple[RatingReason, int]]:
    """How often each reason was picked with "Không hài lòng" in ``month``, most first."""
    rows = db.session.execute(
        select(RatingReason, func.count(Rating.id))
        .join(rating_reason_link, rating_reason_link.c.reason_id == RatingReason.id)
        .join(Rating, Rating.id == rating_reason_link.c.rating_id)
        .where(Rating.month == month).group_by(RatingReason.id)
        .order_by(func.count(Rating.id).desc())
    ).all()
    return [(reason, count) for reason, count in rows]
