"""Meta-tests: the registry, the shipped config, the docs and the purity of rules/."""

from __future__ import annotations

import ast
import dataclasses
import tomllib
from pathlib import Path

import pytest

from rules.base import Pattern, Registry
from rules.config import ConfigError, default_text, load_config
from rules.patterns import REGISTRY
from rules.questions import load_questions

ROOT = Path(__file__).resolve().parents[2]
CODES = (
    "relationship-without-progress", "no-recognized-need", "waiting-on-someone-else",
    "single-threaded", "close-date-slipping", "stalled-in-stage", "one-way-chasing",
    "no-next-step", "convincing-mode", "dropped-when-not-ready", "close-date-passed",
    "gone-quiet",
)  # fmt: skip
CASES = tomllib.loads((ROOT / "tests/rules/pattern_cases.toml").read_text(encoding="utf-8"))["case"]


def test_registry_holds_exactly_the_promised_codes() -> None:
    """The registry's codes are the twelve the product promises, in order."""
    assert REGISTRY.codes() == CODES


def test_registry_rejects_a_duplicate_code() -> None:
    """Registering a second pattern under a taken code fails."""
    registry = Registry()
    registry.register(REGISTRY["no-next-step"])
    with pytest.raises(ValueError, match="no-next-step"):
        registry.register(REGISTRY["no-next-step"])


@pytest.mark.parametrize("pattern", list(REGISTRY), ids=REGISTRY.codes())
def test_pattern_is_documented(pattern: Pattern[object]) -> None:
    """Every pattern has a title, a why-it-matters paragraph, an example and a module docstring."""
    assert pattern.title and len(pattern.why) > 120 and pattern.example
    module = __import__(type(pattern).__module__, fromlist=["_"])
    assert module.__doc__ and pattern.code in module.__doc__


@pytest.mark.parametrize("pattern", list(REGISTRY), ids=REGISTRY.codes())
def test_shipped_config_documents_every_threshold_with_its_default(
    pattern: Pattern[object],
) -> None:
    """dealnudge.toml lists each param with the same default the code uses."""
    shipped = tomllib.loads(default_text())["patterns"][pattern.code]
    for f in dataclasses.fields(pattern.params_type):
        assert shipped[f.name] == f.default, f.name
    assert shipped["enabled"] is True


@pytest.mark.parametrize("code", CODES)
def test_every_pattern_has_pass_and_fail_cases(code: str) -> None:
    """Each pattern has at least one case it must flag and two it must not."""
    expects = [c["expect"] for c in CASES if c["pattern"] == code]
    assert expects.count(True) >= 1 and expects.count(False) >= 2


@pytest.mark.parametrize("code", CODES)
def test_every_pattern_has_at_least_six_questions(code: str) -> None:
    """The question bank offers each pattern at least six questions."""
    assert len(load_questions().for_pattern(code)) >= 6


def test_readme_documents_every_pattern_and_threshold() -> None:
    """The README's Patterns section names each pattern and each of its thresholds."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for pattern in REGISTRY:
        assert f"`{pattern.code}`" in readme
        for f in dataclasses.fields(pattern.params_type):
            assert f"`{f.name}` = {f.default}" in readme, (pattern.code, f.name)


def test_unknown_pattern_in_config_is_named_with_a_suggestion() -> None:
    """A misspelt pattern code fails loudly and suggests the right one."""
    with pytest.raises(ConfigError, match=r"unknown pattern 'single-thread'.*single-threaded"):
        load_config("[patterns.single-thread]\nenabled = false\n")


def test_unknown_key_in_config_is_named() -> None:
    """A misspelt threshold fails loudly, naming the key and the section."""
    with pytest.raises(ConfigError, match=r"\[patterns.no-next-step\].*'min_age'"):
        load_config("[patterns.no-next-step]\nmin_age = 3\n")


def test_wrongly_typed_threshold_is_rejected() -> None:
    """A threshold of the wrong type fails with what was expected."""
    with pytest.raises(ConfigError, match="must be int"):
        load_config('[patterns.no-next-step]\nmin_age_days = "three"\n')


def test_disabling_a_pattern_turns_it_off() -> None:
    """`enabled = false` makes params() return None for that pattern."""
    cfg = load_config("[patterns.no-next-step]\nenabled = false\n")
    assert cfg.params("no-next-step") is None
    assert cfg.params("single-threaded") is not None


def test_stage_and_team_overrides_layer_in_order() -> None:
    """Team-and-stage beats team beats stage beats the global setting."""
    cfg = load_config(
        """
[patterns.single-threaded]
min_activities = 5
[patterns.single-threaded.stages."Negotiation/Review"]
min_activities = 6
[teams.enterprise]
members = ["dana@example.com"]
[teams.enterprise.patterns.single-threaded]
min_age_days = 90
[teams.enterprise.patterns.single-threaded.stages."Negotiation/Review"]
min_activities = 8
"""
    )
    assert cfg.params("single-threaded").min_activities == 5
    assert cfg.params("single-threaded", stage="Negotiation/Review").min_activities == 6
    enterprise = cfg.params("single-threaded", team="enterprise")
    assert (enterprise.min_activities, enterprise.min_age_days) == (5, 90)
    assert (
        cfg.params("single-threaded", team="enterprise", stage="Negotiation/Review").min_activities
        == 8
    )


FORBIDDEN = ("bot", "slack_bolt", "slack_sdk", "requests", "tinydb", "apscheduler", "socket",
             "urllib", "http", "subprocess", "time")  # fmt: skip


@pytest.mark.parametrize("path", sorted((ROOT / "rules").rglob("*.py")), ids=lambda p: p.name)
def test_rules_package_is_pure(path: Path) -> None:
    """rules/ imports nothing from bot/, Slack, HTTP, storage or the clock."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
        if isinstance(node, ast.Attribute) and node.attr in ("today", "now", "utcnow"):
            pytest.fail(f"{path.name} reads the clock ({node.attr})")
        if isinstance(node, ast.Name) and node.id == "open":
            pytest.fail(f"{path.name} opens files")


def test_lexicon_section_extends_the_classifier() -> None:
    """A team's [lexicon] phrases are added to the shipped lists."""
    cfg = load_config('[lexicon]\nsocial = ["padel match"]\n')
    assert cfg.lexicon is not None
    assert cfg.lexicon.classify("Padel match with Dana", "").value == "social"


def test_lexicon_section_with_unknown_list_fails() -> None:
    """An unknown list name in [lexicon] is reported as a config error."""
    with pytest.raises(ConfigError, match="lexicon"):
        load_config('[lexicon]\nsocialising = ["padel"]\n')


def test_adjustments_layer_over_the_file_per_team() -> None:
    """Feedback adjustments change a team's threshold and leave other teams alone."""
    cfg = load_config('[teams.east]\nmembers = ["a@x.com"]\n')
    adjusted = cfg.with_adjustments({"east": {"single-threaded": {"min_activities": 6}}})
    assert adjusted.params("single-threaded", team="east").min_activities == 6
    assert adjusted.params("single-threaded").min_activities == 4
    assert cfg.params("single-threaded", team="east").min_activities == 4
