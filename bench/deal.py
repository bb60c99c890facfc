"""/deal latency: signed slash commands against the real HTTP server, 100k-deal export loaded.

The server is a subprocess (``python -m bench.serve_app``: build_runtime, refresh,
create_app, serve_http, as ``dealnudge serve --http`` does); Slack's Web API is the test
suite's FakeSlack in this process, with one Slack user per CRM owner (by email) and an
admin. Clients keep their HTTP connection open, like Slack's edge does.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.core import REPO, Bench, Figure, SectionResult, Stats, fmt, percentile, section
from bench.scan import synth_export

SECRET = "bench-signing-secret-5d1e"
TOKEN = "xoxb-bench-token-0001"
ADMIN = "U0BENCHADMIN"
P99_TARGET_MS = 200.0
EVENTS_PATH = "/slack/events"
NO_MATCH = "Quasar Widgets"  # words no synthetic deal or account has


def _support() -> tuple[ModuleType, ModuleType]:
    """tests/support's FakeSlack and request signing (shared with the test suite)."""
    tests_dir = str(REPO / "tests")
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)
    import importlib

    return importlib.import_module("support.fake_slack"), importlib.import_module(
        "support.slack_requests"
    )


@dataclass(frozen=True)
class Request:
    user_id: str
    text: str
    kind: str  # one | many | none
    role: str  # rep | manager | admin


@dataclass(frozen=True)
class Plan:
    users: list[tuple[str, str, str]]  # (slack user id, email, name)
    requests: list[Request]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def make_plan(export: Path, count: int, seed: int = 7) -> Plan:
    """``count`` requests: 1 in 40 from the admin (sees every deal), 1 in 10 from a manager,
    the rest from reps; the query rotates one-match (a visible deal's exact name),
    many-match (a product word several visible deals share) and no-match."""
    owners = list(_rows(export / "User.csv"))
    slack_of = {o["Id"]: f"U{i:07d}" for i, o in enumerate(owners, 1)}
    users = [(slack_of[o["Id"]], o["Email"], o["Name"]) for o in owners if o["Email"]]
    reports: dict[str, set[str]] = defaultdict(set)
    for o in owners:
        if o.get("ManagerId"):
            reports[o["ManagerId"]].add(o["Id"])
    deals_of: dict[str, list[str]] = defaultdict(list)
    all_names: list[str] = []
    for d in _rows(export / "Opportunity.csv"):
        deals_of[d["OwnerId"]].append(d["Name"])
        all_names.append(d["Name"])
    reps = sorted(o for o in deals_of if o in slack_of)
    managers = sorted(
        m for m in reports if m in slack_of and any(r in deals_of for r in reports[m])
    )
    rng = random.Random(seed)
    requests: list[Request] = []
    for i in range(count):
        if i % 40 == 0:
            role, uid, names = "admin", ADMIN, all_names
        elif i % 10 == 1 and managers:
            m = rng.choice(managers)
            role, uid = "manager", slack_of[m]
            names = [n for r in sorted(reports[m]) for n in deals_of.get(r, [])]
        else:
            rep = rng.choice(reps)
            role, uid, names = "rep", slack_of[rep], deals_of[rep]
        kind = ("one", "many", "none")[i % 3]
        name = rng.choice(names)
        if kind == "one":
            text = name
        elif kind == "many":
            text = name.rsplit(" - ", 1)[-1]  # the product: "Fleet Expansion"
        else:
            text = NO_MATCH
        requests.append(Request(uid, text, kind, role))
    return Plan(users, requests)


@dataclass(frozen=True)
class Round:
    ack_ms: list[float]
    answer_ms: list[float]  # request sent -> the reply (in the HTTP 200, or at response_url)
    answers_by_role: dict[str, list[float]]
    errors: int  # non-200 acks and connection failures
    missing_answers: int
    seconds: float  # wall time to send every request and read every ack
    in_ack: int = 0  # answers carried by the HTTP 200 itself


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A ``bench.serve_app`` subprocess and when it answered."""

    proc: subprocess.Popen[bytes]
    port: int
    log: Path
    port_seconds: float  # start -> /healthz answers at all (503 while loading)
    ready_seconds: float  # start -> /healthz 200 (export loaded)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_server(
    work: Path, export: Path, fake_url: str, as_of: str, *, fresh: bool = True
) -> Server:
    """``dealnudge serve --http`` (``bench.serve_app``) on ``export``, waited for until
    ready. ``fresh``: with no state (and no snapshot) left by an earlier server in ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    state = work / "state"
    if fresh:
        shutil.rmtree(state, ignore_errors=True)
    state.mkdir(exist_ok=True)
    config = work / "dealnudge.toml"
    config.write_text(f'[slack]\nadmins = ["{ADMIN}"]\n', encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DEALNUDGE_"))}
    env |= {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_url,
        "DEALNUDGE_SOURCE": str(export),
        "DEALNUDGE_DB": str(state / "state.json"),
        "DEALNUDGE_CONFIG": str(config),
        "DEALNUDGE_LOG_LEVEL": "WARNING",
    }
    log_path = work / "server.log"
    with log_path.open("ab") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.serve_app", str(port), as_of],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_health(proc, port, log_path, timeout=60, ready=False)
        answering = time.perf_counter() - started
        _wait_health(proc, port, log_path, timeout=1800, ready=True)
    except BaseException:
        Server(proc, port, log_path, 0, 0).stop()
        raise
    return Server(proc, port, log_path, answering, time.perf_counter() - started)


@contextmanager
def running_server(bench: Bench, export: Path, fake_url: str) -> Iterator[tuple[int, float]]:
    """The server subprocess, ready; yields (port, seconds until ready)."""
    work = bench.options.cache / "deal"
    (work / "server.log").unlink(missing_ok=True)
    server = start_server(work, export, fake_url, bench.options.as_of.isoformat())
    bench.memo["deal_server_pid"] = server.proc.pid
    try:
        yield server.port, server.ready_seconds
    finally:
        server.stop()
        bench.memo.pop("deal_server_pid", None)
        bench.memo["deal_server_log"] = server.log.read_text(encoding="utf-8", errors="replace")


def health(port: int) -> tuple[int, dict[str, Any]]:
    """/healthz's status and body; (0, {}) when nothing answers."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp.status, json.loads(body or b"{}")
    except (OSError, ValueError, http.client.HTTPException):
        return 0, {}


def _wait_health(
    proc: subprocess.Popen[bytes], port: int, log: Path, timeout: float, *, ready: bool
) -> None:
    """Until /healthz answers (``ready``: answers 200)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-20:]
            raise ServerBroken(
                f"the server exited {proc.returncode} before it was ready: " + " | ".join(tail)
            )
        status, _ = health(port)
        if status == 200 or (status and not ready):
            return
        if time.monotonic() > deadline:
            what = "ready" if ready else "answering"
            raise ServerBroken(f"the server was not {what} within {timeout:.0f}s")
        time.sleep(0.05 if not ready else 0.2)


class ServerBroken(RuntimeError):
    pass


def process_rss(pid: int) -> tuple[float, float]:
    """(current, peak) RSS in MB of a process, from /proc (psutil when /proc is missing)."""
    try:
        fields = dict(
            line.split(":", 1)
            for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines()
            if ":" in line
        )
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        try:
            import psutil

            rss = psutil.Process(pid).memory_info().rss / 1024 / 1024
            return rss, rss
        except Exception:
            return 0.0, 0.0


def fire(
    port: int,
    requests: list[Request],
    clients: int,
    fake: Any,
    signing: ModuleType,
    tag: str,
    answer_timeout: float = 900.0,
) -> Round:
    """Send every request from ``clients`` threads; wait for every reply: in the HTTP 200's
    body (the app answers in its ack when it can) or else at the fake's response_url."""
    counter = itertools.count()
    lock = threading.Lock()
    acks: list[float] = []
    sent_at: dict[str, tuple[float, str]] = {}
    answers: list[float] = []
    by_role: dict[str, list[float]] = defaultdict(list)
    errors = 0

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            i = next(counter)
            if i >= len(requests):
                break
            req = requests[i]
            name = f"{tag}-{i}"
            body = signing.command_body(
                text=req.text, user_id=req.user_id, response_url=fake.response_url(name)
            )
            headers = signing.signed_headers(SECRET, body, signing.FORM)
            wall = time.time()
            t0 = time.perf_counter()
            try:
                conn.request("POST", EVENTS_PATH, body, headers)
                resp = conn.getresponse()
                content = resp.read()
                status = resp.status
                if resp.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                if status != 200:
                    errors += 1
                    continue
                acks.append(elapsed)
                if content:  # the answer itself
                    answers.append(elapsed)
                    by_role[req.role].append(elapsed)
                else:
                    sent_at[name] = (wall, req.role)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, name=f"client-{n}") for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    with contextlib.suppress(AssertionError):  # what never arrives is counted as missing
        fake.wait_for(
            "response_url",
            count=len(sent_at),
            timeout=answer_timeout,
            where=lambda c: c.path.rsplit("/", 1)[-1].startswith(tag + "-"),
        )
    in_ack = len(answers)
    for call in fake.calls_to("response_url"):
        name = call.path.rsplit("/", 1)[-1]
        if name in sent_at:
            wall, role = sent_at.pop(name)
            ms = (call.at - wall) * 1000
            answers.append(ms)
            by_role[role].append(ms)
    return Round(acks, answers, dict(by_role), errors, len(sent_at), seconds, in_ack)


@section("deal", "/deal latency", order=30)
def deal_section(bench: Bench) -> SectionResult:
    opts = bench.options
    size = opts.big
    result = SectionResult()
    try:
        fake_mod, signing = _support()
    except ImportError as exc:
        return SectionResult(skipped=f"tests/support could not be imported ({exc})")
    export = synth_export(bench, size)
    plan = make_plan(export, opts.requests)
    rounds: list[Round] = []
    with fake_mod.FakeSlack() as fake:
        for uid, email, name in plan.users:
            fake.add_user(uid, email, name, tz="America/New_York")
        fake.add_user(ADMIN, "revops@bench.example", "Rae Ops")
        bench.log(f"/deal: starting the server on the {size.label} export")
        try:
            with running_server(bench, export, fake.url) as (port, startup):
                rss_loaded = _server_rss_by_port(bench)
                # One unmeasured request per user: maps each Slack user to a CRM owner
                # (users.info + a state write), which happens once a week in real use.
                first: dict[str, Request] = {}
                for r in plan.requests:
                    first.setdefault(r.user_id, r)
                bench.log(f"/deal: warm-up, {len(first)} users")
                fire(port, list(first.values()), opts.clients, fake, signing, "warm")
                for n in range(opts.repeats):
                    fake.reset()
                    bench.log(f"/deal: round {n + 1}/{opts.repeats}, {len(plan.requests)} requests")
                    rounds.append(fire(port, plan.requests, opts.clients, fake, signing, f"r{n}"))
                rss_after = _server_rss_by_port(bench)
        except ServerBroken as exc:
            return SectionResult(
                skipped=f"the server (bot/runtime + bot/slack) could not be started: {exc}"
            )
    p50 = Stats.of(percentile(r.ack_ms, 50) for r in rounds)
    p99 = Stats.of(percentile(r.ack_ms, 99) for r in rounds)
    result.figures += [
        Figure(f"ack p50 (HTTP 200), {size.label}", p50, "ms"),
        Figure(
            f"ack p99 (HTTP 200), {size.label}",
            p99,
            "ms",
            f"≤ {P99_TARGET_MS:g} ms",
            p99.median <= P99_TARGET_MS,
        ),
    ]
    if all(r.answer_ms for r in rounds):
        result.figures += [
            Figure(f"answer p50 (reply shown), {size.label}", Stats.of(
                percentile(r.answer_ms, 50) for r in rounds), "ms"),
            Figure(f"answer p99 (reply shown), {size.label}", Stats.of(
                percentile(r.answer_ms, 99) for r in rounds), "ms"),
            Figure(f"answers carried by the HTTP 200, {size.label}", Stats.of(
                100 * r.in_ack / max(len(r.answer_ms), 1) for r in rounds), "%"),
        ]  # fmt: skip
    result.figures.append(
        Figure(
            f"throughput (acks), {size.label}",
            Stats.of(len(r.ack_ms) / r.seconds for r in rounds),
            "/s",
        )
    )
    result.figures.append(
        Figure(f"server start (load + analyse the export), {size.label}", Stats.of([startup]), "s")
    )
    if rss_loaded:
        result.figures.append(
            Figure(f"server RSS after load, {size.label}", Stats.of([rss_loaded[0]]), "MB")
        )
    if rss_after:
        result.figures.append(
            Figure(f"server peak RSS, {size.label}", Stats.of([rss_after[1]]), "MB")
        )
    roles = sorted({role for r in rounds for role in r.answers_by_role})
    role_rows = [
        "| viewer | requests per round | answer p50 | answer p99 |",
        "| --- | --- | --- | --- |",
    ]
    for role in roles:
        samples = [ms for r in rounds for ms in r.answers_by_role.get(role, [])]
        role_rows.append(
            f"| {role} | {len(samples) // max(len(rounds), 1)} | "
            f"{fmt(percentile(samples, 50), 'ms')} | {fmt(percentile(samples, 99), 'ms')} |"
        )
    errors = sum(r.errors for r in rounds)
    missing = sum(r.missing_answers for r in rounds)
    result.notes += [
        f"{len(plan.requests):,} signed `/deal <query>` requests per round from "
        f"{opts.clients} concurrent clients (keep-alive connections), {opts.repeats} round(s), "
        f"against the server with the {size.full_label} export loaded. 1 request in 40 comes "
        "from an admin (sees every deal), 1 in 10 from a manager (sees their reps' deals), "
        "the rest from reps (their own deals); queries rotate one-match (a visible deal's "
        "exact name), many-match (a product word, e.g. `Fleet Expansion`) and no-match "
        f"(`{NO_MATCH}`, which makes the bot look for close names). The **ack** is the time "
        "to the HTTP 200 (Slack needs it within 3 s); the **answer** is the time until the "
        "reply is there to show: in the HTTP 200's body when the app answers in its ack "
        "(it does once it knows the caller), else when it reaches the response_url. Each "
        "user sent one unmeasured warm-up request first (Slack user -> CRM owner mapping, "
        "answered at the response_url). Clients, FakeSlack and the server share the 2 cores.",
        "Answer latency by viewer (all rounds):\n\n" + "\n".join(role_rows),
    ]
    if errors or missing:
        result.notes.append(
            f"**{errors} request(s) failed** (non-200 or connection error) and "
            f"**{missing} answer(s) never reached the response_url** within the wait."
        )
    result.extra = {
        "rounds": len(rounds),
        "acks": [len(r.ack_ms) for r in rounds],
        "answers": [len(r.answer_ms) for r in rounds],
        "errors": errors,
        "missing": missing,
    }
    return result


def _server_rss_by_port(bench: Bench) -> tuple[float, float] | None:
    pid = bench.memo.get("deal_server_pid")
    return process_rss(pid) if pid else None
