"""The current findings snapshot, swapped whole on each refresh (readers never see half)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from bot.analysis.analyse import Snapshot
from bot.analysis.search import DealIndex
from rules.base import DealView

VIEWS_KEPT = 256  # deal views kept for the replies under way (a few KB each)


class SnapshotHolder:
    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self._lock = threading.Lock()
        self._snapshot = snapshot
        self._index: tuple[Snapshot, DealIndex] | None = None
        # deal id -> its view in the current snapshot; emptied on a swap, so an old
        # snapshot is never kept alive by it
        self._views: OrderedDict[str, tuple[Snapshot, DealView]] = OrderedDict()
        self.loaded_at: datetime | None = None
        self.last_error: str = ""
        self.draining = False  # shutting down: health checks fail so no new work comes

    @property
    def current(self) -> Snapshot | None:
        with self._lock:
            return self._snapshot

    def index(self, snapshot: Snapshot) -> DealIndex:
        """The search index of ``snapshot`` (built once, on the swap or the first search)."""
        with self._lock:
            if self._index is not None and self._index[0] is snapshot:
                return self._index[1]
        built = DealIndex(snapshot.pipeline.deals)
        with self._lock:
            if self._snapshot is snapshot:
                self._index = (snapshot, built)
        return built

    def view(self, snapshot: Snapshot, deal_id: str, build: Callable[[], DealView]) -> DealView:
        """A deal's view in ``snapshot`` (``build`` makes it), kept for the next request
        while ``snapshot`` is the current one."""
        with self._lock:
            hit = self._views.get(deal_id)
            if hit is not None and hit[0] is snapshot:
                self._views.move_to_end(deal_id)
                return hit[1]
        view = build()
        with self._lock:
            if snapshot is self._snapshot:
                self._views[deal_id] = (snapshot, view)
                while len(self._views) > VIEWS_KEPT:
                    self._views.popitem(last=False)
        return view

    def swap(self, snapshot: Snapshot, at: datetime | None = None) -> None:
        index = DealIndex(snapshot.pipeline.deals)  # before the swap: readers never wait
        with self._lock:
            old = self._snapshot, self._index, list(self._views.values())
            self._index = (snapshot, index)
            self._views.clear()
            self._snapshot = snapshot
            self.loaded_at = at
            self.last_error = ""
        del old  # the old snapshot is freed here, outside the lock readers take

    def failed(self, reason: str) -> None:
        """Record a failed refresh; the last good snapshot keeps serving."""
        with self._lock:
            self.last_error = reason
