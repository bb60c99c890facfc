"""State: what a click and a send cost on each backend, with the state a team accumulates.

A team of R reps keeps (see ``Store.RETENTION``) 90 days of send records (R x 63 working
days, three deals each), a year of feedback (half a click per rep per working day: R x 125)
and the questions shown on its flagged deals (R x 20 deals). The state is loaded in one
step (``Backend.replace``, as `state import` does), then timed through the ``Store`` API:
single durable writes, each fsynced (tinydb) or committed (PostgreSQL) before it returns.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import rules.questions
from bench.core import Bench, Figure, SectionResult, Stats, human, section

PATTERNS = rules.questions.PATTERNS
KINDS = ("asked", "another", "not_accurate", "snoozed")
CLICKS = 50  # single writes timed per run
SENDS = 30  # reps whose send records (begin + finish) are timed per run
CLICK_TARGET_MS = 100.0  # a click is saved before its ack: well inside Slack's 3 s
T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def team_state(reps: int) -> dict[str, list[dict[str, Any]]]:
    """The documents a team of ``reps`` holds at steady state."""
    at = T0.isoformat()
    nudges = []
    for day in range(63):
        for r in range(reps):
            pats = [PATTERNS[(r + day + k) % len(PATTERNS)] for k in range(3)]
            nudges.append({
                "key": f"nudge:005{r:015d}:{day}", "rep": f"005{r:015d}",
                "deal_ids": [f"006{(r * 20 + (day + k) % 20):015d}" for k in range(3)],
                "patterns": pats, "question_ids": [f"{p}:q{k}" for k, p in enumerate(pats)],
                "status": "sent", "error": "", "ts": f"{1_790_000_000 + day}.{r:06d}",
                "channel": f"D{r:08d}", "sent_at": at, "attempts": 1, "created": at,
            })  # fmt: skip
    feedback = [
        {"deal_id": f"006{(i * 7) % (reps * 20):015d}", "pattern": PATTERNS[i % len(PATTERNS)],
         "question_id": f"q{i % 7}", "team": f"team{i % 4}", "kind": KINDS[i % len(KINDS)],
         "reason": "" if i % 5 else "not a fit", "who": f"U{i % reps:07d}", "at": at}
        for i in range(reps * 125)
    ]  # fmt: skip
    shown = [
        {"deal_id": f"006{d:015d}", "shown": {f"{PATTERNS[d % 10]}:q{k}": [at, PATTERNS[d % 10]]
                                              for k in range(3)}}
        for d in range(reps * 20)
    ]  # fmt: skip
    people = [
        {"owner_id": f"005{r:015d}", "slack_user_id": f"U{r:07d}", "tz": "UTC",
         "source": "email", "cached_at": at}
        for r in range(reps)
    ]  # fmt: skip
    return {"meta": [{"name": "schema", "version": 3}], "nudges": nudges, "feedback": feedback,
            "questions_shown": shown, "people": people}  # fmt: skip


def _pg_url() -> str | None:
    import os

    import psycopg

    url = os.environ.get("DEALNUDGE_BENCH_DATABASE_URL", DEFAULT_PG)
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error:
        return None
    return url


@contextmanager
def _backend(kind: str, url: str | None) -> Iterator[tuple[Callable[[], Any], Callable[[], float]]]:
    """(open the store, the state's size in MB) on a fresh tinydb file or PG schema."""
    from bot.state import open_store

    clock = iter(T0 + timedelta(seconds=n) for n in range(10**9))
    with tempfile.TemporaryDirectory(prefix="dealnudge-bench-state-") as tmp:
        path = Path(tmp) / "state.json"
        if kind == "tinydb":
            yield (
                (lambda: open_store(path, clock=lambda: next(clock))),
                (lambda: path.stat().st_size / 1e6),
            )
            return
        import uuid

        import psycopg

        assert url is not None
        schema = "bench_" + uuid.uuid4().hex[:10]

        def size() -> float:
            with psycopg.connect(url) as conn:
                row = conn.execute(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = %s AND c.relkind = 'r'",
                    [schema],
                ).fetchone()
            return float(row[0] or 0) / 1e6 if row else 0.0

        try:
            yield (
                (
                    lambda: open_store(
                        path, database_url=url, schema=schema, clock=lambda: next(clock)
                    )
                ),
                size,
            )
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def one_run(kind: str, reps: int, url: str | None) -> dict[str, float]:
    out: dict[str, float] = {}
    with _backend(kind, url) as (open_, size):
        store = open_()
        state = team_state(reps)
        t0 = time.perf_counter()
        store.backend.replace(state)
        out["load"] = time.perf_counter() - t0
        store.close()
        t0 = time.perf_counter()
        store = open_()
        out["reopen"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i in range(CLICKS):
            store.record_feedback(f"006{i:015d}", PATTERNS[0], "q1", "", "asked", who="U1")
        out["click_ms"] = (time.perf_counter() - t0) / CLICKS * 1000
        t0 = time.perf_counter()
        for r in range(SENDS):
            key = f"nudge:005{r:015d}:today"
            store.begin_nudge(key, f"005{r:015d}", ["d1", "d2", "d3"], PATTERNS[:3], ["q"] * 3)
            store.finish_nudge(key, "1.1", f"D{r:08d}")
        out["send_ms"] = (time.perf_counter() - t0) / SENDS * 1000
        counts = store.counts()
        store.close()
        out["size_mb"] = size()
    want = len(state["feedback"]) + CLICKS, len(state["nudges"]) + SENDS
    if (counts["feedback"], counts["nudges"]) != want:
        raise AssertionError(f"{kind}: reopened state has {counts}, expected {want}")
    return out


@section("state", "State", order=50)
def state_section(bench: Bench) -> SectionResult:
    opts = bench.options
    url = _pg_url()
    result = SectionResult()
    runs: dict[str, list[dict[str, float]]] = {}
    for kind in ("tinydb", "postgres"):
        if kind == "postgres" and url is None:
            result.notes.append(
                f"PostgreSQL was not reachable at {DEFAULT_PG} (or "
                "DEALNUDGE_BENCH_DATABASE_URL): its figures are missing."
            )
            continue
        for reps in opts.state_reps:
            label = f"{kind}, {human(reps)} reps"
            bench.log(f"state: {label}")
            found = runs[label] = [one_run(kind, reps, url) for _ in range(opts.repeats)]

            def stats(key: str, found: list[dict[str, float]] = found) -> Stats:
                return Stats.of(r[key] for r in found)

            click = stats("click_ms")
            result.figures += [
                Figure(f"one click's durable write, {label}", click, "ms",
                       f"≤ {CLICK_TARGET_MS:g} ms", click.median <= CLICK_TARGET_MS),
                Figure(f"one send's records (begin + finish), {label}", stats("send_ms"), "ms"),
                Figure(f"open the state, {label}", stats("reopen"), "s"),
                Figure(f"state size, {label}", stats("size_mb"), "MB"),
            ]  # fmt: skip
    result.notes.append(
        f"A team of R reps at steady state: {human(63)} days of send records per rep (90 "
        "days of working days), a year of feedback (125 per rep) and the questions shown on "
        f"20 deals per rep; loaded in one step, then {CLICKS} clicks (`record_feedback`) and "
        f"{SENDS} sends (`begin_nudge` + `finish_nudge`), each durable before it returns. "
        "tinydb rewrites its file (and the file's copy) per write, so its cost grows with "
        "the state: it suits one process and teams of up to a few hundred reps; PostgreSQL "
        "writes only the row."
    )
    result.extra = {"runs": runs}
    return result
