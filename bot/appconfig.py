"""The app's part of dealnudge.toml (Slack, people, privacy, nudges, schedules), validated.

``rules.config`` owns [general], [patterns], [teams] and [lexicon]; this module owns the
rest, with the same rule: an unknown key fails with a message naming it.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rules.config import Config, ConfigError, config_from_dict, default_text, section_values


@dataclass(frozen=True)
class SlackSection:
    # Slack user ids (U...) or emails of admins: they see every deal and get ingest alerts.
    admins: tuple[str, ...] = ()
    # Channel id for admin alerts (a broken export, unmapped owners); empty = admins' DMs.
    admin_channel: str = ""
    # Channel id that also gets an org-wide digest (aggregates only unless [privacy] allows).
    digest_channel: str = ""


@dataclass(frozen=True)
class PrivacySection:
    # Deal names and details in channels (linked deal rooms excepted). Off: aggregates only.
    deal_details_in_channels: bool = False


@dataclass(frozen=True)
class NudgesSection:
    max_deals: int = 3  # deals per morning nudge
    cooldown_days: int = 7  # a deal+pattern is not nudged again within this, unless it changed
    questions_per_finding: int = 2  # questions shown by /deal per finding


@dataclass(frozen=True)
class SourceSection:
    # A mapping file for an export no built-in format reads (relative to this file);
    # DEALNUDGE_MAPPING, when set, wins.
    mapping: str = ""


@dataclass(frozen=True)
class SchedulesSection:
    refresh_minutes: int = 30  # re-read DEALNUDGE_SOURCE this often
    nudge_cron: str = "0 9 * * mon-fri"  # rep nudges, in each rep's Slack time zone
    digest_cron: str = "0 8 * * mon"  # manager digests, in each manager's time zone
    holidays: tuple[str, ...] = ()  # YYYY-MM-DD dates with no nudges
    nudge_grace_hours: int = 4  # a nudge missed (bot down) is sent late within this, once
    digest_grace_hours: int = 24
    # Per-team overrides: team name -> {"nudge_cron": ..., "digest_cron": ...}.
    teams: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def nudge_cron_for(self, team: str) -> str:
        return self.teams.get(team, {}).get("nudge_cron", self.nudge_cron)

    def digest_cron_for(self, team: str) -> str:
        return self.teams.get(team, {}).get("digest_cron", self.digest_cron)


@dataclass(frozen=True)
class CrmSection:
    # With DEALNUDGE_SOURCE=salesforce:/hubspot:/pipedrive:, "I'll ask this" also records a
    # completed activity on the deal in the CRM (once per click, retried until it lands).
    write_back: bool = False


SECTIONS: Mapping[str, type[Any]] = {
    "slack": SlackSection,
    "privacy": PrivacySection,
    "nudges": NudgesSection,
    "schedules": SchedulesSection,
    "source": SourceSection,
    "crm": CrmSection,
}


@dataclass(frozen=True)
class AppConfig:
    rules: Config
    slack: SlackSection = field(default_factory=SlackSection)
    privacy: PrivacySection = field(default_factory=PrivacySection)
    nudges: NudgesSection = field(default_factory=NudgesSection)
    schedules: SchedulesSection = field(default_factory=SchedulesSection)
    source: SourceSection = field(default_factory=SourceSection)
    crm: CrmSection = field(default_factory=CrmSection)
    # CRM owner id or email (lower-case) -> Slack user id, for people whose emails differ.
    people: Mapping[str, str] = field(default_factory=dict)

    def is_admin(self, slack_user_id: str, email: str = "") -> bool:
        admins = {a.lower() for a in self.slack.admins}
        return slack_user_id.lower() in admins or (bool(email) and email.lower() in admins)


def load_app_config(path: Path | None) -> AppConfig:
    """Read dealnudge.toml (``None``: the shipped defaults)."""
    source = str(path) if path else "dealnudge.toml (shipped defaults)"
    if path is None:
        text = default_text()
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    config = app_config_from_dict(data, source)
    if path is not None and config.source.mapping:  # relative to the config file
        mapping = (path.parent / Path(config.source.mapping).expanduser()).resolve()
        config = dataclasses.replace(config, source=SourceSection(str(mapping)))
    return config


def export_mapping(env_mapping: Path | None, config: AppConfig) -> Path | None:
    """The mapping file the export is read with: DEALNUDGE_MAPPING, else [source] mapping."""
    if env_mapping is not None:
        return env_mapping
    return Path(config.source.mapping) if config.source.mapping else None


def app_config_from_dict(data: Mapping[str, Any], source: str = "dealnudge.toml") -> AppConfig:
    rules = config_from_dict(data, source=source)
    sections = {
        name: _section(source, name, kind, data.get(name, {})) for name, kind in SECTIONS.items()
    }
    people = data.get("people", {})
    if not isinstance(people, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in people.items()
    ):
        raise ConfigError(
            f'{source}: [people] maps CRM owner ids or emails to Slack ids: "x" = "U…"'
        )
    _check_schedules(source, sections["schedules"], {t.name for t in rules.teams})
    return AppConfig(rules=rules, people={k.lower(): v for k, v in people.items()}, **sections)


def check_cron(expr: str) -> str:
    """``""`` when ``expr`` is a usable 5-field cron expression, else why not."""
    from apscheduler.triggers.cron import CronTrigger

    if len(expr.split()) != 5:
        return "needs 5 fields: minute hour day month day-of-week, like '0 9 * * mon-fri'"
    try:
        CronTrigger.from_crontab(expr)
    except ValueError as exc:
        return str(exc)
    return ""


def _check_schedules(source: str, s: SchedulesSection, teams: set[str]) -> None:
    crons = [("nudge_cron", s.nudge_cron), ("digest_cron", s.digest_cron)]
    for team, table in s.teams.items():
        if team not in teams:
            raise ConfigError(f"{source}: [schedules.teams.{team}]: no team {team!r} in [teams]")
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [schedules.teams.{team}] must be a table")
        for key, value in table.items():
            if key not in ("nudge_cron", "digest_cron") or not isinstance(value, str):
                raise ConfigError(
                    f"{source}: [schedules.teams.{team}]: {key!r} must be nudge_cron or "
                    "digest_cron, a cron string"
                )
            crons.append((f"teams.{team}.{key}", value))
    for name, expr in crons:
        why = check_cron(expr)
        if why:
            raise ConfigError(f"{source}: [schedules] {name} = {expr!r}: {why}")
    for day in s.holidays:
        try:
            date.fromisoformat(day)
        except ValueError:
            raise ConfigError(
                f"{source}: [schedules] holidays: {day!r} is not a date like 2026-12-25"
            ) from None
    if s.refresh_minutes < 1:
        raise ConfigError(f"{source}: [schedules] refresh_minutes must be at least 1")


def _section(source: str, name: str, kind: type[Any], table: Any) -> Any:
    return kind(**section_values(source, f"[{name}]", table, kind))
