"""Coverage: what an export lets each pattern check, and findings that never claim more."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.claims import unsupported_claims

from bot.cli import main
from bot.ingest.coverage import coverage_lines, coverage_note
from bot.ingest.loader import load_export
from bot.tools.scenario import load_scenario, write_export
from rules.config import load_config
from rules.engine import evaluate
from rules.model import Input

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "exports"
SCENARIO = ROOT / "tests" / "corpus" / "scenarios" / "dev_terse.toml"


def verdicts(folder: Path) -> dict[str, str]:
    result = load_export([folder])
    return {
        c.coverage.pattern: c.coverage.evaluated
        for c in coverage_lines(result.pipeline, result.report)
    }


def test_a_full_salesforce_export_lets_every_pattern_run() -> None:
    """Opportunity, Task, Event, Contact, roles and history: every pattern is evaluated."""
    assert set(verdicts(FIXTURES / "salesforce_api").values()) == {"yes"}


def test_hubspot_deals_and_activities_coverage() -> None:
    """HubSpot deals + activities: no contact titles and no close-date history."""
    v = verdicts(FIXTURES / "hubspot_activities")
    assert v["close-date-slipping"] == "no"
    assert v["single-threaded"] == "partly"  # titles unknown
    assert v["stalled-in-stage"] == "yes"  # Date entered current stage
    assert v["one-way-chasing"] == "yes"  # call and email direction
    assert v["no-next-step"] == "yes"


def test_pipedrive_coverage() -> None:
    """Pipedrive: stage age from Last stage change; no direction; no close history."""
    v = verdicts(FIXTURES / "pipedrive")
    assert v["stalled-in-stage"] == "yes"
    assert v["one-way-chasing"] == "partly"
    assert v["close-date-slipping"] == "no"


def test_an_opportunity_file_alone_runs_only_what_it_can(tmp_path: Path) -> None:
    """Only Opportunity.csv: the activity patterns yield nothing, and scan --json says so."""
    folder = tmp_path / "sf"
    folder.mkdir()
    shutil.copy(FIXTURES / "salesforce_api" / "Opportunity.csv", folder)
    result = load_export([folder])
    lines = coverage_lines(result.pipeline, result.report)
    no = {c.coverage.pattern for c in lines if c.coverage.evaluated == "no"}
    assert {
        "relationship-without-progress",
        "one-way-chasing",
        "convincing-mode",
        "dropped-when-not-ready",
        "single-threaded",
        "stalled-in-stage",
    } <= no
    found = evaluate(result.pipeline, load_config(), date(2026, 6, 1))
    assert not [f for f in found if f.pattern in no]
    assert "cannot run on this export" in coverage_note(lines)
    hint = next(c.hint for c in lines if c.coverage.pattern == "one-way-chasing")
    assert "Task.csv" in hint


def test_scan_json_reports_coverage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """scan --json has a top-level coverage list: pattern, evaluated, missing, hint."""
    import json

    assert main(["scan", str(FIXTURES / "pipedrive"), "--json", "--as-of", "2026-01-15"]) == 0
    report = json.loads(capsys.readouterr().out)
    entry = next(c for c in report["coverage"] if c["pattern"] == "close-date-slipping")
    assert entry == {
        "pattern": "close-date-slipping",
        "evaluated": "no",
        "missing": ["close_history"],
        "hint": "add let `dealnudge serve` diff daily exports",
    }


def test_check_prints_what_the_export_lets_dealnudge_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(FIXTURES / "hubspot_activities")]) == 0
    out = capsys.readouterr().out
    assert "What this export lets dealnudge check:" in out
    assert "close-date-slipping            no" in out


# ------------------------------------------------------------------ the property

DROPPABLE_FILES = (
    "Task.csv",
    "Event.csv",
    "Contact.csv",
    "OpportunityContactRole.csv",
    "OpportunityHistory.csv",
    "User.csv",
)
DROPPABLE_COLUMNS = (
    "NextStep",
    "CreatedDate",
    "CloseDate",
    "Description",
    "WhoId",
    "Title",
    "CallType",
    "Subject",
    "OwnerId",
)


@pytest.fixture(scope="module")
def full_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, date]:
    scenario = load_scenario(SCENARIO)
    out = tmp_path_factory.mktemp("full")
    write_export(scenario, "salesforce", out)
    return out, scenario.as_of


def _without(src: Path, dst: Path, files: set[str], columns: set[str]) -> None:
    dst.mkdir()
    for f in src.iterdir():
        if f.name in files:
            continue
        with f.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        cut = columns if f.name != "OpportunityHistory.csv" else set()  # its CreatedDate dates it
        keep = [i for i, h in enumerate(rows[0]) if h not in cut]
        with (dst / f.name).open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([[r[i] for i in keep if i < len(r)] for r in rows])


@pytest.mark.slow  # a property test: hypothesis examples
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.sets(st.sampled_from(DROPPABLE_FILES)),
    columns=st.sets(st.sampled_from(DROPPABLE_COLUMNS)),
)
def test_no_finding_rests_on_an_input_the_export_lacks(
    full_export: tuple[Path, date],
    tmp_path_factory: pytest.TempPathFactory,
    files: set[str],
    columns: set[str],
) -> None:
    """Drop any files and columns from a rich export: every finding comes from a pattern
    the export lets run, and none states what the export cannot know."""
    src, as_of = full_export
    if "Subject" in columns:
        columns = columns | {"Description"}  # a Task with neither is not an activity file
    dst = tmp_path_factory.mktemp("cut") / "export"
    _without(src, dst, files, columns)
    result = load_export([dst])
    inputs = result.pipeline.inputs
    runnable = {
        c.coverage.pattern
        for c in coverage_lines(result.pipeline, result.report)
        if c.coverage.evaluated != "no"
    }
    for f in evaluate(result.pipeline, load_config(), as_of):
        assert f.pattern in runnable
        assert not unsupported_claims(f, inputs), (sorted(files), sorted(columns))
    if "NextStep" in columns:
        assert Input.NEXT_STEP not in inputs


def test_the_claims_checker_catches_a_claim() -> None:
    """The property's checker is not vacuous: a next-step claim without the field fails."""
    from rules.base import Evidence, Finding
    from rules.model import Deal

    f = Finding(
        Deal("D", "x"),
        "no-next-step",
        0.5,
        "no next step recorded",
        (Evidence(None, "Next step field is empty", "field"),),
    )
    assert unsupported_claims(f, frozenset({Input.ACTIVITIES}))
    assert not unsupported_claims(f, frozenset({Input.NEXT_STEP}))
