"""Modal submissions: snooze (until when, why) and not accurate (why), each saved before
the modal closes (its ack)."""

from __future__ import annotations

import json
import logging
from typing import Any

import requests
from slack_bolt import Ack, App, BoltContext

from bot.slack import blocks, sealed
from bot.slack.context import Deps
from bot.slack.errors import later, saving
from bot.slack.rooms import tell_room

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    app.view("snooze_submit")(saving(snooze_submitted, deps, field="snooze_reason"))
    app.view("wrong_submit")(saving(wrong_submitted, deps, field="wrong_reason"))


STALE = "This form is out of date; open it again from the message."


def _metadata(deps: Deps, user_id: str, view: dict[str, Any]) -> tuple[blocks.ButtonRef, str, str]:
    """The button and message the modal was opened from, as sealed for ``user_id`` when it
    was opened; ``ValueError`` for metadata that was not (forged, or for someone else)."""
    text = sealed.unseal(deps.metadata_key, user_id, str(view.get("private_metadata") or ""))
    meta = json.loads(text)
    ref = blocks.decode_value(json.dumps(meta.get("ref", meta)))
    return ref, str(meta.get("channel", "")), str(meta.get("ts", ""))


def _opened_for(
    deps: Deps, body: dict[str, Any], ack: Ack, field: str
) -> tuple[blocks.ButtonRef, str, str] | None:
    try:
        return _metadata(deps, body["user"]["id"], body["view"])
    except ValueError:
        log.warning("a %s submission with metadata not sealed for its user was refused",
                    body["view"].get("callback_id", "modal"))  # fmt: skip
        ack(response_action="errors", errors={field: STALE})
        return None


def snooze_submitted(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Any) -> None:
    """A bad date keeps the modal open with the reason next to the field; a good one is
    saved, then the modal closes (the ack) and the message is marked."""
    deps: Deps = context["deps"]
    view = body["view"]
    try:
        until, reason = blocks.parse_snooze_submission(view["state"], deps.today())
    except ValueError as exc:
        ack(response_action="errors", errors={"snooze_until": str(exc)})
        return
    opened = _opened_for(deps, body, ack, "snooze_reason")
    if opened is None:
        return
    ref, channel, ts = opened
    user_id = body["user"]["id"]
    if not _allowed(deps, user_id, ref.deal_id):
        ack()
        return
    with deps.store.batch("snoozes", "feedback"):
        deps.store.snooze(ref.deal_id, ref.pattern or "*", until, reason, user_id)
        _record(deps, ref, user_id, "snoozed", reason)
    ack()

    def show() -> None:
        _edit(deps, user_id, channel, ts, ref, f"Snoozed until {until.isoformat()}: {reason}")
        tell_room(deps, ref.deal_id, f"<@{user_id}> snoozed nudges until {until.isoformat()}.")

    later(deps, body, show)


def wrong_submitted(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Any) -> None:
    deps: Deps = context["deps"]
    view = body["view"]
    reason = blocks.parse_wrong_submission(view["state"])
    opened = _opened_for(deps, body, ack, "wrong_reason")
    if opened is None:
        return
    ref, channel, ts = opened
    user_id = body["user"]["id"]
    if not _allowed(deps, user_id, ref.deal_id):
        ack()
        return
    _record(deps, ref, user_id, "not_accurate", reason)
    ack()
    note = f"Marked not accurate: {reason}. Thanks, this tunes the checks."
    later(deps, body, lambda: _edit(deps, user_id, channel, ts, ref, note))


def _record(deps: Deps, ref: blocks.ButtonRef, user_id: str, kind: str, reason: str) -> None:
    deps.store.record_feedback(
        deal_id=ref.deal_id,
        pattern=ref.pattern,
        question_id=ref.question_id,
        team=_team(deps, ref.deal_id),
        kind=kind,
        reason=reason,
        who=user_id,
    )


def _allowed(deps: Deps, user_id: str, deal_id: str) -> bool:
    snap = deps.snapshots.current
    deal = snap.pipeline.deal_index.get(deal_id) if snap else None
    return bool(snap and deal and deps.viewer(user_id, snap).can_see(deal))


def _team(deps: Deps, deal_id: str) -> str:
    snap = deps.snapshots.current
    deal = snap.pipeline.deal_index.get(deal_id) if snap else None
    return deps.team(snap, deal) if snap is not None and deal is not None else ""


def _edit(
    deps: Deps, user_id: str, channel: str, ts: str, ref: blocks.ButtonRef, note: str
) -> None:
    """Mark the item in the message whose button this user clicked to open the modal, if we
    still know it (never a message someone else clicked)."""
    remembered = deps.recall_message(user_id, channel, ts)
    if remembered is None:
        return
    new = blocks.mark_item(remembered.blocks, ref.deal_id, ref.pattern, note)
    text = blocks.fallback_text(note, blocks.NOTE_MAX)  # the user's note is in it
    if remembered.view_id:
        deps.client.views_update(view_id=remembered.view_id, view=blocks.deal_modal(new))
    elif channel == "view":
        return  # a Home tab click: the Home tab refreshes when it is next opened
    elif not remembered.ephemeral:
        deps.client.chat_update(channel=channel, ts=ts, blocks=new, text=text)
    elif remembered.response_url:
        # Ephemeral messages cannot be chat.update-d; their response_url can replace them.
        payload = {"replace_original": True, "blocks": new, "text": text}
        reply = requests.post(remembered.response_url, json=payload, timeout=5)
        if reply.status_code >= 400:
            log.warning("response_url update failed with HTTP %s", reply.status_code)
