"""The Whoosh backend: the only module that imports whoosh.

On disk, ``SEARCH_INDEX_DIR`` holds index *generations* (``gen-…`` directories) and a
``CURRENT`` file naming the live one; a rebuild writes a new generation and replaces
``CURRENT`` atomically. Inside a generation, Whoosh's own single-writer lock (``WRITELOCK``,
an fcntl lock, so it works across processes and dies with a killed process) serialises
writes; ``open_writer`` never waits for it. A hidden document (pid ``__seq__``) stores how far
the change sequence has been applied, committed atomically with the changes themselves.

Readers (``views``) keep one searcher per index directory per process and open a new one only
when ``CURRENT`` or the Whoosh generation changed, checked at most every ``CHECK_SECONDS``.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.query import And, Or, Prefix, Term
from whoosh.scoring import BM25F
from whoosh.util.filelock import FileLock

from app.search.documents import Meta
from app.search.plan import Lexicon

POINTER = "CURRENT"
SEQ_ID = "__seq__"
CHECK_SECONDS = 0.2  # how stale a worker's searcher may be before it looks for a newer index
RETIRE_SECONDS = 30.0  # old searchers stay open this long, for requests still using them


def _text() -> TEXT:
    # Terms are folded before indexing (see documents.py): splitting on spaces is all that's left.
    return TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)


SCHEMA = Schema(pid=ID(unique=True), code=ID(), name=_text(), name_x=_text(), kw=_text(),
                body=_text(), all=_text(), meta=COLUMN(VarBytesColumn()), seq=STORED())
# Names are short and their length says little; a long official name should not sink.
WEIGHTING = BM25F(B=0.75, K1=1.2, name_B=0.3, name_x_B=0.3, kw_B=0.4)


class IndexUnavailable(Exception):
    """This node's index is missing or cannot be read."""


# --- generations on disk ----------------------------------------------------------------------

def current_path(root: Path) -> Path | None:
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = root / name
    return path if name and "/" not in name and path.is_dir() else None


def exists(root: Path) -> bool:
    path = current_path(root)
    return path is not None and whoosh_index.exists_in(str(path))


def open_index(root: Path):
    path = current_path(root)
    if path is None:
        raise IndexUnavailable(f"no search index in {root}")
    try:
        return whoosh_index.open_dir(str(path))
    except Exception as exc:  # a damaged TOC raises anything from EOFError to ValueError
        raise IndexUnavailable(f"cannot open {path}: {exc!r}") from exc


def create_generation(root: Path):
    """A new, empty index directory beside the live one (not live until ``switch_to``)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"gen-{time.time_ns()}-{uuid.uuid4().hex[:6]}"
    path.mkdir()
    return whoosh_index.create_in(str(path), SCHEMA)


def switch_to(root: Path, ix) -> None:
    """Make ``ix`` the live generation in one atomic rename, then drop stale generations."""
    new = Path(ix.storage.folder)
    tmp = root / f".{POINTER}.{uuid.uuid4().hex}"
    tmp.write_text(new.name, encoding="utf-8")
    os.replace(tmp, root / POINTER)
    previous = sorted((p for p in root.glob("gen-*") if p != new), key=lambda p: p.name)
    # Keep the one before, which other workers may still be reading for a moment.
    for old in previous[:-1]:
        shutil.rmtree(old, ignore_errors=True)


def rebuild_lock(root: Path) -> FileLock:
    root.mkdir(parents=True, exist_ok=True)
    return FileLock(str(root / ".rebuild.lock"))


# --- writing ----------------------------------------------------------------------------------

def open_writer(ix):
    """Whoosh's writer, or None at once when another process or thread holds the lock."""
    try:
        return ix.writer(timeout=0)
    except whoosh_index.LockError:
        return None


def write(writer, docs: Iterable[dict], removed: Iterable[int], position: str) -> None:
    for doc in docs:
        writer.update_document(**doc)
    for pid in removed:
        writer.delete_by_term("pid", str(pid))
    writer.update_document(pid=SEQ_ID, seq=position)


def read_position(searcher) -> str | None:
    stored = searcher.document(pid=SEQ_ID)
    return stored.get("seq") if stored else None


# --- reading ----------------------------------------------------------------------------------

_segment_meta: OrderedDict[str, list[Meta | None]] = OrderedDict()
_segment_lock = threading.Lock()


def _leaf_meta(path: Path, reader) -> list[Meta | None]:
    """Decoded meta column of one segment, cached by segment id (segments never change)."""
    key = f"{path}:{reader.segment().segment_id()}"
    with _segment_lock:
        if key in _segment_meta:
            _segment_meta.move_to_end(key)
            return _segment_meta[key]
    column = reader.column_reader("meta", translate=False) if reader.has_column("meta") else []
    decoded = [Meta.decode(raw) for raw in column] or [None] * reader.doc_count_all()
    with _segment_lock:
        _segment_meta[key] = decoded
        while len(_segment_meta) > 64:
            _segment_meta.popitem(last=False)
    return decoded


class View(Lexicon):
    """One open searcher and what is derived from it; immutable once built, so threads share it."""

    def __init__(self, root: Path, path: Path, ix) -> None:
        self.root, self.path, self.ix = root, path, ix
        self.searcher = ix.searcher(weighting=WEIGHTING)
        reader = self.searcher.reader()
        self.meta: list[Meta | None] = []
        for leaf, _offset in reader.leaf_readers():
            if leaf.segment() is not None:  # an index without segments has an empty reader
                self.meta.extend(_leaf_meta(path, leaf))
        self._docsets: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()
        self._lock = threading.Lock()
        self.derived: dict[str, object] = {}  # other per-view caches, filled by their users

    def up_to_date(self) -> bool:
        return current_path(self.root) == self.path and self.searcher.up_to_date()

    def close(self) -> None:
        self.searcher.close()

    # Lexicon, for typo correction
    def df(self, word: str) -> int:
        return self.searcher.doc_frequency("all", word)

    def pair_df(self, pair: str) -> int:
        return self.searcher.doc_frequency("name", pair) + self.searcher.doc_frequency("kw", pair)

    def docs(self, fieldname: str, text: str) -> frozenset[int]:
        """Documents containing a term, cached: a query's words recur across searches."""
        key = (fieldname, text)
        with self._lock:
            found = self._docsets.get(key)
            if found is not None:
                self._docsets.move_to_end(key)
                return found
        found = frozenset(self.searcher.docs_for_query(Term(fieldname, text)))
        with self._lock:
            self._docsets[key] = found
            while len(self._docsets) > 2048:
                self._docsets.popitem(last=False)
        return found

    def live_docs(self) -> Iterable[int]:
        return (d for d in self.searcher.reader().all_doc_ids() if self.meta[d] is not None)

    def score(self, terms: list[tuple[str, str, float]], allowed: set[int],
              limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best of ``allowed`` by BM25F over the weighted terms, best first."""
        if not allowed or limit <= 0:
            return []
        query = Or([Term(f, t, boost=b) for f, t, b in terms])
        results = self.searcher.search(query, filter=allowed, limit=limit)
        scored = [(docnum, score) for score, docnum in results.top_n]
        if len(scored) < min(limit, len(allowed)):
            # Documents matched only through a synonym may have no scoring term: keep them.
            seen = {d for d, _ in scored}
            scored += sorted((d, 0.0) for d in allowed if d not in seen)[:limit - len(scored)]
        return scored

    def prefix_docs(self, words: list[str], prefix: str, limit: int) -> list[tuple[int, float]]:
        """Documents whose names contain ``words`` and a word starting with ``prefix``."""
        parts = [Term("name", w) for w in words]
        if prefix:
            parts.append(Prefix("name", prefix))
        if not parts:
            return []
        results = self.searcher.search(And(parts), limit=limit)
        return [(docnum, score) for score, docnum in results.top_n]

    def pids(self) -> set[int]:
        return {self.meta[d].pid for d in self.live_docs()}

    def updated(self) -> dict[int, int]:
        return {m.pid: m.updated for d in self.live_docs() if (m := self.meta[d])}


def open_view(root: Path) -> View:
    """A new view of the live generation, for one-off use (the caller closes it)."""
    ix = open_index(root)
    try:
        return View(root, Path(ix.storage.folder), ix)
    except Exception as exc:  # damaged segment files surface here, not in open_dir
        raise IndexUnavailable(f"cannot read {root}: {exc!r}") from exc


class Views:
    """Per process: the current ``View`` of each index root, refreshed when the index changed."""

    def __init__(self) -> None:
        self._views: dict[Path, tuple[View, float]] = {}
        self._retired: list[tuple[View, float]] = []
        self._lock = threading.Lock()

    def get(self, root: Path) -> View:
        """The live view (raises IndexUnavailable); at most CHECK_SECONDS out of date."""
        now = time.monotonic()
        entry = self._views.get(root)
        if entry and now - entry[1] < CHECK_SECONDS:
            return entry[0]
        with self._lock:
            entry = self._views.get(root)
            if entry and entry[0].up_to_date():
                self._views[root] = (entry[0], now)
                return entry[0]
            view = open_view(root)
            self._views[root] = (view, now)
            if entry:
                self._retired.append((entry[0], now))
            self._close_retired(now)
            return view

    def invalidate(self, root: Path) -> None:
        """Look for a newer index on the next ``get`` (after this process wrote one)."""
        with self._lock:
            if root in self._views:
                self._views[root] = (self._views[root][0], 0.0)

    def drop(self, root: Path) -> None:
        with self._lock:
            entry = self._views.pop(root, None)
            if entry:
                self._retired.append((entry[0], time.monotonic()))

    def _close_retired(self, now: float) -> None:
        keep = []
        for view, since in self._retired:
            if now - since > RETIRE_SECONDS:
                view.close()
            else:
                keep.append((view, since))
        self._retired = keep
        # Tests open many short-lived indexes in one process: bound the number kept open.
        while len(self._views) > 8:
            oldest = next(iter(self._views))
            self._retired.append((self._views.pop(oldest)[0], now))


views = Views()
