"""How many database commits this process has made: the one counter every per-process cache
(responses, notices, scheduled changes) compares to know it may have gone stale without a query."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

_commits = [0]  # any session, any app of this process


@event.listens_for(Session, "after_commit")
def _count_commit(session: Session) -> None:
    _commits[0] += 1


def commits_made() -> int:
    """The number of commits so far; a change since a reading means the data may differ."""
    return _commits[0]
