"""dropped-when-not-ready: the rep went quiet right after the buyer hesitated."""

from __future__ import annotations

from dataclasses import dataclass

from rules.engine import Context, DealView, Finding, Pattern, ramp
from rules.lexicon import Signal


@dataclass(frozen=True)
class Params:
    min_silence_days: int = 30


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
    needs_time = False

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        hesitations = [t for t in view.past if Signal.HESITATION in t.signals]
        if not hesitations or view.planned:
            return None
        last = hesitations[-1]
        if view.past[-1] is not last:
            return None  # the rep has been in touch since
        silence = (ctx.as_of - last.day).days
        if silence < p.min_silence_days:
            return None
        summary = (
            f"buyer hesitated on {last.day.isoformat()} and nothing has been logged for "
            f"{silence} days (limit {p.min_silence_days})"
        )
        return self.finding(view, ramp(silence, p.min_silence_days, 3), summary, [last.evidence()])
