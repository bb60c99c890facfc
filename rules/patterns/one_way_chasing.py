"""one-way-chasing: the rep keeps following up and the buyer does not answer."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Finding, Pattern, Tuning, ramp, threshold
from rules.lexicon import ActivityClass
from rules.model import Input


@dataclass(frozen=True)
class Params:
    min_chasers: int = threshold(3, "unanswered follow-ups since the buyer last responded")
    min_span_days: int = threshold(21, "...spread over at least this many days")
    recent_days: int = threshold(30, "...the latest within this many days")


class OneWayChasing(Pattern[Params]):
    code = "one-way-chasing"
    title = "One-way chasing"
    why = (
        "Follow-ups that get no answer tell the rep something: the buyer has nothing to say "
        "yet, or what the rep is asking about is not what they are dealing with. Another "
        "'just bumping this' teaches the buyer to ignore the rep; a question about their "
        "situation gives them a reason to reply."
    )
    example = "Five emails and two voicemails over four weeks since Dana's last reply."
    params_type = Params
    tuning = Tuning("min_chasers", 1, 8)
    requires = (Input.ACTIVITIES,)
    improved_by = (Input.DIRECTION, Input.ACTIVITY_TEXT, Input.ACTIVITY_NOTES)
    needs_time = False

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        chasers = []
        for t in reversed(view.past):
            if t.is_response:
                break
            if t.is_outreach:
                chasers.append(t)
        chasers.reverse()
        # Material alone is convincing-mode; chasing needs at least one plain follow-up.
        if len(chasers) < p.min_chasers or all(t.cls is ActivityClass.PITCH for t in chasers):
            return None
        span = (chasers[-1].day - chasers[0].day).days
        if span < p.min_span_days or (ctx.as_of - chasers[-1].day).days > p.recent_days:
            return None
        silent = (ctx.as_of - chasers[0].day).days
        summary = (
            f"{len(chasers)} follow-ups over {span} days with no reply (limit "
            f"{p.min_chasers}); buyer silent for {silent} days"
        )
        return self.finding(
            view, ramp(len(chasers), p.min_chasers, 2.5), summary,
            (t.evidence() for t in chasers[-5:]),
        )  # fmt: skip
