"""Fuzzed ingest: whatever bytes arrive, ``load_export`` fails clearly or its ledger adds up.

Every example ends in exactly one of two ways:

* an ``ExportError`` whose message names a file (and stays readable: no 10 MB messages), or
* a ``LoadResult`` whose report reconciles per file (rows = loaded + rejected + unlinked;
  duplicate rows are counted as rejected), with one problem per rejected/unlinked row, on
  a real line of that file, naming the field when a field is to blame and saying what was
  expected; never the loader's catch-all "could not read this row (SomeError: ...)".

Any other exception fails the test. Runs derandomized with no example database so CI is
deterministic; ``FUZZ_EXAMPLES=20000`` turns every property into a long local fuzz run
(randomized then, so each run explores new inputs; a failure prints its reproducer).
``scripts/fuzz_ingest.py`` is the coverage-guided (atheris) counterpart.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot
from bot.ingest.formats import FORMAT_NAMES, canonical_fields
from bot.ingest.loader import LoadResult, load_export
from bot.ingest.report import ExportError
from bot.ingest.values import parse_amount, parse_bool, parse_date

DEMO = Path(bot.__file__).resolve().parent / "tools" / "demo_data"
DEMO_FILES = {p.name: p.read_bytes() for p in sorted(DEMO.glob("*.csv"))}

# The loader's last line of defence: a row that raised something unexpected. Reaching it
# is a reader bug, so the fuzz treats it as a failure.
CATCH_ALL = "could not read this row ("
# Row-level rejections that are about the record's shape, not one field.
STRUCTURAL = ("cannot read this record", "a quote opened", "row has ", "duplicate of line")
# A rejected field says what it wanted.
EXPECTED = ("is empty", "already loaded from", " like ", "not a real calendar date", "has no date")
MAX_MESSAGE = 2_000


def _examples(default: int) -> int:
    return int(os.environ.get("FUZZ_EXAMPLES", default))


# The properties (@given) are marked slow: `make test-slow` and .ci/run run them; the
# hand-written cases after them are in the fast suite.
def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=_examples(default),
        deadline=None,
        derandomize="FUZZ_EXAMPLES" not in os.environ,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


def _candidates(paths: list[Path]) -> list[str]:
    names = [str(p) for p in paths]
    for p in paths:
        if p.is_dir():
            names.extend(str(c) for c in p.iterdir())
    return names


def _physical_lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + data.count(b"\r") + 1


def assert_sound(paths: list[Path], **kw: Any) -> LoadResult | None:
    """Load and check the outcome contract; the result, or None for a clean ExportError."""
    try:
        result = load_export(paths, **kw)
    except ExportError as exc:
        msg = str(exc)
        mapping = kw.get("mapping")
        named = [*_candidates(paths), *([str(mapping)] if mapping else [])]
        assert any(n in msg for n in named), f"ExportError names no file: {msg[:300]!r}"
        assert len(msg) <= MAX_MESSAGE, f"ExportError of {len(msg)} characters: {msg[:300]!r}"
        return None
    report = result.report
    known = {f.path for f in report.files}
    for p in report.problems:
        assert p.file in known, p
        assert p.reason, p
        assert CATCH_ALL not in p.reason, p.describe()
        assert len(p.describe()) <= MAX_MESSAGE, p.describe()[:300]
    for f in report.files:
        assert f.reconciles, f
        bad = [p for p in report.problems if p.file == f.path and p.status != "warning"]
        assert sum(p.status == "rejected" for p in bad) == f.rejected, f
        assert sum(p.status == "unlinked" for p in bad) == f.unlinked, f
        lines = [p.line for p in bad]
        assert len(set(lines)) == len(lines), f"two verdicts for one row in {f.path}: {lines}"
        last = _physical_lines(Path(f.path))
        fields = set(canonical_fields(f.kind))
        for p in bad:
            assert 2 <= p.line <= last, p.describe()
            if p.field:
                assert p.field in fields, p.describe()
            else:
                assert p.reason.startswith(STRUCTURAL), p.describe()
            if p.status == "rejected" and p.field:
                assert any(e in p.reason for e in EXPECTED), p.describe()
    return result


def _folder(root: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=root))


# --- building blocks ---------------------------------------------------------------------

FORMULAS = ('=HYPERLINK("http://x","y")', "@SUM(A1)", "+cmd", "-1+1", "=1+1", "=cmd|' /C calc'!A0")
DATES = ("0000-00-00", "31/31/99", "2026-02-30", "99999-01-01", "2026-13-01", "1/1/0",
         "12/13/2026", "13/12/26", "2026-01-31T25:99", "٢٠٢٦-٠١-٠١", "1969-12-31", "2101-01-01",
         "2026-01-31T16:14:25.000+0000")  # fmt: skip
AMOUNTS = ("1e999", "-1e999", "NaN", "inf", "-0", "(1,2)", "$", "--", "1.2.3", "١٢٣", "5k",
           "A1", "1" * 400, "$1,200.50", "1.200,50 €", "USD -1200", "(1,200)", "1.2E+05",
           "CHF 1'000", "12,5", "N/A", "€", "1 200,50")  # fmt: skip
ODD = ("", " ", "\x00", "a\x00b", "\ufeff", "\ufeffId", "Café", "€", "line\nbreak", "cr\ronly",
       "crlf\r\nx", 'quote"inside', '"', ",", ";", "\t", "\x85", "\u2028", "\x0c", "\x1e",
       "TRUE", "maybe", "yes", "0", "Closed Won", "closed lost")  # fmt: skip
WEIRD = FORMULAS + DATES + AMOUNTS + ODD

cells = st.one_of(st.sampled_from(WEIRD), st.text(max_size=12))
# Raw fragments for splicing into files: CSV syntax, encodings, BOMs, NULs, weird values.
FRAGMENTS = (
    *(w.encode() for w in WEIRD),
    b",", b'"', b'""', b"\r\n", b"\n", b"\r", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    b"\xe9", b"\x80", b"\x81", b"\x9d", b"\xc3", b"\xe2\x82", "é".encode("cp1252"),
    "Zürich – €".encode(), "Zürich – €".encode("cp1252"),
)  # fmt: skip
fragments = st.one_of(st.sampled_from(FRAGMENTS), st.binary(min_size=1, max_size=6))

HEADERS = (
    DEMO_FILES["Opportunity.csv"].split(b"\n", 1)[0] + b"\n",
    b"Id,AccountId,Name,StageName,Amount,CloseDate,CreatedDate,IsClosed,IsWon,OwnerId\r\n",
    b"Id,WhoId,WhatId,Subject,ActivityDate,Status,Description,IsClosed,TaskSubtype\n",
    b"OpportunityId,CreatedDate,StageName,CloseDate,Amount\n",
    b"Opportunity Owner,Account Name,Opportunity Name,Stage,Amount,Close Date,Created Date\n",
    b"Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner\n",
    b"Deal - ID,Deal - Title,Deal - Value,Deal - Stage,Deal - Status,Deal - Expected close date\n",
)
NAMES = ("Opportunity.csv", "Task.csv", "Event.csv", "User.csv", "OpportunityHistory.csv",
         "deals.csv", "export.csv", "Opportunity Pipeline Report.csv")  # fmt: skip
FORMATS = (None, *(n for n in FORMAT_NAMES if n != "mapping"))


def _splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, bytes to cut, bytes to insert) edits, positions taken modulo size."""
    out = bytearray(data)
    for pos, cut, insert in edits:
        at = pos % (len(out) + 1)
        out[at : at + cut] = insert
    return bytes(out)


edits = st.lists(
    st.tuples(st.integers(0, 1 << 20), st.integers(0, 8), fragments), min_size=1, max_size=12
)


# --- properties --------------------------------------------------------------------------


@pytest.mark.slow
@fuzz_settings(150)
@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES), fmt=st.sampled_from(FORMATS))
def test_random_bytes(tmp_path: Path, data: bytes, name: str, fmt: str | None) -> None:
    """Arbitrary bytes under any file name and format: a clear ExportError or a sound load."""
    path = _folder(tmp_path) / name
    path.write_bytes(data)
    assert_sound([path], format_name=fmt)


@pytest.mark.slow
@fuzz_settings(150)
@given(
    header=st.sampled_from(HEADERS),
    body=st.lists(fragments, max_size=80).map(b"".join),
    name=st.sampled_from(NAMES),
    bom=st.sampled_from((b"", b"\xef\xbb\xbf", b"\xff\xfe")),
)
def test_known_header_random_body(
    tmp_path: Path, header: bytes, body: bytes, name: str, bom: bytes
) -> None:
    """A real header over a body of CSV syntax, weird values and stray bytes."""
    path = _folder(tmp_path) / name
    path.write_bytes(bom + header + body)
    assert_sound([path])


@pytest.mark.slow
@fuzz_settings(60)
@given(name=st.sampled_from(sorted(DEMO_FILES)), cut=st.floats(0, 1))
def test_truncated_demo_export(tmp_path: Path, name: str, cut: float) -> None:
    """The bundled demo export with one file cut at a random byte."""
    folder = _folder(tmp_path)
    for n, data in DEMO_FILES.items():
        (folder / n).write_bytes(data[: int(len(data) * cut)] if n == name else data)
    assert_sound([folder])


@pytest.mark.slow
@fuzz_settings(60)
@given(name=st.sampled_from(sorted(DEMO_FILES)), changes=edits)
def test_mutated_demo_export(
    tmp_path: Path, name: str, changes: list[tuple[int, int, bytes]]
) -> None:
    """The demo export with one file spliced: NULs, BOMs, cp1252 bytes, quotes, formulas."""
    folder = _folder(tmp_path)
    for n, data in DEMO_FILES.items():
        (folder / n).write_bytes(_splice(data, changes) if n == name else data)
    assert_sound([folder])


OPP = ("Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "CreatedDate",
       "IsClosed", "IsWon", "CurrencyIsoCode")  # fmt: skip
FOOTER_BREAKS = (b"\r\n", b"\n", "\u2028".encode(), "\x85".encode(), b"\x0c", b"\x1e")
_BREAK = re.compile(rb"\r\n|\r|\n")


def _cell(value: str, encoding: str) -> bytes:
    return b'"' + value.replace('"', '""').encode(encoding, errors="replace") + b'"'


@st.composite
def weird_rows(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, int]]]:
    """An Opportunity.csv whose cells are weird values in mixed encodings, and each row's
    (id, first physical line)."""
    eol = draw(st.sampled_from((b"\r\n", b"\n")))
    out = [draw(st.sampled_from((b"", b"\xef\xbb\xbf"))) + ",".join(OPP).encode() + eol]
    line = 2
    rows: list[tuple[str, int]] = []
    for i in range(draw(st.integers(1, 12))):
        ident = f"006F{i}"
        values = [ident, *(draw(cells) for _ in OPP[1:])]
        encoding = draw(st.sampled_from(("utf-8", "cp1252")))
        row = b",".join(_cell(v, encoding) for v in values) + eol
        out.append(row)
        rows.append((ident, line))
        line += len(_BREAK.findall(row))
    if draw(st.booleans()):
        br = draw(st.sampled_from(FOOTER_BREAKS))
        out.append(eol + b'"Pipeline"' + br + b'"Confidential Information - Do Not Distribute"')
        out.append(eol)
    return b"".join(out), rows


@pytest.mark.slow
@fuzz_settings(150)
@given(case=weird_rows())
def test_weird_cells_every_row_accounted(
    tmp_path: Path, case: tuple[bytes, list[tuple[str, int]]]
) -> None:
    """Formulas, impossible dates, odd amounts, NULs, mixed UTF-8/cp1252: every row written
    is either loaded (its deal is in the pipeline) or rejected on its own first line."""
    data, rows = case
    path = _folder(tmp_path) / "Opportunity.csv"
    path.write_bytes(data)
    result = assert_sound([path])
    if result is None:  # every row rejected: "no deal rows could be loaded", checked above
        return
    rejected = {p.line for p in result.report.problems if p.status == "rejected"}
    loaded = set(result.pipeline.deal_index)
    for ident, line in rows:
        assert (ident in loaded) != (line in rejected), (ident, line, rejected)


# --- cell parsers: ValueError with a message, or a value; nothing else ---------------------


@pytest.mark.slow
@fuzz_settings(300)
@given(text=st.one_of(st.sampled_from(WEIRD), st.text(max_size=40)))
def test_cell_parsers_raise_only_value_error(text: str) -> None:
    for parse in (parse_date, lambda t: parse_date(t, "DMY"), parse_amount, parse_bool):
        _only_value_error(parse, text)


def _only_value_error(parse: Callable[[str], object], text: str) -> None:
    try:
        value = parse(text)
    except ValueError as exc:
        assert str(exc) and len(str(exc)) <= 300, str(exc)[:300]
    else:
        if isinstance(value, tuple) and value[0] is not None:  # parse_amount
            assert value[0] == value[0] and abs(value[0]) != float("inf")


# --- mapping files --------------------------------------------------------------------------

_toml_values = st.one_of(
    st.sampled_from(('"Id"', '"Name"', '"Stage"', '"missing"', "[]", '["Id", "Name"]', "1",
                     '""', "[1]", "{a = 1}", '"*.csv"', '"MDY"', '"DMY"', '"YMD"')),
    st.text(alphabet="abcxyz *?[]", max_size=6).map(lambda s: f'"{s}"'),
)  # fmt: skip
_sections = st.sampled_from(("deals", "tasks", "activities", "owners", "history", "dealz", "x"))
_keys = st.sampled_from(("id", "name", "stage", "amount", "close_date", "date", "deal_id",
                         "subject", "file", "owner", "bogus"))  # fmt: skip


@pytest.mark.slow
@fuzz_settings(100)
@given(
    top=st.lists(st.tuples(st.sampled_from(("date_order", "won_stages", "title")), _toml_values),
                 max_size=2),
    sections=st.lists(st.tuples(_sections, st.lists(st.tuples(_keys, _toml_values), max_size=4)),
                      max_size=3),
)  # fmt: skip
def test_random_mapping_file(
    tmp_path: Path,
    top: list[tuple[str, str]],
    sections: list[tuple[str, list[tuple[str, str]]]],
) -> None:
    """A mapping file of random sections and values over a small CSV."""
    folder = _folder(tmp_path)
    (folder / "pipeline.csv").write_text("Id,Name,Stage,Amount\n1,A,Won,10\n2,B,,x\n")
    lines = [f"{k} = {v}" for k, v in dict(top).items()]
    for section, pairs in dict(sections).items():
        lines.append(f"[{section}]")
        lines.extend(f"{k} = {v}" for k, v in dict(pairs).items())
    mapping = folder / "map.toml"
    mapping.write_text("\n".join(lines) + "\n")
    assert_sound([folder / "pipeline.csv"], mapping=mapping)


# --- one example each: very large inputs -------------------------------------------------------

BIG = 10 * 1024 * 1024


def test_ten_megabyte_cells(tmp_path: Path) -> None:
    """10 MB in a name, a date, an amount and an unclosed quote: loads, messages stay short."""
    big = "x" * BIG
    head = "Id,Name,StageName,Amount,CloseDate\n"
    rows = [
        f'1,"{big}",Prospecting,10,2026-01-01',
        f"2,b,Prospecting,10,{big}",
        f"3,c,Prospecting,1{big},2026-01-01",
        "4,d,Prospecting,10,2026-01-01",
        f'5,"e{big}',
    ]
    path = tmp_path / "Opportunity.csv"
    path.write_text(head + "\n".join(rows) + "\n")
    result = assert_sound([path])
    assert result is not None
    f = result.report.files[0]
    assert (f.rows, f.loaded, f.rejected) == (5, 4, 1)
    deals = result.pipeline.deal_index
    assert len(deals["1"].name) == BIG
    assert deals["2"].close_date is None and deals["3"].amount is None
    warned = {(p.line, p.field) for p in result.report.problems if p.status == "warning"}
    assert {(3, "close_date"), (4, "amount")} <= warned


def test_megabyte_header(tmp_path: Path) -> None:
    """A header row of 1 MB or more: refused at once by a short ExportError naming the file
    and line (the wide-header limit), not read as a column name."""
    path = tmp_path / "Opportunity.csv"
    path.write_text(f"Id,Name,{'y' * (BIG // 10)}\n1,a,b\n")
    with pytest.raises(ExportError, match=r"Opportunity\.csv: line 1: the header row is") as exc:
        load_export([path])
    assert len(str(exc.value)) <= MAX_MESSAGE


# --- regressions found by the fuzz ----------------------------------------------------------


def test_footer_split_on_unicode_line_break_keeps_last_row(tmp_path: Path) -> None:
    """A report footer joined by U+2028 (or NEL, form feed) is one physical line: cutting
    the footer must not also cut the last data row. Found by test_weird_cells_every_row_
    accounted: the row silently vanished and the report still reconciled."""
    for br in ("\u2028", "\x85", "\x0c", "\x1e"):
        path = _folder(tmp_path) / "report.csv"
        path.write_text(
            "Opportunity Name,Stage,Amount\nA,Prospecting,1\nB,Prospecting,2\nC,Prospecting,3\n"
            f'\n"Pipeline"{br}"Confidential Information - Do Not Distribute"\n'
        )
        result = load_export([path])
        assert [d.name for d in result.pipeline.deals] == ["A", "B", "C"], repr(br)
        assert result.report.files[0].rows == 3


@pytest.mark.parametrize("formula", ["@SUM(A1)", "-1+1", "=1+1", "1 + 1", "5k", "A1", "1abc"])
def test_formula_or_text_in_amount_is_not_a_number(tmp_path: Path, formula: str) -> None:
    """'@SUM(A1)' used to load as 1.0 and '-1+1' as -11.0: the digits were picked out of
    the formula. Now the amount is left empty with a warning naming line and field."""
    path = tmp_path / "Opportunity.csv"
    path.write_text(f'Id,Name,StageName,Amount\n1,A,Prospecting,"{formula}"\n')
    result = load_export([path])
    assert result.pipeline.deal_index["1"].amount is None
    (warning,) = [p for p in result.report.problems if p.field == "amount"]
    assert warning.line == 2 and "is not an amount like" in warning.reason


def test_no_deals_message_names_the_files(tmp_path: Path) -> None:
    """Random bytes in one CSV: the error says which file was looked at."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x93\x01garbage,\xff\n")
    with pytest.raises(
        ExportError, match=r"no deals file found in .*x\.csv: no file matches a built-in export"
    ):
        load_export([path])


def test_no_deals_message_with_a_mapping_names_the_mapping(tmp_path: Path) -> None:
    """A mapping whose [deals] columns no file has points at the mapping, not at Salesforce."""
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text('[deals]\nid = "Deal ID"\n')
    with pytest.raises(ExportError, match=r"x\.csv: .*\[deals\] section of .*m\.toml"):
        load_export([tmp_path / "x.csv"], mapping=mapping)


def test_mapping_empty_column_list_is_an_error(tmp_path: Path) -> None:
    """``id = []`` used to be accepted and then matched nothing, with an error blaming the
    CSV; now the mapping file is named."""
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text("[deals]\nid = []\n")
    with pytest.raises(ExportError, match=r"m\.toml: \[deals\] id must be a column name"):
        load_export([tmp_path / "x.csv"], mapping=mapping)


def test_long_value_shortened_in_messages() -> None:
    """A 10 MB date cell used to be quoted whole in its warning."""
    with pytest.raises(ValueError, match=r"^'xxxx.*…' \(\d+ characters\) is not a date like"):
        parse_date("x" * 100_000)


def test_copy_of_demo_loads_cleanly(tmp_path: Path) -> None:
    """Sanity for the fixtures above: the untouched demo export passes the same checks."""
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    result = assert_sound([folder])
    assert result is not None and result.pipeline.deals


def test_long_reference_shortened_in_problem(tmp_path: Path) -> None:
    """A 100 000-character WhatId is quoted in its 'not a deal' problem, but not whole."""
    (tmp_path / "Opportunity.csv").write_text("Id,Name,StageName\n006A,A,Prospecting\n")
    (tmp_path / "Task.csv").write_text(
        f"Id,WhatId,Subject,ActivityDate\n00T1,006{'z' * 100_000},Call,2026-01-05\n"
    )
    result = assert_sound([tmp_path])
    assert result is not None
    (problem,) = [p for p in result.report.problems if p.status == "unlinked"]
    assert problem.field == "deal_id" and problem.line == 2
    assert problem.reason.endswith("is not a deal in this export")
