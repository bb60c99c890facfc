"""What every listener needs, injected into Bolt's ``context`` by one middleware."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.analysis.analyse import Advice, Snapshot, pick_questions
from bot.analysis.snapshot import SnapshotHolder
from bot.appconfig import AppConfig
from bot.slack import sealed
from bot.state import Store
from bot.state.access import Viewer, resolve_viewer
from bot.state.feedback import question_weights
from bot.state.people import PeopleDirectory
from rules.base import DealView, build_view
from rules.lexicon import Lexicon, load_lexicon
from rules.model import Deal
from rules.questions import Question, QuestionBank, load_questions


@dataclass(frozen=True)
class RememberedMessage:
    """Where a clicked item lives: a message (channel, ts) or a modal (``view_id``)."""

    blocks: list[dict[str, Any]]
    response_url: str
    ephemeral: bool
    view_id: str = ""


@dataclass
class Deps:
    config: AppConfig
    store: Store
    snapshots: SnapshotHolder
    client: WebClient
    people: PeopleDirectory
    clock: Callable[[], datetime]
    bank: QuestionBank = field(default_factory=load_questions)
    storage_alerted: datetime | None = None  # when admins were last told the disk failed
    # Seals modal metadata (bot.slack.sealed); runtime derives it from the bot token.
    metadata_key: bytes = field(default_factory=lambda: sealed.key_from(None))
    # Set on shutdown (or when this process stops leading the scheduler): a batch of sends
    # stops before its next recipient, who is sent to on the next run.
    stopping: threading.Event = field(default_factory=threading.Event)
    # Where listeners' work runs after the ack (Bolt's lazy listeners use it too).
    workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=10, thread_name_prefix="listener")
    )
    _lexicon: Lexicon | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # pattern -> (store generation, question weights): feedback is re-read only after writes
    _weights: dict[str, tuple[tuple[object, ...], dict[str, float]]] = field(default_factory=dict)
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

    @property
    def lexicon(self) -> Lexicon:
        with self._lock:
            if self._lexicon is None:
                self._lexicon = self.config.rules.lexicon or load_lexicon()
            return self._lexicon

    def today(self, tz: str = "") -> date:
        now = self.clock()
        if tz:
            try:
                return now.astimezone(ZoneInfo(tz)).date()
            except (KeyError, ValueError):
                pass
        return now.date()

    def viewer(self, user_id: str, snap: Snapshot, *, remote: bool = True) -> Viewer:
        return resolve_viewer(user_id, snap.pipeline, self.people, self.config, remote=remote)

    def team(self, snap: Snapshot, deal: Deal) -> str:
        """The configured team of the deal's owner ("" when none)."""
        return self.config.rules.team_of(snap.pipeline.owner_index.get(deal.owner_id))

    def view(self, snap: Snapshot, deal: Deal) -> DealView:
        """The deal's view in ``snap``, built once for the requests that ask in a row."""
        return self.snapshots.view(
            snap, deal.id, lambda: build_view(snap.pipeline, deal, snap.as_of, self.lexicon)
        )

    def questions(
        self, snap: Snapshot, advice: Advice, count: int
    ) -> tuple[tuple[Question, str], ...]:
        """Rotated questions for a finding: unseen ones first, proven ones ranked up, filled
        from the deal's card (no view is built)."""
        deal_id, pattern = advice.finding.deal.id, advice.finding.pattern
        card = snap.cards.get(deal_id)
        if card is None:  # the finding is not in this snapshot: nothing to fill it from
            return ()
        shown = self.store.questions_shown(deal_id)
        with self._lock:
            cached = self._weights.get(pattern)
        generation = self.store.generation("feedback", "deal_changes")
        if cached is None or cached[0] != generation:
            cached = (generation, question_weights(self.store, pattern))
            with self._lock:
                self._weights[pattern] = cached
        return pick_questions(self.bank, advice, card.context, shown, count, cached[1])
