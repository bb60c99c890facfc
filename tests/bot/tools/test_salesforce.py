"""The Salesforce CSV spelling every writer here shares (scenario files and synth)."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

from bot.tools import salesforce as sf


def test_every_column_set_is_made_of_known_columns() -> None:
    assert sf.unknown_columns(sf.SCENARIO_COLUMNS) == []
    assert sf.unknown_columns(sf.PLAIN_COLUMNS) == []
    assert sf.unknown_columns({"Task": ("Id", "Mood"), "Lead": ("Id",)}) == ["Task.Mood", "Lead"]
    assert set(sf.PREFIX) == set(sf.FILES)


def test_ids_from_a_template() -> None:
    assert sf.id_format("{prefix}{n:015d}", "00T")(42) == "00T000000000000042"
    assert sf.id_format("{prefix}AC{n:010d}AAA", "006")(7) == "006AC0000000007AAA"


def test_values_are_spelled_as_salesforce_exports_them() -> None:
    assert sf.clock(time(9, 5, 7)) == "T09:05:07.000+0000"
    day = date(2026, 3, 1)
    assert sf.stamp(day, timedelta(hours=14)) == "2026-03-01T14:00:00.000+0000"
    assert sf.stamp(day, timedelta(hours=24, minutes=30)) == "2026-03-02T00:30:00.000+0000"
    assert (sf.flag(True), sf.flag(False)) == ("true", "false")
    assert (sf.amount(48000), sf.amount(48000.0), sf.amount(None)) == ("48000", "48000.0", "")
    assert sf.amount(48000, 2) == "48000.00"


def test_the_csv_styles(tmp_path: Path) -> None:
    rows = [("1", 'say "hi", then\nleave'), ("2", "")]
    assert sf.write_csv(tmp_path / "a.csv", ("Id", "Note"), rows) == 2
    assert (tmp_path / "a.csv").read_bytes() == b'Id,Note\r\n1,"say ""hi"", then\nleave"\r\n2,\r\n'
    style = sf.Style(bom=True, quote_all=True, newline="\n")
    sf.write_csv(tmp_path / "b.csv", ("Id", "Note"), rows[1:], style)
    assert (tmp_path / "b.csv").read_bytes() == b'\xef\xbb\xbf"Id","Note"\n"2",""\n'


def test_many_rows_are_written_in_batches(tmp_path: Path) -> None:
    rows = ((str(n),) for n in range(45_001))
    assert sf.write_csv(tmp_path / "n.csv", ("Id",), rows) == 45_001
    lines = (tmp_path / "n.csv").read_text().splitlines()
    assert len(lines) == 45_002 and lines[-1] == "45000"
