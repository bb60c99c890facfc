"""A 1k-deal smoke of ``make bench``: the scan, memory, /deal, serve and state sections run at a
tiny size and produce well-formed results. No timing is asserted; DuckDB (the scan's
reference, a bench extra) is only used when installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.cli import build_parser, load_sections, options_from
from bench.core import (
    SECTIONS,
    Bench,
    Options,
    SectionResult,
    Size,
    Stats,
    machine,
    now_utc,
    percentile,
    render_report,
    run_section,
)

SIZE = Size(1_000, 3_000, 10)
REQUESTS = 24

pytestmark = pytest.mark.slow  # the bench smoke (see pyproject's markers)


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Bench:
    load_sections()
    options = Options(
        repeats=1,
        cache=tmp_path_factory.mktemp("bench-cache"),
        sizes=(SIZE,),
        requests=REQUESTS,
        clients=4,
        state_reps=(10,),
        reference=False,
    )
    return Bench(options)


@pytest.fixture(scope="module")
def results(bench: Bench) -> dict[str, SectionResult]:
    keys = ("scan", "memory", "deal", "serve", "fanout", "state")
    return {key: run_section(bench, SECTIONS[key]) for key in keys}


def _well_formed(result: SectionResult) -> None:
    assert not result.skipped, result.skipped
    assert result.figures
    for f in result.figures:
        assert f.name and f.unit
        assert len(f.stats.values) >= 1
        assert f.stats.min <= f.stats.median <= f.stats.max
        assert all(v >= 0 for v in f.stats.values), f
        assert (f.met is None) == (not f.target), f


def test_scan_reads_the_whole_synthetic_export(results: dict[str, SectionResult]) -> None:
    scan = results["scan"]
    _well_formed(scan)
    summary = scan.extra["summary"][SIZE.label]
    assert summary["deals_read"] == SIZE.deals
    assert summary["activities_read"] == SIZE.activities
    assert 0 < summary["flagged_deals"] <= summary["open_deals"] <= SIZE.deals
    assert summary["findings"] >= summary["flagged_deals"]
    assert any(f.name.startswith("scan, ") for f in scan.figures)


def test_memory_is_the_scan_runs_peak_rss(results: dict[str, SectionResult]) -> None:
    memory = results["memory"]
    _well_formed(memory)
    (peak,) = [f for f in memory.figures if f.name.startswith("peak RSS, scan")]
    assert peak.unit == "MB" and peak.stats.min > 0 and peak.target


def test_deal_acks_and_answers_every_request(results: dict[str, SectionResult]) -> None:
    deal = results["deal"]
    _well_formed(deal)
    assert deal.extra["acks"] == [REQUESTS]
    assert deal.extra["answers"] == [REQUESTS]
    assert deal.extra["errors"] == 0 and deal.extra["missing"] == 0
    names = {f.name for f in deal.figures}
    assert {f"ack p50 (HTTP 200), {SIZE.label}", f"ack p99 (HTTP 200), {SIZE.label}"} <= names


def test_serve_refreshes_while_deal_keeps_answering(results: dict[str, SectionResult]) -> None:
    serve = results["serve"]
    _well_formed(serve)
    assert serve.extra["requests"] > 0 and serve.extra["failures"] == 0
    names = {f.name for f in serve.figures}
    assert f"/deal ack p99 during a refresh, {SIZE.label}" in names
    assert f"until ready, restart with the export unchanged, {SIZE.label}" in names
    (child,) = [f for f in serve.figures if f.name.startswith("analysis process peak RSS")]
    assert child.stats.min > 0  # the refresh ran in a child process, which was seen


def test_state_writes_and_reads_back(results: dict[str, SectionResult]) -> None:
    state = results["state"]
    _well_formed(state)
    assert set(state.extra["runs"]) == {"tinydb, 10 reps", "postgres, 10 reps"}
    for (run,) in state.extra["runs"].values():
        assert run["size_mb"] > 0 and run["click_ms"] > 0 and run["send_ms"] > 0
    assert [f.met is not None for f in state.figures].count(True) == 2  # a click, per backend


def test_fanout_delivers_each_nudge_exactly_once(results: dict[str, SectionResult]) -> None:
    fanout = results["fanout"]
    _well_formed(fanout)
    (run,) = fanout.extra["runs"]
    assert run["plans"] > 0
    assert run["lost"] == run["duplicated"] == run["unexpected"] == run["still_failed"] == 0


def test_report_names_every_section(bench: Bench, results: dict[str, SectionResult]) -> None:
    text = render_report(
        list(results.values()), bench.options, machine(), now_utc(), 1.0, "python -m bench"
    )
    for title in ("## Machine", "## Targets", "## Scan", "## Memory", "## /deal latency"):
        assert title in text
    assert "## Fan-out" in text
    assert "cores" in text and "python" in text


def test_duckdb_reference_when_installed(bench: Bench, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from bench.scan import reference_runs

    ((run, out),) = reference_runs(bench, SIZE)
    assert out["deals"] == SIZE.deals
    assert out["activities_linked"] == SIZE.activities
    assert run.seconds > 0


def test_options_and_helpers() -> None:
    opts = options_from(build_parser().parse_args(["--repeats", "5", "--sizes", "10k:100k:100"]))
    assert opts.repeats == 5 and opts.sizes == (Size(10_000, 100_000, 100),)
    assert Size.parse("100k:1M:1k") == Size(100_000, 1_000_000, 1_000)
    assert percentile([float(i) for i in range(1, 2001)], 99) == 1980.0
    assert Stats.of([3, 1, 2]).median == 2.0
    with pytest.raises(ValueError):
        Size.parse("1000:10")
