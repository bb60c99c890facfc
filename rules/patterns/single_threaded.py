"""single-threaded: one buyer contact, without decision power, for the whole deal."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Finding, Pattern, Tuning, ramp, threshold
from rules.model import Input


@dataclass(frozen=True)
class Params:
    min_age_days: int = threshold(45, "deal open at least this long")
    min_activities: int = threshold(
        4, "activities with a named buyer contact, all with the same one"
    )


class SingleThreaded(Pattern[Params]):
    code = "single-threaded"
    title = "Single-threaded"
    why = (
        "A deal that runs through one friendly contact who cannot decide stays open for as "
        "long as that person likes talking. Buying is a group decision: the people who would "
        "use, pay for and live with the change have to get involved, and the contact is the "
        "one who can help them do it."
    )
    example = "Nine activities over five months, all with Priya (Operations Coordinator)."
    params_type = Params
    tuning = Tuning("min_activities", 1, 12)
    requires = (Input.ACTIVITY_CONTACTS,)
    improved_by = (Input.CONTACT_TITLES, Input.CREATED)

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        age = view.age(ctx.as_of) or 0
        if age < p.min_age_days:
            return None
        with_contact = [t for t in view.past if t.activity.contacts]
        if len(with_contact) < p.min_activities:
            return None
        contacts = {c for t in with_contact for c in t.activity.contacts}
        if len(contacts) != 1:
            return None
        (only,) = contacts
        if view.has_authority(only):
            return None
        c = view.contacts.get(only)
        who = c.name if c and c.name else "one contact with no name recorded"
        if view.authority_known(only):
            title = c.title if c and c.title else view.role_of(only)
            about = f"({title}), who has no decision authority"
        else:
            about = "(no title or role recorded, so whether they can decide is unknown)"
        summary = (
            f"all {len(with_contact)} activities in {age} days with one contact, {who} "
            f"{about} (limit {p.min_activities} activities with one contact after "
            f"{p.min_age_days} days)"
        )
        return self.finding(
            view, ramp(len(with_contact), p.min_activities, 3),
            summary, (t.evidence() for t in with_contact[-4:]),
        )  # fmt: skip
