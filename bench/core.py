"""The bench's building blocks: options, figures with min/median/max, the section registry,
the machine description and the Markdown report.

Adding a section is one function::

    @section("fanout", "Fan-out", order=40)
    def fanout(bench: Bench) -> SectionResult:
        ...
        return SectionResult(figures=[Figure("nudge job", Stats.of(times), "s", "< 60 s", ok)])

and importing its module in ``bench/cli.py`` (``SECTION_MODULES``).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SYNTH_AS_OF = date(2026, 11, 2)  # bot.tools.synth.DEFAULT_AS_OF: the synthetic exports' "today"


# ------------------------------------------------------------------ options


@dataclass(frozen=True)
class Size:
    """A synthetic export size: ``dealnudge synth --deals D --activities A --reps R``."""

    deals: int
    activities: int
    reps: int

    @classmethod
    def parse(cls, text: str) -> Size:
        """``DEALS:ACTIVITIES:REPS``, e.g. ``100000:1000000:1000`` (``k``/``M`` allowed)."""
        parts = [_count(p) for p in text.split(":")]
        if len(parts) != 3 or min(parts) < 1:
            raise ValueError(f"size {text!r} is not DEALS:ACTIVITIES:REPS like 100k:1M:1k")
        return cls(*parts)

    @property
    def label(self) -> str:
        return f"{human(self.deals)} deals / {human(self.activities)} activities"

    @property
    def full_label(self) -> str:
        return f"{self.label} / {human(self.reps)} reps"


def _count(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


def human(n: int) -> str:
    for unit, div in (("M", 1_000_000), ("k", 1_000)):
        if n >= div and n % (div // 10) == 0:
            value = n / div
            return f"{value:g}{unit}"
    return str(n)


DEFAULT_SIZES = (
    Size(1_000, 10_000, 10),
    Size(30_000, 300_000, 300),
    Size(100_000, 1_000_000, 1_000),
)


@dataclass(frozen=True)
class Options:
    repeats: int = 3
    cache: Path = REPO / ".bench-cache"
    sizes: tuple[Size, ...] = DEFAULT_SIZES  # the last one is "the" size (memory, /deal)
    requests: int = 2_000  # /deal requests per round
    clients: int = 16  # concurrent /deal clients
    state_reps: tuple[int, ...] = (100, 1_000)  # team sizes for the state section
    reference: bool = True  # DuckDB reference for the scan (needs the bench extra)
    profile: bool = False  # also write a pyinstrument profile of one big-size scan
    sections: tuple[str, ...] = ()  # empty: all
    as_of: date = SYNTH_AS_OF

    @property
    def big(self) -> Size:
        return self.sizes[-1]


# ------------------------------------------------------------------ figures


@dataclass(frozen=True)
class Stats:
    """Repeated measurements of one figure."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Iterable[float]) -> Stats:
        vals = tuple(float(v) for v in values)
        if not vals:
            raise ValueError("no measurements")
        return cls(vals)

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return float(statistics.median(self.values))

    @property
    def max(self) -> float:
        return max(self.values)


@dataclass(frozen=True)
class Figure:
    name: str
    stats: Stats
    unit: str  # s | ms | MB | x | /s ...
    target: str = ""  # as written in the report, e.g. "≤ 3×"
    met: bool | None = None  # None: no target

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "values": list(self.stats.values),
            "min": self.stats.min,
            "median": self.stats.median,
            "max": self.stats.max,
            "target": self.target,
            "met": self.met,
        }


@dataclass
class SectionResult:
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Markdown paragraphs / bullet lines
    skipped: str = ""  # why the section did not run (rendered instead of figures)
    extra: dict[str, Any] = field(default_factory=dict)  # details for tests and callers
    key: str = ""
    title: str = ""
    seconds: float = 0.0


# ------------------------------------------------------------------ registry


class Bench:
    """What a section gets: the options and a memo for work shared between sections."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.memo: dict[Any, Any] = {}

    def log(self, message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def shared(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


SectionFn = Callable[[Bench], SectionResult]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    run: SectionFn


SECTIONS: dict[str, Section] = {}


def section(key: str, title: str, order: int) -> Callable[[SectionFn], SectionFn]:
    def register(fn: SectionFn) -> SectionFn:
        if key in SECTIONS and SECTIONS[key].run is not fn:
            raise ValueError(f"bench section {key!r} is already registered")
        SECTIONS[key] = Section(key, title, order, fn)
        return fn

    return register


def ordered_sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))


def run_section(bench: Bench, sec: Section) -> SectionResult:
    started = time.perf_counter()
    bench.log(f"section {sec.key}: {sec.title}")
    try:
        result = sec.run(bench)
    except Exception as exc:  # one broken section must not cost the whole report
        import traceback

        bench.log(f"section {sec.key} failed:\n{traceback.format_exc()}")
        result = SectionResult(skipped=f"failed: {type(exc).__name__}: {exc}")
    result.key, result.title = sec.key, sec.title
    result.seconds = time.perf_counter() - started
    return result


# ------------------------------------------------------------------ the machine


def machine() -> dict[str, str]:
    """Cores, RAM, CPU model, Python, OS and the code measured."""
    info: dict[str, str] = {}
    cpus = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = cpus
    info["cores"] = f"{cpus} logical ({usable} usable by this process)"
    info["cpu"] = _cpuinfo_model() or platform.processor() or platform.machine()
    info["ram"] = _mem_total()
    info["python"] = f"{platform.python_implementation()} {platform.python_version()}"
    info["os"] = platform.platform()
    try:
        load = os.getloadavg()
        info["load average at start"] = " / ".join(f"{x:.2f}" for x in load) + " (1/5/15 min)"
    except OSError:
        pass
    info["code"] = _git_describe()
    return info


def _cpuinfo_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "cpu model") and value.strip():
            return value.strip()
    return ""


def _mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return f"{pages * size / 1024**3:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        return "unknown"


def _git_describe() -> str:
    def git(*args: str) -> str:
        try:
            out = subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return out.stdout.strip() if out.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return "unknown (not a git checkout)"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"commit {head}" + (" plus uncommitted changes" if dirty else "")


# ------------------------------------------------------------------ formatting


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3g} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "x":
        return f"{value:.1f}×"
    if unit == "µs":
        return f"{value:.1f} µs"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:.3g} {unit}".rstrip()


def _verdict(f: Figure) -> str:
    if f.met is None:
        return ""
    return "met" if f.met else "**not met**"


def render_report(
    results: list[SectionResult],
    options: Options,
    host: dict[str, str],
    started: datetime,
    elapsed: float,
    command: str,
    baseline: dict[str, Any] | None = None,
    appendix: str = "",
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`{command}`) on {started.astimezone(UTC):%Y-%m-%d %H:%M} UTC "
        f"(took {elapsed / 60:.1f} min). Every figure is min / median / max over "
        f"{options.repeats} run(s) unless it says otherwise; rerun with "
        "`make bench BENCH_ARGS='--repeats 5'` for more.",
        "",
        "## Machine",
        "",
        *[f"- **{k}**: {v}" for k, v in host.items()],
        "- The machine has 2 cores shared with other work (other sessions, editors, test "
        "runs), so absolute times are noisy and a few runs can be slow; the medians and the "
        "ratios against the reference are the figures to compare.",
        "",
        "## Targets",
        "",
        "| figure | target | median | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for r in results:
        for f in r.figures:
            if f.target:
                lines.append(
                    f"| {r.title}: {f.name} | {f.target} | {fmt(f.stats.median, f.unit)} "
                    f"| {_verdict(f)} |"
                )
        if r.skipped:
            lines.append(f"| {r.title} | | | {r.skipped} |")
    for r in results:
        lines += ["", f"## {r.title}", ""]
        if r.skipped:
            lines += [f"**{r.title}: {r.skipped}**", ""]
        if r.figures:
            lines += [
                "| figure | min | median | max | target |",
                "| --- | --- | --- | --- | --- |",
            ]
            for f in r.figures:
                target = f"{f.target} ({_verdict(f)})" if f.target else ""
                lines.append(
                    f"| {f.name} | {fmt(f.stats.min, f.unit)} | {fmt(f.stats.median, f.unit)} "
                    f"| {fmt(f.stats.max, f.unit)} | {target} |"
                )
            lines.append("")
        for note in r.notes:
            lines += [note, ""]
        if r.seconds >= 1:
            lines += [f"_Section time: {r.seconds:.0f} s._", ""]
    if baseline:
        lines += before_after(results, baseline)
    if appendix.strip():
        lines += ["", appendix.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def before_after(results: list[SectionResult], baseline: dict[str, Any]) -> list[str]:
    """A table of this run's medians against ``bench/baseline.json`` (same figure names)."""
    before = {
        (r["key"], f["name"]): (Stats.of(f["values"]), f["unit"], r.get("note", ""))
        for r in baseline.get("results", [])
        for f in r.get("figures", [])
    }
    rows: list[str] = []
    notes: list[str] = []
    for r in results:
        for f in r.figures:
            old = before.get((r.key, f.name))
            if old is None:
                continue
            stats, unit, note = old
            change = f.stats.median / stats.median if stats.median else 0.0
            rows.append(
                f"| {r.title}: {f.name} | {fmt(stats.median, unit)} "
                f"| {fmt(f.stats.median, f.unit)} | {change:.2f}× |"
            )
            if note and note not in notes:
                notes.append(note)
    if not rows:
        return []
    return [
        "",
        "## Before → after",
        "",
        f"Medians of this run against `bench/baseline.json`: {baseline.get('label', '')} "
        f"(measured {baseline.get('measured', '?')}). Change is after ÷ before.",
        "",
        "| figure | before | after | change |",
        "| --- | --- | --- | --- |",
        *rows,
        "",
        *[f"{n}." for n in notes],
        "",
    ]


def results_json(results: list[SectionResult]) -> list[dict[str, Any]]:
    return [
        {
            "key": r.key,
            "title": r.title,
            "skipped": r.skipped,
            "figures": [f.as_dict() for f in r.figures],
            "seconds": r.seconds,
        }
        for r in results
    ]


def now_utc() -> datetime:
    return datetime.now(UTC)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 2,000 samples is the 1,980th smallest)."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]
