"""Counting queries that found nothing, for editors. Folded query text only: no personal data.

Called from the search views (never from the reader) in a transaction of its own, so a
failure here can neither break nor be committed with anything else.
"""

from __future__ import annotations

import logging

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.extensions import db
from app.models import SearchMiss
from app.models.procedure import utcnow

log = logging.getLogger(__name__)
MAX_LENGTH = 200


def record_miss(folded_query: str) -> None:
    """Add one to the count of ``folded_query`` (created on first miss); never raises."""
    text = folded_query.strip()[:MAX_LENGTH]
    if not text:
        return
    bump = (update(SearchMiss).where(SearchMiss.query == text)
            .values(count=SearchMiss.count + 1, last_seen=utcnow()))
    try:
        for _attempt in range(2):  # a concurrent first miss may insert the row before us
            try:
                with db.engine.begin() as conn:
                    if conn.execute(bump).rowcount == 0:
                        conn.execute(insert(SearchMiss).values(query=text, count=1,
                                                               last_seen=utcnow()))
                return
            except IntegrityError:
                continue
    except SQLAlchemyError:
        log.warning("could not record a search miss", exc_info=True)
