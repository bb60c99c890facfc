"""Deal rooms: `/deal link <deal>` makes a channel the deal's room; `/deal unlink` ends it.

Only the deal's owner, someone who manages them or an admin may link or unlink, and only
in a channel (a DM is already private). A linked room hears about the deal's button
results ("Jordan will ask: ..."), so the deal team sees the facilitation questions in play.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.access import Viewer
from bot.analysis import Snapshot
from bot.slack import blocks
from bot.slack.context import Deps

log = logging.getLogger(__name__)


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
        linked = next((r for r in deps.store.rooms() if r.channel_id == channel_id), None)
        deal = snap.pipeline.deal_index.get(linked.deal_id) if linked else None
        if linked is None:
            say("This channel is not a deal room.")
        elif deal is not None and not viewer.can_see(deal):
            say("Only the deal's owner, their manager or an admin can unlink this room.")
        else:
            deps.store.unlink_room(channel_id)
            say("This channel is no longer a deal room.")
        return
    result = deps.snapshots.index(snap).search(text, viewer.owner_ids) if text else None
    if result is None or len(result.matches) != 1:
        say("Name exactly one of your deals: `/deal link <deal or account>`.")
        return
    deal = result.matches[0]
    deps.store.link_room(deal.id, channel_id, viewer.user_id)
    say(
        f"This channel is now the room for {blocks.escape(deal.name, 300)}: when someone picks "
        "a question or snoozes it, a note appears here."
    )


def tell_room(deps: Deps, deal_id: str, note: str) -> None:
    """Post ``note`` (already escaped) to the deal's room, if it has one; never raises."""
    channel = deps.store.room_for(deal_id)
    if not channel:
        return
    try:
        deps.client.chat_postMessage(channel=channel, text=note, unfurl_links=False)
    except Exception as exc:  # a room note is a courtesy: log and carry on
        log.warning("could not post to deal room %s: %s", channel, type(exc).__name__)
