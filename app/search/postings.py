"""Where terms occur, decoded once: per-segment caches and whole-index posting lists.

Pure Python over ``bits``; ``backend`` fills these from Whoosh's segments.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass


class Budget(OrderedDict):
    """An LRU mapping bounded by the total ``size`` of its values (segment caches)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit, self.used, self.lock = limit, 0, threading.Lock()

    def fetch(self, key, build):
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key][0]
        value, size = build()
        with self.lock:
            if key not in self:
                self[key] = (value, size)
                self.used += size
            while self.used > self.limit and len(self) > 1:
                self.used -= self.popitem(last=False)[1][1]
        return value


# Segments never change (deletions are masked separately), so what is decoded from one
# stays valid across index versions: after a publish only the new small segment is read.
segment_cache = Budget(limit=4_000_000)


@dataclass(frozen=True)
class LeafPostings:
    bits: int
    ids: array
    weights: array


class Postings:
    """Where a term occurs in the whole index: a document set, and its frequency per document."""

    def __init__(self, parts: list[tuple[int, LeafPostings]]) -> None:
        self.parts = parts
        self.offsets = [offset for offset, _ in parts]
        self.bits = 0
        for offset, leaf in parts:
            self.bits |= leaf.bits << offset

    def tf(self, doc: int) -> float:
        if not self.parts:
            return 0.0
        offset, leaf = self.parts[max(0, bisect_right(self.offsets, doc) - 1)]
        i = bisect_left(leaf.ids, doc - offset)
        return leaf.weights[i] if i < len(leaf.ids) and leaf.ids[i] == doc - offset else 0.0
