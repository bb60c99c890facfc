"""The current findings snapshot, swapped whole on each refresh (readers never see half)."""

from __future__ import annotations

import threading
from datetime import datetime

from bot.analysis import Snapshot


class SnapshotHolder:
    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self._lock = threading.Lock()
        self._snapshot = snapshot
        self.loaded_at: datetime | None = None
        self.last_error: str = ""

    @property
    def current(self) -> Snapshot | None:
        with self._lock:
            return self._snapshot

    def swap(self, snapshot: Snapshot, at: datetime | None = None) -> None:
        with self._lock:
            self._snapshot = snapshot
            self.loaded_at = at
            self.last_error = ""

    def failed(self, reason: str) -> None:
        """Record a failed refresh; the last good snapshot keeps serving."""
        with self._lock:
            self.last_error = reason
