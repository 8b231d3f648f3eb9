"""Counter tablets: tokens an admin issues per counter, and the ratings they send.

A counter has at most one live token. The token is random and travels in the tablet's
address (``/danh-gia/quay/<number>?t=…``) and in each rating it posts; it identifies a tablet,
not a person. Revoking keeps the row (ratings keep pointing at it) and refuses it from then on.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app import ratelimit
from app.extensions import db
from app.models import Counter
from app.models.procedure import utcnow
from app.models.quality import ANSWERS, Rating, RatingReason, RatingTablet
from app.quality.months import month_of
from app.siteurl import absolute_url_for

TOKEN_BYTES = 24


def counter_by_number(number: str) -> Counter | None:
    return db.session.scalar(select(Counter).where(Counter.number == number[:20]))


def live_tablet(counter: Counter) -> RatingTablet | None:
    return db.session.scalar(select(RatingTablet).where(
        RatingTablet.counter_id == counter.id, RatingTablet.revoked_at.is_(None)))


def revoke(counter: Counter) -> bool:
    """Revoke the counter's live token; False when it had none."""
    tablet = live_tablet(counter)
    if tablet is None:
        return False
    tablet.revoked_at = utcnow()
    return True


def issue(counter: Counter, by: str, rotate: bool = False) -> tuple[RatingTablet, bool]:
    """The counter's live token, issuing one when it has none or when ``rotate`` (which
    revokes the old one). Returns (tablet, whether a new token was issued). Caller commits."""
    tablet = live_tablet(counter)
    if tablet is not None and not rotate:
        return tablet, False
    revoke(counter)
    tablet = RatingTablet(counter_id=counter.id, token=secrets.token_urlsafe(TOKEN_BYTES),
                          created_by=by[:254], created_at=utcnow())
    db.session.add(tablet)
    db.session.flush()
    return tablet, True


def tablet_url(tablet: RatingTablet) -> str:
    """The full address to open on the tablet, under the site's own address (never the
    request's Host: a tablet set up from a LAN address must still get the configured one).
    Needs a request context (the CLI makes one) for ``url_for``."""
    return absolute_url_for("tablet.screen", number=tablet.counter.number, t=tablet.token)


def check_token(counter: Counter, token: str) -> RatingTablet | None:
    """The live tablet of ``counter`` when ``token`` is its token (constant-time compare)."""
    tablet = live_tablet(counter)
    if tablet is None or not token:
        return None
    if not hmac.compare_digest(tablet.token.encode(), token[:100].encode()):
        return None
    return tablet


def active_reasons() -> list[RatingReason]:
    return list(db.session.scalars(
        select(RatingReason).where(RatingReason.active.is_(True))
        .order_by(RatingReason.position, RatingReason.id)))


@dataclass(frozen=True)
class Outcome:
    stored: bool
    status: int
    message: str  # a msgid-free key the view turns into words


def record(counter: Counter, tablet: RatingTablet, answer: str,
           reason_ids: list[int]) -> Outcome:
    """Store one rating unless this tablet rated within the interval. Caller commits."""
    if answer not in ANSWERS:
        return Outcome(False, 400, "bad_answer")
    interval = current_app.config["RATING_INTERVAL_SECONDS"]
    if not ratelimit.allow(f"rating:{counter.id}:{tablet.id}", 1, interval):
        return Outcome(False, 429, "too_soon")
    reasons = []
    if answer == "dissatisfied" and reason_ids:
        offered = {reason.id: reason for reason in active_reasons()}
        reasons = [offered[i] for i in dict.fromkeys(reason_ids) if i in offered]
    now = utcnow()
    db.session.add(Rating(counter_id=counter.id, tablet_id=tablet.id, answer=answer,
                          month=month_of(now), created_at=now, reasons=reasons))
    return Outcome(True, 200, "thanks")
