"""Mapping files: TOML naming which column is which."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.appconfig import export_mapping, load_app_config
from bot.cli import main
from bot.ingest.loader import LoadResult, load_export
from bot.ingest.mapping import bound_kind, load_mapping
from bot.ingest.report import ExportError

ROOT = Path(__file__).resolve().parents[3]


def _toml(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "m.toml"
    p.write_text(text)
    return p


def test_example_mapping_loads() -> None:
    """examples/maven_interactions_mapping.toml builds deals, accounts, owners and tasks."""
    fmt, globs = load_mapping(ROOT / "examples" / "maven_interactions_mapping.toml")
    assert [k.name for k in fmt.kinds] == ["deals", "accounts", "owners", "tasks"]
    assert fmt.won_stages == frozenset({"won"})
    assert globs["tasks"] == "interactions*.csv"


def test_fixture_mapping_is_day_first() -> None:
    """The fixture mapping declares DMY dates."""
    fmt, _ = load_mapping(ROOT / "tests" / "fixtures" / "exports" / "mapping" / "mapping.toml")
    assert fmt.date_order == "DMY"


def test_unknown_field_named_with_suggestion(tmp_path: Path) -> None:
    """A misspelt field is named, with the closest known field suggested."""
    p = _toml(tmp_path, '[deals]\nid = "x"\nclose_dat = "y"\n')
    with pytest.raises(
        ExportError,
        match=r"\[deals\] has unknown field 'close_dat' \(did you "
        r"mean 'close_date'\?\)",
    ):
        load_mapping(p)


def test_unknown_section_named_with_suggestion(tmp_path: Path) -> None:
    """A misspelt section is named with a suggestion."""
    p = _toml(tmp_path, '[deals]\nid = "x"\n[contcts]\nid = "y"\n')
    with pytest.raises(
        ExportError, match=r"unknown section \[contcts\] \(did you mean 'contacts'\?\)"
    ):
        load_mapping(p)


def test_unknown_top_level_setting_named(tmp_path: Path) -> None:
    """A misspelt top-level setting is named with a suggestion."""
    p = _toml(tmp_path, 'date_ordr = "DMY"\n[deals]\nid = "x"\n')
    with pytest.raises(
        ExportError, match=r"unknown setting 'date_ordr' \(did you mean 'date_order'"
    ):
        load_mapping(p)


def test_bad_date_order(tmp_path: Path) -> None:
    """date_order other than MDY/DMY is refused."""
    p = _toml(tmp_path, 'date_order = "YMD"\n[deals]\nid = "x"\n')
    with pytest.raises(ExportError, match="date_order must be"):
        load_mapping(p)


def test_deals_section_required(tmp_path: Path) -> None:
    """A mapping without [deals] is refused."""
    p = _toml(tmp_path, '[owners]\nname = "x"\n')
    with pytest.raises(ExportError, match=r"needs a \[deals\] section"):
        load_mapping(p)


def test_empty_section_refused(tmp_path: Path) -> None:
    """A section that maps no column is refused instead of matching every file."""
    p = _toml(tmp_path, '[deals]\nid = "x"\n[activities]\nfile = "a.csv"\n')
    with pytest.raises(ExportError, match=r"\[activities\] names no columns"):
        load_mapping(p)


def test_invalid_toml(tmp_path: Path) -> None:
    """Broken TOML is reported with the file name."""
    p = _toml(tmp_path, "[deals\n")
    with pytest.raises(ExportError, match="not valid TOML"):
        load_mapping(p)


def test_missing_mapping_file(tmp_path: Path) -> None:
    """A mapping path that does not exist is an ExportError."""
    with pytest.raises(ExportError, match="cannot read mapping file"):
        load_mapping(tmp_path / "nope.toml")


def test_bad_column_value(tmp_path: Path) -> None:
    """A field value that is not a column name is refused."""
    p = _toml(tmp_path, "[deals]\nid = 3\n")
    with pytest.raises(ExportError, match="id must be a column name"):
        load_mapping(p)


def test_file_glob_binds_kind() -> None:
    """A file glob binds matching file names to the kind, case-insensitively."""
    assert bound_kind({"deals": "pipeline*.csv"}, Path("x/Pipeline_Q1.CSV")) == "deals"
    assert bound_kind({"deals": "pipeline*.csv"}, Path("x/other.csv")) is None


SALES = (
    "OppID,Title,OpportunityStage,Owner Mail\nO1,Alpha,Won,a@x.example\nO2,Beta,Open,b@x.example\n"
)


def _load(tmp_path: Path, mapping: str, csv_text: str = SALES) -> LoadResult:
    (tmp_path / "sales.csv").write_text(csv_text)
    return load_export([tmp_path / "sales.csv"], mapping=_toml(tmp_path, mapping))


def test_a_missing_required_column_stops_the_load(tmp_path: Path) -> None:
    """A required column the file lacks fails, naming mapping, section, file and the
    closest real header."""
    with pytest.raises(ExportError) as info:
        _load(
            tmp_path,
            '[deals]\nfile = "sales.csv"\nid = "OpportunityID"\nstage = "OpportunityStage"\n',
        )
    assert "m.toml [deals] id = 'OpportunityID': no such column in sales.csv" in str(info.value)
    assert "closest column: 'OppID'" in str(info.value)


def test_a_missing_status_column_stops_the_load(tmp_path: Path) -> None:
    """stage = "Stage" where the column is OpportunityStage would read every deal as open:
    refused, with the closest header."""
    with pytest.raises(ExportError, match=r"stage = 'Stage'.*closest column: 'OpportunityStage'"):
        _load(tmp_path, '[deals]\nid = "OppID"\nstage = "Stage"\n')


def test_a_missing_optional_column_is_a_warning(tmp_path: Path) -> None:
    """An optional column the file lacks is a warning with the closest header."""
    result = _load(
        tmp_path,
        'won_stages = ["Won"]\n[deals]\nid = "OppID"\nstage = "OpportunityStage"\n'
        'owner = "Owner Email"\n',
    )
    warnings = [p for p in result.report.problems if p.status == "warning"]
    assert any(
        "owner = 'Owner Email': no such column" in w.reason and "'Owner Mail'" in w.reason
        for w in warnings
    )


def test_closed_looking_stages_not_named_closed_are_warned_about(tmp_path: Path) -> None:
    """ "Closed - Awarded" read as open (not in won_stages) is warned about with its count."""
    text = SALES.replace(",Won,", ",Closed - Awarded,")
    result = _load(tmp_path, '[deals]\nid = "OppID"\nstage = "OpportunityStage"\n', text)
    assert result.pipeline.deal_index["O1"].is_open
    assert any(
        "stage 'Closed - Awarded' (1 deals) reads like a closed stage" in p.reason
        for p in result.report.problems
    )
    assert not any("'Open'" in p.reason for p in result.report.problems)


def test_dealnudge_mapping_is_used_by_the_long_running_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """nudge --dry-run reads a mapped export through DEALNUDGE_MAPPING (as serve does)."""
    export = tmp_path / "export"
    export.mkdir()
    (export / "pipeline.csv").write_text(
        "ref,rep,phase,opened\nP1,dana@x.example,Open,2026-01-05\n"
    )
    mapping = _toml(
        tmp_path,
        '[deals]\nid = "ref"\nowner = "rep"\nstage = "phase"\ncreated = "opened"\n',
    )
    monkeypatch.setenv("DEALNUDGE_SOURCE", str(export))
    monkeypatch.setenv("DEALNUDGE_MAPPING", str(mapping))
    monkeypatch.setenv("DEALNUDGE_DB", str(tmp_path / "state.json"))
    assert main(["nudge", "--dry-run", "--as-of", "2026-06-01"]) == 0
    assert "nudges:" in capsys.readouterr().out
    monkeypatch.delenv("DEALNUDGE_MAPPING")
    assert main(["nudge", "--dry-run", "--as-of", "2026-06-01"]) == 2
    assert "--mapping FILE" in capsys.readouterr().err


def test_source_mapping_in_the_config_is_relative_to_it(tmp_path: Path) -> None:
    """[source] mapping resolves against the config file's folder; the environment wins."""
    (tmp_path / "dealnudge.toml").write_text('[source]\nmapping = "maps/m.toml"\n')
    config = load_app_config(tmp_path / "dealnudge.toml")
    assert export_mapping(None, config) == (tmp_path / "maps" / "m.toml").resolve()
    assert export_mapping(Path("/env.toml"), config) == Path("/env.toml")
