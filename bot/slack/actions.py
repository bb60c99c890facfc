"""Buttons: show a deal, "I'll ask this", "Another question", "Snooze", "Not accurate".

Every action re-checks that the clicking user may see the deal named in the button value:
a forged or forwarded payload cannot act on someone else's deal. A click that is recorded
("I'll ask this", "Another question") is saved before Slack gets its ack.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext, Respond

from bot.analysis.analyse import Advice, Snapshot
from bot.ingest.crm.base import activity_marker
from bot.slack import blocks, sealed
from bot.slack.context import Deps, RememberedMessage
from bot.slack.errors import deferred, later, saving
from bot.slack.render import deal_message, question_context
from bot.slack.rooms import tell_room
from rules.model import Deal
from rules.questions import render

log = logging.getLogger(__name__)
NOT_AVAILABLE = "That deal is not available to you (or is no longer in the CRM export)."
MAX_TEXT = 500  # a reply's notification text: a deal name, a question or a short note


def register(app: App, deps: Deps) -> None:
    app.action("deal_show")(**deferred(show_deal, deps))
    app.action("nudge_ask")(saving(ask, deps))
    app.action("nudge_another")(saving(another, deps))
    app.action("nudge_snooze")(**deferred(open_snooze, deps))
    app.action("nudge_wrong")(**deferred(open_wrong, deps))


@dataclass(frozen=True)
class Click:
    """A button click resolved to a deal the user may see, or ``None`` (already answered)."""

    deps: Deps
    snap: Snapshot
    deal: Deal
    ref: blocks.ButtonRef
    user_id: str
    body: dict[str, Any]

    @property
    def team(self) -> str:
        return self.deps.team(self.snap, self.deal)

    def record(self, kind: str) -> None:
        """The click as feedback on the deal, pattern and question the button carries."""
        self.deps.store.record_feedback(
            deal_id=self.deal.id,
            pattern=self.ref.pattern,
            question_id=self.ref.question_id,
            team=self.team,
            kind=kind,
            who=self.user_id,
        )

    def message_blocks(self) -> list[dict[str, Any]]:
        holder = self.body.get("view") if in_view(self.body) else self.body.get("message")
        found = (holder or {}).get("blocks")
        return (
            list(found)
            if isinstance(found, list)
            else deal_message(self.deps, self.snap, self.deal)
        )


def in_view(body: dict[str, Any]) -> bool:
    """The button sits in a modal or the Home tab (no message, no response_url)."""
    return (body.get("container") or {}).get("type") == "view" or "response_url" not in body


def reply(deps: Deps, body: dict[str, Any], respond: Respond, new: list[Any], text: str) -> None:
    """Show ``new`` where the click happened: replace the message, or the modal. ``text``
    (the message's notification text) may be CRM text: it is escaped here.

    A click in the Home tab opens the deal in a modal (the Home tab itself stays).
    """
    if not in_view(body):
        text = blocks.fallback_text(text, MAX_TEXT)
        respond(blocks=new, text=text, replace_original=True, response_type="ephemeral")
        return
    view = body.get("view") or {}
    if view.get("type") == "modal":
        deps.client.views_update(view_id=view["id"], view=blocks.deal_modal(new))
    else:
        show_modal(deps, body, blocks.deal_modal(new))


def notice(deps: Deps, body: dict[str, Any], respond: Respond, text: str) -> None:
    """A short answer to the clicking user only (``text`` is escaped here)."""
    if not in_view(body):
        text = blocks.fallback_text(text, MAX_TEXT)
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    show_modal(deps, body, blocks.notice_modal(text))


def show_modal(deps: Deps, body: dict[str, Any], modal: dict[str, Any]) -> None:
    """Open ``modal`` for the click: stacked on the modal it came from, if any."""
    trigger = body.get("trigger_id")
    if not trigger:
        return
    if (body.get("view") or {}).get("type") == "modal":
        deps.client.views_push(trigger_id=trigger, view=modal)
    else:
        deps.client.views_open(trigger_id=trigger, view=modal)


def resolve(body: dict[str, Any], context: BoltContext, deal_id_only: bool = False) -> Click | str:
    """The click, or why it cannot be acted on (to tell the user)."""
    deps: Deps = context["deps"]
    user_id = (body.get("user") or {}).get("id", "")
    try:
        action = body["actions"][0]
        value = str(action.get("value") or action.get("selected_option", {}).get("value") or "")
        ref = blocks.ButtonRef(value, "", "") if deal_id_only else blocks.decode_value(value)
    except (KeyError, IndexError, ValueError):
        return "That button is out of date; run /deal again."
    snap = deps.snapshots.current
    deal = snap.pipeline.deal_index.get(ref.deal_id) if snap else None
    if snap is None or deal is None or not deps.viewer(user_id, snap).can_see(deal):
        return NOT_AVAILABLE
    return Click(deps, snap, deal, ref, user_id, body)


def show_deal(body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    click = resolve(body, context, deal_id_only=True)
    if isinstance(click, str):
        notice(context["deps"], body, respond, click)
    else:
        new = deal_message(click.deps, click.snap, click.deal)
        reply(click.deps, body, respond, new, click.deal.name)


def ask(ack: Any, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    d: Deps = context["deps"]
    click = resolve(body, context)
    if isinstance(click, str):
        ack()
        later(d, body, lambda: notice(d, body, respond, click))
        return
    with d.store.batch("feedback", "writebacks"):
        click.record("asked")
        if d.config.crm.write_back:
            _queue_writeback(click)
    ack()
    later(d, body, lambda: _show_asked(click, respond))


def _queue_writeback(click: Click) -> None:
    """ "I'll ask this" to record on the deal in the CRM (bot.delivery.writeback writes it)."""
    d, deal = click.deps, click.deal
    question = d.bank.get(click.ref.question_id)
    text = render(question, question_context(d, click.snap, deal)) if question else ""
    person = d.store.person_by_slack_id(click.user_id)
    owner = click.snap.pipeline.owner_index.get(person.owner_id) if person else None
    who = owner.name if owner and owner.name else f"Slack user {click.user_id}"
    actions = click.body.get("actions") or [{}]
    action_ts = str(actions[0].get("action_ts", "")) if isinstance(actions[0], dict) else ""
    marker = activity_marker(
        click.user_id, deal.id, click.ref.pattern, click.ref.question_id, action_ts
    )
    subject = f"Facilitation question to ask ({who})"
    said = f"{who} will ask the buyer: {text}" if text else f"{who} picked a question to ask."
    d.store.queue_writeback(
        marker, deal.id, subject, f"{said}\n\nRecorded from Slack by dealnudge ({marker})."
    )


def _show_asked(click: Click, respond: Respond) -> None:
    d = click.deps
    note = f"✓ You'll ask this ({d.today():%a %d %b})"
    new = blocks.mark_item(click.message_blocks(), click.deal.id, click.ref.pattern, note)
    reply(d, click.body, respond, new, note)
    question = d.bank.get(click.ref.question_id)
    if question is not None:
        ctx = question_context(d, click.snap, click.deal)
        said = f"will ask the buyer: _{blocks.fallback_text(render(question, ctx), MAX_TEXT)}_"
    else:
        said = "picked a facilitation question for this deal."
    tell_room(d, click.deal.id, f"<@{click.user_id}> {said}")


def another(ack: Any, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    d: Deps = context["deps"]
    click = resolve(body, context)
    advice = None
    if not isinstance(click, str):
        card = click.snap.cards.get(click.deal.id)
        items = card.advice if card else ()
        advice = next((a for a in items if a.finding.pattern == click.ref.pattern), None)
    if isinstance(click, str) or advice is None:
        ack()
        why = click if isinstance(click, str) else "This deal no longer shows that pattern."
        later(d, body, lambda: notice(d, body, respond, why))
        return
    picked = d.questions(click.snap, Advice(advice.finding, ()), 1)
    with d.store.batch("feedback", "questions_shown"):
        click.record("another")
        if picked:
            d.store.record_question_shown(click.deal.id, click.ref.pattern, picked[0][0].id)
    ack()
    if picked:
        question = picked[0]
        new = blocks.replace_question(
            click.message_blocks(), click.deal.id, click.ref.pattern, question
        )
        later(d, body, lambda: reply(d, body, respond, new, question[1]))


def _open_modal(body: dict[str, Any], context: BoltContext, respond: Respond, kind: str) -> None:
    click = resolve(body, context)
    if isinstance(click, str):
        notice(context["deps"], body, respond, click)
        return
    container = body.get("container") or {}
    view = body.get("view") or {}
    if in_view(body):
        channel, ts = "view", str(view.get("id") or "")
    else:
        channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
        ts = str(container.get("message_ts") or "")
    click.deps.remember_message(
        click.user_id,
        channel,
        ts,
        RememberedMessage(
            click.message_blocks(),
            str(body.get("response_url") or ""),
            bool(container.get("is_ephemeral")),
            view_id=ts if channel == "view" and view.get("type") == "modal" else "",
        ),
    )
    if kind == "snooze":
        modal = blocks.snooze_modal(
            click.ref, click.deal.name, today=click.deps.today(), channel=channel, ts=ts
        )
    else:
        modal = blocks.wrong_modal(click.ref, click.deal.name, channel=channel, ts=ts)
    modal["private_metadata"] = sealed.seal(
        click.deps.metadata_key, click.user_id, modal["private_metadata"]
    )
    show_modal(click.deps, body, modal)


def open_snooze(body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    _open_modal(body, context, respond, "snooze")


def open_wrong(body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    _open_modal(body, context, respond, "wrong")
