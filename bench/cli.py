"""``python -m bench``: run the sections and write BENCHMARKS.md (and a JSON copy)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bench.core import (
    DEFAULT_SIZES,
    REPO,
    Bench,
    Options,
    SectionResult,
    Size,
    machine,
    now_utc,
    ordered_sections,
    render_report,
    results_json,
    run_section,
)

# Importing a module registers its sections (``@section``).
SECTION_MODULES = ("bench.scan", "bench.deal", "bench.serve", "bench.fanout", "bench.state")


def load_sections() -> None:
    for name in SECTION_MODULES:
        importlib.import_module(name)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--repeats", type=int, default=3, help="runs per figure (default 3)")
    p.add_argument(
        "--sizes",
        default=",".join(f"{s.deals}:{s.activities}:{s.reps}" for s in DEFAULT_SIZES),
        help="scan sizes DEALS:ACTIVITIES:REPS, comma-separated; the last is used for "
        "memory and /deal (default %(default)s)",
    )
    p.add_argument("--requests", type=int, default=2_000, help="/deal requests per round")
    p.add_argument("--clients", type=int, default=16, help="concurrent /deal clients")
    p.add_argument(
        "--state-reps", default="100,1000", help="team sizes (reps) for the state section"
    )
    p.add_argument(
        "--only",
        default="",
        help="comma-separated sections to run (scan,memory,deal,serve,fanout,state)",
    )
    p.add_argument("--no-reference", action="store_true", help="skip the DuckDB reference")
    p.add_argument(
        "--profile",
        action="store_true",
        help="also profile one scan of the largest size with pyinstrument",
    )
    p.add_argument("--cache", type=Path, default=REPO / ".bench-cache", help="synth exports etc.")
    p.add_argument("--as-of", type=date.fromisoformat, default=Options().as_of)
    p.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md", help="report to write")
    return p


def options_from(args: argparse.Namespace) -> Options:
    if args.repeats < 1:
        raise SystemExit("python -m bench: --repeats must be at least 1")
    sizes = tuple(Size.parse(s) for s in args.sizes.split(",") if s.strip())
    if not sizes:
        raise SystemExit("python -m bench: --sizes names no size")
    return Options(
        repeats=args.repeats,
        cache=args.cache.resolve(),
        sizes=sizes,
        requests=args.requests,
        clients=args.clients,
        state_reps=tuple(int(n) for n in args.state_reps.split(",") if n.strip()),
        reference=not args.no_reference,
        profile=args.profile,
        sections=tuple(s.strip() for s in args.only.split(",") if s.strip()),
        as_of=args.as_of,
    )


def run(options: Options) -> list[SectionResult]:
    load_sections()
    bench = Bench(options)
    wanted = set(options.sections)
    unknown = wanted - {s.key for s in ordered_sections()}
    if unknown:
        raise SystemExit(f"python -m bench: unknown section(s) {', '.join(sorted(unknown))}")
    return [run_section(bench, s) for s in ordered_sections() if not wanted or s.key in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    options = options_from(args)
    started, t0 = now_utc(), time.perf_counter()
    host = machine()
    results = run(options)
    given = list(sys.argv[1:] if argv is None else argv)
    command = " ".join(["python -m bench", *given])
    baseline_path = REPO / "bench" / "baseline.json"
    notes_path = REPO / "bench" / "NOTES.md"
    baseline = (
        json.loads(baseline_path.read_text(encoding="utf-8")) if baseline_path.is_file() else None
    )
    notes = notes_path.read_text(encoding="utf-8") if notes_path.is_file() else ""
    text = render_report(
        results, options, host, started, time.perf_counter() - t0, command, baseline, notes
    )
    args.out.write_text(text, encoding="utf-8")
    json_path = options.cache / "benchmarks.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(
        json.dumps({"machine": host, "results": results_json(results)}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out} (raw figures: {json_path})", file=sys.stderr)
    return 0
