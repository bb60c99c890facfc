"""`/deal`: one deal's advice, a pick list, the caller's flagged deals, help, link/unlink."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.slack import blocks
from bot.slack.context import Deps
from bot.slack.errors import guarded
from bot.slack.render import deal_message, owner_names
from bot.slack.rooms import link_command
from bot.state.people import NeedsSlack

NOT_LOADED = "The CRM export has not loaded yet; try again in a minute."
NOT_MAPPED = (
    "I could not match your Slack account to a CRM owner, so there are no deals to show. "
    "Ask your admin to map you in dealnudge.toml [people]."
)

MAX_NAME = 300  # a deal's name as a reply's notification text
log = logging.getLogger("dealnudge.slack")


def register(app: App, deps: Deps) -> None:
    app.command("/deal")(answer_in_ack)


def answer_in_ack(
    ack: Ack, command: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """Answer in the HTTP 200 itself when everything needed is already here (the caller is
    known, the export is in memory): one round trip, no response_url post. When the caller
    must first be looked up in Slack, or anything goes wrong, ack at once and answer at the
    response_url from a worker (``deal_command``, guarded like every deferred listener)."""
    deps: Deps = context["deps"]
    text = (command.get("text") or "").strip()
    replies: list[dict[str, Any]] = []
    try:
        if text.lower().split(maxsplit=1)[:1] not in (["link"], ["unlink"]):  # writes: later
            answer(
                deps,
                command.get("user_id", ""),
                text,
                command.get("channel_id", ""),
                lambda **reply: replies.append(reply),
                remote=False,
            )
    except NeedsSlack:
        pass
    except Exception:
        log.warning("answering /deal in the ack failed; answering at the response_url",
                    exc_info=True)  # fmt: skip
    if len(replies) == 1:
        ack(**replies[0])
        return
    ack()
    deps.workers.submit(guarded(deal_command, deps), command=command, respond=respond,
                        context=context)  # fmt: skip


def deal_command(command: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    answer(
        context["deps"],
        command.get("user_id", ""),
        (command.get("text") or "").strip(),
        command.get("channel_id", ""),
        respond,
    )


def answer(
    deps: Deps,
    user_id: str,
    text: str,
    channel_id: str,
    respond: Callable[..., Any],
    *,
    remote: bool = True,
) -> None:
    """Answer a /deal (or @mention) query for ``user_id``, only ever about deals they may see.

    ``remote=False``: raise ``NeedsSlack`` instead of calling Slack's Web API.
    """
    word = text.split(maxsplit=1)[0].lower() if text else ""
    if word == "help":
        respond(blocks=blocks.help_blocks(), text="How to use /deal", response_type="ephemeral")
        return
    snap = deps.snapshots.current
    if snap is None:
        respond(text=NOT_LOADED, response_type="ephemeral")
        return
    viewer = deps.viewer(user_id, snap, remote=remote)
    if viewer.role == "none":
        respond(text=NOT_MAPPED, response_type="ephemeral")
        return
    if word in ("link", "unlink"):
        link_command(deps, snap, viewer, word, text[len(word) :].strip(), channel_id, respond)
        return
    names = owner_names(snap)
    if not text:
        mine = [c.advice for c in snap.cards.values() if viewer.can_see(c.deal)]
        respond(
            blocks=blocks.flagged_list_blocks(mine, names),
            text=f"{len(mine)} of your deals are flagged",
            response_type="ephemeral",
        )
        return
    result = deps.snapshots.index(snap).search(text, viewer.owner_ids)
    if len(result.matches) == 1:
        deal = result.matches[0]
        respond(
            blocks=deal_message(deps, snap, deal),
            text=blocks.fallback_text(deal.name, MAX_NAME),
            response_type="ephemeral",
        )
    elif result.matches:
        respond(
            blocks=blocks.pick_list_blocks(result.matches, text, names),
            text=f"{len(result.matches)} deals match",
            response_type="ephemeral",
        )
    else:
        respond(
            blocks=blocks.no_match_blocks(text, result.suggestions),
            text="No deal matches",
            response_type="ephemeral",
        )
