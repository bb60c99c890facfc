"""Rep nudges: policy, exactly-once delivery through faults, the scheduler's timing, the CLI.

Everything runs against the real store on disk and the fake Slack Web API over HTTP.
Who should be nudged comes from the hand-written demo labels, not from the code.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.slack_harness import NOON, PEOPLE, Harness, running_app

from bot.delivery.jobs import NudgePlan, RunReport, nudge_key, plan_nudges, send_nudges
from bot.delivery.once import EVENT_TYPE
from bot.delivery.scheduler import nudge_job
from bot.delivery.timing import due_at
from bot.ingest.loader import load_export
from bot.state import open_store
from bot.tools.demo import demo_export_dir

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_expected.toml"
LABELS: dict[str, list[str]] = tomllib.loads(FIXTURE.read_text())["deals"]
DEALS = {d.id: d for d in load_export([demo_export_dir()]).pipeline.deals}
FLAGGED_OWNERS = {DEALS[i].owner_id for i, p in LABELS.items() if p}
USER_OF = {owner: uid for uid, owner, _e in PEOPLE.values()}
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Harness]:
    """The app on a state in use for a while (no recovery check of today's sends)."""
    open_store(tmp_path / "state" / "state.json", clock=lambda: NOON - timedelta(days=9)).close()
    with running_app(tmp_path) as harness:
        yield harness


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[Harness]:
    """The app on a state that starts empty today."""
    with running_app(tmp_path) as harness:
        yield harness


def plan(app: Harness, now: datetime = NOON) -> tuple[list[NudgePlan], RunReport]:
    snap = app.deps.snapshots.current
    assert snap is not None
    return plan_nudges(app.deps, snap, now)


def send(app: Harness, plans: list[NudgePlan]) -> RunReport:
    return send_nudges(app.deps, app.runtime.sender, plans)


def dm_messages(app: Harness, owner_id: str) -> list[dict]:
    return app.fake.messages_in(app.fake.dm_channel(USER_OF[owner_id]))


def test_every_rep_with_flagged_deals_gets_one_message_once(app: Harness) -> None:
    plans, _ = plan(app)
    assert {p.owner.id for p in plans} == FLAGGED_OWNERS
    for p in plans:
        ids = [i.advice.finding.deal.id for i in p.items]
        assert 1 <= len(ids) <= app.deps.config.nudges.max_deals
        assert len(set(ids)) == len(ids)
        assert all(DEALS[i].is_open and LABELS[i] for i in ids)
        assert all(DEALS[i].owner_id == p.owner.id for i in ids)
    first = send(app, plans)
    assert len(first.sent) == len(FLAGGED_OWNERS) and not first.failed
    # Posted to each rep's user id: no conversations.open per rep (Tier 3, ~50 a minute).
    assert not app.fake.calls_to("conversations.open")
    again = send(app, plan(app)[0])
    assert again.sent == [] and len(again.already_sent) == len(FLAGGED_OWNERS)
    for owner in FLAGGED_OWNERS:
        (message,) = dm_messages(app, owner)
        assert message["metadata"]["event_type"] == EVENT_TYPE
        record = app.deps.store.nudge(nudge_key(owner, NOON.date()))
        assert record is not None and record.status == "sent" and record.ts == message["ts"]


def test_a_state_that_starts_empty_checks_slack_before_each_send(fresh_app: Harness) -> None:
    """An empty state may have lost today's send records (a volume that was not mounted,
    a deleted file): each of today's nudges is first looked for in the rep's DM, so a rep
    who already got one does not get it again."""
    app = fresh_app
    plans, _ = plan(app)
    done, rest = plans[0], plans[1:]
    channel = app.deps.client.conversations_open(users=done.user_id)["channel"]["id"]
    app.deps.client.chat_postMessage(
        channel=channel,
        text="sent by the state that was lost",
        metadata={"event_type": EVENT_TYPE, "event_payload": {"key": done.key}},
    )
    report = send(app, plans)
    assert sorted(report.sent) == sorted(p.owner.name for p in plans)
    assert len(dm_messages(app, done.owner.id)) == 1  # found, not sent again
    for p in rest:
        assert len(dm_messages(app, p.owner.id)) == 1
    checked = {c.params["channel"] for c in app.fake.calls_to("conversations.history")}
    assert len(checked) == len(plans)
    record = app.deps.store.nudge(done.key)
    assert record is not None and record.status == "sent"
    # Tomorrow's sends cannot have been lost: no more look-ups.
    assert app.deps.store.check_slack_since(NOON.date() + timedelta(days=2)) is None


def test_a_lost_reply_is_not_sent_twice(app: Harness) -> None:
    plans, _ = plan(app)
    app.fake.lose_reply("chat.postMessage")  # Slack posts it, the reply is a 500
    report = send(app, plans[:1])
    assert report.sent == [plans[0].owner.name] and not report.failed
    assert len(dm_messages(app, plans[0].owner.id)) == 1
    assert app.fake.calls_to("conversations.history")
    # Only to look for the lost attempt was the DM opened, once.
    assert [c.params["users"] for c in app.fake.calls_to("conversations.open")] == [
        plans[0].user_id
    ]


def test_a_crash_after_posting_does_not_double_send_on_restart(app: Harness) -> None:
    (p, *_), _ = plan(app)
    # the previous process began the send and posted, then died before recording it
    app.deps.store.begin_nudge(p.key, p.owner.id, ["x"], ["y"], ["z"])
    channel = app.deps.client.conversations_open(users=p.user_id)["channel"]["id"]
    app.deps.client.chat_postMessage(
        channel=channel,
        text="earlier",
        metadata={"event_type": EVENT_TYPE, "event_payload": {"key": p.key}},
    )
    report = send(app, [p])
    assert report.sent == [p.owner.name]
    assert len(dm_messages(app, p.owner.id)) == 1
    record = app.deps.store.nudge(p.key)
    assert record is not None and record.status == "sent"


def test_server_errors_fail_one_recipient_and_the_next_run_delivers(app: Harness) -> None:
    plans, _ = plan(app)
    unlucky = plans[2]  # every attempt for this rep fails; the others go through
    app.fake.fail_next(
        "chat.postMessage", status=503, times=3, where=lambda p: p["channel"] == unlucky.user_id
    )
    report = send(app, plans)
    assert len(report.failed) == 1 and len(report.sent) == len(plans) - 1
    assert report.failed[0][0] == unlucky.owner.name
    failed_owner = unlucky.owner
    record = app.deps.store.nudge(nudge_key(failed_owner.id, NOON.date()))
    assert record is not None and record.status == "failed" and "503" in record.error
    retry = send(app, plan(app)[0])
    assert retry.sent == [failed_owner.name]
    for owner in FLAGGED_OWNERS:
        assert len(dm_messages(app, owner)) == 1


def test_rate_limits_honour_retry_after(app: Harness) -> None:
    plans, _ = plan(app)
    app.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    report = send(app, plans[:2])
    assert len(report.sent) == 2
    posts = app.fake.calls_to("chat.postMessage")
    limited = posts[0]
    retry = next(c for c in posts[1:] if c.params["channel"] == limited.params["channel"])
    assert limited.status == 429 and retry.ok and retry.at - limited.at >= 0.9


def test_snoozed_deals_stay_quiet(app: Harness) -> None:
    plans, _ = plan(app)
    target = plans[0].items[0].advice.finding.deal
    app.deps.store.snooze(target.id, "*", NOON.date() + timedelta(days=7), "away", "U1")
    again, _ = plan(app)
    assert target.id not in {i.advice.finding.deal.id for p in again for i in p.items}


def test_cool_down_skips_what_was_just_nudged(app: Harness) -> None:
    plans, _ = plan(app)
    send(app, plans)
    sent = {(i.advice.finding.deal.id, i.advice.finding.pattern) for p in plans for i in p.items}
    tomorrow = NOON + timedelta(days=1)
    later, report = plan(app, tomorrow)
    again = {(i.advice.finding.deal.id, i.advice.finding.pattern) for p in later for i in p.items}
    assert not sent & again
    assert all(why in ("nothing new to nudge about",) for _, why in report.skipped)
    week_later, _ = plan(app, NOON + timedelta(days=7))
    assert sent <= {
        (i.advice.finding.deal.id, i.advice.finding.pattern) for p in week_later for i in p.items
    } | {(d, pat) for d, pat in sent if not _top_choice(week_later, d)}


def _top_choice(plans: list[NudgePlan], deal_id: str) -> bool:
    return any(i.advice.finding.deal.id == deal_id for p in plans for i in p.items)


def test_weekends_and_holidays_are_quiet(tmp_path: Path) -> None:
    saturday = datetime(2026, 11, 7, 15, tzinfo=UTC)
    with running_app(tmp_path, config_text='[schedules]\nholidays = ["2026-11-02"]\n') as app:
        plans, report = plan(app)
        assert plans == [] and {why for _, why in report.skipped} == {"holiday"}
        plans, report = plan(app, saturday)
        assert plans == [] and {why for _, why in report.skipped} == {"weekend"}


def test_a_rep_who_marks_everything_not_accurate_gets_fewer(app: Harness) -> None:
    plans, _ = plan(app)
    busy = next(p for p in plans if len(p.items) > 1)
    for day in range(3):
        app.deps.store.record_feedback(
            deal_id=busy.items[0].advice.finding.deal.id,
            pattern=busy.items[0].advice.finding.pattern,
            question_id="q",
            team="",
            kind="not_accurate",
            who=busy.user_id,
            at=NOON - timedelta(days=day),
        )
    again = next(p for p in plan(app)[0] if p.owner.id == busy.owner.id)
    assert len(again.items) == 1


# ---------------------------------------------------------------- scheduling


@pytest.mark.parametrize(
    ("local", "due"),
    [
        (datetime(2026, 11, 2, 8, 59, tzinfo=CHICAGO), False),  # before 9
        (datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO), True),
        (datetime(2026, 11, 2, 12, 59, tzinfo=CHICAGO), True),  # within the 4 h grace
        (datetime(2026, 11, 2, 13, 1, tzinfo=CHICAGO), False),  # too late: wait for tomorrow
        (datetime(2026, 11, 7, 9, 30, tzinfo=CHICAGO), False),  # Saturday
    ],
)
def test_due_at_follows_the_local_cron_and_grace(local: datetime, due: bool) -> None:
    assert (due_at("0 9 * * mon-fri", local, timedelta(hours=4)) is not None) is due


def test_scheduler_ticks_send_once_in_each_reps_morning(tmp_path: Path) -> None:
    clock = {"now": datetime(2026, 11, 2, 14, 30, tzinfo=UTC)}  # 08:30 in Chicago
    with running_app(tmp_path, clock=lambda: clock["now"]) as app:
        nudge_job(app.runtime)
        assert not app.fake.calls_to("chat.postMessage")
        for minutes in (35, 40, 45):  # 09:05, 09:10, 09:15 local
            clock["now"] = datetime(2026, 11, 2, 14, tzinfo=UTC) + timedelta(minutes=30 + minutes)
            nudge_job(app.runtime)
        posts = [c for c in app.fake.calls_to("chat.postMessage") if c.ok]
        assert len(posts) == len(FLAGGED_OWNERS)


# ---------------------------------------------------------------- command line


def cli_env(app: Harness, monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """The environment a `dealnudge nudge` run beside ``app`` gets: its Slack and export,
    the state at ``db``."""
    settings = app.runtime.settings
    env = {
        "SLACK_BOT_TOKEN": "xoxb-cli",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": str(settings.slack_api_url),
        "DEALNUDGE_SOURCE": str(settings.source),
        "DEALNUDGE_DB": str(db),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DEALNUDGE_CONFIG", raising=False)


def test_nudge_cli_previews_then_sends_once(
    app: Harness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    cli_env(app, monkeypatch, app.runtime.settings.db_path.parent / "cli.json")
    assert main(["nudge", "--dry-run", "--as-of", NOON.date().isoformat()]) == 0
    out = capsys.readouterr().out
    for owner in FLAGGED_OWNERS:
        assert f"[nudge:{owner}:{NOON.date().isoformat()}]" in out
    assert not app.fake.calls_to("chat.postMessage")
    assert main(["nudge", "--as-of", NOON.date().isoformat()]) == 0
    assert len([c for c in app.fake.calls_to("chat.postMessage") if c.ok]) == len(FLAGGED_OWNERS)
    assert main(["nudge", "--as-of", NOON.date().isoformat()]) == 0
    assert f"{len(FLAGGED_OWNERS)} already sent" in capsys.readouterr().out
    assert len([c for c in app.fake.calls_to("chat.postMessage") if c.ok]) == len(FLAGGED_OWNERS)
    assert json.dumps(out).count("Good morning") == len(FLAGGED_OWNERS)


def test_nudge_cli_refuses_to_send_beside_a_running_bot_but_previews(
    app: Harness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The running app holds its state: a second sender would not see its records and could
    send twice, so `dealnudge nudge` is refused with who holds it; --dry-run only reads."""
    from bot.cli import main

    settings = app.runtime.settings
    cli_env(app, monkeypatch, settings.db_path)  # the app's own state
    name = settings.db_path.name
    state_files = [
        p
        for p in sorted(settings.db_path.parent.rglob("*"))
        if p.is_file() and p.suffix != ".lock" and name in (p.name + p.parent.name)
    ]
    before = {p: p.read_bytes() for p in state_files}
    assert any(p.suffix == ".jsonl" for p in before)  # the export history is covered too
    assert main(["nudge", "--as-of", NOON.date().isoformat()]) == 2
    err = capsys.readouterr().err
    assert f"another dealnudge process (pid {os.getpid()})" in err and "--dry-run" in err
    assert not app.fake.calls_to("chat.postMessage")
    assert main(["nudge", "--dry-run", "--as-of", NOON.date().isoformat()]) == 0
    assert "[nudge:" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in before} == before  # the preview wrote nothing


# ---------------------------------------------------------------- digests

MANAGERS = {d.manager_id for d in load_export([demo_export_dir()]).pipeline.owners if d.manager_id}
DEAL_NAMES_OF = {
    owner: {DEALS[i].name for i, p in LABELS.items() if p and DEALS[i].owner_id == owner}
    for owner in FLAGGED_OWNERS
}


def digest_plans(app: Harness, now: datetime = NOON) -> list:
    from bot.delivery.jobs import plan_digests

    snap = app.deps.snapshots.current
    assert snap is not None
    return plan_digests(app.deps, snap, now)[0]


def test_each_manager_gets_one_digest_scoped_to_their_reports(app: Harness) -> None:
    from bot.delivery.jobs import send_digests

    plans = digest_plans(app)
    assert {p.manager_id for p in plans} == MANAGERS
    report = send_digests(app.deps, app.runtime.sender, plans)
    assert len(report.sent) == len(MANAGERS) and not report.failed
    assert send_digests(app.deps, app.runtime.sender, digest_plans(app)).sent == []
    priya = PEOPLE["priya"][1]
    (message,) = dm_messages(app, priya)
    body = json.dumps(message)
    reports = {PEOPLE[n][1] for n in ("hannah", "diego", "sam")}
    for owner, names in DEAL_NAMES_OF.items():
        for name in names:
            # top-5 deals only name Priya's team's deals, never another team's
            assert (name in body) <= (owner in reports)
    uploads = app.fake.calls_to("files.completeUploadExternal")
    assert len(uploads) == len(MANAGERS)
    assert all(c.params.get("thread_ts") for c in uploads)
    assert all(data.startswith(b"\x89PNG") for data in app.fake.uploads.values())


def test_the_next_digest_shows_the_trend_since_the_last(app: Harness) -> None:
    from bot.delivery.jobs import send_digests

    first = digest_plans(app)
    send_digests(app.deps, app.runtime.sender, first)
    week_later = digest_plans(app, NOON + timedelta(days=7))
    luis = next(p for p in week_later if p.manager_id == PEOPLE["luis"][1])
    assert luis.digest.has_previous
    before = next(p for p in first if p.manager_id == luis.manager_id).digest.counts
    assert all(line.previous == before.get(line.code, 0) for line in luis.digest.patterns)
    assert luis.key != next(p for p in first if p.manager_id == luis.manager_id).key


def test_a_digest_channel_gets_aggregates_only(tmp_path: Path) -> None:
    from bot.delivery.jobs import send_digests

    with running_app(tmp_path, config_text='[slack]\ndigest_channel = "C0LEADERS"\n') as app:
        plans = digest_plans(app)
        channel_plan = next(p for p in plans if p.channel == "C0LEADERS")
        assert channel_plan.aggregate_only
        send_digests(app.deps, app.runtime.sender, [channel_plan])
        (message,) = app.fake.messages_in("C0LEADERS")
        body = json.dumps(message)
        for names in DEAL_NAMES_OF.values():
            assert not any(name in body for name in names)
        assert str(sum(1 for p in LABELS.values() if p)) in body  # the flagged count


def test_digest_job_sends_once_at_the_managers_local_time(tmp_path: Path) -> None:
    from bot.delivery.scheduler import digest_job

    clock = {"now": datetime(2026, 11, 2, 13, 30, tzinfo=UTC)}  # Monday 07:30 in Chicago
    with running_app(tmp_path, clock=lambda: clock["now"]) as app:
        digest_job(app.runtime)
        assert not app.fake.calls_to("chat.postMessage")
        for minutes in (35, 40):  # 08:05, 08:10 local
            clock["now"] = datetime(2026, 11, 2, 13, tzinfo=UTC) + timedelta(minutes=30 + minutes)
            digest_job(app.runtime)
        assert len([c for c in app.fake.calls_to("chat.postMessage") if c.ok]) == len(MANAGERS)


def test_digest_cli_dry_run_prints_each_manager(
    app: Harness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("DEALNUDGE_SOURCE", str(app.runtime.settings.source))
    monkeypatch.setenv("DEALNUDGE_DB", str(app.runtime.settings.db_path.parent / "cli.json"))
    for key in ("SLACK_BOT_TOKEN", "SLACK_API_URL", "DEALNUDGE_CONFIG"):
        monkeypatch.delenv(key, raising=False)
    assert main(["digest", "--dry-run", "--as-of", NOON.date().isoformat()]) == 0
    out = capsys.readouterr().out
    for manager in MANAGERS:
        assert f"[digest:{manager}:{NOON.date().isoformat()}]" in out
    assert "not matched to Slack" in out  # no token: nothing is looked up or sent


def test_a_snoozed_deal_comes_back_once_with_a_note(app: Harness) -> None:
    plans, _ = plan(app)
    busy = next(p for p in plans if len(p.items) > 1)
    last = busy.items[-1].advice.finding.deal  # not the rep's top deal
    back_on = NOON + timedelta(days=14)
    app.deps.store.snooze(last.id, "*", back_on.date(), "buyer away", busy.user_id)
    during, _ = plan(app, NOON + timedelta(days=7))
    assert last.id not in {i.advice.finding.deal.id for p in during for i in p.items}
    (again,) = [p for p in plan(app, back_on)[0] if p.owner.id == busy.owner.id]
    first = again.items[0]
    assert first.advice.finding.deal.id == last.id  # back first, whatever its rank
    assert first.note == "Back from your snooze (buyer away)"
    assert "Back from your snooze" in json.dumps(again.blocks)
    send(app, [again])
    (later,) = [
        p for p in plan(app, back_on + timedelta(days=1))[0] if p.owner.id == busy.owner.id
    ] or [None]
    assert later is None or all(not i.note for i in later.items)
