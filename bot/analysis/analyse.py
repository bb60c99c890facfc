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
from rules.base import DealView, Finding, build_view
from rules.config import Config
from rules.engine import evaluate
from rules.lexicon import Lexicon, load_lexicon
from rules.model import Deal, Pipeline
from rules.questions import Question, QuestionBank, QuestionContext, load_questions, render

QUESTIONS_PER_FINDING = 2


def read_config(path: Path | None) -> Config:
    """The rules part of dealnudge.toml, validated together with the app's sections."""
    return load_app_config(path).rules


@dataclass(frozen=True)
class Advice:
    """A finding with the facilitation questions chosen for it, rendered for this deal."""

    finding: Finding
    questions: tuple[tuple[Question, str], ...]


@dataclass(frozen=True)
class Snapshot:
    as_of: date
    load: LoadResult
    advice: tuple[Advice, ...]
    by_deal: Mapping[str, tuple[Advice, ...]] = field(default_factory=dict)

    @property
    def pipeline(self) -> Pipeline:
        return self.load.pipeline

    @property
    def coverage_note(self) -> str:
        """One line saying what this export does not let dealnudge check ("" if nothing)."""
        return coverage_note(coverage_lines(self.load.pipeline, self.load.report))

    def flagged_deals(self) -> list[Deal]:
        """Deals with findings, most urgent first."""
        return [items[0].finding.deal for items in self.by_deal.values()]


def question_context(
    pipeline: Pipeline, deal: Deal, as_of: date, lexicon: Lexicon
) -> QuestionContext:
    return view_context(build_view(pipeline, deal, as_of, lexicon), as_of)


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
    """Evaluate every pattern and pick rotated questions; ``shown`` is per deal id."""
    questions = bank or load_questions()
    lexicon = config.lexicon or load_lexicon()
    # The views evaluate built for flagged deals, reused (keyed by the Deal object).
    flagged: dict[int, QuestionContext] = {}

    def remember(view: DealView) -> None:
        flagged[id(view.deal)] = view_context(view, as_of)

    findings = evaluate(load.pipeline, config, as_of, lexicon, on_flagged=remember)
    contexts: dict[str, QuestionContext] = {}
    advice: list[Advice] = []
    for f in findings:
        ctx = contexts.get(f.deal.id)
        if ctx is None:
            ctx = flagged.get(id(f.deal))
            if ctx is None:
                ctx = question_context(load.pipeline, f.deal, as_of, lexicon)
            contexts[f.deal.id] = ctx
        picked = questions.pick(
            f.pattern, (shown or {}).get(f.deal.id, ()), QUESTIONS_PER_FINDING, seed=f.deal.id
        )
        advice.append(Advice(f, tuple((q, render(q, ctx)) for q in picked)))
    grouped: dict[str, list[Advice]] = defaultdict(list)
    for a in advice:
        grouped[a.finding.deal.id].append(a)
    return Snapshot(as_of, load, tuple(advice), {k: tuple(v) for k, v in grouped.items()})
