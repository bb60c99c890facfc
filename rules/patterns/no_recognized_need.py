"""no-recognized-need: the buyer has said the way things are is fine."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Evidence, Finding, Pattern, Tuning, threshold
from rules.lexicon import Signal
from rules.model import Input


@dataclass(frozen=True)
class Params:
    window_days: int = threshold(180, 'the buyer said "it\'s fine" within this many days')


class NoRecognizedNeed(Pattern[Params]):
    code = "no-recognized-need"
    title = "No recognised need"
    why = (
        "When the buyer says their current way works, they are telling the rep they have "
        "not noticed anything missing. No amount of product information changes that; only "
        "their own look at how things work today, and what it costs them, can."
    )
    example = "Note from a lunch: 'Dana says the spreadsheets work well enough for now.'"
    params_type = Params
    tuning = Tuning("window_days", -30, 60)
    requires = ((Input.ACTIVITY_TEXT, Input.NEXT_STEP),)
    improved_by = (Input.ACTIVITY_TEXT, Input.NEXT_STEP, Input.ACTIVITY_NOTES)
    needs_time = False

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        recent = view.within(ctx.as_of, p.window_days)
        said = [t for t in recent if Signal.NO_NEED in t.signals]
        in_next_step = Signal.NO_NEED in view.next_step_signals
        if not said and not in_next_step:
            return None
        last = said[-1].day if said else None
        later = [t for t in recent if last is None or t.day > last]
        if any(Signal.NEED in t.signals or t.is_buyer_work for t in later):
            return None
        evidence = [t.evidence() for t in said[-4:]]
        if in_next_step:
            evidence.append(Evidence(None, f"Next step: {view.deal.next_step}", "field"))
        when = f"last on {last.isoformat()}" if last else "in the next step"
        count = len(said) + int(in_next_step)
        summary = (
            f"buyer said the status quo is fine {count} time{'s' if count > 1 else ''} "
            f"({when}), with no sign of a need since"
        )
        return self.finding(view, 0.5 + 0.1 * min(count, 5), summary, evidence)
