"""convincing-mode: more pitches and material while the buyer does no work of their own."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Finding, Pattern, Tuning, ramp, threshold
from rules.model import Input


@dataclass(frozen=True)
class Params:
    window_days: int = threshold(90, "look at the deal's activity in this many days before as-of")
    min_pitches: int = threshold(
        3, 'decks, case studies, pricing, discounts, "more info" in the window'
    )


class ConvincingMode(Pattern[Params]):
    code = "convincing-mode"
    title = "Convincing mode"
    why = (
        "Decks, case studies and discounts answer questions the buyer has not asked yet. "
        "People do not get convinced into a change they have not decided they need; each new "
        "piece of material is the rep pushing against a system that is, for now, fine."
    )
    example = (
        "ROI deck, two case studies and a discount offer in ten weeks; no reply beyond 'thanks'."
    )
    params_type = Params
    tuning = Tuning("min_pitches", 1, 8)
    requires = (Input.ACTIVITY_TEXT,)
    improved_by = (Input.ACTIVITY_NOTES,)
    needs_time = False

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        recent = view.within(ctx.as_of, p.window_days)
        if any(t.is_buyer_work for t in recent):
            return None
        pitches = [t for t in recent if t.is_pitch]
        if len(pitches) < p.min_pitches:
            return None
        summary = (
            f"{len(pitches)} pitches or materials sent in {p.window_days} days "
            f"(limit {p.min_pitches}) and no buyer-side work"
        )
        return self.finding(
            view, ramp(len(pitches), p.min_pitches, 2.5), summary,
            (t.evidence() for t in pitches[-5:]),
        )  # fmt: skip
