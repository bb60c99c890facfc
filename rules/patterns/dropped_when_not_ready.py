"""dropped-when-not-ready: the rep went quiet right after the buyer hesitated."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Finding, Pattern, Tuning, ramp, threshold
from rules.lexicon import Signal
from rules.model import Input


@dataclass(frozen=True)
class Params:
    min_silence_days: int = threshold(30, "nothing logged this long after the buyer hesitated")
    wrapup_days: int = threshold(
        14, 'a thank-you/recap within this many days of the "not yet" still counts as dropping'
    )


class DroppedWhenNotReady(Pattern[Params]):
    code = "dropped-when-not-ready"
    title = "Dropped when not ready"
    why = (
        "A buyer who says 'not yet' is still working through something. Going silent is the "
        "closer's failure: it tells them the rep only cared while a sale looked close. A "
        "question about what 'ready' would look like keeps the working relationship alive "
        "without pushing."
    )
    example = "'Maybe next year, too much going on' on 12 June; nothing logged since."
    params_type = Params
    tuning = Tuning("min_silence_days", 15, 120)
    requires = (Input.ACTIVITY_TEXT,)
    improved_by = (Input.ACTIVITY_NOTES,)
    needs_time = False

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        hesitations = [t for t in view.past if Signal.HESITATION in t.signals]
        if not hesitations or view.planned:
            return None
        last = hesitations[-1]
        after = [t for t in view.past if t.day > last.day or (t.day == last.day and t is not last)]
        # A thank-you or recap right after the "not yet" is how the rep signed off, not
        # staying in touch; anything later means the rep kept the conversation going.
        if any((t.day - last.day).days > p.wrapup_days for t in after):
            return None
        latest = after[-1].day if after else last.day
        silence = (ctx.as_of - latest).days
        if silence < p.min_silence_days:
            return None
        summary = (
            f"buyer hesitated on {last.day.isoformat()} and nothing has been logged for "
            f"{silence} days since (limit {p.min_silence_days})"
        )
        evidence = [last.evidence(), *(t.evidence() for t in after[:2])]
        return self.finding(view, ramp(silence, p.min_silence_days, 3), summary, evidence)
