"""`dealnudge scan --json`: the findings as JSON, one finding per line, filtered by owner."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from bot.cli import main
from bot.tools.demo import demo_export_dir

LABELS = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "demo_expected.toml").read_text()
)


def scan(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    args = ["scan", str(demo_export_dir()), "--json", "--as-of", LABELS["as_of"], *extra]
    assert main(args) == 0
    return capsys.readouterr().out


def test_json_holds_the_labelled_findings_one_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    out = scan(capsys)
    report = json.loads(out)
    expected = {(deal, p) for deal, patterns in LABELS["deals"].items() for p in patterns}
    assert {(f["deal_id"], f["pattern"]) for f in report["findings"]} == expected
    assert report["flagged_deals"] == len({deal for deal, _ in expected})
    assert report["as_of"] == LABELS["as_of"] and report["rejected"] == 0
    lines = out.splitlines()
    # braces, 9 keys, two "]", a line per coverage entry and one per finding: grep-able
    assert len(lines) == len(report["findings"]) + len(report["coverage"]) + 13
    by_line = [json.loads(line.strip().rstrip(",")) for line in lines if '"deal_id"' in line]
    assert by_line == report["findings"]
    assert all(f["questions"] and f["evidence"] for f in by_line)


def test_owner_filter_keeps_only_that_owners_deals(capsys: pytest.CaptureFixture[str]) -> None:
    everyone = json.loads(scan(capsys))["findings"]
    hannah = json.loads(scan(capsys, "--owner", "hannah.cole@northwind-analytics.example"))
    owner_ids = {f["owner_id"] for f in hannah["findings"]}
    assert owner_ids == {"005DEMO00000000007"}
    assert hannah["findings"] == [f for f in everyone if f["owner_id"] in owner_ids]


def test_no_findings_is_still_valid_json(capsys: pytest.CaptureFixture[str]) -> None:
    report = json.loads(scan(capsys, "--owner", "nobody@example.com"))
    assert report["findings"] == [] and report["flagged_deals"] == 0
