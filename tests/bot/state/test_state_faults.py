"""The state under faults, with the real `dealnudge` processes, on both backends.

Every test runs the real CLI in subprocesses (``serve``, ``nudge``, ``state recover``)
against a FakeSlack over HTTP, with signed requests, real signals, real disks and a real
PostgreSQL. What is guaranteed:

- a click that got its HTTP 200 is in the state, whatever happens to the process after it
  (SIGTERM or kill -9 in the middle of a burst of clicks);
- SIGTERM stops a process within 10 s, exit code 0, no traceback: what is in flight
  finishes, a batch of sends stops before its next recipient;
- a nudge batch cut short (SIGTERM, kill -9, a leader killed with a standby scheduler
  waiting) is finished by the next run, the restarted process or the standby: each rep
  gets exactly one nudge, however often it is re-run;
- a damaged state file is restored from its copy with nothing acknowledged lost; when the
  copy is damaged too, one clear message says what to do, and after `dealnudge state
  recover` nothing is sent twice (the sends are looked for in Slack first);
- a full disk costs the click, never the state, and the user is told; a read-only disk is
  a clear message at start.
"""

from __future__ import annotations

import random
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from support import pg
from support.disks import remount, small_disk
from support.fake_slack import FakeSlack
from support.faults import (
    Bot,
    Burst,
    SlowSlack,
    Target,
    asked_clicks,
    bot_env,
    bots,
    free_port,
    last_weekday_before,
    nudge_statuses,
    nudges_in_slack,
    planned_keys,
    reading,
    run_cli,
    wait_for_pending,
    weekday_now,
    write_config,
)
from support.slack_harness import ADMIN, PEOPLE, SECRET, TOKEN, add_people, shown, user
from support.slack_requests import post_action, view_submission_payload

from bot.ingest.loader import load_export
from bot.slack import blocks, sealed
from bot.slack.errors import FAILED, SAVE_FAILED, SAVE_FAILED_SHORT
from bot.state import open_store
from bot.state.tiny import backup_path, history_dir
from bot.tools.demo import demo_export_dir

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_expected.toml"
LABELS: dict[str, list[str]] = tomllib.loads(FIXTURE.read_text())["deals"]
PIPELINE = load_export([demo_export_dir()]).pipeline
DEALS = {d.id: d for d in PIPELINE.deals}
FIRST_NAME_OF = {owner: first for first, (_u, owner, _e) in PEOPLE.items()}
# Flagged deals, each clicked by its owner: one per client thread.
TARGETS = [
    Target(user(FIRST_NAME_OF[DEALS[deal_id].owner_id]), deal_id, patterns[0])
    for deal_id, patterns in sorted(LABELS.items())
    if patterns
][:8]
STOP_SECONDS = 10.0  # what platforms give between SIGTERM and SIGKILL

pytestmark = pytest.mark.slow  # crash loops of real processes (see pyproject's markers)


@dataclass(frozen=True)
class State:
    """Where the bot keeps its state: the tinydb file at ``db``, or PostgreSQL ``schema``."""

    kind: str
    db: Path
    schema: str = ""

    def env(self) -> dict[str, str]:
        env = {"DEALNUDGE_DB": str(self.db)}
        if self.schema:
            env |= {"DATABASE_URL": pg.URL, "DEALNUDGE_PG_SCHEMA": self.schema}
        return env


@pytest.fixture(params=["tinydb", "postgres"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[State]:
    db = tmp_path / "state" / "state.json"
    if request.param == "tinydb":
        yield State("tinydb", db)
        return
    with pg.schema() as name:
        yield State("postgres", db, name)


def no_traceback(output: str) -> None:
    assert "Traceback" not in output, output


def report(**numbers: object) -> None:
    """Measured numbers, printed for `pytest -s`."""
    print(
        " ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in numbers.items())
    )


# ---------------------------------------------------------------- 1. bursts of clicks


@pytest.mark.parametrize("stop", ["sigterm", "kill-9"])
def test_every_acknowledged_click_of_a_burst_survives_the_process_stopping(
    state: State, stop: str, tmp_path: Path
) -> None:
    """8 clients click "I'll ask this" as fast as they can against `dealnudge serve --http`;
    1 s in, the process gets SIGTERM (it must drain and exit 0 within 10 s, no traceback)
    or kill -9. Every click answered HTTP 200 is in the state, with who clicked which deal;
    nothing is there that was never clicked."""
    port = free_port()
    with FakeSlack() as fake, bots() as running:
        add_people(fake)
        config = write_config(tmp_path / "dealnudge.toml", nudges_due=False)
        env = bot_env(fake, config, PORT=str(port), **state.env())
        serve = Bot(["serve", "--http"], env, tmp_path / "serve.log")
        running.append(serve)
        serve.wait_healthy(port)
        burst = Burst([f"http://127.0.0.1:{port}/slack/events"], TARGETS, fake).start()
        time.sleep(1.0)
        if stop == "sigterm":
            code, took = serve.terminate()
        else:
            serve.kill()
        burst.join()
        apologies = [
            c
            for c in fake.calls_to("response_url")
            if c.params.get("text") in (SAVE_FAILED, FAILED)
        ]
    output = serve.output()
    with open_store(state.db, database_url=pg.URL if state.schema else "",
                    schema=state.schema or "dealnudge") as store:  # fmt: skip
        recorded = asked_clicks(store)  # opened for writing: a restart after the fault
    report(
        backend=state.kind, stop=stop, clicks=len(burst.sent), acked=len(burst.acked),
        recorded=len(recorded), acked_recorded=len(burst.acked & set(recorded)),
    )  # fmt: skip
    assert len(burst.acked) >= 16, (burst.other, output)  # a burst, not a trickle
    assert burst.acked <= set(recorded), sorted(burst.acked - set(recorded))
    assert set(recorded) <= set(burst.sent)
    for qid, (who, deal_id) in recorded.items():
        assert (who, deal_id) == (burst.sent[qid].user_id, burst.sent[qid].deal_id)
    assert not apologies
    if stop == "sigterm":
        report(exit_code=code, seconds_to_exit=took)
        assert code == 0, output
        assert took < STOP_SECONDS, output
        assert "stopped" in output
        no_traceback(output)


# ---------------------------------------------------------------- 2. a nudge batch cut short

HANG = 1.5  # each chat.postMessage takes this long: 6 reps, 4 at a time, is two rounds


def assert_each_rep_nudged_once(fake: FakeSlack, keys: set[str]) -> None:
    """Exactly one message per planned nudge key, in that rep's DM, and no other nudge."""
    found = nudges_in_slack(fake)
    assert set(found) == keys, (sorted(found), sorted(keys))
    for key, channels in found.items():
        owner = key.split(":")[1]
        assert channels == [fake.dm_channel(user(FIRST_NAME_OF[owner]))], (key, channels)


def test_kill_9_in_a_nudge_batch_then_a_rerun_sends_each_rep_one_nudge(
    state: State, tmp_path: Path
) -> None:
    """`dealnudge nudge` is killed (-9) while its first sends are in flight (Slack is slow:
    they land after the process died, with their keys still pending). The next run looks for
    those in Slack and sends only the rest; a third run sends nothing."""
    as_of = last_weekday_before(datetime.now(UTC).date())  # (recent: the Slack check applies)
    with FakeSlack() as fake:
        add_people(fake)
        env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=True),
                      **state.env())  # fmt: skip
        keys = planned_keys(env, as_of=as_of)
        fake.hang("chat.postMessage", HANG)
        args = ["nudge", "--as-of", as_of.isoformat()]
        with bots() as running:
            first = Bot(args, env, tmp_path / "nudge-1.log")
            running.append(first)
            wait_for_pending(state.db, state.schema)
            first.kill()
        at_kill = nudge_statuses(state.db, state.schema)
        time.sleep(HANG + 1)  # what was in flight lands in Slack
        landed = len(nudges_in_slack(fake))
        fake.clear_faults()
        posts = [len(fake.calls_to("chat.postMessage"))]
        checks = len(fake.calls_to("conversations.history"))
        second = run_cli(args, env)
        posts.append(len(fake.calls_to("chat.postMessage")))
        looked = len(fake.calls_to("conversations.history")) - checks
        third = run_cli(args, env)
        posts.append(len(fake.calls_to("chat.postMessage")))
        statuses = nudge_statuses(state.db, state.schema)
        pending = Counter(at_kill.values())["pending"]
        report(backend=state.kind, planned=len(keys), begun_at_kill=len(at_kill),
               pending_at_kill=pending, landed_after_kill=landed, rerun_history_checks=looked,
               rerun_posts=posts[1] - posts[0])  # fmt: skip
        assert 0 < len(at_kill) < len(keys) and landed < len(keys)  # cut short indeed
        # Each send not recorded as sent is first looked for in Slack: those the dead process
        # began, and (the state started empty today) the others too.
        assert looked == len(keys) - Counter(at_kill.values())["sent"] >= pending
        for run in (second, third):
            assert run.returncode == 0, run.stdout + run.stderr
            no_traceback(run.stdout + run.stderr)
        assert posts[1] - posts[0] == len(keys) - landed  # only what had not landed
        assert posts[2] == posts[1] and "0 sent" in third.stdout, third.stdout
        assert_each_rep_nudged_once(fake, keys)
        assert statuses == dict.fromkeys(keys, "sent")


def ahead_of_the_clock() -> date:
    """A weekday whose 12:00 UTC (the clock of `nudge --as-of`) is later than now: today
    before 11:00 UTC, else tomorrow."""
    from datetime import timedelta

    now = datetime.now(UTC)
    if now.weekday() < 5 and now.hour < 11:
        return now.date()
    tomorrow = now.date() + timedelta(days=1)
    if tomorrow.weekday() >= 5:
        pytest.skip("needs a weekday noon (UTC) less than a day ahead: not Friday pm, Saturday")
    return tomorrow


def test_a_rerun_of_nudge_as_of_today_after_a_kill_does_not_send_twice(tmp_path: Path) -> None:
    """`dealnudge nudge --as-of <today>` killed (-9) after Slack got a message but before
    its answer came back; the same command again must find that message, not resend it."""
    as_of = ahead_of_the_clock()
    db = tmp_path / "state" / "state.json"
    args = ["nudge", "--as-of", as_of.isoformat()]
    with SlowSlack() as fake:
        add_people(fake)
        env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=True),
                      DEALNUDGE_DB=str(db))  # fmt: skip
        keys = planned_keys(env, as_of=as_of)
        fake.slow_reply("chat.postMessage", 3.0)
        with bots() as running:
            first = Bot(args, env, tmp_path / "nudge-1.log")
            running.append(first)
            deadline = time.monotonic() + 30
            while not nudges_in_slack(fake):  # delivered; its key is still pending
                assert time.monotonic() < deadline, first.output()
                time.sleep(0.02)
            first.kill()
        fake.clear_faults()
        rerun = run_cli(args, env)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert_each_rep_nudged_once(fake, keys)


def test_sigterm_in_a_nudge_batch_stops_before_the_next_rep_and_the_next_run_sends_the_rest(
    state: State, tmp_path: Path
) -> None:
    """`dealnudge serve` gets SIGTERM while its scheduler's first nudges are in flight: the
    sends under way finish and are recorded, the rest wait (nothing pending, nothing lost),
    it exits 0 within 10 s with no traceback. `dealnudge nudge` then sends the rest: each
    rep has exactly one nudge. (With the tinydb file the first tick comes 30 s after start.)"""
    clock = weekday_now()
    with FakeSlack() as fake, bots() as running:
        add_people(fake, dict.fromkeys(PEOPLE, clock.tz))
        env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=True),
                      PORT=str(free_port()), **state.env())  # fmt: skip
        keys = planned_keys(env, clock.shift)
        fake.hang("chat.postMessage", HANG)
        serve = Bot(["serve", "--http"], env, tmp_path / "serve.log", clock.shift)
        running.append(serve)
        wait_for_pending(state.db, state.schema, timeout=60)
        code, took = serve.terminate()
        output = serve.output()
        stopped = nudge_statuses(state.db, state.schema)
        in_slack = set(nudges_in_slack(fake))
        fake.clear_faults()
        before = len(fake.calls_to("chat.postMessage"))
        rerun = run_cli(["nudge"], env, clock.shift)
        posted = len(fake.calls_to("chat.postMessage")) - before
        report(backend=state.kind, planned=len(keys), exit_code=code, seconds_to_exit=took,
               sent_before_stop=len(in_slack), tz=clock.tz, shift=clock.shift)  # fmt: skip
        assert code == 0 and took < STOP_SECONDS, output
        no_traceback(output)
        waiting = len(keys) - len(in_slack)  # the batch said who waits for the next run
        assert (
            f"nudges: {len(in_slack)} sent, 0 already sent, 0 failed, {waiting} skipped" in output
        )
        assert stopped == dict.fromkeys(in_slack, "sent")  # the sends under way finished
        assert 0 < len(in_slack) < len(keys)  # and the batch stopped before the next rep
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        no_traceback(rerun.stdout + rerun.stderr)
        assert posted == len(keys) - len(in_slack), rerun.stdout
        assert_each_rep_nudged_once(fake, keys)
        assert nudge_statuses(state.db, state.schema) == dict.fromkeys(keys, "sent")


# ---------------------------------------------------------------- 3. damage between runs

BELLWEATHER = "006DEMO00000000001"


def seed_history(db: Path, as_of: date) -> Path:
    """Three earlier exports of the demo source in the export history; the middle one
    carries a change (Bellweather's stage). Returns the history file."""
    import dataclasses
    from datetime import timedelta

    source = str(demo_export_dir())
    earlier = tuple(
        dataclasses.replace(d, stage="Discovery") if d.id == BELLWEATHER else d
        for d in PIPELINE.deals
    )
    with open_store(db) as store:
        store.record_export(as_of - timedelta(days=21), source,
                            dataclasses.replace(PIPELINE, deals=earlier))  # fmt: skip
        store.record_export(as_of - timedelta(days=14), source, PIPELINE)
        store.record_export(as_of - timedelta(days=7), source, PIPELINE)
    (log_file,) = history_dir(db).glob("*.jsonl")
    assert log_file.read_bytes().count(b"\n") == 3
    return log_file


def damage_file(path: Path, how: str) -> None:
    data = path.read_bytes()
    path.write_bytes(
        {
            "torn": data[: len(data) // 2] + b"\0" * (len(data) - len(data) // 2),
            "truncated": data[: len(data) * 2 // 3],
            "empty": b"",
            "garbage": random.Random(7).randbytes(len(data)),
        }[how]
    )


def tables_but_meta(db: Path) -> dict[str, list[dict]]:
    with reading(db) as store:
        return {k: v for k, v in store.backend.dump().items() if k != "meta"}


@pytest.mark.parametrize("damage", ["torn", "truncated", "empty", "garbage", "history"])
def test_a_state_damaged_between_runs_loses_nothing_and_sends_nothing_twice(
    damage: str, tmp_path: Path
) -> None:
    """`dealnudge nudge` runs, then its state.json is torn, truncated, emptied or
    overwritten with garbage (or a line in the middle of the export history is damaged).
    The next run restores the file from state.json.bak (keeping the damaged one aside) or
    skips the damaged history line, saying so; it ends normally, every record is still
    there and no rep gets a second nudge."""
    as_of = last_weekday_before(datetime.now(UTC).date())
    db = tmp_path / "state" / "state.json"
    args = ["nudge", "--as-of", as_of.isoformat()]
    with FakeSlack() as fake:
        add_people(fake)
        env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=True),
                      DEALNUDGE_DB=str(db))  # fmt: skip
        keys = planned_keys(env, as_of=as_of)
        log_file = seed_history(db, as_of) if damage == "history" else None
        first = run_cli(args, env)
        assert first.returncode == 0, first.stdout + first.stderr
        assert_each_rep_nudged_once(fake, keys)
        kept = tables_but_meta(db)
        assert db.read_bytes() == backup_path(db).read_bytes()
        if log_file is None:
            damage_file(db, damage)
        else:
            lines = log_file.read_bytes().split(b"\n")
            lines[1] = lines[1][: len(lines[1]) // 2]
            log_file.write_bytes(b"\n".join(lines))
        posts = len(fake.calls_to("chat.postMessage"))
        second = run_cli(args, env)
        said = second.stdout + second.stderr
        assert second.returncode == 0, said
        no_traceback(said)
        assert len(fake.calls_to("chat.postMessage")) == posts  # nothing sent again
        assert_each_rep_nudged_once(fake, keys)
        assert tables_but_meta(db) == kept  # nothing acknowledged lost
        if log_file is None:
            assert "using its copy state.json.bak" in said, said
            assert len(list(db.parent.glob("state.json.damaged-*"))) == 1
        else:
            assert f"{log_file}:2: skipped a damaged line" in said, said
            with reading(db) as store:  # the lost line's change is seen again, once
                stages = [c.after.stage for c in store.deal_changes(BELLWEATHER) if c.after]
            assert stages[-1] == DEALS[BELLWEATHER].stage and len(stages) == 2, stages


def test_a_state_and_its_copy_both_damaged_stop_with_one_message_then_recover_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    """state.json and state.json.bak both damaged: `dealnudge nudge` stops with one message
    naming the file and `dealnudge state recover`, exit code 2, no traceback, nothing sent,
    nothing changed. After `dealnudge state recover` the next run looks for each send in
    Slack first: every rep still has exactly one nudge."""
    as_of = last_weekday_before(datetime.now(UTC).date())
    db = tmp_path / "state" / "state.json"
    args = ["nudge", "--as-of", as_of.isoformat()]
    with FakeSlack() as fake:
        add_people(fake)
        env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=True),
                      DEALNUDGE_DB=str(db))  # fmt: skip
        keys = planned_keys(env, as_of=as_of)
        assert run_cli(args, env).returncode == 0
        assert_each_rep_nudged_once(fake, keys)
        damage_file(db, "torn")
        damage_file(backup_path(db), "garbage")
        damaged = db.read_bytes(), backup_path(db).read_bytes()
        posts = len(fake.calls_to("chat.postMessage"))

        refused = run_cli(args, env)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        no_traceback(refused.stdout + refused.stderr)
        (message,) = refused.stderr.strip().splitlines()
        assert str(db) in message and "`dealnudge state recover`" in message, message
        assert (db.read_bytes(), backup_path(db).read_bytes()) == damaged
        assert len(fake.calls_to("chat.postMessage")) == posts

        recovered = run_cli(["state", "recover"], env)
        assert recovered.returncode == 0, recovered.stdout + recovered.stderr
        assert "state.json.damaged-" in recovered.stdout

        checks = len(fake.calls_to("conversations.history"))
        after = run_cli(args, env)
        assert after.returncode == 0, after.stdout + after.stderr
        no_traceback(after.stdout + after.stderr)
        looked = len(fake.calls_to("conversations.history")) - checks
        report(refused=message[:100], history_checks_after_recover=looked)
        assert looked == len(keys)  # each send was looked for in Slack...
        assert len(fake.calls_to("chat.postMessage")) == posts  # ...and found: none re-sent
        assert_each_rep_nudged_once(fake, keys)
        assert nudge_statuses(db) == dict.fromkeys(keys, "sent")


def test_an_empty_postgresql_state_first_opened_by_a_dry_run_still_checks_slack_first(
    tmp_path: Path,
) -> None:
    """Today's nudges went out, then the database was lost: the bot starts on an empty
    PostgreSQL schema, which an operator first previews with `dealnudge nudge --dry-run`.
    The next `dealnudge nudge` must look for each nudge in Slack before sending, as it does
    when it opens the empty state first (and as the tinydb file does): nobody gets a second."""
    as_of = last_weekday_before(datetime.now(UTC).date())
    args = ["nudge", "--as-of", as_of.isoformat()]
    with FakeSlack() as fake, pg.schema() as lost, pg.schema() as empty:
        add_people(fake)
        config = write_config(tmp_path / "dealnudge.toml", nudges_due=True)

        def env(schema: str) -> dict[str, str]:
            return bot_env(fake, config, DEALNUDGE_DB=str(tmp_path / "unused.json"),
                           DATABASE_URL=pg.URL, DEALNUDGE_PG_SCHEMA=schema)  # fmt: skip

        keys = planned_keys(env(lost), as_of=as_of)
        assert run_cli(args, env(lost)).returncode == 0
        assert_each_rep_nudged_once(fake, keys)
        preview = run_cli([*args, "--dry-run"], env(empty))
        assert preview.returncode == 0, preview.stdout + preview.stderr
        posts = len(fake.calls_to("chat.postMessage"))
        again = run_cli(args, env(empty))
        assert again.returncode == 0, again.stdout + again.stderr
        assert len(fake.calls_to("chat.postMessage")) == posts
        assert_each_rep_nudged_once(fake, keys)


# ---------------------------------------------------------------- 4. full and read-only disks


def click(url: str, fake: FakeSlack, target: Target, qid: str) -> int:
    """One "I'll ask this" click whose response_url is named ``qid``; the HTTP status."""
    from support.slack_requests import block_actions_payload

    payload = block_actions_payload(
        target.user_id,
        "nudge_ask",
        blocks.encode_value(target.deal_id, target.pattern, qid),
        message={"type": "message", "ts": "1700000000.000100", "blocks": []},
        response_url=fake.response_url(qid),
        is_ephemeral=True,
    )
    return post_action(url, SECRET, payload).status_code


def snooze_submission(url: str, target: Target) -> dict:
    """Submit the snooze modal of ``target`` (one week, "buyer away"); the HTTP 200's body."""
    modal = blocks.snooze_modal(
        blocks.ButtonRef(target.deal_id, target.pattern, "q-snooze"),
        DEALS[target.deal_id].name,
        today=date.today(),
        channel="C1",
        ts="1700000000.000100",
    )
    values = {
        "snooze_for": {"choice": {"type": "radio_buttons", "selected_option": {"value": "1w"}}},
        "snooze_until": {"date": {"type": "datepicker", "selected_date": None}},
        "snooze_reason": {
            "reason": {"type": "static_select", "selected_option": {"value": "away"}}
        },
        "snooze_note": {"note": {"type": "plain_text_input", "value": None}},
    }
    metadata = sealed.seal(sealed.key_from(TOKEN), target.user_id, modal["private_metadata"])
    payload = view_submission_payload(
        target.user_id, modal["callback_id"], values, private_metadata=metadata
    )
    resp = post_action(url, SECRET, payload)
    assert resp.status_code == 200, resp.text
    return resp.json() if resp.content else {}


def test_a_full_disk_costs_the_click_not_the_state_and_the_user_is_told(tmp_path: Path) -> None:
    """`dealnudge serve` with its state on a disk that fills up: a click is acknowledged and
    the user gets an ephemeral apology at the response_url (the admin an alert), a snooze
    submission keeps its modal open with the reason under the field, and the state file and
    its copy are exactly as before (no temp file left). Once there is room, clicks are
    recorded again and SIGTERM stops it cleanly."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    target = TARGETS[0]
    with small_disk(tmp_path / "disk", "1m") as disk:
        db = disk / "state.json"
        with FakeSlack() as fake, bots() as running:
            add_people(fake)
            env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=False),
                          PORT=str(port), DEALNUDGE_DB=str(db))  # fmt: skip
            serve = Bot(["serve", "--http"], env, tmp_path / "serve.log")
            running.append(serve)
            serve.wait_healthy(port)
            assert click(url, fake, target, "before") == 200
            fake.wait_for("response_url", where=lambda c: c.path.endswith("/before"))
            before = db.read_bytes()
            filler = disk / "filler"
            with filler.open("wb", buffering=0) as f, pytest.raises(OSError):
                while True:
                    f.write(b"x" * 65536)

            assert click(url, fake, target, "full") == 200
            (sorry,) = fake.wait_for("response_url", where=lambda c: c.path.endswith("/full"))
            assert sorry.params["text"] == SAVE_FAILED
            assert sorry.params["response_type"] == "ephemeral"
            alert = fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == ADMIN)
            assert "No space left on device" in shown(alert[0])
            answer = snooze_submission(url, target)
            assert answer == {
                "response_action": "errors",
                "errors": {"snooze_reason": SAVE_FAILED_SHORT},
            }
            assert db.read_bytes() == before == backup_path(db).read_bytes()
            assert not list(disk.glob(".state.json.*.tmp"))

            filler.unlink()
            assert click(url, fake, target, "after") == 200
            fake.wait_for("response_url", where=lambda c: c.path.endswith("/after"))
            code, took = serve.terminate()
        output = serve.output()
        with reading(db) as store:
            asked = asked_clicks(store)
            snoozes = store.active_snoozes(date.today())
            kinds = Counter(f.kind for f in store.feedback())
    report(exit_code=code, seconds_to_exit=took, recorded=sorted(asked))
    assert code == 0 and took < STOP_SECONDS, output
    assert set(asked) == {"before", "after"} and not snoozes
    assert kinds == {"asked": 2}
    assert "No space left on device" in output


def test_serve_on_a_read_only_disk_exits_with_a_clear_message(tmp_path: Path) -> None:
    """The disk behind DEALNUDGE_DB is read-only: `dealnudge serve` does not start, and says
    why in one message naming the path and what to do (exit code 2, no traceback)."""
    with small_disk(tmp_path / "disk") as disk:
        db = disk / "state.json"
        open_store(db).close()  # a state from an earlier run
        remount(disk, "ro")
        try:
            with FakeSlack() as fake, bots() as running:
                add_people(fake)
                env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=False),
                              PORT=str(free_port()), DEALNUDGE_DB=str(db))  # fmt: skip
                serve = Bot(["serve", "--http"], env, tmp_path / "serve.log")
                running.append(serve)
                code = serve.wait(30)
        finally:
            remount(disk, "rw")
    output = serve.output()
    report(exit_code=code, said=output.strip())
    assert code == 2, output
    no_traceback(output)
    (message,) = [line for line in output.splitlines() if line.startswith("dealnudge:")]
    assert str(disk) in message and "Read-only file system" in message
    assert "DEALNUDGE_DB" in message


# ---------------------------------------------------------------- 5. several processes, one schema

LEADS = "this process now leads the scheduler"


def test_a_standby_scheduler_finishes_the_batch_of_a_killed_leader_while_two_webs_take_clicks(
    tmp_path: Path,
) -> None:
    """Two `serve --role web` (each its own port) and two `serve --role scheduler` on one
    PostgreSQL schema. Clicks go to both web processes the whole time. The scheduler that
    leads is killed (-9) in the middle of its nudge batch (Slack answers slowly, so its
    first messages are delivered while their keys are still pending); the standby takes
    over and finishes the batch within 30 s: every rep has exactly one nudge, every click
    either web process acknowledged is recorded, and the survivors stop cleanly."""
    pg.require()
    clock = weekday_now()
    with pg.schema() as schema, SlowSlack() as fake, bots() as running:
        add_people(fake, dict.fromkeys(PEOPLE, clock.tz))
        env = bot_env(
            fake,
            write_config(tmp_path / "dealnudge.toml", nudges_due=True),
            DEALNUDGE_DB=str(tmp_path / "unused" / "state.json"),
            DATABASE_URL=pg.URL,
            DEALNUDGE_PG_SCHEMA=schema,
        )
        keys = planned_keys(env, clock.shift)
        fake.slow_reply("chat.postMessage", 2.0)
        ports = [free_port(), free_port()]
        webs = []
        for n, port in enumerate(ports):
            web = Bot(["serve", "--http", "--role", "web"], env | {"PORT": str(port)},
                      tmp_path / f"web-{n}.log", clock.shift)  # fmt: skip
            running.append(web)
            webs.append(web)
        for web, port in zip(webs, ports, strict=True):
            web.wait_healthy(port)
        urls = [f"http://127.0.0.1:{port}/slack/events" for port in ports]
        burst = Burst(urls, TARGETS, fake, threads=4, seconds=120).start()
        schedulers = []
        for n in range(2):
            scheduler = Bot(["serve", "--role", "scheduler"], env, tmp_path / f"sched-{n}.log",
                            clock.shift)  # fmt: skip
            running.append(scheduler)
            schedulers.append(scheduler)
        deadline = time.monotonic() + 30
        while not any(LEADS in s.output() for s in schedulers):
            assert time.monotonic() < deadline, [s.output() for s in schedulers]
            time.sleep(0.05)
        (leader,) = [s for s in schedulers if LEADS in s.output()]
        (standby,) = [s for s in schedulers if s is not leader]
        while not nudges_in_slack(fake):  # the batch is under way
            assert time.monotonic() < deadline, leader.output()
            time.sleep(0.02)
        leader.kill()
        killed_at = time.monotonic()
        delivered_by_leader = len(nudges_in_slack(fake))
        took_over = standby.wait_for_output(LEADS, timeout=30) - killed_at
        while nudge_statuses(tmp_path, schema) != dict.fromkeys(keys, "sent"):
            assert time.monotonic() - killed_at < 30, (nudge_statuses(tmp_path, schema),
                                                       standby.output())  # fmt: skip
            time.sleep(0.1)
        finished = time.monotonic() - killed_at
        time.sleep(0.5)  # clicks keep coming after the batch too
        burst.stop()
        burst.join()
        survivors = {"web-0": webs[0], "web-1": webs[1], "standby": standby}
        stops = {name: bot.terminate() for name, bot in survivors.items()}
        with reading(tmp_path, schema) as store:
            recorded = asked_clicks(store)
        report(
            planned=len(keys), delivered_by_leader=delivered_by_leader,
            standby_took_over_s=took_over, batch_finished_s=finished,
            clicks=len(burst.sent), acked=len(burst.acked), recorded=len(recorded),
            stops={k: (c, round(t, 2)) for k, (c, t) in stops.items()},
        )  # fmt: skip
        assert 0 < delivered_by_leader < len(keys)  # the leader died mid-batch
        assert took_over < 30 and finished < 30
        assert_each_rep_nudged_once(fake, keys)
        assert burst.acked <= set(recorded), sorted(burst.acked - set(recorded))
        assert set(recorded) <= set(burst.sent)
        by_web = Counter(int(q[1:].split("-")[0]) % 2 for q in burst.acked)
        assert by_web[0] >= 5 and by_web[1] >= 5, by_web  # both web processes took clicks
        for name, (code, took) in stops.items():
            assert code == 0 and took < STOP_SECONDS, survivors[name].output()
            no_traceback(survivors[name].output())
