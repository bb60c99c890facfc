"""Who may see which deals: a rep their own, a manager their reports', an admin all.

Every Slack surface asks ``Viewer.can_see`` before it shows or acts on a deal, so a deal
name guessed by someone else reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.appconfig import AppConfig
from bot.state.people import PeopleDirectory
from rules.model import Deal, Owner, Pipeline

Role = Literal["admin", "manager", "rep", "none"]


@dataclass(frozen=True)
class Viewer:
    user_id: str
    owner: Owner | None
    role: Role
    owner_ids: frozenset[str] | None  # None: every owner (admins)

    def can_see(self, deal: Deal) -> bool:
        return self.owner_ids is None or deal.owner_id in self.owner_ids

    @property
    def name(self) -> str:
        return self.owner.name if self.owner else ""


def reports_of(owner: Owner, pipeline: Pipeline, config: AppConfig) -> set[str]:
    """Owner ids the owner manages: CRM manager field (all levels) and config teams."""
    children = pipeline.reports_by_manager
    found: set[str] = set()
    stack = list(children.get(owner.id, ()))
    while stack:
        current = stack.pop()
        if current not in found and current != owner.id:
            found.add(current)
            stack.extend(children.get(current, ()))
    keys = {owner.id.lower(), owner.email.lower(), owner.name.lower()} - {""}
    for team in config.rules.teams:
        if keys & team.managers:
            for o in pipeline.owners:
                if o.id != owner.id and config.rules.team_of(o) == team.name:
                    found.add(o.id)
    return found


def resolve_viewer(
    user_id: str,
    pipeline: Pipeline,
    people: PeopleDirectory,
    config: AppConfig,
    *,
    remote: bool = True,
) -> Viewer:
    """Who ``user_id`` is to dealnudge (``remote=False``: from what is known locally, else
    ``people.NeedsSlack``)."""
    owner = people.owner_of(user_id, pipeline, remote=remote)
    email = owner.email if owner else ""
    if not email and config.slack.admins:
        profile = people.profile(user_id, remote=remote)
        email = profile.email if profile else ""
    if config.is_admin(user_id, email):
        return Viewer(user_id, owner, "admin", None)
    if owner is None:
        return Viewer(user_id, None, "none", frozenset())
    reports = reports_of(owner, pipeline, config)
    return Viewer(user_id, owner, "manager" if reports else "rep", frozenset({owner.id, *reports}))
