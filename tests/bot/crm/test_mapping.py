"""Mapping files: TOML naming which column is which."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.crm.mapping import bound_kind, load_mapping
from bot.crm.report import ExportError

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
