"""From a loaded export to a findings snapshot: the one place that runs the rules.

The snapshot is immutable; the Slack app and the jobs read it, and a refresh swaps in a
new one whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.appconfig import load_app_config
from bot.ingest.coverage import coverage_lines, coverage_note
from bot.ingest.loader import LoadResult
from rules.base import DealView, Finding
from rules.config import Config
from rules.engine import evaluate
from rules.lexicon import default_lexicon
from rules.model import Deal, Pipeline
from rules.questions import Question, QuestionBank, QuestionContext, default_questions, render

QUESTIONS_PER_FINDING = 2


def read_config(path: Path | None) -> Config:
    """The rules part of dealnudge.toml, validated together with the app's sections."""
    return load_app_config(path).rules


@dataclass(frozen=True)
class Advice:
    """A finding with the facilitation questions chosen for it, rendered for this deal."""

    finding: Finding
    questions: tuple[tuple[Question, str], ...]


@dataclass(frozen=True, slots=True)
class DealFacts:
    """The facts shown at the top of a deal: who owns it, how long it has been open, when
    the buyer last responded, and its next step (or the first planned activity)."""

    deal: Deal
    owner_name: str
    days_open: int | None
    last_buyer_response: date | None
    next_step: str


@dataclass(frozen=True, slots=True)
class DealCard:
    """One flagged deal as every surface shows it, built once from the view ``evaluate``
    made: its facts, its findings (most urgent first) and what its questions are filled
    with."""

    advice: tuple[Advice, ...]
    context: QuestionContext
    facts: DealFacts

    @property
    def deal(self) -> Deal:
        return self.facts.deal


@dataclass(frozen=True)
class Snapshot:
    as_of: date
    load: LoadResult
    advice: tuple[Advice, ...]
    cards: Mapping[str, DealCard] = field(default_factory=dict)  # deal id -> its card

    @property
    def pipeline(self) -> Pipeline:
        return self.load.pipeline

    @property
    def coverage_note(self) -> str:
        """One line saying what this export does not let dealnudge check ("" if nothing)."""
        return coverage_note(coverage_lines(self.load.pipeline, self.load.report))

    def flagged_deals(self) -> list[Deal]:
        """Deals with findings, most urgent first."""
        return [card.deal for card in self.cards.values()]


def owner_label(pipeline: Pipeline, deal: Deal) -> str:
    return pipeline.owner_labels.get(deal.owner_id, deal.owner_id)


def deal_facts(view: DealView, pipeline: Pipeline, as_of: date) -> DealFacts:
    """A deal's facts from its view."""
    deal = view.deal
    responses = [t.day for t in view.past if t.is_response]
    next_step = deal.next_step
    if not next_step and view.planned:
        first = view.planned[0]
        next_step = (
            f"{first.activity.subject or first.activity.kind.value} ({first.day.isoformat()})"
        )
    return DealFacts(
        deal=deal,
        owner_name=owner_label(pipeline, deal),
        days_open=view.age(as_of),
        last_buyer_response=responses[-1] if responses else None,
        next_step=next_step,
    )


def pick_questions(
    bank: QuestionBank,
    advice: Advice,
    context: QuestionContext,
    shown: Collection[str],
    count: int,
    weights: Mapping[str, float] | None = None,
) -> tuple[tuple[Question, str], ...]:
    """``count`` rotated questions for a finding (unseen first, proven ones ranked up by
    ``weights``), rendered with the deal's context: the one choice scan, /deal, the
    buttons, nudges and digests all make."""
    f = advice.finding
    picked = bank.pick(f.pattern, shown, count, seed=f.deal.id, weights=weights)
    return tuple((q, render(q, context)) for q in picked)


def view_context(view: DealView, as_of: date) -> QuestionContext:
    """What the questions' placeholders are filled with, from the deal's view."""
    contact = view.primary_contact
    age = view.age(as_of)
    return QuestionContext(
        first_name=contact.first_name if contact else "",
        account=view.deal.account,
        deal=view.deal.name,
        months_open=age // 30 if age is not None and age >= 60 else None,
    )


def analyse(
    load: LoadResult,
    config: Config,
    as_of: date,
    bank: QuestionBank | None = None,
    shown: Mapping[str, Collection[str]] | None = None,
) -> Snapshot:
    """Evaluate every pattern, keep a card per flagged deal and pick rotated questions;
    ``shown`` is per deal id."""
    questions = bank or default_questions()
    lexicon = config.lexicon or default_lexicon()
    pipeline = load.pipeline
    # Context and facts from the views evaluate built for flagged deals (keyed by Deal).
    seen: dict[int, tuple[QuestionContext, DealFacts]] = {}

    def remember(view: DealView) -> None:
        seen[id(view.deal)] = (view_context(view, as_of), deal_facts(view, pipeline, as_of))

    findings = evaluate(pipeline, config, as_of, lexicon, on_flagged=remember)
    advice: list[Advice] = []
    grouped: dict[str, list[Advice]] = defaultdict(list)
    for f in findings:
        context, _ = seen[id(f.deal)]
        bare = Advice(f, ())
        picked = pick_questions(
            questions, bare, context, (shown or {}).get(f.deal.id, ()), QUESTIONS_PER_FINDING
        )
        a = Advice(f, picked)
        advice.append(a)
        grouped[f.deal.id].append(a)
    cards = {
        deal_id: DealCard(tuple(items), *seen[id(items[0].finding.deal)])
        for deal_id, items in grouped.items()
    }
    return Snapshot(as_of, load, tuple(advice), cards)
