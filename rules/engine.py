"""The pattern engine: every registered pattern over every open deal's view.

``evaluate(pipeline, config, as_of)`` is a pure function: the same inputs give the same
findings. Every activity is classified once (``rules.base.build_view``) and the
classification is shared by all patterns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from statistics import median

from rules.base import Context, DealView, Finding, build_views, stage_stints
from rules.config import Config
from rules.coverage import Coverage, coverage
from rules.lexicon import Lexicon, default_lexicon
from rules.model import Input, Pipeline
from rules.patterns import REGISTRY


def stage_norms(pipeline: Pipeline, as_of: date) -> tuple[dict[str, float], dict[str, int]]:
    """Median days a deal spends in each stage, from every deal's history."""
    stints: dict[str, list[int]] = defaultdict(list)
    for entries in pipeline.history_by_deal.values():
        for stage, days in stage_stints(tuple(h for h in entries if h.date <= as_of)):
            stints[stage].append(days)
    return ({s: float(median(v)) for s, v in stints.items()},
            {s: len(v) for s, v in stints.items()})  # fmt: skip


def evaluate(
    pipeline: Pipeline,
    config: Config,
    as_of: date,
    lexicon: Lexicon | None = None,
    on_flagged: Callable[[DealView], None] | None = None,
) -> list[Finding]:
    """Every finding of every enabled pattern on every open deal, most urgent first.

    ``on_flagged`` is called with the view of each deal that has findings, so a caller
    needing more from those views does not build them again.
    """
    lex = lexicon or config.lexicon or default_lexicon()
    medians, samples = stage_norms(pipeline, as_of)
    ctx = Context(as_of, lex, config.new_deal_days, medians, samples, pipeline.inputs)
    runnable = [
        REGISTRY[c.pattern] for c in export_coverage(pipeline.inputs) if c.evaluated != "no"
    ]
    findings: list[Finding] = []
    for view in build_views(pipeline, as_of, lex):
        team = config.team_of(view.owner)
        age = view.age(as_of)
        before = len(findings)
        for pattern in runnable:
            params = config.params(pattern.code, team=team, stage=view.deal.stage)
            if params is None:
                continue
            if pattern.needs_time and (age is None or age < ctx.new_deal_days):
                continue
            found = pattern.detect(view, ctx, params)
            if found is not None:
                findings.append(found)
        if on_flagged is not None and len(findings) > before:
            on_flagged(view)
    findings.sort(key=rank_key)
    return findings


def export_coverage(inputs: frozenset[Input]) -> tuple[Coverage, ...]:
    """What an export carrying ``inputs`` lets each registered pattern check."""
    return coverage(REGISTRY, inputs)


def rank_key(f: Finding) -> tuple[float, float, str, str]:
    amount = f.deal.amount or 0.0
    return (-(f.severity * max(amount, 1.0)), -f.severity, f.deal.id, f.pattern)
