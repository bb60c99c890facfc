"""Real public exports read in place (not copied): every row reconciles, nothing escapes,
and no finding claims what the export cannot know."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from support.claims import unsupported_claims

from bot.cli import main
from bot.ingest.coverage import coverage_lines
from bot.ingest.loader import LoadResult, load_export
from bot.ingest.report import ExportError
from rules.config import load_config
from rules.engine import evaluate
from rules.model import Input

PUBLIC = Path(os.environ.get("DEALNUDGE_PUBLIC_EXPORTS", "/work/shared/data/public-exports"))
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
AS_OF = date(2026, 11, 30)
# (folder, mapping or None, deals)
SETS = [
    ("salesforce_tdx2025_hackathon", None, 155),
    ("salesforce_data_cloud_workshop", None, 50),
    ("salesforce_powerbi_demo", None, 36),
    ("maven_crm_sales_opportunities", "maven_mapping.toml", 8800),
    ("maven_derived_with_interactions", "maven_interactions_mapping.toml", 8800),
    ("synthetic_crm_basudev", "basudev_mapping.toml", 500),
]


def _folder(name: str) -> Path:
    folder = PUBLIC / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is not available")
    return folder


def _load(name: str, mapping: str | None) -> LoadResult:
    return load_export([_folder(name)], mapping=EXAMPLES / mapping if mapping else None)


@pytest.mark.parametrize(("name", "mapping", "deals"), SETS)
def test_public_export_reconciles(name: str, mapping: str | None, deals: int) -> None:
    """Each public export loads all its deals and every file reconciles."""
    result = _load(name, mapping)
    assert len(result.pipeline.deals) == deals
    for f in result.report.files:
        assert f.reconciles, f
    assert not [p for p in result.report.problems if "could not read this row" in p.reason]


@pytest.mark.parametrize(("name", "mapping", "deals"), SETS)
def test_no_finding_rests_on_what_the_export_lacks(
    name: str, mapping: str | None, deals: int
) -> None:
    """Findings come only from patterns the export lets run and claim nothing it lacks;
    no single pattern is nearly every finding unless the data says so."""
    result = _load(name, mapping)
    lines = coverage_lines(result.pipeline, result.report)
    runnable = {c.coverage.pattern for c in lines if c.coverage.evaluated != "no"}
    findings = evaluate(result.pipeline, load_config(), AS_OF)
    for f in findings:
        assert f.pattern in runnable
        assert not unsupported_claims(f, result.pipeline.inputs)


def test_tdx_coverage_names_the_missing_next_step_column() -> None:
    """The hackathon export has no NextStep: no finding says the field is empty, and
    coverage names the column that would add it."""
    result = _load("salesforce_tdx2025_hackathon", None)
    assert Input.NEXT_STEP not in result.pipeline.inputs
    line = next(
        c
        for c in coverage_lines(result.pipeline, result.report)
        if c.coverage.pattern == "no-next-step"
    )
    assert line.coverage.evaluated == "partly" and "NextStep" in line.hint
    assert len(result.pipeline.activities) == 83  # all linked by WhatId


def test_powerbi_has_no_activities_to_speak_of() -> None:
    """No activity file: activity patterns do not run, and no finding says "no activity"."""
    result = _load("salesforce_powerbi_demo", None)
    assert len(result.pipeline.history) == 48
    verdict = {
        c.coverage.pattern: c.coverage.evaluated
        for c in coverage_lines(result.pipeline, result.report)
    }
    assert verdict["relationship-without-progress"] == "no"
    assert verdict["stalled-in-stage"] == "yes"


def test_maven_interactions_tie_only_to_the_deal_open_on_their_date() -> None:
    """Account-level interactions attach to the one deal of the account open on their
    date; the rest stay unlinked with that reason (never another deal's history)."""
    result = _load("maven_derived_with_interactions", "maven_interactions_mapping.toml")
    deals = result.pipeline.deal_index
    for a in result.pipeline.activities:
        d = deals[a.deal_id]
        assert a.date is not None
        assert d.created is None or d.created <= a.date
        assert d.is_open or d.close_date is None or a.date <= d.close_date
    reasons = [p.reason for p in result.report.problems if p.status == "unlinked"]
    assert reasons and all("open on" in r for r in reasons)


def test_maven_without_mapping_is_a_clear_error() -> None:
    """Without a mapping the Maven set fails saying no built-in format matches it, with
    the file's columns and where mapping files come from."""
    with pytest.raises(
        ExportError,
        match=r"no file matches a built-in export.*sales_pipeline\.csv has the columns "
        r"opportunity_id.*--mapping FILE",
    ):
        load_export([_folder("maven_crm_sales_opportunities")])


def test_maven_nudge_dry_run_through_dealnudge_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mapped export runs nudge --dry-run through DEALNUDGE_MAPPING with no traceback."""
    monkeypatch.setenv("DEALNUDGE_SOURCE", str(_folder("maven_crm_sales_opportunities")))
    monkeypatch.setenv("DEALNUDGE_MAPPING", str(EXAMPLES / "maven_mapping.toml"))
    monkeypatch.setenv("DEALNUDGE_DB", str(tmp_path / "state.json"))
    assert main(["nudge", "--dry-run", "--as-of", "2017-12-31"]) == 0
    out = capsys.readouterr()
    assert "nudges:" in out.out and "Traceback" not in out.err
