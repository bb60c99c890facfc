"""relationship-without-progress: friendly touches standing in for buying progress."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Finding, Pattern, Tuning, ramp, threshold
from rules.lexicon import ActivityClass
from rules.model import Input

RELATIONSHIP = (ActivityClass.SOCIAL, ActivityClass.CHECK_IN)


@dataclass(frozen=True)
class Params:
    min_age_days: int = threshold(90, "deal open at least this long")
    window_days: int = threshold(180, "look at touches in this many days before as-of")
    min_touches: int = threshold(3, "social or check-in touches in the window")
    min_share: float = threshold(
        0.5, "...making up at least this share of all activity in the window"
    )
    min_social: int = threshold(1, "at least this many social touches (lunch, coffee, game...)")
    stage_unchanged_days: int = threshold(
        60, "stage unchanged at least this long (when history shows it)"
    )


class RelationshipWithoutProgress(Pattern[Params]):
    code = "relationship-without-progress"
    title = "Relationship without progress"
    why = (
        "Lunches, coffees and check-ins keep the rep welcome, but they do not help the buyer "
        "decide anything. When months of friendly touches sit on a deal whose stage does not "
        "move and where nobody on the buyer's side does any work, the rep is waiting to be "
        "there when the buyer is ready instead of helping them get ready."
    )
    example = (
        "Open 7 months: three lunches, a ball game and four 'just checking in' emails, stage "
        "still Qualification, no evaluation or meeting with their team."
    )
    params_type = Params
    tuning = Tuning("min_age_days", 30, 365)
    requires = (Input.ACTIVITY_TEXT,)
    improved_by = (Input.STAGE_HISTORY, Input.CREATED, Input.ACTIVITY_NOTES)

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        age = view.age(ctx.as_of) or 0
        if age < p.min_age_days:
            return None
        recent = view.within(ctx.as_of, p.window_days)
        if any(t.is_buyer_work for t in recent):
            return None
        touches = [t for t in recent if t.cls in RELATIONSHIP]
        social = sum(1 for t in touches if t.cls is ActivityClass.SOCIAL)
        if len(touches) < p.min_touches or social < p.min_social or not recent:
            return None
        share = len(touches) / len(recent)
        if share < p.min_share:
            return None
        if view.stage_entered is not None:
            unchanged = (ctx.as_of - view.stage_entered).days
            if unchanged < p.stage_unchanged_days:
                return None
            stage_note = f"stage unchanged for {unchanged} days (limit {p.stage_unchanged_days})"
        else:
            unchanged = age
            stage_note = (
                "no stage change on record"
                if ctx.has(Input.STAGE_HISTORY)
                else "stage changes not in this export"
            )
        months = p.window_days // 30
        summary = (
            f"{len(touches)} of {len(recent)} touches in {months} months were social or "
            f"check-ins ({share:.0%}, limit {p.min_share:.0%}), {stage_note}, "
            f"no buyer-side work"
        )
        severity = 0.5 * ramp(share, p.min_share) + 0.5 * ramp(unchanged, p.stage_unchanged_days, 3)
        return self.finding(view, severity, summary, (t.evidence() for t in touches[-6:]))
