"""Team-editable configuration: which patterns run, with which thresholds, for whom.

The shipped ``rules/dealnudge.toml`` documents every key with its default. Overrides nest:
``[patterns.CODE]`` for everyone, ``[patterns.CODE.stages."Stage name"]`` for one stage,
``[teams.NAME.patterns.CODE]`` (and ``.stages``) for one team. Unknown sections, patterns
or keys fail with a message naming them: a typo must never silently switch a check off.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from rules.lexicon import Lexicon, load_lexicon
from rules.model import Owner
from rules.patterns import REGISTRY

RULES_SECTIONS = frozenset({"general", "patterns", "teams", "lexicon"})
# Sections of the same file that the Slack app owns and validates (bot/appconfig.py).
APP_SECTIONS = frozenset({"slack", "privacy", "nudges", "schedules", "people", "source", "crm"})
GENERAL_KEYS = {"new_deal_days": 21}


class ConfigError(ValueError):
    """A configuration problem, worded for the admin who wrote the file."""


def default_text() -> str:
    return resources.files("rules").joinpath("dealnudge.toml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Team:
    name: str
    members: frozenset[str]
    managers: frozenset[str]
    overrides: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Config:
    new_deal_days: int = 21
    patterns: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    teams: tuple[Team, ...] = ()
    lexicon: Lexicon | None = None
    _cache: dict[tuple[str, str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def team_of(self, owner: Owner | None) -> str:
        """The first team listing the owner (by id, email or name) or their manager."""
        if owner is None:
            return ""
        keys = {owner.id.lower(), owner.email.lower(), owner.name.lower()} - {""}
        for team in self.teams:
            if keys & team.members or (
                owner.manager_id and owner.manager_id.lower() in team.managers
            ):
                return team.name
        return ""

    def params(self, code: str, *, team: str = "", stage: str = "") -> Any | None:
        """The pattern's params for this team and stage, or ``None`` when it is disabled."""
        key = (code, team, stage)
        if key not in self._cache:
            self._cache[key] = self._resolve(code, team, stage)
        return self._cache[key]

    def with_adjustments(
        self, adjustments: Mapping[str, Mapping[str, Mapping[str, Any]]]
    ) -> Config:
        """Thresholds learned from feedback layered over the file's: team -> pattern -> params.

        Team "" means everyone. Values land at the team level, so a stage override in the
        file still wins for its stage.
        """
        patterns = {code: dict(table) for code, table in self.patterns.items()}
        teams = {t.name: t for t in self.teams}
        for team, per_pattern in adjustments.items():
            for code, params in per_pattern.items():
                if not team:
                    patterns.setdefault(code, {}).update(params)
                    continue
                existing = teams.get(team) or Team(team, frozenset(), frozenset(), {})
                merged = {c: dict(t) for c, t in existing.overrides.items()}
                merged.setdefault(code, {}).update(params)
                teams[team] = dataclasses.replace(existing, overrides=merged)
        return dataclasses.replace(self, patterns=patterns, teams=tuple(teams.values()), _cache={})

    def _resolve(self, code: str, team: str, stage: str) -> Any | None:
        layers: list[Mapping[str, Any]] = []
        base = self.patterns.get(code, {})
        layers += [base, base.get("stages", {}).get(stage, {})]
        for t in self.teams:
            if t.name == team:
                over = t.overrides.get(code, {})
                layers += [over, over.get("stages", {}).get(stage, {})]
        values: dict[str, Any] = {}
        enabled = True
        for layer in layers:
            for k, v in layer.items():
                if k == "enabled":
                    enabled = bool(v)
                elif k != "stages":
                    values[k] = v
        if not enabled:
            return None
        return REGISTRY[code].params_type(**values)


def load_config(
    text: str | None = None, *, source: str = "dealnudge.toml", other_sections: Collection[str] = ()
) -> Config:
    """Parse and validate a config; ``None`` is the shipped defaults."""
    raw = default_text() if text is None else text
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    return config_from_dict(data, source=source, other_sections=other_sections)


def config_from_dict(
    data: Mapping[str, Any], *, source: str = "dealnudge.toml", other_sections: Collection[str] = ()
) -> Config:
    allowed = RULES_SECTIONS | APP_SECTIONS | set(other_sections)
    _no_unknown(source, "top level", data, allowed)
    general = data.get("general", {})
    _no_unknown(source, "[general]", general, GENERAL_KEYS)
    new_deal_days = _typed(source, "[general] new_deal_days", general.get("new_deal_days", 21), 21)
    patterns = {
        code: _pattern_table(source, f"[patterns.{code}]", code, table)
        for code, table in _table(source, "[patterns]", data.get("patterns", {})).items()
    }
    _no_unknown_patterns(source, "[patterns]", patterns)
    teams = []
    for name, table in _table(source, "[teams]", data.get("teams", {})).items():
        where = f"[teams.{name}]"
        _no_unknown(source, where, table, {"members", "managers", "patterns"})
        overrides = {
            code: _pattern_table(source, f"{where}.patterns.{code}", code, t)
            for code, t in _table(source, f"{where}.patterns", table.get("patterns", {})).items()
        }
        _no_unknown_patterns(source, f"{where}.patterns", overrides)
        teams.append(
            Team(
                name,
                frozenset(
                    m.lower()
                    for m in _strings(source, f"{where} members", table.get("members", []))
                ),
                frozenset(
                    m.lower()
                    for m in _strings(source, f"{where} managers", table.get("managers", []))
                ),
                overrides,
            )
        )
    lexicon = None
    if "lexicon" in data:
        try:
            lexicon = load_lexicon(extra=_toml_lists(_table(source, "[lexicon]", data["lexicon"])))
        except ValueError as exc:
            raise ConfigError(f"{source}: [lexicon]: {exc}") from None
    return Config(new_deal_days, patterns, tuple(teams), lexicon)


def _toml_lists(table: Mapping[str, Any]) -> str:
    """Re-serialise the [lexicon] lists so the lexicon loader can merge them."""
    return "\n".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in table.items())


def _pattern_table(source: str, where: str, code: str, table: Any) -> dict[str, Any]:
    t = _table(source, where, table)
    if code not in REGISTRY:
        return t  # reported by _no_unknown_patterns with a suggestion
    defaults = {f.name: f.default for f in dataclasses.fields(REGISTRY[code].params_type)}
    _no_unknown(source, where, t, {*defaults, "enabled", "stages"})
    for k, v in t.items():
        if k == "enabled":
            _typed(source, f"{where} enabled", v, True)
        elif k == "stages":
            for stage, st in _table(source, f"{where}.stages", v).items():
                sw = f'{where}.stages."{stage}"'
                _no_unknown(source, sw, _table(source, sw, st), {*defaults, "enabled"})
                for sk, sv in st.items():
                    _typed(source, f"{sw} {sk}", sv, True if sk == "enabled" else defaults[sk])
        else:
            t[k] = _typed(source, f"{where} {k}", v, defaults[k])
    return t


def _no_unknown_patterns(source: str, where: str, patterns: Mapping[str, Any]) -> None:
    for code in patterns:
        if code not in REGISTRY:
            raise ConfigError(
                f"{source}: {where}: unknown pattern {code!r}{_hint(code, REGISTRY.codes())}; "
                f"known patterns: {', '.join(REGISTRY.codes())}"
            )


def section_values(source: str, where: str, value: Any, kind: type[Any]) -> dict[str, Any]:
    """The table ``value`` checked against the dataclass ``kind``: every key one of its
    fields (an unknown one is named, with the closest known), every value of its default's
    type (a tuple default takes a list of strings, returned as a tuple). The one validator
    of dealnudge.toml's sections, the rules' and the app's."""
    table = _table(source, where, value)
    defaults = {f.name: getattr(kind(), f.name) for f in dataclasses.fields(kind)}
    _no_unknown(source, where, table, defaults)
    return {
        k: tuple(_strings(source, f"{where} {k}", v))
        if isinstance(defaults[k], tuple)
        else _typed(source, f"{where} {k}", v, defaults[k])
        for k, v in table.items()
    }


def _table(source: str, where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: {where} must be a table, not {type(value).__name__}")
    return dict(value)


def _strings(source: str, where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: {where} must be a list of strings")
    return list(value)


def _typed(source: str, where: str, value: Any, default: Any) -> Any:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return value
    raise ConfigError(
        f"{source}: {where} must be {expected.__name__} (like {default!r}), not {value!r}"
    )


def _no_unknown(
    source: str, where: str, table: Mapping[str, Any], allowed: Collection[str]
) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(
                f"{source}: {where}: unknown key {key!r}{_hint(key, allowed)}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )


def _hint(word: str, options: Collection[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
