"""no-next-step: nothing agreed, nothing scheduled."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.engine import Context, DealView, Evidence, Finding, Pattern, ramp

_EMPTY = re.compile(r"^\W*(n/?a|none|tbd|tbc|-+|\?+|\.+)?\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Params:
    min_age_days: int = 21


class NoNextStep(Pattern[Params]):
    code = "no-next-step"
    title = "No next step"
    why = (
        "A deal with no next step lives on the rep's hope. A next step the buyer agreed to, "
        "on the buyer's side of the decision, is the clearest sign they are working on it."
    )
    example = "Next step empty, nothing on the calendar; last activity a lunch three weeks ago."
    params_type = Params

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        age = view.age(ctx.as_of) or 0
        if age < p.min_age_days:
            return None
        if view.planned or not _EMPTY.match(view.deal.next_step):
            return None
        last = view.past[-1] if view.past else None
        quiet = (ctx.as_of - last.day).days if last else age
        summary = "no next step recorded and nothing scheduled" + (
            f"; last activity {quiet} days ago" if last else "; no activity on record"
        )
        evidence = [Evidence(None, "Next step field is empty", "field")]
        if last:
            evidence.append(last.evidence())
        return self.finding(view, ramp(quiet, 30, 4), summary, evidence)
