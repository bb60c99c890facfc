"""Reading CSV bytes as they arrive: encodings, line endings, quoted newlines, damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.csvfile import CsvError, open_table
from bot.ingest.loader import load_export
from bot.ingest.report import ExportError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"


def _write(tmp_path: Path, data: bytes, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _rows(path: Path) -> list[tuple[int, list[str], str]]:
    return [(r.line, r.fields, r.error) for r in open_table(path).rows()]


def test_bom_removed_from_first_header() -> None:
    """The UTF-8 BOM of a Data Loader export does not stick to the first column name."""
    table = open_table(FIXTURES / "salesforce_api" / "Opportunity.csv")
    assert table.header[0] == "Id"
    assert table.encoding == "utf-8-sig"


def test_crlf_and_multiline_line_numbers() -> None:
    """After a three-line Description, the next record is numbered by its physical line."""
    rows = _rows(FIXTURES / "salesforce_api" / "Opportunity.csv")
    assert [line for line, _, _ in rows] == [2, 5, 6, 7, 8]


def test_multiline_field_kept_whole() -> None:
    """A quoted field with embedded CRLFs is one field."""
    rows = _rows(FIXTURES / "salesforce_api" / "Opportunity.csv")
    assert rows[0][1][3] == "Multi-line notes:\r\nline two, with a comma\r\nline three"


def test_cp1252_fallback() -> None:
    """A file with cp1252 bytes is read as cp1252 with a note, and é/€/– survive."""
    table = open_table(FIXTURES / "cp1252" / "Opportunity.csv")
    assert table.encoding == "cp1252"
    assert "not valid UTF-8 (byte 0xE9 on line 2)" in table.notes[0]
    first = next(table.rows())
    assert first.fields[1] == "Café Zürich – Renewal"
    assert first.fields[3] == "€1.500,00"


def test_bom_with_stray_cp1252_byte(tmp_path: Path) -> None:
    """A BOM file with one cp1252 byte still has a clean first header."""
    p = _write(tmp_path, b"\xef\xbb\xbfId,Name\r\n1,Caf\xe9\r\n")
    table = open_table(p)
    assert table.header == ("Id", "Name")
    assert next(table.rows()).fields == ["1", "Café"]


def test_utf16_with_bom(tmp_path: Path) -> None:
    """Excel's 'Unicode text' (UTF-16 with BOM) is decoded, not read as NUL-riddled bytes."""
    p = _write(tmp_path, "Id,Name\r\n1,Zoë\r\n".encode("utf-16"))
    table = open_table(p)
    assert table.header == ("Id", "Name")
    assert next(table.rows()).fields == ["1", "Zoë"]


def test_blank_lines_skipped_but_counted(tmp_path: Path) -> None:
    """Blank lines are not records, yet later records keep their physical line numbers."""
    p = _write(tmp_path, b"a,b\n\n1,2\n\n\n3,4\n")
    assert _rows(p) == [(3, ["1", "2"], ""), (6, ["3", "4"], "")]


def test_blank_lines_before_header(tmp_path: Path) -> None:
    """Leading blank lines before the header are skipped."""
    p = _write(tmp_path, b"\n\na,b\n1,2\n")
    table = open_table(p)
    assert table.header == ("a", "b")
    assert _rows(p) == [(4, ["1", "2"], "")]


def test_nul_bytes_removed_with_note(tmp_path: Path) -> None:
    """NUL bytes are removed and reported with a count and the first line."""
    p = _write(tmp_path, b"a,b\n1,x\x00y\n2,z\x00\n")
    table = open_table(p)
    assert table.notes == (
        "2 NUL byte(s) removed (first on line 2); the file may be damaged or saved in another "
        "encoding",
    )
    assert _rows(p)[0] == (2, ["1", "xy"], "")


def test_unclosed_quote_at_end_is_an_error_row(tmp_path: Path) -> None:
    """A quote never closed in the last row is reported on that row, not loaded."""
    p = _write(tmp_path, b'a,b\n1,ok\n2,"never closed\n')
    rows = _rows(p)
    assert rows[0] == (2, ["1", "ok"], "")
    assert rows[1][0] == 3
    assert "never closed" in rows[1][2]


def test_unclosed_quote_mid_file_names_lines(tmp_path: Path) -> None:
    """An unclosed quote that swallows the following lines says which lines."""
    p = _write(tmp_path, b'a,b\n1,"oops\n2,x\n3,y\n')
    rows = _rows(p)
    assert len(rows) == 1
    assert rows[0][0] == 2
    assert "lines 2-4" in rows[0][2]


def test_quote_inside_unquoted_field_is_literal(tmp_path: Path) -> None:
    """O"Brien in an unquoted field is kept as written."""
    p = _write(tmp_path, b'a,b\n1,O"Brien\n2,x\n')
    assert _rows(p) == [(2, ["1", 'O"Brien'], ""), (3, ["2", "x"], "")]


def test_oversized_field_is_a_row_error_not_a_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A csv.Error mid-file costs that record only; reading continues after it."""
    import csv

    p = _write(tmp_path, b'a,b\n1,"' + b"x" * 50 + b'"\n2,y\n')
    table = open_table(p)
    old = csv.field_size_limit(20)
    try:
        rows = [(r.line, r.fields, r.error) for r in table.rows()]
    finally:
        csv.field_size_limit(old)
    assert rows[0][0] == 2 and "field larger than field limit" in rows[0][2]
    assert rows[1] == (3, ["2", "y"], "")


def test_empty_file_is_a_file_error(tmp_path: Path) -> None:
    """An empty file raises CsvError naming the file."""
    p = _write(tmp_path, b"")
    with pytest.raises(CsvError, match=r"t\.csv: the file is empty"):
        open_table(p)


def test_xlsx_refused_with_advice(tmp_path: Path) -> None:
    """An Excel workbook given as CSV is named as such."""
    p = _write(tmp_path, b"PK\x03\x04rest-of-zip", "deals.csv")
    with pytest.raises(CsvError, match="Excel workbook"):
        open_table(p)


def test_salesforce_report_footer_ignored() -> None:
    """The copyright/generated-by footer of a report export is not read as rows."""
    table = open_table(FIXTURES / "salesforce_report" / "Opportunity Pipeline Report.csv")
    assert [r.line for r in table.rows()] == [2, 3, 4, 5]
    assert table.notes == ("report footer ignored (5 lines: title, copyright, generated by)",)


def test_a_header_of_too_many_columns_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    from bot.ingest.csvfile import MAX_COLUMNS

    wide = tmp_path / "Opportunity.csv"
    wide.write_text("\n" + ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n1\n")
    with pytest.raises(CsvError, match=r"Opportunity\.csv: line 2: the header row has 2,001"):
        open_table(wide)
    fine = tmp_path / "ok.csv"
    fine.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS)) + "\n1\n")
    assert len(open_table(fine).header) == MAX_COLUMNS


def test_a_header_line_over_a_megabyte_is_refused_before_it_is_split(tmp_path: Path) -> None:
    """A header-only file of a million tiny columns (the hostile kind: it used to take
    minutes and gigabytes in format detection) is refused from its length alone."""
    huge = tmp_path / "Opportunity.csv"
    huge.write_text(",".join("x" for _ in range(1_000_000)))  # ~2 MB, one line, no newline
    with pytest.raises(CsvError, match=r"line 1: the header row is 1\.9 MB long"):
        open_table(huge)
    with pytest.raises(ExportError, match=r"header row is 1\.9 MB"):
        load_export([huge])
