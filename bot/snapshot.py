"""The current findings snapshot, swapped whole on each refresh (readers never see half)."""

from __future__ import annotations

import threading
from datetime import datetime

from bot.analysis import Snapshot
from bot.search import DealIndex


class SnapshotHolder:
    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self._lock = threading.Lock()
        self._snapshot = snapshot
        self._index: tuple[Snapshot, DealIndex] | None = None
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

    def swap(self, snapshot: Snapshot, at: datetime | None = None) -> None:
        index = DealIndex(snapshot.pipeline.deals)  # before the swap: readers never wait
        with self._lock:
            self._index = (snapshot, index)
            self._snapshot = snapshot
            self.loaded_at = at
            self.last_error = ""

    def failed(self, reason: str) -> None:
        """Record a failed refresh; the last good snapshot keeps serving."""
        with self._lock:
            self.last_error = reason
