"""gone-quiet: nobody has touched the deal for a long time."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Evidence, Finding, Pattern, Tuning, ramp, threshold
from rules.model import Input


@dataclass(frozen=True)
class Params:
    max_quiet_days: int = threshold(
        45, "no activity for longer than this, or none ever on an older deal"
    )


class GoneQuiet(Pattern[Params]):
    code = "gone-quiet"
    title = "Gone quiet"
    why = (
        "An open deal nobody has touched for weeks is not waiting for the buyer; it is "
        "waiting for no one. Either the buyer has moved on or is stuck on something the rep "
        "has not heard about. A question about where this sits for them now tells the rep "
        "which, without pushing."
    )
    example = "Open 8 months; the last activity, a call, was 97 days ago; nothing scheduled."
    params_type = Params
    tuning = Tuning("max_quiet_days", 15, 120)
    requires = ((Input.ACTIVITIES, Input.LAST_ACTIVITY),)
    improved_by = (Input.CREATED,)

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        upcoming = view.deal.next_activity
        if view.planned or (upcoming and upcoming > ctx.as_of):
            return None
        last = view.past[-1] if view.past else None
        last_day = last.day if last else view.deal.last_activity
        if last_day is not None:
            quiet = (ctx.as_of - last_day).days
            if quiet <= p.max_quiet_days:
                return None
            summary = (
                f"no activity for {quiet} days (limit {p.max_quiet_days}), last on "
                f"{last_day.isoformat()}; nothing scheduled"
            )
            evidence = [
                last.evidence()
                if last
                else Evidence(last_day, "Last activity date on the deal", "field")
            ]
        else:
            age = view.age(ctx.as_of)
            if age is None or age <= p.max_quiet_days or not ctx.has(Input.ACTIVITIES):
                return None
            quiet = age
            summary = (
                f"no activity logged in {age} days open (limit {p.max_quiet_days}); "
                "nothing scheduled"
            )
            evidence = [Evidence(view.started, "Deal opened, nothing logged since", "field")]
        return self.finding(view, ramp(quiet, p.max_quiet_days, 3), summary, evidence)
