"""`dealnudge check`: text and JSON output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def test_text_output_lists_files_and_problems(capsys: pytest.CaptureFixture[str]) -> None:
    """Text mode prints each file's format, kind and counts, and the problems by file:line."""
    assert main(["check", str(FIXTURES / "salesforce_api")]) == 0
    out = capsys.readouterr().out
    task_line = next(line for line in out.splitlines() if line.startswith("Task.csv"))
    assert task_line.split()[:7] == ["Task.csv", "salesforce", "tasks", "7", "4", "2", "1"]
    assert "2025-10-02 .. 2025-12-05" in task_line
    assert "Loaded 5 deals (3 open), 6 activities, 4 contacts, 3 owners, 3 history entries." in out
    assert "Rejected rows (2):" in out
    assert "  Task.csv:5: duplicate of line 4" in out
    assert "  Task.csv:6 [deal_id]: '006ZZ' is not a deal in this export" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one object with files, totals and rejected rows with file and line."""
    assert main(["check", str(FIXTURES / "hubspot"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    deals = next(f for f in data["files"] if f["kind"] == "deals")
    assert {k: deals[k] for k in ("format", "rows", "loaded", "rejected")} == {
        "format": "hubspot", "rows": 6, "loaded": 5, "rejected": 1,
    }  # fmt: skip
    assert (data["deals"], data["activities"], data["history"]) == (5, 3, 0)
    assert [(Path(r["file"]).name, r["line"]) for r in data["rejected"]] == [
        ("hubspot-crm-exports-all-deals-2026-01-15.csv", 6),
        ("hubspot-crm-exports-all-activities-2026-01-15.csv", 7),
    ]
    assert data["usable"] is True


def test_mapping_option(capsys: pytest.CaptureFixture[str]) -> None:
    """--mapping reads a custom spreadsheet."""
    folder = FIXTURES / "mapping"
    assert main(["check", str(folder), "--mapping", str(folder / "mapping.toml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["deals"], data["activities"]) == (3, 2)


def test_missing_column_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing required column exits 2 with one message naming file, column and closest match."""
    (tmp_path / "Opportunity.csv").write_text("Id,Name,Stage_Name\n006A,Deal,Prospecting\n")
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Opportunity.csv: missing required column 'StageName'" in err
    assert "columns found: Id, Name, Stage_Name" in err
    assert "closest match: 'Stage_Name'" in err


def test_unusable_json_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In --json mode an unusable export prints usable false and the error, exit 2."""
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    assert main(["check", str(tmp_path), "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["usable"] is False
    assert "no deals file found" in data["error"]


def test_format_forced(capsys: pytest.CaptureFixture[str]) -> None:
    """--format pipedrive reads the Pipedrive fixture."""
    assert main(["check", str(FIXTURES / "pipedrive"), "--format", "pipedrive"]) == 0
    assert "Loaded 5 deals (2 open), 4 activities" in capsys.readouterr().out


def test_more_than_20_problems_summarised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past 20 problems the text output shows a count instead of every row."""
    rows = "".join(f"00T{i},006X{i},Call,2025-01-02\n" for i in range(25))
    (tmp_path / "Opportunity.csv").write_text("Id,Name,StageName\n006A,Deal,Prospecting\n")
    (tmp_path / "Task.csv").write_text("Id,WhatId,Subject,ActivityDate\n" + rows)
    assert main(["check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Unlinked rows (25):" in out
    assert "  ... and 5 more (5 x" in out
