"""Every pattern against its data-driven pass/fail cases (pattern_cases.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from pattern_builders import AS_OF, build

from rules.config import load_config
from rules.engine import evaluate

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).with_name("pattern_cases.toml")).read_text(encoding="utf-8")
)["case"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['pattern']}: {c['name']}" for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    """The pattern flags the case's deal exactly when the case expects it."""
    findings = evaluate(build(case), load_config(), AS_OF)
    flagged = [f for f in findings if f.pattern == case["pattern"]]
    assert bool(flagged) is case["expect"], [f.summary for f in findings]
    for f in flagged:
        assert f.evidence, "a finding must carry its evidence"
        assert 0.0 <= f.severity <= 1.0
