"""no-next-step: nothing agreed, nothing scheduled."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.base import Context, DealView, Evidence, Finding, Pattern, Tuning, ramp, threshold
from rules.model import Input

_EMPTY = re.compile(r"^\W*(n/?a|none|tbd|tbc|-+|\?+|\.+)?\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Params:
    min_age_days: int = threshold(
        21, "deal open at least this long (a younger one may not have a next step yet)"
    )


class NoNextStep(Pattern[Params]):
    code = "no-next-step"
    title = "No next step"
    why = (
        "A deal with no next step lives on the rep's hope. A next step the buyer agreed to, "
        "on the buyer's side of the decision, is the clearest sign they are working on it."
    )
    example = "Next step empty, nothing on the calendar; last activity a lunch three weeks ago."
    params_type = Params
    tuning = Tuning("min_age_days", 14, 120)
    requires = ((Input.NEXT_STEP, Input.ACTIVITIES, Input.NEXT_ACTIVITY),)
    improved_by = (Input.NEXT_STEP, (Input.ACTIVITIES, Input.NEXT_ACTIVITY), Input.CREATED)

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        age = view.age(ctx.as_of) or 0
        upcoming = view.deal.next_activity
        if age < p.min_age_days or view.planned or (upcoming and upcoming > ctx.as_of):
            return None
        has_field = ctx.has(Input.NEXT_STEP)
        has_activities = ctx.has(Input.ACTIVITIES) or ctx.has(Input.NEXT_ACTIVITY)
        if has_field and not _EMPTY.match(view.deal.next_step):
            return None
        evidence = [Evidence(None, "Next step field is empty", "field")] if has_field else []
        said = ["no next step recorded"] if has_field else []
        if not has_activities:
            summary = "no next step recorded (this export has no activities to show one planned)"
            return self.finding(view, 0.4, summary, evidence)
        said.append("nothing scheduled")
        last = view.past[-1] if view.past else None
        last_day = last.day if last else view.deal.last_activity
        if last:
            evidence.append(last.evidence())
        elif last_day:
            evidence.append(Evidence(last_day, "Last activity date on the deal", "field"))
        if last_day:
            quiet = (ctx.as_of - last_day).days
            tail = f"last activity {quiet} days ago"
        elif not ctx.has(Input.ACTIVITIES):
            quiet = age
            tail = "last activity not in this export"
        else:
            quiet = age
            tail = f"no activity linked to it in {age} days open"
        if not has_field:
            tail += " (this export has no next-step field)"
        summary = f"{' and '.join(said)}; {tail}"
        return self.finding(view, ramp(quiet, 30, 4), summary, evidence)
