"""stalled-in-stage: far longer in the current stage than deals usually spend there."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Evidence, Finding, Pattern, Tuning, ramp, threshold
from rules.model import Input


@dataclass(frozen=True)
class Params:
    factor: float = threshold(2.0, "limit = this x the pipeline's median days in the stage...")
    min_days: int = threshold(60, "...but never below this")
    fallback_days: int = threshold(
        90, "limit when the stage has too few completed stays to measure"
    )
    min_samples: int = threshold(5, "completed stays needed before the median is trusted")


class StalledInStage(Pattern[Params]):
    code = "stalled-in-stage"
    title = "Stalled in stage"
    why = (
        "Deals move through a stage at a rhythm set by the buyer's own process. One that sits "
        "far past that rhythm is usually stuck on something inside the buyer's organisation "
        "that the rep has not heard about yet."
    )
    example = "In Proposal/Price Quote for 160 days; this pipeline's deals usually leave it in 35."
    params_type = Params
    tuning = Tuning("factor", 0.5, 5.0)
    requires = (Input.STAGE_HISTORY,)

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        if view.stage_entered is None:
            return None  # no history: stage age unknown (state history fills this in)
        days = (ctx.as_of - view.stage_entered).days
        stage = view.deal.stage
        samples = ctx.stage_samples.get(stage, 0)
        if samples >= p.min_samples:
            norm = ctx.stage_medians[stage]
            limit = max(round(norm * p.factor), p.min_days)
            basis = f"{p.factor:g}x this pipeline's median of {norm:.0f}"
        else:
            limit = p.fallback_days
            basis = "default"
        if days <= limit:
            return None
        summary = f"in {stage or 'its stage'} for {days} days (limit {limit}, {basis})"
        evidence = [Evidence(view.stage_entered, f"entered {stage}", "history")]
        evidence += [t.evidence() for t in view.past[-3:]]
        return self.finding(view, ramp(days, limit, 3), summary, evidence)
