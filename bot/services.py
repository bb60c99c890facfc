"""What every part of a running bot shares, built once by ``bot.runtime``.

``Services`` holds the app config, the state, the snapshot being served, Slack's Web API
client, the people directory, the clock and the question bank, with the few answers the
Slack surfaces and the deliveries both need (who is asking, a deal's view, which questions
to show). The Slack app extends it with what only Slack keeps (``bot.slack.context.Deps``).
May import ``rules``, ``bot.state``, ``bot.analysis`` and the app config.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.analysis.analyse import Advice, Snapshot, pick_questions
from bot.analysis.snapshot import SnapshotHolder
from bot.appconfig import AppConfig
from bot.state import Store
from bot.state.access import Viewer, resolve_viewer
from bot.state.feedback import question_weights
from bot.state.people import PeopleDirectory
from rules.base import DealView, build_view
from rules.lexicon import Lexicon, default_lexicon
from rules.model import Deal
from rules.questions import Question, QuestionBank, default_questions


@dataclass(frozen=True)
class Services:
    config: AppConfig
    store: Store
    snapshots: SnapshotHolder
    client: WebClient
    people: PeopleDirectory
    clock: Callable[[], datetime]
    bank: QuestionBank = field(default_factory=default_questions)
    # Set on shutdown (or when this process stops leading the scheduler): a batch of sends
    # stops before its next recipient, who is sent to on the next run.
    stopping: threading.Event = field(default_factory=threading.Event)
    # Where work runs after Slack has its answer (Bolt's lazy listeners use it too).
    workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=10, thread_name_prefix="listener")
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # pattern -> (store generation, question weights): feedback is re-read only after writes
    _weights: dict[str, tuple[tuple[object, ...], dict[str, float]]] = field(default_factory=dict)

    @cached_property
    def lexicon(self) -> Lexicon:
        return self.config.rules.lexicon or default_lexicon()

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
