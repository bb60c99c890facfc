"""`/deal`: one deal's advice, a pick list, the caller's flagged deals, help, link/unlink."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, Respond

from bot.slack import blocks
from bot.slack.context import Deps
from bot.slack.errors import deferred
from bot.slack.render import deal_message, owner_names

NOT_LOADED = "The CRM export has not loaded yet; try again in a minute."
NOT_MAPPED = (
    "I could not match your Slack account to a CRM owner, so there are no deals to show. "
    "Ask your admin to map you in dealnudge.toml [people]."
)


def register(app: App, deps: Deps) -> None:
    app.command("/deal")(**deferred(deal_command, deps))


def deal_command(command: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    deps: Deps = context["deps"]
    answer(
        deps,
        command.get("user_id", ""),
        (command.get("text") or "").strip(),
        command.get("channel_id", ""),
        respond,
    )


def answer(
    deps: Deps, user_id: str, text: str, channel_id: str, respond: Callable[..., Any]
) -> None:
    """Answer a /deal (or @mention) query for ``user_id``, only ever about deals they may see."""
    word = text.split(maxsplit=1)[0].lower() if text else ""
    if word == "help":
        respond(blocks=blocks.help_blocks(), text="How to use /deal", response_type="ephemeral")
        return
    snap = deps.snapshots.current
    if snap is None:
        respond(text=NOT_LOADED, response_type="ephemeral")
        return
    viewer = deps.viewer(user_id, snap)
    if viewer.role == "none":
        respond(text=NOT_MAPPED, response_type="ephemeral")
        return
    if word in ("link", "unlink"):
        from bot.slack.rooms import link_command

        link_command(deps, snap, viewer, word, text[len(word) :].strip(), channel_id, respond)
        return
    names = owner_names(snap)
    if not text:
        mine = [items for items in snap.by_deal.values() if viewer.can_see(items[0].finding.deal)]
        respond(
            blocks=blocks.flagged_list_blocks(mine, names),
            text=f"{len(mine)} of your deals are flagged",
            response_type="ephemeral",
        )
        return
    result = deps.snapshots.index(snap).search(text, viewer.owner_ids)
    if len(result.matches) == 1:
        deal = result.matches[0]
        respond(blocks=deal_message(deps, snap, deal), text=deal.name, response_type="ephemeral")
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
