"""close-date-passed: an open deal whose expected close date is behind it."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Evidence, Finding, Pattern, Tuning, threshold
from rules.model import Input


@dataclass(frozen=True)
class Params:
    grace_days: int = threshold(
        7, "an open deal whose close date passed more than this many days ago"
    )
    full_days: int = threshold(
        120, "severity is highest at this many days overdue (value ranks it too)"
    )


class CloseDatePassed(Pattern[Params]):
    code = "close-date-passed"
    title = "Close date passed"
    why = (
        "A close date in the past on an open deal says the buyer's timeline was never the "
        "one in the CRM. Something on their side has shifted or was never agreed; moving the "
        "date again hides that. Finding out what would need to happen before they could "
        "decide makes the next date real."
    )
    example = "Expected to close on 31 March, 200 days ago; still open in Negotiation."
    params_type = Params
    tuning = Tuning("grace_days", 14, 90)
    needs_time = False
    requires = (Input.CLOSE_DATE,)

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        close = view.deal.close_date
        if close is None:
            return None
        overdue = (ctx.as_of - close).days
        if overdue <= p.grace_days:
            return None
        stage = f" in {view.deal.stage}" if view.deal.stage else ""
        summary = (
            f"close date {close.isoformat()} passed {overdue} days ago "
            f"(limit {p.grace_days}), deal still open{stage}"
        )
        evidence = [Evidence(close, f"Close date {close.isoformat()}", "field")]
        if view.past:
            evidence.append(view.past[-1].evidence())
        severity = 0.4 + 0.6 * min(1.0, overdue / max(p.full_days, 1))
        return self.finding(view, severity, summary, evidence)
