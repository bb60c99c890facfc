"""Fan-out: one morning's nudges for 1,000 reps against a rate-limiting, flaky fake Slack.

The export has 1,000 reps (``dealnudge synth``), each a Slack user of the test suite's
FakeSlack (matched by email). FakeSlack answers ``chat.postMessage`` with 429 +
``Retry-After: 1`` above ``RATE`` calls a second and fails 2% of calls with a 5xx. The
nudge job plans and sends exactly as the scheduler does (bot/delivery/jobs.py); a second run retries
whatever failed. Then every planned key must be in Slack exactly once: 0 lost, 0 duplicated.
The floor is what the rate limit alone allows: messages ÷ RATE seconds.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.core import Bench, Figure, SectionResult, Size, Stats, section
from bench.scan import synth_export

SIZE = Size(10_000, 60_000, 1_000)
RATE = 50.0  # chat.postMessage calls per second before FakeSlack answers 429
FAIL_RATE = 0.02
TOKEN = "xoxb-bench-fanout"


def _fake_slack() -> Any:
    from bench.deal import _support  # tests/support's FakeSlack, shared with the test suite

    return _support()[0].FakeSlack


def fanout_once(bench: Bench, export: Path, run: int) -> dict[str, Any]:
    from bot.delivery.jobs import plan_nudges, send_nudges
    from bot.delivery.once import EVENT_TYPE
    from bot.runtime import build_runtime
    from bot.settings import Settings
    from bot.state import open_store

    fake = _fake_slack()().start()
    try:
        with (export / "User.csv").open(encoding="utf-8-sig", newline="") as f:
            for i, row in enumerate(csv.DictReader(f)):
                fake.add_user(f"U{i:07d}", row["Email"], row["Name"], tz="UTC")
        fake.rate_limit("chat.postMessage", per_second=RATE)
        fake.fail_rate("chat.postMessage", rate=FAIL_RATE, status=503, seed=run)
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings.from_env(
                {
                    "SLACK_BOT_TOKEN": TOKEN,
                    "SLACK_SIGNING_SECRET": "unused",
                    "SLACK_API_URL": fake.url,
                    "DEALNUDGE_SOURCE": str(export),
                    "DEALNUDGE_DB": str(Path(tmp) / "state.json"),
                }
            )
            now = datetime.combine(bench.options.as_of, datetime.min.time(), UTC).replace(hour=9)
            # A state in use for a while: a state that starts empty first looks for each of
            # today's sends in Slack (it may have lost their records), not what is timed here.
            open_store(settings.db_path, clock=lambda: now - timedelta(days=9)).close()
            runtime = build_runtime(settings, clock=lambda: now)
            runtime.refresh()
            snap = runtime.deps.snapshots.current
            assert snap is not None, runtime.deps.snapshots.last_error
            started = time.perf_counter()
            plans, _ = plan_nudges(runtime.deps, snap, now)
            planned = time.perf_counter() - started
            report = send_nudges(runtime.deps, runtime.sender, plans)
            retries = 0
            while report.failed and retries < 3:  # the next tick retries the failures
                retries += 1
                report = send_nudges(runtime.deps, runtime.sender, plans)
            wall = time.perf_counter() - started
            runtime.deps.store.close()
        keys = Counter(
            m["metadata"]["event_payload"]["key"]
            for m in fake.messages.values()
            if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE
        )
        calls = fake.calls_to("chat.postMessage")
        wanted = {p.key for p in plans}
        return {
            "plans": len(plans),
            "lost": len(wanted - set(keys)),
            "duplicated": sum(n - 1 for n in keys.values() if n > 1),
            "unexpected": len(set(keys) - wanted),
            "wall": wall,
            "plan_s": planned,
            "floor": len(plans) / RATE,
            "rate_limited": sum(1 for c in calls if c.status == 429),
            "server_errors": sum(1 for c in calls if c.status >= 500),
            "retry_runs": retries,
            "still_failed": len(report.failed),
        }
    finally:
        fake.stop()


@section("fanout", "Fan-out", order=40)
def fanout_section(bench: Bench) -> SectionResult:
    size = SIZE if bench.options.big.reps >= SIZE.reps else bench.options.sizes[0]
    export = synth_export(bench, size)
    runs = [fanout_once(bench, export, run) for run in range(bench.options.repeats)]
    lost = sum(r["lost"] + r["still_failed"] for r in runs)
    dup = sum(r["duplicated"] + r["unexpected"] for r in runs)
    figures = [
        Figure(
            "messages planned and sent (one per rep)", Stats.of(r["plans"] for r in runs), "count"
        ),
        Figure(
            "lost", Stats.of(r["lost"] + r["still_failed"] for r in runs), "count", "0", lost == 0
        ),
        Figure(
            "duplicated",
            Stats.of(r["duplicated"] + r["unexpected"] for r in runs),
            "count",
            "0",
            dup == 0,
        ),
        Figure("wall time, plan + send", Stats.of(r["wall"] for r in runs), "s"),
        Figure("rate-limit floor (messages ÷ rate)", Stats.of(r["floor"] for r in runs), "s"),
        Figure("wall ÷ floor", Stats.of(r["wall"] / max(r["floor"], 1e-9) for r in runs), "x"),
        Figure("planning (who gets what)", Stats.of(r["plan_s"] for r in runs), "s"),
        Figure("429 answers", Stats.of(r["rate_limited"] for r in runs), "count"),
        Figure("5xx answers", Stats.of(r["server_errors"] for r in runs), "count"),
        Figure(
            "extra passes for failed sends (the next tick's retry)",
            Stats.of(r["retry_runs"] for r in runs),
            "count",
        ),
    ]
    notes = [
        f"Export: {size.full_label}. FakeSlack allows {RATE:g} `chat.postMessage` calls a "
        f"second (then 429 + `Retry-After: 1`) and fails {FAIL_RATE:.0%} of them with 503. "
        "The scheduler's own code sends (`bot/delivery/jobs.py`): four messages in flight at once "
        "(`SEND_WORKERS`), each posted to the rep's user id (no `conversations.open` per "
        "rep); a 429 is waited out, a 5xx is retried after checking the DM for the "
        "message's key (bot/delivery/once.py), so a retry never double-sends. Lost and "
        "duplicated are counted from the messages FakeSlack holds.",
    ]
    return SectionResult(figures=figures, notes=notes, extra={"runs": runs})
