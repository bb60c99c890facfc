"""Two simulated weeks of scheduler ticks on a controlled clock (no sleeping).

Reps and managers sit in four time zones. Halfway through, the process crashes in the middle
of a nudge batch (after Slack accepted a message, before the store recorded it) and is
restarted from the same files. Slack rate-limits and fails calls along the way. At the end:
every nudge and digest recorded as sent is in Slack exactly once, none went out at night or
on a local weekend, every manager got one digest per week, and nothing is left pending.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.fake_slack import FakeSlack
from support.slack_harness import PEOPLE, add_people, make_runtime

from bot.delivery.once import EVENT_TYPE
from bot.delivery.scheduler import digest_job, nudge_job, refresh_job
from bot.ingest.loader import load_export
from bot.runtime import Runtime
from bot.tools.demo import demo_export_dir

TZ_OF = {
    "jordan": "America/New_York",
    "tessa": "America/Los_Angeles",
    "marcus": "Europe/London",
    "hannah": "Asia/Kolkata",
    "diego": "America/New_York",
    "sam": "America/Los_Angeles",
    "luis": "Europe/London",
    "priya": "Asia/Kolkata",
    "margaret": "America/New_York",
}
OWNERS = {o.id: o for o in load_export([demo_export_dir()]).pipeline.owners}
MANAGERS = {o.manager_id for o in OWNERS.values() if o.manager_id}
TZ_OF_OWNER = {owner: ZoneInfo(TZ_OF[first]) for first, (_u, owner, _e) in PEOPLE.items()}
START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)  # a Monday
DAYS = 14
TICK_MINUTES = 15  # coarser than the real 5-minute tick; the grace window is hours

pytestmark = pytest.mark.slow  # a simulation of two weeks of ticks (see pyproject's markers)


class Crash(BaseException):
    """A kill -9 in the middle of a batch: nothing after it runs in this process."""


def tick(runtime: Runtime) -> None:
    refresh_job(runtime)
    nudge_job(runtime)
    digest_job(runtime)


def test_two_weeks_of_ticks_deliver_everything_exactly_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = {"now": START}
    with FakeSlack() as fake:
        add_people(fake, TZ_OF)
        runtime = make_runtime(tmp_path, fake, clock=lambda: clock["now"])
        crashed = restarted = False
        steps = DAYS * 24 * 60 // TICK_MINUTES
        for step in range(steps):
            clock["now"] = START + timedelta(minutes=TICK_MINUTES * step)
            day, minute_of_day = divmod(step * TICK_MINUTES, 24 * 60)
            if day == 3 and minute_of_day == 0:  # a 429 storm and flaky 5xx all day
                fake.rate_limit("chat.postMessage", per_second=2)
                fake.fail_rate("chat.postMessage", rate=0.2, status=503, seed=7)
            if day == 4 and minute_of_day == 0:
                fake.clear_faults()
            if day == 7 and not crashed:
                store = runtime.deps.store
                real_finish = store.finish_nudge

                def finish_then_die(*args: object, **kwargs: object) -> None:
                    raise Crash  # Slack has the message; the store never hears of it

                monkeypatch.setattr(store, "finish_nudge", finish_then_die)
                try:
                    tick(runtime)
                except Crash:
                    crashed = True
                monkeypatch.setattr(store, "finish_nudge", real_finish)
                if crashed:
                    store.close()
                    runtime = make_runtime(tmp_path, fake, clock=lambda: clock["now"])
                    restarted = True
                    continue
            if day == 10 and minute_of_day % 240 == 0:  # an outage: posts fail for hours
                fake.fail_next("chat.postMessage", status=500, times=6)
            tick(runtime)
        assert crashed and restarted
        check_deliveries(fake, runtime)
        runtime.deps.store.close()


def check_deliveries(fake: FakeSlack, runtime: Runtime) -> None:
    store = runtime.deps.store
    posted = [
        m
        for m in fake.messages.values()
        if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE
    ]
    keys = Counter(m["metadata"]["event_payload"]["key"] for m in posted)
    assert keys and max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]
    nudges = {k for k in keys if k.startswith("nudge:")}
    digests = {k for k in keys if k.startswith("digest:")}
    for key in nudges:
        record = store.nudge(key)
        assert record is not None and record.status == "sent", key
        _, owner, day = key.split(":")
        assert record.sent_at is not None
        local = record.sent_at.astimezone(TZ_OF_OWNER[owner])
        assert local.date().isoformat() == day
        assert local.weekday() < 5, f"{key} sent on a weekend"
        assert 9 <= local.hour < 13, f"{key} sent at {local:%H:%M} local"
    for key in digests:
        record = store.digest(key)
        assert record is not None and record.status == "sent", key
    per_manager = Counter(k.split(":")[1] for k in digests)
    assert per_manager == {m: 2 for m in MANAGERS}  # two Mondays
    per_rep_first_week = Counter(k.split(":")[1] for k in nudges if k.split(":")[2] < "2026-11-09")
    reps_with_flags = {
        d.owner_id
        for d in runtime.deps.snapshots.current.pipeline.deals  # type: ignore[union-attr]
        if d.id in runtime.deps.snapshots.current.cards  # type: ignore[union-attr]
    }
    assert set(per_rep_first_week) == reps_with_flags  # everyone was nudged in week one
    pending = [r for r in (store.nudge(k) for k in nudges) if r and r.status != "sent"]
    assert pending == []
