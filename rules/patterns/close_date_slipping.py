"""close-date-slipping: the expected close date keeps moving out while the stage stands still."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.base import Context, DealView, Evidence, Finding, Pattern, Tuning, ramp, threshold
from rules.model import Input


@dataclass(frozen=True)
class Params:
    min_pushes: int = threshold(2, "close-date pushes in the current stage")
    min_push_days: int = threshold(7, "a move shorter than this is a correction, not a push")


class CloseDateSlipping(Pattern[Params]):
    code = "close-date-slipping"
    title = "Close date keeps slipping"
    why = (
        "Each push of the close date says the buyer's side is not moving on the rep's "
        "timeline. Pushing it again changes nothing; finding out what has to happen on the "
        "buyer's side before they could decide is what moves the date for real."
    )
    example = "Close date moved from March to May to August to November, stage still Proposal."
    params_type = Params
    tuning = Tuning("min_pushes", 1, 6)
    requires = (Input.CLOSE_HISTORY,)

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        pushes: list[tuple[date, date, date]] = []  # (when, from, to)
        stage: str | None = None
        close: date | None = None
        for h in view.history:
            if h.stage and h.stage != stage:
                stage = h.stage
                pushes.clear()  # a stage move resets the count: the deal progressed
                close = h.close_date or close
                continue
            if h.close_date:
                if close and (h.close_date - close).days >= p.min_push_days:
                    pushes.append((h.date, close, h.close_date))
                close = h.close_date
        if len(pushes) < p.min_pushes:
            return None
        total = (pushes[-1][2] - pushes[0][1]).days
        summary = (
            f"close date pushed {len(pushes)} times in the current stage "
            f"(limit {p.min_pushes}), {total} days in all, now {pushes[-1][2].isoformat()}"
        )
        evidence = [
            Evidence(when, f"close date moved from {a.isoformat()} to {b.isoformat()}", "history")
            for when, a, b in pushes[-5:]
        ]
        return self.finding(view, ramp(len(pushes), p.min_pushes, 2.5), summary, evidence)
