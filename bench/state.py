"""State: nudge and feedback records written in batches and read back through bot/store.py.

10,000 nudges are 1,000 reps x 10 working days, each carrying three deals; 10,000
feedback records spread over the ten patterns. Every run starts from an empty state file.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import rules.questions
from bench.core import Bench, Figure, SectionResult, Stats, human, section
from rules.model import Pipeline

TARGET_S = 1.0
PATTERNS = rules.questions.PATTERNS
KINDS = ("asked", "another", "not_accurate", "snoozed")
SINGLE_WRITES = 200
BIG_DEALS = 100_000


def big_pipeline() -> Pipeline:
    from rules.model import Deal, Pipeline

    return Pipeline(
        deals=tuple(
            Deal(
                f"006{i:015d}",
                f"Deal {i}",
                f"Account {i % 9000}",
                f"005{i % 1000:015d}",
                stage="Prospecting",
                amount=10_000.0 + i,
            )
            for i in range(BIG_DEALS)
        )
    )


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def one_run(path: Path, nudges: int, feedback: int) -> dict[str, float]:
    from bot.state import open_store

    reps = max(1, nudges // 10)
    base = datetime(2026, 11, 2, 9, tzinfo=UTC)
    ticks = iter(range(10**9))

    def clock() -> datetime:
        return base + timedelta(seconds=next(ticks))

    store = open_store(path, clock=clock)
    out: dict[str, float] = {}

    def write_nudges() -> None:
        with store.batch():
            for i in range(nudges):
                rep, day = f"U{i % reps:07d}", i // reps
                key = f"nudge:2026-11-{day + 1:02d}:{rep}"
                deals = [f"006{(i * 3 + k):015d}" for k in range(3)]
                pats = [PATTERNS[(i + k) % len(PATTERNS)] for k in range(3)]
                store.begin_nudge(key, rep, deals, pats, [f"{p}:q{k}" for k, p in enumerate(pats)])
                store.finish_nudge(key, f"{1_790_000_000 + i}.000100", f"D{rep}")

    def write_feedback() -> None:
        with store.batch():
            for i in range(feedback):
                store.record_feedback(
                    f"006{i:015d}",
                    PATTERNS[i % len(PATTERNS)],
                    f"q{i % 7}",
                    f"team{i % 4}",
                    KINDS[i % len(KINDS)],
                    reason="" if i % 5 else "not a fit",
                    who=f"U{i % reps:07d}",
                )

    def read_nudges() -> int:
        found = sum(len(store.nudges_for(f"U{r:07d}")) for r in range(reps))
        if found != nudges:
            raise AssertionError(f"nudges_for found {found} nudges, wrote {nudges}")
        return found

    def read_feedback() -> int:
        everything = store.feedback()
        per_pattern = sum(len(store.feedback(pattern=p)) for p in PATTERNS)
        if len(everything) != feedback or per_pattern != feedback:
            raise AssertionError(
                f"feedback() read {len(everything)}/{per_pattern}, wrote {feedback}"
            )
        return len(everything)

    def one_click_ms() -> float:
        """Mean time of a single durable write (a button click's feedback), fsynced."""
        t0 = time.perf_counter()
        for i in range(SINGLE_WRITES):
            store.record_feedback(f"006{i:015d}", PATTERNS[0], "q1", "", "asked", who="U1")
        return (time.perf_counter() - t0) / SINGLE_WRITES * 1000

    out["write_nudges"], _ = _timed(write_nudges)
    out["write_feedback"], _ = _timed(write_feedback)
    out["read_nudges"], _ = _timed(read_nudges)
    out["read_feedback"], _ = _timed(read_feedback)
    out["click_small"] = one_click_ms()
    # A 100k-deal org's export history (what dealnudge keeps per deal) makes the state big;
    # reopened so the one-off fold of that export into the state file is done.
    store.record_export(date(2026, 11, 2), "bench", big_pipeline())
    store.close()
    store = open_store(path, clock=clock)
    out["click_big"] = one_click_ms()
    store.close()
    t0 = time.perf_counter()
    reopened = open_store(path, clock=clock)
    out["reopen"] = time.perf_counter() - t0
    counts = reopened.counts()
    reopened.close()
    if counts["nudges"] != nudges or counts["feedback"] != feedback + 2 * SINGLE_WRITES:
        raise AssertionError(f"reopened state has {counts}")
    out["file_mb"] = path.stat().st_size / 1024 / 1024
    return out


@section("state", "State", order=50)
def state_section(bench: Bench) -> SectionResult:
    opts = bench.options
    n, f = opts.nudges, opts.feedback
    runs: list[dict[str, float]] = []
    for i in range(opts.repeats):
        bench.log(f"state: run {i + 1}/{opts.repeats}")
        with tempfile.TemporaryDirectory(prefix="dealnudge-bench-state-") as tmp:
            runs.append(one_run(Path(tmp) / "state.json", n, f))

    def stats(key: str) -> Stats:
        return Stats.of(r[key] for r in runs)

    target = f"< {TARGET_S:g} s"
    reps = max(1, n // 10)
    result = SectionResult()
    for key, name in (
        ("write_nudges", f"write {n:,} nudges (begin_nudge + finish_nudge, one batch)"),
        ("write_feedback", f"write {f:,} feedback records (record_feedback, one batch)"),
        ("read_nudges", f"read back {n:,} nudges (nudges_for each of {reps:,} reps)"),
        ("read_feedback", f"read back {f:,} feedback records (feedback() + per pattern)"),
    ):
        s = stats(key)
        result.figures.append(Figure(name, s, "s", target, s.median < TARGET_S))
    per_call = Stats.of(r["read_nudges"] / reps * 1000 for r in runs)
    result.figures.append(Figure("nudges_for, one rep (mean of the calls above)", per_call, "ms"))
    result.figures.append(Figure("reopen the state file (Store.open)", stats("reopen"), "s"))
    result.figures.append(
        Figure(f"one click's durable write, state as above (mean of {SINGLE_WRITES})",
               stats("click_small"), "ms")
    )  # fmt: skip
    result.figures.append(
        Figure(f"one click's durable write, plus a {human(BIG_DEALS)}-deal export history "
               f"({runs[0]['file_mb']:.0f} MB state, mean of {SINGLE_WRITES})",
               stats("click_big"), "ms")
    )  # fmt: skip
    result.notes.append(
        f"`bot/store.py` API on a fresh state file per run: {human(n)} nudges "
        f"({human(reps)} reps x 10 days, three deals each) and {human(f)} feedback records, "
        f"each set written inside one `Store.batch()` (one flush to disk). Then single "
        f"durable writes, each fsynced before it returns (what a button click costs): with "
        f"that state, and again after recording a {human(BIG_DEALS)}-deal export's history. "
        f"A write appends only the documents it changed to the journal, so its cost does not "
        f"grow with the state; the state file (here {runs[0]['file_mb']:.0f} MB at the end) is "
        f"rewritten only when the journal is folded into it."
    )
    result.extra = {"runs": runs}
    return result
