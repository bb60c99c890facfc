"""Deal rooms: `/deal link <deal>` makes a channel the deal's room; `/deal unlink` ends it.

Only the deal's owner, someone who manages them or an admin may link or unlink, and only
in a channel (a DM is already private). A linked room hears about the deal's button
results ("Jordan will ask: ..."), so the deal team sees the facilitation questions in play.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.analysis.analyse import Snapshot
from bot.slack import blocks
from bot.slack.context import Deps
from bot.state import Room
from bot.state.access import Viewer

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
        say("Run `/deal link &lt;deal&gt;` in the channel that should become the deal's room.")
        return
    current = deps.store.room(channel_id)
    if word == "unlink":
        if current is None:
            say("This channel is not a deal room.")
        elif not _may_change(viewer, current, snap):
            say("Only the deal's owner, their manager or an admin can unlink this room.")
        else:
            deps.store.unlink_room(channel_id)
            say("This channel is no longer a deal room.")
        return
    result = deps.snapshots.index(snap).search(text, viewer.owner_ids) if text else None
    if result is None or len(result.matches) != 1:
        say("Name exactly one of your deals: `/deal link &lt;deal or account&gt;`.")
        return
    deal = result.matches[0]
    taken = current is not None and current.deal_id != deal.id
    if current is not None and taken and not _may_change(viewer, current, snap):
        say(
            "This channel is already the room for a deal you cannot see. Its owner, "
            "their manager or an admin can `/deal unlink` it first."
        )
        return
    deps.store.link_room(deal.id, channel_id, viewer.user_id)
    say(
        f"This channel is now the room for {blocks.fallback_text(deal.name, 300)}: when "
        "someone picks a question or snoozes it, a note appears here."
    )
    if current is not None and taken and current.who != viewer.user_id:
        _tell_previous(deps, current.who, viewer.user_id, channel_id, current.deal_id, snap)


def _may_change(viewer: Viewer, room: Room, snap: Snapshot) -> bool:
    """Who may unlink or take over a room: whoever may see its deal (its owner, their
    managers, admins); for a deal gone from the export, whoever linked it, or an admin."""
    deal = snap.pipeline.deal_index.get(room.deal_id)
    if deal is not None:
        return viewer.can_see(deal)
    return viewer.role == "admin" or viewer.user_id == room.who


def _tell_previous(
    deps: Deps, who: str, by: str, channel_id: str, deal_id: str, snap: Snapshot
) -> None:
    """The person who had linked the channel hears it now serves another deal; never raises."""
    if not who:
        return
    old = snap.pipeline.deal_index.get(deal_id)
    name = blocks.fallback_text(old.name, 300) if old else "a deal"
    text = (
        f"<@{by}> made <#{channel_id}> the room for another deal; it no longer hears about {name}."
    )
    try:
        deps.client.chat_postMessage(channel=who, text=text, unfurl_links=False)
    except Exception as exc:  # a courtesy: log and carry on
        log.warning("could not tell %s their deal room was relinked: %s", who, type(exc).__name__)


def tell_room(deps: Deps, deal_id: str, note: str) -> None:
    """Post ``note`` (CRM text in it already through ``blocks.fallback_text``) to the deal's
    room, if it has one; never raises."""
    channel = deps.store.room_for(deal_id)
    if not channel:
        return
    try:
        deps.client.chat_postMessage(channel=channel, text=note, unfurl_links=False)
    except Exception as exc:  # a room note is a courtesy: log and carry on
        log.warning("could not post to deal room %s: %s", channel, type(exc).__name__)
