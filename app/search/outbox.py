"""How far this node's index has followed the change sequence (the ``SearchChange`` outbox).

Change ids come from a database sequence, but transactions commit in any order: id 101 may
become visible after 102. So the position is the highest id up to which every change has been
applied (``seq``) plus the ids applied beyond it (``above``). A hole in the ids is waited for
``GRACE_SECONDS`` (a transaction still running) and then taken as a rollback. Applying a
change twice is harmless (it re-reads the procedure), so erring towards re-applying is safe.

On PostgreSQL a transaction that writes change rows also sends ``NOTIFY motcua_search``:
delivered at its commit, dropped with a rollback, so an idle indexer can sleep until then
(``app.search.follower``). The rows stay the truth; a lost notification only delays.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, UOWTransaction

from app.models import SearchChange

GRACE_SECONDS = 30.0
CHANNEL = "motcua_search"  # PostgreSQL notification channel of the outbox


@event.listens_for(Session, "after_flush")
def _notify_indexers(session: Session, _flush: UOWTransaction) -> None:
    """Wake every node's indexer when this transaction commits (NOTIFY is transactional;
    several in one transaction are delivered once)."""
    if not any(isinstance(obj, SearchChange) for obj in session.new):
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"NOTIFY {CHANNEL}")


def _epoch(moment: datetime | None) -> float:
    return moment.replace(tzinfo=UTC).timestamp() if moment else 0.0


@dataclass
class Position:
    seq: int = 0
    above: dict[int, float] = field(default_factory=dict)  # applied id → created (epoch)

    def dumps(self) -> str:
        return json.dumps({"seq": self.seq, "above": self.above})

    @classmethod
    def loads(cls, raw: str | None) -> Position:
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(int(data["seq"]), {int(k): float(v) for k, v in data["above"].items()})

    def advance(self, applied: list[tuple[int, float]], now: float | None = None) -> Position:
        """The position after applying ``applied`` (change id, created epoch) pairs."""
        now = time.time() if now is None else now
        above = {**self.above, **{cid: ts for cid, ts in applied if cid > self.seq}}
        seq = self.seq
        for cid in sorted(above):
            if cid != seq + 1 and above[cid] > now - GRACE_SECONDS:
                break  # ids before this one may still commit: wait for them
            seq = cid
        return Position(seq, {cid: ts for cid, ts in above.items() if cid > seq})


@dataclass
class Change:
    id: int
    procedure_id: int
    created: float


def pending(session: Session, position: Position, limit: int = 500) -> list[Change]:
    """Visible changes not yet applied, oldest first, at most ``limit``."""
    stmt = (select(SearchChange.id, SearchChange.procedure_id, SearchChange.created_at)
            .where(SearchChange.id > position.seq).order_by(SearchChange.id)
            .limit(limit + len(position.above)))
    rows = [Change(cid, pid, _epoch(created)) for cid, pid, created in session.execute(stmt)]
    return [c for c in rows if c.id not in position.above][:limit]


def latest(session: Session) -> int:
    return session.scalar(select(func.max(SearchChange.id))) or 0


def start_of_rebuild(session: Session, now: float | None = None) -> Position:
    """The position a rebuild reading the database *after* this call covers.

    Every change visible now is covered; recent holes are left open for their grace period.
    """
    now = time.time() if now is None else now
    cutoff = datetime.fromtimestamp(now - GRACE_SECONDS, UTC).replace(tzinfo=None)
    old = session.scalar(select(func.max(SearchChange.id))
                         .where(SearchChange.created_at < cutoff)) or 0
    recent = session.execute(select(SearchChange.id, SearchChange.created_at)
                             .where(SearchChange.id > old).order_by(SearchChange.id))
    return Position(old).advance([(cid, _epoch(created)) for cid, created in recent], now)
