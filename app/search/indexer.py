"""The write side: apply the change sequence (``sync``), rebuild, verify; ``step`` is one
round of the per-node loop (``app.search.follower``).

Only this module writes the index. It reads the database in its own session, so it sees
committed data only, never a caller's unfinished transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Procedure
from app.search import backend, bits, readers
from app.search.documents import document_for, published_procedures
from app.search.outbox import Position, pending, start_of_rebuild

log = logging.getLogger(__name__)
BATCH = 500


def index_root() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


@contextmanager
def _session() -> Iterator[Session]:
    with Session(db.engine) as session:
        yield session


def _apply_batch(ix, session: Session) -> int | None:
    """Apply up to BATCH pending changes under the writer lock; None when the lock is taken."""
    writer = backend.open_writer(ix)
    if writer is None:
        return None
    try:
        with writer.searcher() as searcher:
            position = Position.loads(backend.read_position(searcher))
        changes = pending(session, position, BATCH)
        if not changes:
            writer.cancel()
            return 0
        pids = sorted({c.procedure_id for c in changes})
        procs = list(published_procedures(session, pids))
        found = {p.id for p in procs}
        new_position = position.advance([(c.id, c.created) for c in changes])
        backend.write(writer, (document_for(p) for p in procs),
                      [pid for pid in pids if pid not in found], new_position.dumps())
        writer.commit()
        session.expunge_all()
        return len(changes)
    except BaseException:
        writer.cancel()
        raise


def sync() -> int:
    """Apply pending changes to this node's index; the number applied (0 if another process
    holds the writer lock: that process applies them). A missing or unreadable index is
    rebuilt instead. Never raises LockError."""
    try:
        return _sync(index_root())
    except backend.IndexUnavailable:
        return rebuild(wait=False) or 0


def _sync(root: Path) -> int:
    ix = backend.open_index(root)
    applied = 0
    with _session() as session:
        while (count := _apply_batch(ix, session)) is not None:
            applied += count
            if count < BATCH:
                break
    if applied:
        readers.views.invalidate(root)
    return applied


def rebuild(wait: bool = True) -> int | None:
    """Build a fresh generation from the database and switch to it atomically; the number
    of procedures indexed, or None if another rebuild is running and ``wait`` is False."""
    root = index_root()
    lock = backend.rebuild_lock(root)
    if not lock.acquire(blocking=wait):
        return None
    try:
        with _session() as session:
            position = start_of_rebuild(session)
            ix = backend.create_generation(root)
            writer = ix.writer(limitmb=128)
            count = 0
            for proc in published_procedures(session):
                writer.add_document(**document_for(proc))
                count += 1
            backend.write(writer, [], [], position.dumps())
            writer.commit(optimize=True)
        backend.switch_to(root, ix)
    finally:
        lock.release()
    readers.views.invalidate(root)
    _sync(root)  # changes published while we were building
    return count


@dataclass
class Report:
    """Index versus database: what is missing, extra, stale, and changes not yet applied."""

    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    pending: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale or self.pending or self.error)


def verify() -> Report:
    try:
        view = backend.open_view(index_root())
    except backend.IndexUnavailable as exc:
        return Report(error=str(exc))
    try:
        indexed = {view.meta[d].pid: view.meta[d].updated for d in bits.to_ids(view.live)}
        position = Position.loads(backend.read_position(view.searcher))
    finally:
        view.close()
    with _session() as session:
        rows = session.execute(select(Procedure.id, Procedure.updated_at)
                               .where(Procedure.published.is_(True))).all()
        waiting = len(pending(session, position, limit=100_000))
    in_db = {pid: int(updated.timestamp()) if updated else 0 for pid, updated in rows}
    return Report(
        missing=sorted(set(in_db) - set(indexed)),
        extra=sorted(set(indexed) - set(in_db)),
        stale=sorted(p for p in set(in_db) & set(indexed) if in_db[p] != indexed[p]),
        pending=waiting,
    )


def step() -> int:
    """One round of the indexer loop: rebuild a missing or broken index, else sync."""
    root = index_root()
    try:
        readers.views.get(root)
    except backend.IndexUnavailable:
        log.warning("search index unavailable in %s: rebuilding", root)
        return rebuild(wait=False) or 0
    return sync()


_repairs: dict[Path, threading.Thread] = {}
_repair_lock = threading.Lock()


def repair_soon(app: Flask) -> None:
    """Rebuild a missing or broken index in the background, once at a time per index."""
    root = Path(app.config["SEARCH_INDEX_DIR"])
    with _repair_lock:
        running = _repairs.get(root)
        if running is not None and running.is_alive():
            return

        def run() -> None:
            with app.app_context():
                try:
                    step()
                except Exception:
                    log.exception("search index repair failed")

        thread = threading.Thread(target=run, name="search-repair", daemon=True)
        _repairs[root] = thread
        thread.start()


def wait_for_repairs(timeout: float = 60.0) -> None:
    """Block until background repairs finish (tests, shutdown)."""
    deadline = time.monotonic() + timeout
    for thread in list(_repairs.values()):
        thread.join(max(0.0, deadline - time.monotonic()))
