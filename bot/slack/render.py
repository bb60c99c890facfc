"""Shared rendering between surfaces: a deal's facts and its advice as Slack blocks."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.analysis.analyse import Advice, Snapshot
from bot.reports.scan import owner_label
from bot.slack import blocks
from bot.slack.context import Deps
from rules.model import Deal

log = logging.getLogger(__name__)


def deal_facts(deps: Deps, snap: Snapshot, deal: Deal) -> blocks.DealFacts:
    view = deps.view(snap, deal)
    responses = [t.day for t in view.past if t.is_response]
    next_step = deal.next_step
    if not next_step and view.planned:
        first = view.planned[0]
        next_step = (
            f"{first.activity.subject or first.activity.kind.value} ({first.day.isoformat()})"
        )
    return blocks.DealFacts(
        deal=deal,
        owner_name=owner_label(snap.pipeline, deal),
        days_open=view.age(snap.as_of),
        last_buyer_response=responses[-1] if responses else None,
        next_step=next_step,
    )


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
    items = snap.by_deal.get(deal.id, ())
    count = deps.config.nudges.questions_per_finding
    return blocks.deal_blocks(
        with_questions(deps, snap, items, count),
        deal_facts(deps, snap, deal),
        questions_per_finding=count,
    )


def owner_names(snap: Snapshot) -> Mapping[str, str]:
    return snap.pipeline.owner_labels
