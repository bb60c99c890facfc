"""Serve: how soon ``dealnudge serve`` answers and is ready, its memory, and ``/deal``
while the export is refreshed, on the largest synthetic export.

One server (``bench.serve_app``: ``dealnudge serve --http`` with its scheduler, the clock
set to the export's as-of date) is started with no state, then the export is changed and
refreshed five times (the refresh job runs at once: ``SIGUSR1``) while signed ``/deal``
requests arrive at a steady rate; memory is sampled throughout, for the web process and
the analysis process it starts. Then it is restarted on the unchanged export.
"""

from __future__ import annotations

import http.client
import os
import queue
import shutil
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.core import Bench, Figure, SectionResult, Stats, percentile, section
from bench.deal import (
    ADMIN,
    EVENTS_PATH,
    SECRET,
    Request,
    Server,
    ServerBroken,
    _support,
    fire,
    health,
    make_plan,
    process_rss,
    start_server,
)
from bench.scan import synth_export

REFRESHES = 5
RATE = 5.0  # /deal requests per second during a refresh
SLACK_LIMIT_MS = 3000.0
P99_TARGET_MS = 300.0
PORT_TARGET_S = 2.0
READY_TARGET_S = 15.0
RSS_TARGET_MB = 500.0
PEAK_TARGET_MB = 1024.0
AFTER_SWAP_S = 3.0  # keep asking this long after the new export is in


def children(pid: int) -> list[int]:
    """The process's children (the analysis process among them), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except (OSError, ValueError):
            continue
    return found


@dataclass
class Sampler:
    """Samples the server's and its children's memory every 0.2 s until stopped."""

    pid: int
    web_peak: float = 0.0
    child_peak: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.web_peak = max(self.web_peak, process_rss(self.pid)[0])
            for child in children(self.pid):
                self.child_peak = max(self.child_peak, process_rss(child)[0])
            self._stop.wait(0.2)


def paced(
    port: int, requests: list[Request], signing: Any, fake: Any, done: threading.Event
) -> tuple[list[float], int]:
    """``/deal`` at ``RATE`` per second until ``done``; each latency counts from when the
    request was due (a stalled server makes the queue wait, and that wait is counted).
    Returns (ack latencies in ms, failures)."""
    due: queue.Queue[tuple[int, float] | None] = queue.Queue()
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def worker() -> None:
        nonlocal failures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while (item := due.get()) is not None:
            i, at = item
            req = requests[i % len(requests)]
            body = signing.command_body(
                text=req.text, user_id=req.user_id, response_url=fake.response_url(f"p{i}")
            )
            headers = signing.signed_headers(SECRET, body, signing.FORM)
            try:
                conn.request("POST", EVENTS_PATH, body, headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                if ok:
                    latencies.append((time.perf_counter() - at) * 1000)
                else:
                    failures += 1
        conn.close()

    workers = [threading.Thread(target=worker, daemon=True) for _ in range(16)]
    for w in workers:
        w.start()
    start, n = time.perf_counter(), 0
    while not done.is_set():
        at = start + n / RATE
        time.sleep(max(0.0, at - time.perf_counter()))
        due.put((n, at))
        n += 1
    for _ in workers:
        due.put(None)
    for w in workers:
        w.join()
    return latencies, failures


@dataclass(frozen=True)
class Refresh:
    seconds: float
    latencies: list[float]
    failures: int
    web_peak: float
    child_peak: float
    web_after: float


def refresh_once(
    server: Server, export: Path, n: int, plan: list[Request], signing: Any, fake: Any
) -> Refresh:
    """Change the export, run the refresh job, ask ``/deal`` until the new one is in."""
    _, before = health(server.port)
    task = export / "Task.csv"
    stamp = time.time() + n
    os.utime(task, (stamp, stamp))  # a new modification time: the export changed
    done = threading.Event()
    result: list[tuple[list[float], int]] = []
    asker = threading.Thread(
        target=lambda: result.append(paced(server.port, plan, signing, fake, done))
    )
    with Sampler(server.proc.pid) as sampler:
        asker.start()
        started = time.perf_counter()
        os.kill(server.proc.pid, signal.SIGUSR1)
        deadline = started + 1800
        while health(server.port)[1].get("loaded_at") == before.get("loaded_at"):
            if time.perf_counter() > deadline or server.proc.poll() is not None:
                done.set()
                asker.join()
                raise ServerBroken(f"refresh {n} did not finish")
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        time.sleep(AFTER_SWAP_S)
        done.set()
        asker.join()
    latencies, failures = result[0]
    web_after = process_rss(server.proc.pid)[0]
    return Refresh(seconds, latencies, failures, sampler.web_peak, sampler.child_peak, web_after)


@section("serve", "Serve: start, memory, /deal during refreshes", order=35)
def serve_section(bench: Bench) -> SectionResult:
    opts = bench.options
    size = opts.big
    try:
        fake_mod, signing = _support()
    except ImportError as exc:
        return SectionResult(skipped=f"tests/support could not be imported ({exc})")
    work = opts.cache / "serve"
    shutil.rmtree(work, ignore_errors=True)
    export = work / "export"
    shutil.copytree(synth_export(bench, size), export)
    plan = make_plan(export, max(opts.requests, 200)).requests
    refreshes: list[Refresh] = []
    with fake_mod.FakeSlack() as fake:
        for uid, email, name in make_plan(export, 1).users:
            fake.add_user(uid, email, name, tz="America/New_York")
        fake.add_user(ADMIN, "revops@bench.example", "Rae Ops")
        try:
            bench.log(f"serve: first start on the {size.label} export (no state)")
            server = start_server(work, export, fake.url, opts.as_of.isoformat())
            try:
                loaded = process_rss(server.proc.pid)[0]
                first: dict[str, Request] = {}
                for r in plan:
                    first.setdefault(r.user_id, r)
                bench.log(f"serve: warm-up, {len(first)} users")
                fire(server.port, list(first.values()), opts.clients, fake, signing, "warm")
                for n in range(1, REFRESHES + 1):
                    bench.log(f"serve: refresh {n}/{REFRESHES} with /deal at {RATE:g}/s")
                    refreshes.append(refresh_once(server, export, n, plan, signing, fake))
            finally:
                server.stop()
            bench.log("serve: restart on the unchanged export")
            again = start_server(work, export, fake.url, opts.as_of.isoformat(), fresh=False)
            reloaded = process_rss(again.proc.pid)[0]
            again.stop()
        except ServerBroken as exc:
            return SectionResult(skipped=f"the server could not be started or refreshed: {exc}")
    return _result(size.label, server, again, loaded, reloaded, refreshes)


def _result(
    label: str,
    server: Server,
    again: Server,
    loaded: float,
    reloaded: float,
    refreshes: list[Refresh],
) -> SectionResult:
    everything = [ms for r in refreshes for ms in r.latencies]
    over = sum(ms > SLACK_LIMIT_MS for ms in everything)
    p99 = Stats.of(percentile(r.latencies, 99) for r in refreshes)
    peak = Stats.of(r.web_peak for r in refreshes)
    port = Stats.of([server.port_seconds, again.port_seconds])
    growth = refreshes[-1].web_after - refreshes[0].web_after
    result = SectionResult()
    result.figures += [
        Figure(f"until the port answers (first start and restart), {label}", port, "s",
               f"≤ {PORT_TARGET_S:g} s", port.max <= PORT_TARGET_S),
        Figure(f"until ready, first start (analysed in the child), {label}",
               Stats.of([server.ready_seconds]), "s", f"≤ {READY_TARGET_S:g} s",
               server.ready_seconds <= READY_TARGET_S),
        Figure(f"until ready, restart with the export unchanged, {label}",
               Stats.of([again.ready_seconds]), "s", f"≤ {READY_TARGET_S:g} s",
               again.ready_seconds <= READY_TARGET_S),
        Figure(f"web process RSS once loaded (first start, restart), {label}",
               Stats.of([loaded, reloaded]), "MB", f"≤ {RSS_TARGET_MB:g} MB",
               max(loaded, reloaded) <= RSS_TARGET_MB),
        Figure(f"web process peak RSS during a refresh, {label}", peak, "MB",
               f"≤ {PEAK_TARGET_MB:g} MB", peak.max <= PEAK_TARGET_MB),
        Figure(f"web process RSS after each refresh, {label}",
               Stats.of(r.web_after for r in refreshes), "MB"),
        Figure(f"analysis process peak RSS, {label}",
               Stats.of(r.child_peak for r in refreshes), "MB"),
        Figure(f"refresh (change seen -> new export served), {label}",
               Stats.of(r.seconds for r in refreshes), "s"),
        Figure(f"/deal ack p99 during a refresh, {label}", p99, "ms",
               f"≤ {P99_TARGET_MS:g} ms", p99.max <= P99_TARGET_MS),
        Figure(f"/deal ack max during a refresh, {label}",
               Stats.of(max(r.latencies, default=0.0) for r in refreshes), "ms"),
        Figure(f"/deal acks over Slack's 3 s, all {len(refreshes)} refreshes, {label}",
               Stats.of([float(over)]), "requests", "0", over == 0),
    ]  # fmt: skip
    failures = sum(r.failures for r in refreshes)
    result.notes += [
        f"One `dealnudge serve --http` (port bound first, the export analysed in a child "
        f"process, the scheduler running) started with no state; the export was then changed "
        f"(a new modification time on Task.csv) and refreshed {len(refreshes)} times while "
        f"signed `/deal` requests came at {RATE:g} per second, from when the refresh started "
        f"until {AFTER_SWAP_S:g} s after the new export was served "
        f"({len(everything):,} requests in all). Latency counts from when each request was "
        "due, so a server that stalls is charged for the queue too. Memory was sampled "
        "every 0.2 s for the web process and, separately, its analysis process. Then the "
        "server was stopped and started again on the unchanged export. Min / median / max "
        f"are over the {len(refreshes)} refreshes (or the two starts), one sequence per run.",
        f"Web process RSS after refresh 1 and {len(refreshes)}: "
        f"{refreshes[0].web_after:.0f} MB and {refreshes[-1].web_after:.0f} MB "
        f"({growth:+.0f} MB).",
    ]
    if failures:
        result.notes.append(f"**{failures} /deal request(s) failed** during the refreshes.")
    result.extra = {"requests": len(everything), "failures": failures, "over_3s": over}
    return result
