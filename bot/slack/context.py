"""What every listener needs, injected into Bolt's ``context`` by one middleware: the
services (``bot.services``) and the state only the Slack app keeps."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.services import Services
from bot.slack import sealed


@dataclass(frozen=True)
class RememberedMessage:
    """Where a clicked item lives: a message (channel, ts) or a modal (``view_id``)."""

    blocks: list[dict[str, Any]]
    response_url: str
    ephemeral: bool
    view_id: str = ""


class Alarm:
    """When the admins were last told of a failure, so they are told at most once per
    ``every``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: datetime | None = None

    def due(self, now: datetime, every: timedelta) -> bool:
        """True (and remembered) when the last alert is older than ``every``, or none."""
        with self._lock:
            if self._last is not None and now - self._last <= every:
                return False
            self._last = now
            return True


@dataclass(frozen=True)
class Deps(Services):
    """The services, and what only the Slack app keeps."""

    # Seals modal metadata (bot.slack.sealed); runtime derives it from the bot token.
    metadata_key: bytes = field(default_factory=lambda: sealed.key_from(None))
    storage_alarm: Alarm = field(default_factory=Alarm)  # the disk failed: admins told
    # Messages whose buttons opened a modal: the modal's submission edits them in place.
    _messages: OrderedDict[tuple[str, str, str], RememberedMessage] = field(
        default_factory=OrderedDict
    )

    def __deepcopy__(self, memo: dict[int, Any]) -> Deps:
        """The same services: Bolt deep-copies the context for lazy listeners, and a copy
        of the store, its lock or the caches would be wrong (and slow to attempt)."""
        return self

    def remember_message(
        self, user_id: str, channel: str, ts: str, message: RememberedMessage
    ) -> None:
        """The message whose button ``user_id`` clicked to open a modal (its submission
        edits it); only that user's submission can recall it."""
        with self._lock:
            self._messages[(user_id, channel, ts)] = message
            while len(self._messages) > 500:
                self._messages.popitem(last=False)

    def recall_message(self, user_id: str, channel: str, ts: str) -> RememberedMessage | None:
        with self._lock:
            return self._messages.pop((user_id, channel, ts), None)
