"""The same deals read from every CRM format give the same findings, except where a format
cannot carry the input (coverage says which); a sparse export claims nothing it lacks."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from corpus.scoring import DEV_SCENARIOS, SCENARIOS, scenario_at
from support.claims import unsupported_claims

from bot.ingest.loader import load_export
from bot.tools.scenario import FORMATS, SPARSE, write_export
from rules.config import load_config
from rules.coverage import Coverage
from rules.engine import evaluate, export_coverage

Found = tuple[frozenset[tuple[str, str]], dict[str, Coverage]]


@cache
def read(stem: str, fmt: str) -> Found:
    """(deal key, pattern) found, and each pattern's coverage, for a scenario as ``fmt``."""
    scenario = scenario_at(SCENARIOS / f"{stem}.toml")
    with tempfile.TemporaryDirectory() as tmp:
        ids = write_export(scenario, fmt, Path(tmp))
        result = load_export([Path(tmp)])
    key = {v: k for k, v in ids.items()}
    findings = evaluate(result.pipeline, load_config(), scenario.as_of)
    for f in findings:
        assert not unsupported_claims(f, result.pipeline.inputs), (stem, fmt, f.summary)
    coverage = {c.pattern: c for c in export_coverage(result.pipeline.inputs)}
    return frozenset((key[f.deal.id], f.pattern) for f in findings), coverage


def comparable(a: dict[str, Coverage], b: dict[str, Coverage]) -> Iterator[str]:
    """Patterns both exports evaluate with the same inputs missing (or none)."""
    for code, c in a.items():
        other = b[code]
        if c.evaluated != "no" and (c.evaluated, c.missing) == (other.evaluated, other.missing):
            yield code


@pytest.mark.parametrize("stem", DEV_SCENARIOS)
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "salesforce"] + [SPARSE])
def test_same_deals_same_findings_across_formats(stem: str, fmt: str) -> None:
    """Every pattern both formats can evaluate alike gives the same (deal, pattern) set."""
    sf_found, sf_cov = read(stem, "salesforce")
    found, cov = read(stem, fmt)
    shared = set(comparable(sf_cov, cov))
    assert len(shared) >= (2 if fmt == SPARSE else 5)
    assert {x for x in sf_found if x[1] in shared} == {x for x in found if x[1] in shared}


def test_a_sparse_export_says_what_it_cannot_check() -> None:
    """No NextStep, no contacts, no history: those patterns are partial or not run."""
    _, cov = read(DEV_SCENARIOS[0], SPARSE)
    assert cov["close-date-slipping"].evaluated == "no"
    assert cov["single-threaded"].evaluated == "no"
    assert cov["no-next-step"].evaluated == "partly"
    assert cov["relationship-without-progress"].evaluated == "partly"
