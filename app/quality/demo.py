"""Twelve months of generated results and ratings (2025-12 … 2026-11) for the demo centre.

Deterministic (a fixed seed) so every installation and every test shows the same figures, and
marked ``is_demo`` so the public page says they are demo data. Plausible, not real: each field
gets a monthly volume from its position, about 40–70 % of it online, a few per cent late.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select

from app.extensions import db
from app.models import Counter, Field
from app.models.quality import MonthlyResult, Rating, RatingReason, rating_reason_link
from app.quality.months import CENTRE_ZONE, span
from app.vocab import RatingAnswer

FIRST, LAST = "2025-12", "2026-11"
SEED = 2611
# Answer weights (in RatingAnswer's order: very satisfied, satisfied, dissatisfied) and
# reasons' weights when unhappy.
ANSWER_WEIGHTS = (0.55, 0.36, 0.09)


def _results(rng: random.Random, month: str, fld: Field, rank: int) -> dict:
    received = max(3, int(rng.gauss(160 / (1 + rank * 0.45), 12)))
    online = int(received * rng.uniform(0.4, 0.7))
    carried = int(received * rng.uniform(0.05, 0.15))
    resolved = int((received + carried) * rng.uniform(0.85, 0.95))
    late = int(resolved * rng.uniform(0.0, 0.05))
    early = int((resolved - late) * rng.uniform(0.2, 0.5))
    pending = received + carried - resolved
    pending_late = int(pending * rng.uniform(0.0, 0.1))
    return {
        "month": month, "field_id": fld.id, "carried_over": carried, "received_online": online,
        "received_direct": received - online, "resolved_early": early,
        "resolved_on_time": resolved - late - early, "resolved_late": late,
        "pending_on_time": pending - pending_late, "pending_late": pending_late,
        "apologies": late, "is_demo": True, "updated_at": datetime(2026, 11, 28),
    }


def _ratings(rng: random.Random, month: str, counter: Counter) -> list[dict]:
    year, number = int(month[:4]), int(month[5:])
    rows = []
    for _n in range(rng.randint(30, 90)):
        local = datetime(year, number, rng.randint(1, 27), rng.randint(8, 16),
                         rng.randint(0, 59), tzinfo=CENTRE_ZONE)
        moment = local.astimezone(UTC).replace(tzinfo=None)
        answer = rng.choices(RatingAnswer.values(), ANSWER_WEIGHTS)[0]
        rows.append({"counter_id": counter.id, "answer": answer, "month": month,
                     "created_at": moment, "is_demo": True, "tablet_id": None})
    return rows


def _reasons(rng: random.Random) -> None:
    """Give most demo "Không hài lòng" ratings one or two reasons, waiting time the likeliest."""
    reasons = db.session.scalars(select(RatingReason.id).order_by(RatingReason.position)).all()
    unhappy = db.session.scalars(select(Rating.id).where(
        Rating.is_demo.is_(True), Rating.answer == RatingAnswer.DISSATISFIED)
        .order_by(Rating.id)).all()
    if not reasons:
        return
    weights = [len(reasons) - i for i in range(len(reasons))]
    links = []
    for rating_id in unhappy:
        picked = set(rng.choices(reasons, weights, k=rng.choice((0, 1, 1, 2))))
        links.extend({"rating_id": rating_id, "reason_id": r} for r in picked)
    if links:
        db.session.execute(insert(rating_reason_link), links)


def load() -> str:
    """Replace the demo rows with freshly generated ones; the caller commits."""
    rng = random.Random(SEED)
    db.session.execute(delete(MonthlyResult).where(MonthlyResult.is_demo.is_(True)))
    demo_ratings = select(Rating.id).where(Rating.is_demo.is_(True))
    # A bulk delete skips the ORM's cascade: the reasons' link rows go first, or the ids
    # SQLite hands out again would meet their old links.
    db.session.execute(delete(rating_reason_link)
                       .where(rating_reason_link.c.rating_id.in_(demo_ratings)))
    db.session.execute(delete(Rating).where(Rating.is_demo.is_(True)))
    real = set(db.session.execute(select(MonthlyResult.month, MonthlyResult.field_id)).all())
    fields = db.session.scalars(select(Field).order_by(Field.position, Field.id)).all()
    counters = db.session.scalars(select(Counter).order_by(Counter.number)).all()
    results, ratings = [], []
    for month in span(FIRST, LAST):
        for rank, fld in enumerate(fields):
            row = _results(rng, month, fld, rank)
            if (month, fld.id) not in real:  # an editor's figures are never overwritten
                results.append(row)
        for counter in counters:
            ratings.extend(_ratings(rng, month, counter))
    if results:
        db.session.execute(insert(MonthlyResult), results)
    if ratings:
        db.session.execute(insert(Rating), ratings)
        _reasons(rng)
    return f"demo data: {len(results)} monthly rows, {len(ratings)} ratings ({FIRST} to {LAST})"

