"""Deal rooms: `/deal link <deal>` makes a channel the deal's room; `/deal unlink` ends it.

Only the deal's owner or someone who manages them may link, and only in a channel (a DM
is already private). A linked room also receives that deal's nudges and button results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.access import Viewer
from bot.analysis import Snapshot
from bot.search import find_deals
from bot.slack.context import Deps


def link_command(
    deps: Deps,
    snap: Snapshot,
    viewer: Viewer,
    word: str,
    text: str,
    channel_id: str,
    respond: Callable[..., Any],
) -> None:
    def say(message: str) -> None:
        respond(text=message, response_type="ephemeral")

    if not channel_id or channel_id.startswith("D"):
        say("Run `/deal link <deal>` in the channel that should become the deal's room.")
        return
    if word == "unlink":
        removed = deps.store.unlink_room(channel_id)
        say(
            "This channel is no longer a deal room."
            if removed
            else "This channel is not a deal room."
        )
        return
    mine = [d for d in snap.pipeline.deals if viewer.can_see(d)]
    result = find_deals(text, mine) if text else None
    if result is None or len(result.matches) != 1:
        say("Name exactly one of your deals: `/deal link <deal or account>`.")
        return
    deal = result.matches[0]
    deps.store.link_room(deal.id, channel_id, viewer.user_id)
    say(f"This channel is now the room for {deal.name}: its nudges and button results appear here.")
