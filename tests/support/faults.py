"""Helpers for the state fault matrix (tests/bot/state/test_state_faults.py): the real
``dealnudge`` CLI in subprocesses whose output goes to a file, bursts of signed clicks from
client threads, a fake Slack whose answers can come late, and reading back what the state
and Slack hold.

Time is real in the subprocesses. Nudges are never sent on a rep's local weekend, so
``weekday_now()`` picks a time zone for every rep in which it is a weekday now; only from
Saturday noon to Sunday 10:00 UTC, when no time zone has a weekday, is the subprocess's
clock set back (``Weekday.shift``, applied by the launcher below) to the last weekday noon.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from support.fake_slack import FakeSlack, _Reply
from support.slack_harness import ADMIN, SECRET, TOKEN
from support.slack_requests import block_actions_payload, post_action

from bot.delivery.once import EVENT_TYPE
from bot.slack import blocks
from bot.state import Store, open_store
from bot.tools.demo import demo_export_dir

ROOT = Path(__file__).resolve().parents[2]
NEVER = "0 0 29 2 *"  # 29 February at midnight: with no grace, never due during a test

# Runs `dealnudge ARGS...` like `python -m bot.cli ARGS...`, with the clock set back by
# SHIFT seconds when SHIFT is not 0 (see Weekday).
LAUNCHER = """\
import sys
from datetime import timedelta

shift = timedelta(seconds=float(sys.argv[1]))
if shift:
    import bot.runtime as runtime

    real_now = runtime.utc_now

    def shifted_now():
        return real_now() - shift

    runtime.utc_now = shifted_now
    runtime.build_runtime.__defaults__ = (shifted_now,)
from bot.cli import main

sys.exit(main(sys.argv[2:]))
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- time


@dataclass(frozen=True)
class Weekday:
    """Every rep's Slack time zone, and how far the bot's clock is set back (seconds, 0:
    real time), so that it is a weekday for every rep for the next half hour at least."""

    tz: str
    shift: float


def weekday_now(margin: timedelta = timedelta(minutes=40)) -> Weekday:
    now = datetime.now(UTC)
    best: tuple[timedelta, int] | None = None
    for hours in range(-12, 15):
        local = now + timedelta(hours=hours)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        into = local - midnight
        if local.weekday() >= 5 or into < margin or timedelta(days=1) - into < margin:
            continue
        score = abs(into - timedelta(hours=12))
        if best is None or score < best[0]:
            best = (score, hours)
    if best is not None:
        hours = best[1]
        return Weekday("UTC" if hours == 0 else f"Etc/GMT{-hours:+d}", 0.0)
    target = now.replace(hour=12, minute=0, second=0, microsecond=0)
    while target > now or target.weekday() >= 5:
        target -= timedelta(days=1)
    return Weekday("UTC", (now - target).total_seconds())


def last_weekday_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


# ---------------------------------------------------------------- configuration


def write_config(path: Path, *, nudges_due: bool) -> Path:
    """A dealnudge.toml whose nudges are due every minute (or never); digests never are."""
    cron, grace = ("* * * * *", 4) if nudges_due else (NEVER, 0)
    path.write_text(
        f'[slack]\nadmins = ["{ADMIN}"]\n\n'
        f'[schedules]\nnudge_cron = "{cron}"\nnudge_grace_hours = {grace}\n'
        f'digest_cron = "{NEVER}"\ndigest_grace_hours = 0\n',
        encoding="utf-8",
    )
    return path


def bot_env(fake: FakeSlack, config: Path, **env: str) -> dict[str, str]:
    """The environment of a dealnudge process against ``fake`` on the demo export: no
    SLACK_/DEALNUDGE_/DATABASE_URL/PORT variable of this one, only those given."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DEALNUDGE_")) and k not in ("DATABASE_URL", "PORT")
    }
    return clean | {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "DEALNUDGE_SOURCE": str(demo_export_dir()),
        "DEALNUDGE_CONFIG": str(config),
        "PYTHONUNBUFFERED": "1",
        **env,
    }


# ---------------------------------------------------------------- processes


class Bot:
    """``dealnudge ARGS`` in a subprocess (through LAUNCHER), stdout and stderr in ``log``."""

    def __init__(self, args: Sequence[str], env: dict[str, str], log: Path, shift: float = 0):
        self.args = list(args)
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, str(shift), *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, timeout: float) -> float:
        """When (monotonic) ``text`` showed up in the output; fails if the process ends
        first or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.proc.poll() is None, f"{self.args} ended early:\n{self.output()}"
            assert time.monotonic() < deadline, f"no {text!r} in {timeout}s:\n{self.output()}"
            time.sleep(0.05)
        return time.monotonic()

    def wait_healthy(self, port: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                    return
            assert self.proc.poll() is None, f"{self.args} ended early:\n{self.output()}"
            assert time.monotonic() < deadline, f"not healthy in {timeout}s:\n{self.output()}"
            time.sleep(0.1)

    def terminate(self, timeout: float = 15) -> tuple[int, float]:
        """SIGTERM; (exit code, seconds until it exited). Killed if still running after
        ``timeout`` (the exit code is then -9)."""
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        return code, time.monotonic() - started

    def kill(self) -> None:
        """kill -9, then reap it."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)

    def wait(self, timeout: float) -> int:
        return self.proc.wait(timeout)


@contextlib.contextmanager
def bots() -> Iterator[list[Bot]]:
    """Every Bot appended to the list is killed at the end, whatever happens."""
    started: list[Bot] = []
    try:
        yield started
    finally:
        for bot in started:
            with contextlib.suppress(Exception):
                bot.kill()


def run_cli(
    args: Sequence[str], env: dict[str, str], shift: float = 0, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``dealnudge ARGS`` to the end (through LAUNCHER); output as text."""
    return subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(shift), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def planned_keys(env: dict[str, str], shift: float = 0, as_of: date | None = None) -> set[str]:
    """The nudge keys a `dealnudge nudge --dry-run` plans (the oracle: what each rep
    should get exactly once), on a fresh state of its own."""
    import re
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        dry = {k: v for k, v in env.items() if k != "DATABASE_URL"}
        dry["DEALNUDGE_DB"] = str(Path(scratch) / "state.json")
        args = ["nudge", "--dry-run", *(["--as-of", as_of.isoformat()] if as_of else [])]
        done = run_cli(args, dry, shift)
    assert done.returncode == 0, done.stdout + done.stderr
    keys = set(re.findall(r"\[(nudge:[^\]]+)\]", done.stdout))
    assert keys, done.stdout
    return keys


# ---------------------------------------------------------------- a slower Slack


class SlowSlack(FakeSlack):
    """A FakeSlack that can answer late *after* doing the work (``slow_reply``): the message
    is in the channel at once, the caller waits for its answer (a slow network or a slow
    Slack). A process killed meanwhile leaves a delivered message behind a pending key, the
    case the check in Slack exists for. (``hang`` instead delays the work itself.)"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._slow: dict[str, float] = {}

    def slow_reply(self, method: str, seconds: float) -> None:
        with self._lock:
            self._slow[method] = seconds

    def _dispatch(self, raw_path: str, headers: dict[str, str], body: bytes) -> _Reply:
        reply = super()._dispatch(raw_path, headers, body)
        path = urllib.parse.urlsplit(raw_path).path
        with self._lock:
            delay = self._slow.get(path.removeprefix("/api/"), 0.0)
        if delay:
            self._stopping.wait(delay)
        return reply


def nudges_in_slack(fake: FakeSlack) -> dict[str, list[str]]:
    """Nudge key -> the channel of every message carrying it (their metadata)."""
    found: dict[str, list[str]] = defaultdict(list)
    for (channel, _ts), message in fake.messages.items():
        meta = message.get("metadata") or {}
        key = str((meta.get("event_payload") or {}).get("key", ""))
        if meta.get("event_type") == EVENT_TYPE and key.startswith("nudge:"):
            found[key].append(channel)
    return dict(found)


# ---------------------------------------------------------------- the state


@contextlib.contextmanager
def reading(db: Path, schema: str = "") -> Iterator[Store]:
    """The state a bot used (read only, beside it): the tinydb file at ``db``, or the
    PostgreSQL ``schema`` when one is given."""
    from support import pg

    store = open_store(db, database_url=pg.URL if schema else "", schema=schema or "dealnudge",
                       read_only=True)  # fmt: skip
    try:
        yield store
    finally:
        store.close()


def nudge_statuses(db: Path, schema: str = "") -> dict[str, str]:
    """Nudge key -> status ("pending", "sent", "failed") in the state. PostgreSQL is read
    with a plain query, so that polling never creates the schema before the bot does (a
    process opening the store migrates it)."""
    if not schema:
        with reading(db) as store:
            return {d["key"]: d["status"] for d in store.backend.dump().get("nudges", [])}
    import psycopg
    from psycopg import sql
    from support import pg

    query = sql.SQL("SELECT key, doc->>'status' FROM {}.nudges").format(sql.Identifier(schema))
    with psycopg.connect(pg.URL, autocommit=True) as conn:
        try:
            return dict(conn.execute(query).fetchall())
        except psycopg.errors.UndefinedTable:
            return {}  # not there yet: the bot has not opened it


def wait_for_pending(db: Path, schema: str = "", timeout: float = 60) -> dict[str, str]:
    """Poll the state until a nudge is pending: a batch is under way."""
    deadline = time.monotonic() + timeout
    while True:
        statuses = nudge_statuses(db, schema)
        if "pending" in statuses.values():
            return statuses
        assert time.monotonic() < deadline, f"no nudge batch began within {timeout}s"
        time.sleep(0.05)


# ---------------------------------------------------------------- clicks


@dataclass(frozen=True)
class Target:
    user_id: str
    deal_id: str
    pattern: str


@dataclass
class Burst:
    """Client threads clicking "I'll ask this" as fast as they can. Every click carries a
    question id of its own (``b<thread>-<n>``), stored with its feedback, so each
    acknowledged click can be found in the state."""

    urls: Sequence[str]
    targets: Sequence[Target]
    fake: FakeSlack
    threads: int = 8
    seconds: float = 2.0
    sent: dict[str, Target] = field(default_factory=dict)  # question id -> who clicked what
    acked: set[str] = field(default_factory=set)  # question ids answered HTTP 200
    other: dict[str, str] = field(default_factory=dict)  # question id -> status or error
    _workers: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Burst:
        deadline = time.monotonic() + self.seconds
        for n in range(self.threads):
            worker = threading.Thread(target=self._click, args=(n, deadline), daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def _click(self, n: int, deadline: float) -> None:
        target = self.targets[n % len(self.targets)]
        url = self.urls[n % len(self.urls)]
        for i in itertools.count():
            if time.monotonic() >= deadline or self._stop.is_set():
                return
            qid = f"b{n}-{i}"
            value = blocks.encode_value(target.deal_id, target.pattern, qid)
            payload = block_actions_payload(
                target.user_id,
                "nudge_ask",
                value,
                message={"type": "message", "ts": "1700000000.000100", "blocks": []},
                response_url=self.fake.response_url(qid),
                is_ephemeral=True,
            )
            with self._lock:
                self.sent[qid] = target
            try:
                resp = post_action(url, SECRET, payload, timeout=20)
            except requests.RequestException as exc:
                with self._lock:
                    self.other[qid] = type(exc).__name__
                return  # the server is gone (or going): this client stops
            with self._lock:
                if resp.status_code == 200:
                    self.acked.add(qid)
                else:
                    self.other[qid] = f"HTTP {resp.status_code}"

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float = 30) -> Burst:
        deadline = time.monotonic() + timeout
        for worker in self._workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        assert not any(w.is_alive() for w in self._workers), "click clients did not finish"
        return self


def asked_clicks(store: Store) -> dict[str, tuple[str, str]]:
    """Question id -> (who, deal) of every "I'll ask this" in the state."""
    return {f.question_id: (f.who, f.deal_id) for f in store.feedback(kind="asked")}
