"""Per process: the current view of each index directory, refreshed when the index changed.

Readers keep one long-lived searcher and look for a newer index at most every
``CHECK_SECONDS`` (a directory listing and a small file read), so a change synced by any
process is seen by every worker within a second.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from app.search.backend import View, open_view

CHECK_SECONDS = 0.2  # how stale a worker's searcher may be before it looks for a newer index
RETIRE_SECONDS = 30.0  # old searchers stay open this long, for requests still using them


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
