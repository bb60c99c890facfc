"""Events: @mentions in channels (answered privately) and the App Home tab."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from slack_bolt import App, BoltContext

from bot.analysis.analyse import Snapshot
from bot.slack import blocks
from bot.slack.commands import NOT_LOADED, NOT_MAPPED, answer
from bot.slack.context import Deps
from bot.slack.errors import deferred
from bot.slack.render import owner_names
from bot.state.access import Viewer

_MENTION = re.compile(r"<@[A-Z0-9]+>")


def register(app: App, deps: Deps) -> None:
    app.event("app_mention")(**deferred(on_mention, deps))
    app.event("app_home_opened")(**deferred(on_home_opened, deps))


def on_mention(event: dict[str, Any], context: BoltContext) -> None:
    """`@dealnudge <deal>` in a channel: the same answer as /deal, visible only to the asker."""
    deps: Deps = context["deps"]
    user, channel = event.get("user", ""), event.get("channel", "")
    text = _MENTION.sub("", event.get("text") or "").strip()

    def reply(**kwargs: Any) -> None:
        kwargs.pop("response_type", None)
        kwargs.pop("replace_original", None)
        deps.client.chat_postEphemeral(channel=channel, user=user, **kwargs)

    answer(deps, user, text, channel, reply)


def on_home_opened(event: dict[str, Any], context: BoltContext) -> None:
    deps: Deps = context["deps"]
    user = event.get("user", "")
    if event.get("tab", "home") != "home":
        return
    deps.client.views_publish(user_id=user, view=home_view(deps, user))


def home_view(deps: Deps, user_id: str) -> dict[str, Any]:
    snap = deps.snapshots.current
    if snap is None:
        return blocks.home_view_unknown(NOT_LOADED)
    viewer = deps.viewer(user_id, snap)
    if viewer.role == "none":
        return blocks.home_view_unknown(NOT_MAPPED)
    names = owner_names(snap)
    if viewer.role in ("manager", "admin"):
        return _manager_home(snap, viewer, names)
    items = [c.advice for c in snap.cards.values() if viewer.can_see(c.deal)]
    today = deps.today()
    snoozes = []
    for s in deps.store.active_snoozes(today):
        deal = snap.pipeline.deal_index.get(s.deal_id)
        if deal is not None and viewer.can_see(deal):
            snoozes.append((deal.name, s.pattern if s.pattern != "*" else "all", s.until, s.reason))
    return blocks.home_view_rep(viewer.name, items, snoozes, names, snap.coverage_note)


def team_summary(snap: Snapshot, viewer: Viewer) -> blocks.TeamSummary:
    open_deals = [d for d in snap.pipeline.deals if d.is_open and viewer.can_see(d)]
    flagged = [c.advice for c in snap.cards.values() if viewer.can_see(c.deal)]
    return blocks.TeamSummary(
        flagged=len(flagged),
        open_deals=len(open_deals),
        value=sum(i[0].finding.deal.amount or 0.0 for i in flagged),
        open_value=sum(d.amount or 0.0 for d in open_deals),
        by_pattern=dict(Counter(a.finding.pattern for i in flagged for a in i)),
    )


def _manager_home(snap: Snapshot, viewer: Viewer, names: Mapping[str, str]) -> dict[str, Any]:
    flagged = [c.advice for c in snap.cards.values() if viewer.can_see(c.deal)]
    per_rep: dict[str, tuple[int, float]] = {}
    for items in flagged:
        d = items[0].finding.deal
        n, v = per_rep.get(d.owner_id, (0, 0.0))
        per_rep[d.owner_id] = (n + 1, v + (d.amount or 0.0))
    rows = sorted(((names.get(o, o), n, v) for o, (n, v) in per_rep.items()), key=lambda r: -r[2])
    return blocks.home_view_manager(
        viewer.name, team_summary(snap, viewer), flagged[:10], rows, names, snap.coverage_note
    )
