"""Shared rendering between surfaces: a deal's facts and its advice as Slack blocks."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.analysis.analyse import Advice, DealFacts, Snapshot, deal_facts, view_context
from bot.slack import blocks
from bot.slack.context import Deps
from rules.model import Deal
from rules.questions import QuestionContext

log = logging.getLogger(__name__)


def facts(deps: Deps, snap: Snapshot, deal: Deal) -> DealFacts:
    """The deal's facts: from its card when it is flagged, else from its view."""
    card = snap.cards.get(deal.id)
    if card is not None:
        return card.facts
    return deal_facts(deps.view(snap, deal), snap.pipeline, snap.as_of)


def question_context(deps: Deps, snap: Snapshot, deal: Deal) -> QuestionContext:
    """What the deal's questions are filled with: from its card, else from its view."""
    card = snap.cards.get(deal.id)
    return card.context if card is not None else view_context(deps.view(snap, deal), snap.as_of)


def with_questions(
    deps: Deps, snap: Snapshot, items: tuple[Advice, ...], count: int
) -> tuple[Advice, ...]:
    """The deal's advice with freshly rotated questions, recorded as shown on a worker (a
    reply never waits for that write: it only steers which questions come next)."""
    out = []
    shown: list[tuple[str, str, str]] = []
    for a in items:
        picked = deps.questions(snap, a, count)
        shown += [(a.finding.deal.id, a.finding.pattern, q.id) for q, _ in picked]
        out.append(Advice(a.finding, tuple(picked)))
    deps.workers.submit(_note_shown, deps, shown, deps.clock())
    return tuple(out)


def _note_shown(deps: Deps, shown: list[tuple[str, str, str]], when: datetime) -> None:
    try:
        deps.store.note_questions_shown(shown, when)
    except Exception as exc:  # rotation only: the next view may repeat a question
        log.warning("could not record the questions shown: %s", exc)


def deal_message(deps: Deps, snap: Snapshot, deal: Deal) -> list[dict[str, Any]]:
    card = snap.cards.get(deal.id)
    count = deps.config.nudges.questions_per_finding
    return blocks.deal_blocks(
        with_questions(deps, snap, card.advice if card else (), count),
        facts(deps, snap, deal),
        questions_per_finding=count,
    )


def owner_names(snap: Snapshot) -> Mapping[str, str]:
    return snap.pipeline.owner_labels
