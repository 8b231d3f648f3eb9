"""Search without the index (missing, corrupt or being rebuilt): folded words in names and
keywords, straight from the database. Slower and plainer, but it answers."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Procedure
from app.search.text import fold


def search(folded_words: list[str], offset: int, limit: int) -> tuple[list[int], int]:
    """Ids of the page and the total, best first: names count double, keywords once."""
    wanted = set(folded_words)
    if not wanted:
        return [], 0
    stmt = select(Procedure.id, Procedure.plain_name, Procedure.official_name,
                  Procedure.keywords, Procedure.popularity).where(Procedure.published.is_(True))
    scored = []
    for pid, plain, official, keywords, popularity in db.session.execute(stmt):
        names = set(fold(f"{plain} {official}").split())
        kws = set(fold(" ".join(keywords or [])).split())
        score = 2 * len(wanted & names) + len(wanted & kws)
        if score:
            scored.append((-score, popularity or 10**6, pid))
    scored.sort()
    return [pid for _, _, pid in scored[offset:offset + limit]], len(scored)
