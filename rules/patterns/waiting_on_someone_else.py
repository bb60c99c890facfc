"""waiting-on-someone-else: the contact needs someone who has never been involved."""

from __future__ import annotations

from dataclasses import dataclass

from rules.base import Context, DealView, Evidence, Finding, Pattern, Touch, Tuning, threshold
from rules.lexicon import ActivityClass, Signal
from rules.model import ActivityKind, Input


@dataclass(frozen=True)
class Params:
    window_days: int = threshold(365, "the approval/budget remark was made within this many days")


def _moves(t: Touch) -> bool:
    """The buyer took a step of their own: work, a request, or a call they placed."""
    return (
        t.is_buyer_work
        or t.asks
        or (
            t.activity.kind is ActivityKind.CALL
            and (t.from_buyer or t.cls is ActivityClass.INBOUND)
        )
    )


class WaitingOnSomeoneElse(Pattern[Params]):
    code = "waiting-on-someone-else"
    title = "Waiting on someone else"
    why = (
        "When the contact needs a boss's sign-off or next year's budget and that person has "
        "never been part of the conversation, the decision is being made somewhere the rep "
        "cannot see. Waiting does not bring the decision-maker in; helping the contact think "
        "through how their organisation decides can."
    )
    example = (
        "'Needs the director's sign-off, will raise it after the budget cycle.' No director met."
    )
    params_type = Params
    tuning = Tuning("window_days", -60, 90)
    requires = ((Input.ACTIVITY_TEXT, Input.NEXT_STEP),)
    improved_by = (
        Input.ACTIVITY_TEXT,
        Input.ACTIVITY_NOTES,
        Input.NEXT_STEP,
        Input.ACTIVITY_CONTACTS,
        Input.CONTACT_TITLES,
    )
    needs_time = False

    def detect(self, view: DealView, ctx: Context, p: Params) -> Finding | None:
        recent = view.within(ctx.as_of, p.window_days)
        said = [t for t in recent if Signal.AUTHORITY in t.signals]
        in_next_step = Signal.AUTHORITY in view.next_step_signals
        if not said and not in_next_step:
            return None
        involved = {c for t in view.past for c in t.activity.contacts}
        # Whoever defers to someone else ("needs the GF's sign-off") is not the decider,
        # whatever their title; the decider is involved when another contact has
        # authority, or when a remark names a contact already in the conversation.
        named = [t for t in said if view.lexicon.names_authority(t.activity.text)]
        deferring = {c for t in named for c in (*t.activity.contacts, *view.speakers(t))}
        # When the decider named is an executive (the CFO, the board, the GF) or someone
        # outside the conversation ("Malcolm doesn't believe in it"), a department head
        # taking part is not them; only an executive taking part is.
        outsider = any(view.lexicon.names_outsider(t.activity.text, view.people) for t in said)
        top = outsider or any(
            view.lexicon.names_authority(t.activity.text, executive_only=True) for t in said
        )
        decides = view.is_executive if top else view.has_authority
        if any(decides(c) for c in involved - deferring):
            return None
        if any(
            view.mentions(t, c)
            for t in said
            for c in involved - {*t.activity.contacts, *view.speakers(t)}
        ):
            return None
        titles_known = any(view.authority_known(c) for c in involved)
        if not titles_known and not in_next_step and not named and not outsider:
            return None  # no titles to go by, and no decider named outside the conversation
        # The buyer moved after they last named the approval (their own work, a request,
        # a call they placed): the decision is moving, nobody is waiting.
        if said and any(_moves(t) for t in recent if t.day > said[-1].day):
            return None
        evidence = [t.evidence() for t in said[-4:]]
        if in_next_step:
            evidence.append(Evidence(None, f"Next step: {view.deal.next_step}", "field"))
        first = said[0].day if said else ctx.as_of
        waited = (ctx.as_of - first).days
        who = (
            f"{len(involved)} contact{'s' if len(involved) != 1 else ''}"
            if involved
            else "no contact"
        )
        known = any(view.authority_known(c) for c in involved)
        authority = "none with authority" if known else "their authority is not recorded"
        summary = (
            f"waiting on someone else's approval or budget for {waited} days; "
            f"{who} involved, {authority if involved else 'so no one with authority'}"
        )
        return self.finding(view, 0.5 + min(waited, 180) / 360, summary, evidence)
