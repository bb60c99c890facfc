"""Property: generated Salesforce exports with injected bad rows always reconcile exactly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ingest.loader import load_export

pytestmark = pytest.mark.slow  # a property test: hypothesis examples (see pyproject's markers)

OPP = ["Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "IsClosed", "IsWon"]
TASK = ["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "Description", "TaskSubtype"]
BAD_TASKS = ("bad_date", "empty_id", "duplicate", "unknown_what", "extra_fields")
BAD_DEALS = ("bad_id", "duplicate", "extra_fields")

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    max_size=12,
)
bodies = st.one_of(text, st.builds(lambda a, b: f"{a}\n{b}", text, text))


class _Writer:
    """Writes rows and remembers the physical line each one starts on."""

    def __init__(self, header: list[str], crlf: bool) -> None:
        self.buf = io.StringIO()
        self.eol = "\r\n" if crlf else "\n"
        self.line = 1
        self._row(header)

    def _row(self, fields: list[str]) -> int:
        start = self.line
        one = io.StringIO()
        csv.writer(one, lineterminator=self.eol).writerow(fields)
        out = one.getvalue()
        if fields and all(f == "" for f in fields):
            raise AssertionError("blank rows are not records")  # pragma: no cover
        body = out.replace("\r\n", "\n").replace("\r", "\n")
        self.line += body.count("\n")
        self.buf.write(out)
        return start

    def row(self, fields: list[str]) -> int:
        return self._row(fields)


@st.composite
def exports(draw: st.DrawFn) -> tuple[dict[str, bytes], dict[str, set[int]], dict[str, int]]:
    crlf, bom = draw(st.booleans()), draw(st.booleans())
    n_deals = draw(st.integers(1, 6))
    deal_plan = draw(st.lists(st.sampled_from(BAD_DEALS), max_size=3))
    task_plan = draw(
        st.lists(st.one_of(st.just("good"), st.sampled_from(BAD_TASKS)), min_size=1, max_size=15)
    )
    injected: dict[str, set[int]] = {"Opportunity.csv": set(), "Task.csv": set()}
    rows: dict[str, int] = {"Opportunity.csv": 0, "Task.csv": 0}

    opp = _Writer(OPP, crlf)
    deal_rows: list[list[str]] = []
    for i in range(n_deals):
        name = draw(text).strip() or f"Deal {i}"
        amount = draw(st.sampled_from(["", "$1,200.50", "10"]))
        close = draw(st.sampled_from(["", "2026-01-31", "01/31/26"]))
        r = [f"006G{i}", "001A", name, "Prospecting", amount, close, "0", "0"]
        opp.row(r)
        deal_rows.append(r)
        rows["Opportunity.csv"] += 1
    for k, bad in enumerate(deal_plan):
        if bad == "bad_id":
            r = ["", "001A", f"No id {k}", "Prospecting", "", "", "0", "0"]
        elif bad == "duplicate":
            r = list(draw(st.sampled_from(deal_rows)))
        else:
            r = [f"006E{k}", "001A", f"Extra {k}", "Prospecting", "", "", "0", "0", "x", "y"]
        injected["Opportunity.csv"].add(opp.row(r))
        rows["Opportunity.csv"] += 1

    task = _Writer(TASK, crlf)
    good: list[list[str]] = []
    for k, what in enumerate(task_plan):
        deal = f"006G{draw(st.integers(0, n_deals - 1))}"
        subject = draw(st.sampled_from(["Call", 'O"Brien call', "Email, sent", "Demo"]))
        body = draw(bodies)
        r = [f"00T{k}", "003C", deal, subject, "2025-10-02", "Completed", body, "Call"]
        if what == "good" or (what == "duplicate" and not good):
            line = task.row(r)
            good.append(r)
        else:
            if what == "bad_date":
                r[4] = draw(st.sampled_from(["2025-13-01", "31/31/99", "0000-00-00", "soon"]))
            elif what == "empty_id":
                r[0] = ""
            elif what == "duplicate":
                r = list(draw(st.sampled_from(good)))
            elif what == "unknown_what":
                r[2] = f"006NOPE{k}"
            elif what == "extra_fields":
                r = [*r, "stray", "fields"]
            line = task.row(r)
            injected["Task.csv"].add(line)
        rows["Task.csv"] += 1

    prefix = b"\xef\xbb\xbf" if bom else b""
    files = {
        "Opportunity.csv": prefix + opp.buf.getvalue().encode("utf-8"),
        "Task.csv": prefix + task.buf.getvalue().encode("utf-8"),
    }
    return files, injected, rows


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(exports())
def test_every_row_accounted_for(
    tmp_path_factory: object, case: tuple[dict[str, bytes], dict[str, set[int]], dict[str, int]]
) -> None:
    """rows = loaded + rejected + unlinked per file; the bad rows are exactly the injected ones."""
    files, injected, rows = case
    folder = Path(tmp_path_factory.mktemp("export"))  # type: ignore[attr-defined]
    for name, data in files.items():
        (folder / name).write_bytes(data)
    result = load_export([folder])
    for f in result.report.files:
        name = Path(f.path).name
        assert f.rows == f.loaded + f.rejected + f.unlinked
        assert f.rows == rows[name]
        bad = {p.line for p in result.report.problems
               if Path(p.file).name == name and p.status in ("rejected", "unlinked")}  # fmt: skip
        assert bad == injected[name]
