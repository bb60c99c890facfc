"""Tests for the synthetic Salesforce export generator (bot.tools.synth)."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from bot.tools.synth import main_synth, write_synthetic_export

FILES = (
    "User.csv",
    "Account.csv",
    "Contact.csv",
    "Opportunity.csv",
    "OpportunityContactRole.csv",
    "OpportunityHistory.csv",
    "Task.csv",
    "Event.csv",
)
DEALS = 200
ACTIVITIES = 2_000
# sha256 over (name, bytes) of each file of the default export above, by file name.
PINNED = "9f619c62f7f0280283b1272cbc3d978311101daa267a5dfc6c0de2c481cd5784"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("synth")
    counts = write_synthetic_export(out, deals=DEALS, activities=ACTIVITIES)
    return out, counts


def test_writes_all_files(export: tuple[Path, dict[str, int]]) -> None:
    """All eight Salesforce object files are written and reported."""
    out, counts = export
    assert set(counts) == set(FILES)
    assert all((out / name).is_file() for name in FILES)


def test_same_seed_is_byte_identical(export: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    """The same seed produces byte-identical files."""
    out, _ = export
    write_synthetic_export(tmp_path, deals=DEALS, activities=ACTIVITIES)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_output_is_pinned(export: tuple[Path, dict[str, int]]) -> None:
    """The bytes of a small export are fixed: sharing the Salesforce writer with the
    scenario files (salesforce.py) must not change what synth writes."""
    out, _ = export
    digest = hashlib.sha256()
    for name in sorted(FILES):
        digest.update(name.encode())
        digest.update((out / name).read_bytes())
    assert digest.hexdigest() == PINNED


def test_other_seed_differs(export: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    """A different seed produces different deals and activities."""
    out, _ = export
    write_synthetic_export(tmp_path, deals=DEALS, activities=ACTIVITIES, seed=8)
    for name in ("Opportunity.csv", "Task.csv", "Event.csv"):
        assert (tmp_path / name).read_bytes() != (out / name).read_bytes(), name


def test_reported_counts_match_file_rows(export: tuple[Path, dict[str, int]]) -> None:
    """Returned counts equal the data rows actually in each file."""
    out, counts = export
    for name in FILES:
        assert len(_rows(out / name)) == counts[name], name


def test_exact_deal_and_activity_counts(export: tuple[Path, dict[str, int]]) -> None:
    """Deals are exact and Task + Event rows total exactly `activities`, split ~75/25."""
    _, counts = export
    assert counts["Opportunity.csv"] == DEALS
    assert counts["Task.csv"] + counts["Event.csv"] == ACTIVITIES
    assert counts["Event.csv"] == ACTIVITIES // 4


def test_users_are_reps_plus_managers(export: tuple[Path, dict[str, int]]) -> None:
    """User.csv holds the reps plus one manager per 8 reps."""
    _, counts = export
    assert counts["User.csv"] == 50 + 7


def test_history_has_one_to_four_rows_per_deal(export: tuple[Path, dict[str, int]]) -> None:
    """Every deal has between 1 and 4 OpportunityHistory rows."""
    out, _ = export
    per_deal: dict[str, int] = {}
    for row in _rows(out / "OpportunityHistory.csv"):
        per_deal[row["OpportunityId"]] = per_deal.get(row["OpportunityId"], 0) + 1
    assert len(per_deal) == DEALS
    assert all(1 <= n <= 4 for n in per_deal.values())


def test_activity_what_ids_reference_opportunities(export: tuple[Path, dict[str, int]]) -> None:
    """Every Task/Event WhatId is an existing Opportunity Id."""
    out, _ = export
    opp_ids = {row["Id"] for row in _rows(out / "Opportunity.csv")}
    for name in ("Task.csv", "Event.csv"):
        assert {row["WhatId"] for row in _rows(out / name)} <= opp_ids, name


def test_owner_ids_reference_users(export: tuple[Path, dict[str, int]]) -> None:
    """Every OwnerId in deals and activities is an existing User Id."""
    out, _ = export
    user_ids = {row["Id"] for row in _rows(out / "User.csv")}
    for name in ("Opportunity.csv", "Task.csv", "Event.csv"):
        assert {row["OwnerId"] for row in _rows(out / name)} <= user_ids, name


def test_files_start_with_utf8_bom(export: tuple[Path, dict[str, int]]) -> None:
    """Every file starts with the UTF-8 byte order mark."""
    out, _ = export
    for name in FILES:
        assert (out / name).read_bytes()[:3] == b"\xef\xbb\xbf", name


def test_ids_have_salesforce_prefixes(export: tuple[Path, dict[str, int]]) -> None:
    """Ids are 18 characters with the object's key prefix."""
    out, _ = export
    prefixes = {"User.csv": "005", "Opportunity.csv": "006", "Task.csv": "00T", "Event.csv": "00U"}
    for name, prefix in prefixes.items():
        ids = [row["Id"] for row in _rows(out / name)]
        assert all(len(i) == 18 and i.startswith(prefix) for i in ids), name


def test_about_a_quarter_of_deals_closed(export: tuple[Path, dict[str, int]]) -> None:
    """Roughly 75% of deals are open and closed flags match the stage."""
    out, _ = export
    opps = _rows(out / "Opportunity.csv")
    closed = [o for o in opps if o["IsClosed"] == "true"]
    assert 0.15 < len(closed) / len(opps) < 0.35
    assert all(o["StageName"] in ("Closed Won", "Closed Lost") for o in closed)


def test_descriptions_need_csv_quoting(export: tuple[Path, dict[str, int]]) -> None:
    """Some descriptions contain a comma, a double quote and a newline and round-trip."""
    out, _ = export
    descs = [row["Description"] for row in _rows(out / "Task.csv")]
    assert any("," in d and '"' in d and "\n" in d for d in descs)


def test_main_synth_writes_and_summarises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """main_synth creates OUT_DIR, returns 0 and prints a one-line summary."""
    out = tmp_path / "new" / "dir"
    assert (
        main_synth(["--deals", "20", "--activities", "100", "--as-of", "2026-01-15", str(out)]) == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "Task.csv=75" in lines[0]
    assert (out / "Event.csv").is_file()


def test_main_synth_rejects_zero_deals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--deals 0 returns 2 with a message naming deals on stderr."""
    assert main_synth(["--deals", "0", "--activities", "10", str(tmp_path)]) == 2
    assert "deals" in capsys.readouterr().err


def test_main_synth_rejects_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --as-of returns 2 and explains the expected format."""
    assert main_synth(["--deals", "5", "--activities", "10", "--as-of", "soon", str(tmp_path)]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_synth_and_state_take_options_in_any_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import main

    out = tmp_path / "x"
    assert main(["synth", "--deals", "20", "--activities", "60", "--reps", "2", str(out)]) == 0
    assert (out / "Opportunity.csv").read_text(encoding="utf-8-sig").count("\n") == 21
    monkeypatch.setenv("DEALNUDGE_DB", str(tmp_path / "state.json"))
    assert main(["state", "export", str(tmp_path / "backup.json")]) == 0
    assert (tmp_path / "backup.json").is_file()
