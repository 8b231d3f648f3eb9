"""The Whoosh backend: the only module that imports whoosh.

On disk, ``SEARCH_INDEX_DIR`` holds index *generations* (``gen-…`` directories) and a
``CURRENT`` file naming the live one; a rebuild writes a new generation and replaces
``CURRENT`` atomically. Inside a generation, Whoosh's own single-writer lock (``WRITELOCK``,
an fcntl lock, so it works across processes and dies with a killed process) serialises
writes; ``open_writer`` never waits for it. A hidden document (pid ``__seq__``) stores how far
the change sequence has been applied, committed atomically with the changes themselves.

A ``View`` is one open searcher with what search derives from it (meta column, posting
lists as bitsets); ``readers`` keeps the current view per process.
"""

from __future__ import annotations

import io
import os
import shutil
import time
import uuid
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import cast

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.filedb.structfile import StructFile
from whoosh.scoring import bm25
from whoosh.util.filelock import FileLock

from app.search import bits
from app.search.documents import Meta
from app.search.plan import Lexicon
from app.search.postings import LeafPostings, Postings, segment_cache

POINTER = "CURRENT"
SEQ_ID = "__seq__"


def _text() -> TEXT:
    # Terms are folded before indexing (see documents.py): splitting on spaces is all that's left.
    return TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)


SCHEMA = Schema(pid=ID(unique=True), code=ID(), name=_text(), name_x=_text(), kw=_text(),
                body=_text(), all=_text(), meta=COLUMN(VarBytesColumn()), seq=STORED())
# BM25F parameters. Names are short and their length says little: a long official name
# should not sink, so length matters less there (smaller B).
K1 = 1.2
FIELD_B = {"name": 0.3, "name_x": 0.3, "kw": 0.4, "body": 0.75, "all": 0.75}


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


@contextmanager
def _damaged(message: str) -> Iterator[None]:
    """Turn any error into IndexUnavailable. Whoosh leaves a file open when it meets a
    damaged one: close the files its failing frames held, rather than leak them."""
    try:
        yield
    except Exception as exc:  # damage raises anything from EOFError to ValueError
        tb = exc.__traceback__
        while tb is not None:
            for value in list(tb.tb_frame.f_locals.values()):
                if isinstance(value, StructFile | io.IOBase):
                    with suppress(Exception):
                        value.close()
            tb = tb.tb_next
        raise IndexUnavailable(f"{message}: {exc!r}") from None


def open_index(root: Path):
    path = current_path(root)
    if path is None:
        raise IndexUnavailable(f"no search index in {root}")
    with _damaged(f"cannot open {path}"):
        return whoosh_index.open_dir(str(path))


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

def _read_postings(leaf, fieldname: str, text: str) -> tuple[LeafPostings, int]:
    ids, weights = array("I"), array("f")
    if (fieldname, text) in leaf:
        matcher = leaf.postings(fieldname, text)
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return LeafPostings(bits.from_ids(ids), ids, weights), len(ids) + 8


def _read_meta(leaf) -> tuple[list[Meta | None], int]:
    column = leaf.column_reader("meta", translate=False) if leaf.has_column("meta") else []
    decoded = [Meta.decode(raw) for raw in column] or [None] * leaf.doc_count_all()
    return decoded, 20 * len(decoded)


class View(Lexicon):
    """One open searcher and what is derived from it, shared by a process's threads.

    Documents are global doc numbers; sets of them are ``bits`` integers. Only documents in
    ``live`` exist (not deleted, not the sequence document).
    """

    def __init__(self, root: Path, path: Path, ix) -> None:
        self.root, self.path, self.ix = root, path, ix
        self.searcher = ix.searcher()
        try:
            self._load()
        except BaseException:
            self.searcher.close()  # a damaged segment fails here: leave no file open
            raise

    def _load(self) -> None:
        self.leaves = [(leaf, offset) for leaf, offset in self.searcher.reader().leaf_readers()
                       if leaf.segment() is not None]  # an empty index has no segments
        self.meta: list[Meta | None] = []
        for leaf, _offset in self.leaves:
            self.meta.extend(segment_cache.fetch(self._key(leaf, "meta"),
                                                  lambda leaf=leaf: _read_meta(leaf)))
        deleted = [offset + d for leaf, offset in self.leaves if leaf.has_deletions()
                   for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)]
        self.live = bits.from_ids(d for d, m in enumerate(self.meta) if m) & ~bits.from_ids(
            deleted)
        self._postings: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._lengths: dict[tuple[int, str], int] = {}
        self._stats: dict[tuple[str, str, str], float] = {}
        self.derived: dict[str, object] = {}  # other per-view caches, filled by their users

    def live_meta(self, doc: int) -> Meta:
        """The meta of a live document (every live document has one, by ``_load``)."""
        meta = self.meta[doc]
        if meta is None:
            raise IndexUnavailable(f"document {doc} has no meta column")
        return meta

    def _key(self, leaf, *parts: str) -> tuple:
        return (str(self.path), leaf.segment().segment_id(), *parts)

    def up_to_date(self) -> bool:
        return current_path(self.root) == self.path and self.searcher.up_to_date()

    def close(self) -> None:
        self.searcher.close()

    # Lexicon, for typo correction
    def df(self, word: str) -> int:
        words = cast("set[str] | None", self.derived.get("words"))
        if words is None:  # one pass over the vocabulary beats hundreds of lookups per typo
            words = self.derived["words"] = {
                t.decode("utf-8") for t in self.searcher.reader().lexicon("all")}
        return self.searcher.doc_frequency("all", word) if word in words else 0

    def pair_df(self, pair: str) -> int:
        return self.searcher.doc_frequency("name", pair) + self.searcher.doc_frequency("kw", pair)

    def postings(self, fieldname: str, text: str) -> Postings:
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is None:
            found = Postings([(offset, segment_cache.fetch(
                self._key(leaf, fieldname, text),
                lambda leaf=leaf: _read_postings(leaf, fieldname, text)))
                for leaf, offset in self.leaves])
            self._postings[key] = found
            while len(self._postings) > 4096:
                self._postings.popitem(last=False)
        return found

    def docs(self, fieldname: str, text: str) -> int:
        return self.postings(fieldname, text).bits

    def weight(self, fieldname: str, text: str) -> float:
        """A term's idf (Whoosh's), for telling rare words from common ones."""
        key = ("idf", fieldname, text)
        found = self._stats.get(key)
        if found is None:
            found = self._stats[key] = self.searcher.idf(fieldname, text)
        return found

    def _average_length(self, fieldname: str) -> float:
        key = ("avg", fieldname, "")
        found = self._stats.get(key)
        if found is None:
            found = self._stats[key] = self.searcher.avg_field_length(fieldname) or 1.0
        return found

    def scores(self, terms: list[tuple[str, str, float]], docs: list[int]) -> dict[int, float]:
        """Exact BM25F scores (Whoosh's formula and statistics) of a few documents."""
        out = dict.fromkeys(docs, 0.0)
        wanted = bits.from_ids(docs)
        for fieldname, text, boost in terms:
            postings = self.postings(fieldname, text)
            hits = bits.to_ids(postings.bits & wanted)
            if not hits:
                continue
            idf, avg = self.weight(fieldname, text), self._average_length(fieldname)
            b = FIELD_B.get(fieldname, 0.75)
            for doc in hits:
                out[doc] += boost * bm25(idf, postings.tf(doc), self._length(doc, fieldname),
                                         avg, b, K1)
        return out

    def _length(self, doc: int, fieldname: str) -> int:
        key = (doc, fieldname)
        if key not in self._lengths:
            self._lengths[key] = self.searcher.doc_field_length(doc, fieldname, 1)
        return self._lengths[key]

    def prefix_terms(self, fieldname: str, prefix: str, limit: int = 64) -> list[str]:
        """Terms of a field starting with ``prefix``, at most ``limit`` of them."""
        out = []
        for term in self.searcher.reader().expand_prefix(fieldname, prefix):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            if "_" not in text:  # word pairs add nothing the words do not
                out.append(text)
                if len(out) >= limit:
                    break
        return out


def open_view(root: Path) -> View:
    """A new view of the live generation, for one-off use (the caller closes it)."""
    ix = open_index(root)
    with _damaged(f"cannot read {root}"):  # damaged segments surface here, not in open_dir
        return View(root, Path(ix.storage.folder), ix)
