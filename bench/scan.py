"""Scan and memory: ``dealnudge scan --json`` end to end on synthetic exports, against DuckDB.

Exports come from ``dealnudge synth`` and are cached under ``.bench-cache/`` (keyed by size,
as-of date and a checksum of ``bot/tools/synth.py``), so only the first run pays for them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.core import (
    REPO,
    Bench,
    Figure,
    SectionResult,
    Size,
    Stats,
    fmt,
    section,
)
from bench.proc import Run, dealnudge_cmd, measure

SCAN_TARGET_RATIO = 3.0
RSS_TARGET_MB = 1024.0


def have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _synth_fingerprint() -> str:
    return hashlib.sha256((REPO / "bot" / "tools" / "synth.py").read_bytes()).hexdigest()[:10]


def synth_export(bench: Bench, size: Size) -> Path:
    """The cached export for ``size``, generated with ``dealnudge synth`` when missing."""

    def make() -> Path:
        opts = bench.options
        stem = f"synth-{size.deals}-{size.activities}-{size.reps}-{opts.as_of.isoformat()}"
        out = opts.cache / f"{stem}-{_synth_fingerprint()}"
        if (out / ".complete").is_file():
            return out
        opts.cache.mkdir(parents=True, exist_ok=True)
        for stale in opts.cache.glob(f"{stem}-*"):  # older synth.py: regenerate
            shutil.rmtree(stale, ignore_errors=True)
        bench.log(f"synth {size.full_label} -> {out}")
        # OUT_DIR first: `dealnudge synth --deals ...` trips argparse's REMAINDER in
        # bot/cli.py (options before any positional are parsed as dealnudge's own).
        cmd = [
            *dealnudge_cmd(),
            "synth",
            str(out),
            "--deals",
            str(size.deals),
            "--activities",
            str(size.activities),
            "--reps",
            str(size.reps),
            "--as-of",
            opts.as_of.isoformat(),
        ]
        measure(cmd, opts.cache / f"{stem}.synth.log").check("dealnudge synth")
        (out / ".complete").write_text("ok\n", encoding="utf-8")
        return out

    path: Path = bench.shared(("synth", size), make)
    return path


@dataclass(frozen=True)
class ScanRuns:
    runs: list[Run]
    summary: dict[str, Any]  # from the JSON of the first run
    identical: bool  # every run printed byte-identical JSON
    output_bytes: int


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def scan_runs(bench: Bench, size: Size) -> ScanRuns:
    """``repeats`` timed runs of ``dealnudge scan --json`` (shared by scan and memory)."""

    def run_all() -> ScanRuns:
        opts = bench.options
        export = synth_export(bench, size)
        out = opts.cache / "out" / f"scan-{size.deals}-{size.activities}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        cmd = [*dealnudge_cmd(), "scan", "--json", str(export), "--as-of", opts.as_of.isoformat()]
        runs: list[Run] = []
        digests: set[str] = set()
        summary: dict[str, Any] = {}
        for i in range(opts.repeats):
            bench.log(f"scan {size.label}: run {i + 1}/{opts.repeats}")
            run = measure(cmd, out).check("dealnudge scan")
            runs.append(run)
            digests.add(_digest(out))
            if i == 0:
                summary = _summarise(json.loads(out.read_bytes()))
        return ScanRuns(runs, summary, len(digests) == 1, out.stat().st_size)

    result: ScanRuns = bench.shared(("scan", size), run_all)
    return result


def _summarise(doc: dict[str, Any]) -> dict[str, Any]:
    """The counts of a scan's JSON, checking it has the documented shape."""
    keys = ("as_of", "deals_read", "open_deals", "activities_read", "flagged_deals", "findings")
    missing = [k for k in keys if k not in doc]
    if missing:
        raise ValueError(f"scan --json is missing {missing}")
    findings = doc["findings"]
    if not isinstance(findings, list):
        raise ValueError("scan --json findings is not a list")
    for f in findings[:50]:
        for k in ("deal_id", "pattern", "severity", "evidence", "questions"):
            if k not in f:
                raise ValueError(f"a finding has no {k!r}")
    return {k: doc[k] for k in keys[:-1]} | {"findings": len(findings)}


def reference_runs(bench: Bench, size: Size) -> list[tuple[Run, dict[str, Any]]]:
    def run_all() -> list[tuple[Run, dict[str, Any]]]:
        opts = bench.options
        export = synth_export(bench, size)
        out = opts.cache / "out" / f"reference-{size.deals}-{size.activities}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "bench.reference", str(export)]
        runs = []
        for i in range(opts.repeats):
            bench.log(f"DuckDB reference {size.label}: run {i + 1}/{opts.repeats}")
            run = measure(cmd, out).check("bench.reference")
            runs.append((run, json.loads(out.read_text(encoding="utf-8"))))
        return runs

    result: list[tuple[Run, dict[str, Any]]] = bench.shared(("reference", size), run_all)
    return result


def reference_enabled(bench: Bench) -> bool:
    return bench.options.reference and have("duckdb")


@section("scan", "Scan", order=10)
def scan_section(bench: Bench) -> SectionResult:
    opts = bench.options
    result = SectionResult()
    use_ref = reference_enabled(bench)
    rows = [
        "| export | activities read | flagged deals | findings | scan (median) "
        "| DuckDB (median) | ratio | scan per 1k activities |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size in opts.sizes:
        big = size == opts.big
        scans = scan_runs(bench, size)
        times = [r.seconds for r in scans.runs]
        result.figures.append(Figure(f"scan, {size.label}", Stats.of(times), "s"))
        s = scans.summary
        per_k = Stats.of(times).median / max(s["activities_read"], 1) * 1000
        ref_cell = ratio_cell = "-"
        if use_ref:
            refs = reference_runs(bench, size)
            ref_times = [r.seconds for r, _ in refs]
            ratios = [a / b for a, b in zip(times, ref_times, strict=True)]
            ref_stats, ratio_stats = Stats.of(ref_times), Stats.of(ratios)
            result.figures.append(Figure(f"DuckDB reference, {size.label}", ref_stats, "s"))
            result.figures.append(
                Figure(
                    f"scan ÷ reference, {size.label}",
                    ratio_stats,
                    "x",
                    f"≤ {SCAN_TARGET_RATIO:g}×" if big else "",
                    ratio_stats.median <= SCAN_TARGET_RATIO if big else None,
                )
            )
            ref_cell, ratio_cell = fmt(ref_stats.median, "s"), fmt(ratio_stats.median, "x")
            result.extra.setdefault("reference", {})[size.label] = refs[0][1]
        rows.append(
            f"| {size.full_label} | {s['activities_read']:,} | {s['flagged_deals']:,} "
            f"| {s['findings']:,} | {fmt(Stats.of(times).median, 's')} | {ref_cell} "
            f"| {ratio_cell} | {per_k * 1000:.0f} ms |"
        )
        result.extra.setdefault("summary", {})[size.label] = s
        if not scans.identical:
            result.notes.append(
                f"**Warning:** the {size.label} scan printed different JSON across runs."
            )
    result.notes.insert(
        0,
        "`dealnudge scan --json EXPORT --as-of "
        f"{opts.as_of.isoformat()}` timed end to end as a subprocess (interpreter start, "
        "CSV read, rules, JSON printed to a file) on `dealnudge synth` exports. The "
        "reference is DuckDB in a subprocess (`python -m bench.reference`) reading the same "
        "Task, Event and Opportunity CSV files and computing each deal's activity count and "
        "last activity date: the floor for reading and grouping the export on this machine. "
        "DuckDB uses both cores; dealnudge uses one.",
    )
    result.notes.insert(1, "\n".join(rows))
    if not use_ref:
        why = "--no-reference" if not opts.reference else "duckdb is not installed"
        result.notes.append(f"DuckDB reference skipped ({why}); `make bench` installs it.")
    if opts.profile:
        result.notes.append(_profile_scan(bench))
    return result


def _profile_scan(bench: Bench) -> str:
    if not have("pyinstrument"):
        return "No profile: pyinstrument is not installed."
    opts = bench.options
    export = synth_export(bench, opts.big)
    out = opts.cache / "profiles" / "scan.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pyinstrument", "-o", str(out), "-m", "bot.cli", "scan"]
    cmd += ["--json", str(export), "--as-of", opts.as_of.isoformat()]
    bench.log("profiling the scan with pyinstrument")
    measure(cmd, opts.cache / "profiles" / "scan.stdout").check("pyinstrument scan")
    return f"Profile of one {opts.big.label} scan (pyinstrument): `{out.relative_to(REPO)}`."


@section("memory", "Memory", order=20)
def memory_section(bench: Bench) -> SectionResult:
    opts = bench.options
    result = SectionResult()
    for size in opts.sizes:
        big = size == opts.big
        rss = Stats.of(r.peak_rss_mb for r in scan_runs(bench, size).runs)
        result.figures.append(
            Figure(
                f"peak RSS, scan {size.label}",
                rss,
                "MB",
                "≤ 1 GB" if big else "",
                rss.median <= RSS_TARGET_MB if big else None,
            )
        )
    if reference_enabled(bench):
        ref = Stats.of(r.peak_rss_mb for r, _ in reference_runs(bench, opts.big))
        result.figures.append(Figure(f"peak RSS, DuckDB reference {opts.big.label}", ref, "MB"))
    result.notes.append(
        "Peak resident set size of the scan subprocesses above (the same runs), read from "
        "the child's own `ru_maxrss` (`os.wait4`). 1 GB = 1,024 MB."
    )
    return result
