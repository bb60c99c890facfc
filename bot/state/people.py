"""CRM owners <-> Slack users: by email through the Web API, cached in the store.

Overrides in dealnudge.toml ([people]) win; a cached link is trusted for a week, then
looked up again; an owner with no Slack account is remembered as unmapped for the same week
so a batch does not ask Slack again for every deal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.state import Store
from rules.model import Owner, Pipeline

log = logging.getLogger(__name__)
REFRESH = timedelta(days=7)


class NeedsSlack(Exception):
    """Answering needs a Slack Web API call, and the caller asked for local answers only."""


@dataclass(frozen=True)
class Profile:
    user_id: str
    email: str
    name: str
    tz: str


class PeopleDirectory:
    def __init__(
        self,
        store: Store,
        client: WebClient | None,
        overrides: Mapping[str, str],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.client = client
        self.overrides = {k.lower(): v for k, v in overrides.items()}
        self.clock = clock
        self._profiles: dict[str, Profile | None] = {}
        self._lock = threading.Lock()

    # --- owner -> Slack ---
    def slack_id(self, owner: Owner) -> str | None:
        """The owner's Slack user id, or ``None`` when they cannot be matched."""
        for key in (owner.id.lower(), owner.email.lower()):
            if key and key in self.overrides:
                return self.overrides[key]
        cached = self.store.person(owner.id)
        if cached is not None and self.clock() - cached.cached_at < REFRESH:
            return cached.slack_user_id or None
        if not owner.email or self.client is None:
            return cached.slack_user_id if cached else None
        try:
            user = self.client.users_lookupByEmail(email=owner.email)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") == "users_not_found":
                self.store.cache_person(owner.id, "", source="not_found")
                return None
            log.warning("users.lookupByEmail failed for owner %s: %s", owner.id,
                        exc.response.get("error"))  # fmt: skip
            return cached.slack_user_id if cached else None
        user_id = str(user["id"])
        self.store.cache_person(owner.id, user_id, tz=str(user.get("tz") or ""), source="email")
        return user_id

    def lookup_email(self, email: str) -> str | None:
        """The Slack user id with this email, or ``None`` (not found or Slack failed)."""
        if self.client is None:
            return None
        try:
            return str(self.client.users_lookupByEmail(email=email)["user"]["id"])
        except SlackApiError as exc:
            log.warning("users.lookupByEmail failed: %s", exc.response.get("error"))
            return None

    def tz(self, owner: Owner) -> str:
        person = self.store.person(owner.id)
        if person and person.tz:
            return person.tz
        user_id = self.slack_id(owner)
        profile = self.profile(user_id) if user_id else None
        return profile.tz if profile else ""

    # --- Slack -> owner ---
    def profile(self, user_id: str, *, remote: bool = True) -> Profile | None:
        """The Slack user's email, name and time zone (users.info), cached in memory.

        With ``remote=False`` a profile not cached yet raises ``NeedsSlack`` instead.
        """
        with self._lock:
            if user_id in self._profiles:
                return self._profiles[user_id]
        if self.client is None or not user_id:
            return None
        if not remote:
            raise NeedsSlack(user_id)
        try:
            user = self.client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            error = exc.response.get("error")
            log.warning("users.info failed for %s: %s", user_id, error)
            if error in ("user_not_found", "account_inactive"):
                with self._lock:
                    self._profiles[user_id] = None  # not worth asking again
            return None
        info = user.get("profile") or {}
        profile = Profile(
            user_id,
            str(info.get("email") or ""),
            str(user.get("real_name") or info.get("real_name") or user.get("name") or ""),
            str(user.get("tz") or ""),
        )
        with self._lock:
            self._profiles[user_id] = profile
        return profile

    def owner_of(self, user_id: str, pipeline: Pipeline, *, remote: bool = True) -> Owner | None:
        """The CRM owner a Slack user is, from overrides, the store, then their email
        (``remote=False``: raises ``NeedsSlack`` rather than asking Slack for it)."""
        for key, slack_id in self.overrides.items():
            if slack_id == user_id:
                owner = _by_key(pipeline, key)
                if owner:
                    return owner
        person = self.store.person_by_slack_id(user_id) if user_id else None
        if person is not None and person.owner_id in pipeline.owner_index:
            return pipeline.owner_index[person.owner_id]
        profile = self.profile(user_id, remote=remote)
        if profile is None or not profile.email:
            return None
        owner = _by_email(pipeline, profile.email)
        if owner is not None:
            self.store.cache_person(owner.id, user_id, tz=profile.tz, source="email")
        return owner


def _by_key(pipeline: Pipeline, key: str) -> Owner | None:
    """The owner a [people] key names: its CRM id or its email, in any case (as
    ``slack_id`` matches them the other way)."""
    return next((o for o in pipeline.owners if key in (o.id.lower(), o.email.lower())), None)


def _by_email(pipeline: Pipeline, email: str) -> Owner | None:
    e = email.lower()
    return next((o for o in pipeline.owners if o.email.lower() == e), None)


def people_report(people: PeopleDirectory, pipeline: Pipeline) -> dict[str, list[dict[str, str]]]:
    """Owners of open deals matched to Slack users, and those that could not be."""
    owners = sorted({d.owner_id for d in pipeline.deals if d.is_open and d.owner_id})
    out: dict[str, list[dict[str, str]]] = {"mapped": [], "unmapped": []}
    for owner_id in owners:
        owner = pipeline.owner_index.get(owner_id) or Owner(owner_id, owner_id)
        user = people.slack_id(owner)
        row = {"owner_id": owner.id, "name": owner.name, "email": owner.email}
        if user:
            out["mapped"].append(row | {"slack_user_id": user})
        else:
            out["unmapped"].append(row)
    return out


def people_text(report: Mapping[str, list[dict[str, str]]]) -> str:
    mapped, unmapped = report["mapped"], report["unmapped"]
    lines = [
        "",
        f"Slack people: {len(mapped)} owner(s) of open deals matched, {len(unmapped)} not matched",
    ]
    for row in unmapped:
        who = row["name"] or row["owner_id"]
        email = row["email"] or "no email in the export"
        lines.append(f"  unmatched: {who} <{email}> (CRM id {row['owner_id']})")
    if unmapped:
        lines.append(
            "  Map them in dealnudge.toml [people] (CRM owner id or email = Slack user id),"
        )
        lines.append("  or make their CRM email match their Slack email.")
    return "\n".join(lines)
