"""Counter tablets: tokens an admin issues per counter, and the ratings they send.

A counter has at most one live token. The token is random; the database keeps only its
SHA-256, so the admin sees the tablet's address once, when it is issued. The address carries
the token after ``#`` (``/danh-gia/quay/<number>#t=…``): a fragment never reaches a server,
so it is in no access log and no Referer. The tablet's page hands it to the server once, by a
form post, and from then on the tablet holds it in a cookie scoped to ``/danh-gia/`` (the only
cookie outside ``/editor``; see the privacy page). Revoking keeps the row (ratings keep
pointing at it) and refuses it from then on.

One rating per tablet per ``RATING_INTERVAL_SECONDS``: a single conditional UPDATE of the
tablet's ``last_rating_at`` (by the app's clock, ``app.dates.now``) both checks and claims the
slot, so two posts at once cannot both pass, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from app.dates import now as clock_now
from app.extensions import db
from app.models import Counter
from app.models.procedure import utcnow
from app.models.quality import ANSWERS, Rating, RatingReason, RatingTablet
from app.quality.months import month_of
from app.siteurl import absolute_url_for

TOKEN_BYTES = 24
COOKIE = "motcua_tablet"
COOKIE_PATH = "/danh-gia/"
COOKIE_DAYS = 400  # browsers keep a cookie at most 400 days


def hash_token(token: str) -> str:
    return hashlib.sha256(token[:100].encode()).hexdigest()


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


def retire(counter: Counter) -> None:
    """Take a counter out of service: its tablet stops, its ratings stay (caller commits)."""
    revoke(counter)
    counter.retired_at = utcnow()


def issue(counter: Counter, by: str, rotate: bool = False) -> tuple[RatingTablet, str | None]:
    """The counter's live token, issuing one when it has none or when ``rotate`` (which
    revokes the old one). Returns (tablet, the new token, or None when the live one was kept:
    it is stored hashed and cannot be shown again). Caller commits."""
    tablet = live_tablet(counter)
    if tablet is not None and not rotate:
        return tablet, None
    revoke(counter)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    tablet = RatingTablet(counter_id=counter.id, token_hash=hash_token(token),
                          created_by=by[:254], created_at=utcnow())
    db.session.add(tablet)
    db.session.flush()
    return tablet, token


def tablet_url(tablet: RatingTablet, token: str) -> str:
    """The full address to open on the tablet, under the site's own address (never the
    request's Host), with the token in the fragment. Needs a request context for url_for."""
    return absolute_url_for("tablet.screen", number=tablet.counter.number, _anchor=f"t={token}")


def check_token(counter: Counter, token: str) -> RatingTablet | None:
    """The live tablet of ``counter`` when ``token`` is its token (constant-time compare)."""
    tablet = live_tablet(counter)
    if tablet is None or not token:
        return None
    if not hmac.compare_digest(tablet.token_hash, hash_token(token)):
        return None
    return tablet


def active_reasons() -> list[RatingReason]:
    return list(db.session.scalars(
        select(RatingReason).where(RatingReason.active.is_(True))
        .order_by(RatingReason.position, RatingReason.id)))


def _now() -> datetime:
    """The app's clock as stored (naive UTC), so tests can move it."""
    return clock_now().astimezone(UTC).replace(tzinfo=None)


def wait_seconds(tablet: RatingTablet) -> int:
    """Whole seconds until ``tablet`` may rate again (0: now)."""
    if tablet.last_rating_at is None:
        return 0
    interval = current_app.config["RATING_INTERVAL_SECONDS"]
    left = interval - (_now() - tablet.last_rating_at).total_seconds()
    return max(0, math.ceil(left))


def _claim(tablet: RatingTablet) -> bool:
    """Take this tablet's rating slot: one UPDATE that succeeds only when the last rating is
    older than the interval, so concurrent posts cannot both pass."""
    now = _now()
    since = now - timedelta(seconds=current_app.config["RATING_INTERVAL_SECONDS"])
    result = db.session.execute(
        update(RatingTablet)
        .where(RatingTablet.id == tablet.id,
               or_(RatingTablet.last_rating_at.is_(None), RatingTablet.last_rating_at <= since))
        .values(last_rating_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.refresh(tablet)
        return False
    tablet.last_rating_at = now
    return True


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
    if not _claim(tablet):
        return Outcome(False, 429, "too_soon")
    reasons = []
    if answer == "dissatisfied" and reason_ids:
        offered = {reason.id: reason for reason in active_reasons()}
        reasons = [offered[i] for i in dict.fromkeys(reason_ids) if i in offered]
    now = _now()
    db.session.add(Rating(counter_id=counter.id, tablet_id=tablet.id, answer=answer,
                          month=month_of(now), created_at=now, reasons=reasons))
    return Outcome(True, 200, "thanks")


@dataclass(frozen=True)
class Flood:
    counter: Counter
    hour: datetime  # the start of the busiest hour (naive UTC)
    ratings: int


def floods(hours: int = 24) -> list[Flood]:
    """Counters that sent more ratings in one hour of the last ``hours`` than a counter can
    serve (``RATING_MAX_PER_HOUR``): a leaked token or a stuck screen, for the dashboard.
    Grouped in Python (portable hour buckets); at most one rating per tablet per interval
    keeps the rows few."""
    limit = current_app.config["RATING_MAX_PER_HOUR"]
    since = _now() - timedelta(hours=hours)
    per_hour: dict[tuple[int, datetime], int] = {}
    for counter_id, created in db.session.execute(
            select(Rating.counter_id, Rating.created_at)
            .where(Rating.created_at >= since, Rating.is_demo.is_(False))):
        key = (counter_id, created.replace(minute=0, second=0, microsecond=0))
        per_hour[key] = per_hour.get(key, 0) + 1
    worst: dict[int, tuple[datetime, int]] = {}
    for (counter_id, hour), count in per_hour.items():
        if count > limit and count > worst.get(counter_id, (hour, 0))[1]:
            worst[counter_id] = (hour, count)
    counters = {c.id: c for c in db.session.scalars(
        select(Counter).where(Counter.id.in_(list(worst))))} if worst else {}
    return [Flood(counters[cid], hour, count) for cid, (hour, count) in sorted(worst.items())]
