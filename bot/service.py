"""``dealnudge serve``: the processes of a deployment, and how they stop.

Roles:
- ``all`` (the default): answers Slack and runs the schedules. With the tinydb state this
  is the only role (one process holds the file).
- ``web``: answers Slack only (any number behind a load balancer; PostgreSQL state);
  each keeps its own copy of the export fresh.
- ``scheduler``: runs the schedules. With PostgreSQL, any number may run: one leads
  (a PostgreSQL advisory lock, see ``bot.state.postgres.Leadership``), the others stand by
  and one takes over within ``ELECT_SECONDS`` of the leader dying, catching up at once.

SIGTERM or SIGINT stops a process gracefully within ``STOP_SECONDS``: no new requests
(``/healthz`` answers 503 so the load balancer moves on), the ones in flight and the send
under way finish, a batch of sends stops before its next recipient (who gets it from the
next run), and the state is closed. Everything acknowledged was saved before its ack.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from bot.delivery.scheduler import (
    add_send_jobs,
    refresh_job,
    remove_send_jobs,
    start_scheduler,
    tick_sends_now,
)
from bot.runtime import Runtime, build_runtime, configure_logging
from bot.settings import Settings, SettingsError
from bot.slack.app import create_app
from bot.slack.server import drain, http_server
from bot.state import StoreError

log = logging.getLogger("dealnudge.service")
ROLES = ("all", "web", "scheduler")
ELECT_SECONDS = 2.0
STOP_SECONDS = 9.0  # of the 10 s platforms give between SIGTERM and SIGKILL
SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Front:
    """Where Slack's requests come in: HTTP (waitress) or Socket Mode."""

    def __init__(self, runtime: Runtime, settings: Settings, *, http: bool, port: int) -> None:
        socket_mode = settings.slack_app_token is not None and not http
        _, signing_secret = settings.require_slack(socket_mode=socket_mode)
        self.runtime = runtime
        self.app = _app(runtime, signing_secret)
        self._server: Any = None
        self._socket: Any = None
        if socket_mode and settings.slack_app_token is not None:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            self._socket = SocketModeHandler(self.app, settings.slack_app_token.value)
        else:
            self._server = http_server(self.app, runtime.deps.snapshots, port)

    def start(self) -> None:
        if self._socket is not None:
            log.info("connecting to Slack in Socket Mode")
            self._socket.connect()
        else:
            threading.Thread(target=self._serve, name="http", daemon=True).start()

    def _serve(self) -> None:
        try:
            self._server.run()
        except (OSError, ValueError):  # its sockets closed under it by stop(): expected
            if not self.runtime.deps.snapshots.draining:
                raise

    def stop(self, deadline: float) -> None:
        """Take no new requests; let those in flight finish (until ``deadline``)."""
        self.runtime.deps.snapshots.draining = True
        if self._socket is not None:
            self._socket.close()
            return

        drain(self._server, deadline)


def _app(runtime: Runtime, signing_secret: Any) -> Any:
    """The Bolt app, its token checked with Slack (``auth.test``) at start: a token Slack
    refuses is a one-line error; Slack out of reach is a warning, and the token is checked
    on the first request instead (the port is bound either way)."""
    from slack_bolt.error import BoltError

    try:
        return create_app(runtime.deps, signing_secret)
    except BoltError as exc:
        raise SettingsError(f"Slack refused SLACK_BOT_TOKEN ({exc}); check the token") from None
    except OSError as exc:  # urllib's URLError: no network, DNS, SLACK_API_URL unreachable
        log.warning("could not reach Slack's Web API to check the bot token (%s); serving "
                    "anyway, the token is checked on the first request", exc)  # fmt: skip
        return create_app(runtime.deps, signing_secret, verify_token=False)


def _leadership(settings: Settings) -> Any:
    """The scheduler's lead on PostgreSQL (None on the state file, whose lock is enough);
    loaded here on demand, so psycopg stays out of a process on the state file."""
    if settings.database_url is None:
        return None
    from bot.state.postgres import Leadership

    return Leadership(settings.database_url.value, settings.pg_schema)


class Schedules:
    """The APScheduler jobs of this process's role; with PostgreSQL, the send jobs only
    while this process leads."""

    def __init__(self, runtime: Runtime, role: str) -> None:

        self.runtime = runtime
        self.leadership: Any = _leadership(runtime.settings) if role != "web" else None
        sends = role != "web" and self.leadership is None
        self.scheduler = start_scheduler(runtime, sends=sends)
        self.leading = sends
        self._stop = threading.Event()
        self._elector: threading.Thread | None = None
        if self.leadership is not None:
            self._elector = threading.Thread(target=self._elect, name="elect", daemon=True)
            self._elector.start()

    def _elect(self) -> None:

        deps = self.runtime.deps
        while not self._stop.is_set():
            leads = self.leadership.try_lead()
            if leads and not self.leading:
                self.leading = True
                deps.stopping.clear()
                add_send_jobs(self.scheduler, self.runtime, first_tick=timedelta(seconds=0.5))
                log.info("this process now leads the scheduler (nudges, digests)")
            elif self.leading and not leads:
                self.leading = False
                deps.stopping.set()  # a batch under way stops before its next recipient
                remove_send_jobs(self.scheduler)
                log.warning("lost the scheduler lead (PostgreSQL connection); standing by")
            self._stop.wait(ELECT_SECONDS)

    def stop(self, deadline: float) -> None:
        """Stop electing and ticking; wait for the job under way (its current send)."""
        self._stop.set()
        self.runtime.deps.stopping.set()
        _within(deadline, lambda: self.scheduler.shutdown(wait=True), "the scheduler")
        if self.leadership is not None:
            self.leadership.release()


def _first_load(schedules: Schedules) -> None:
    """Load the export behind a process that already answers; a failure alerts the admins
    like any broken export (bounded by the download deadline for a URL). A send tick that
    came first found no export and skipped: the ticks then run at once."""

    runtime = schedules.runtime
    refresh_job(runtime)
    log.info("first export load finished in the background")
    if runtime.ticked_early and runtime.deps.snapshots.current is not None:
        tick_sends_now(schedules.scheduler)


def _within(deadline: float, step: Callable[[], None], what: str) -> None:
    """Run ``step``, waiting for it no later than ``deadline``."""
    worker = threading.Thread(target=step, name=f"stop-{what}", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        log.warning("stopping: gave up waiting for %s", what)


@contextlib.contextmanager
def sending_alone(runtime: Runtime) -> Iterator[None]:
    """For `dealnudge nudge` / `digest`: the only sender while it runs. With the state file
    its lock already says so; with PostgreSQL it takes the scheduler's lead, or refuses
    while a scheduler holds it. SIGTERM and SIGINT stop the batch before its next
    recipient (the next run sends to them)."""
    leadership = _leadership(runtime.settings)
    if leadership is not None and not leadership.try_lead():
        leadership.release()
        raise StoreError(
            "a dealnudge scheduler is running on this database and sends nudges and "
            "digests itself; use --dry-run to preview them"
        )
    stopping = runtime.deps.stopping
    previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if leadership is not None:
            leadership.release()


def run(settings: Settings, *, role: str, http: bool, port: int) -> int:
    """Serve until SIGTERM or SIGINT, then stop gracefully; returns the exit code."""
    if role not in ROLES:
        raise SettingsError(f"--role must be one of {', '.join(ROLES)}, not {role!r}")
    if role != "all" and settings.database_url is None:
        raise SettingsError(
            f"--role {role} runs beside other dealnudge processes, which need shared state: "
            "set DATABASE_URL (PostgreSQL). With the state file, run one `dealnudge serve`."
        )
    configure_logging(settings.log_level)
    stop = threading.Event()
    for sig in SIGNALS:
        signal.signal(sig, lambda *_: stop.set())
    runtime = build_runtime(settings, offload=True)
    front: Front | None = None
    schedules: Schedules | None = None
    loading: threading.Thread | None = None
    try:
        if role != "scheduler":  # up at once: /healthz says "loading", /deal to try again
            front = Front(runtime, settings, http=http, port=port)
            front.start()
        schedules = Schedules(runtime, role)
        loading = threading.Thread(target=_first_load, args=(schedules,), name="first-load")
        loading.daemon = True
        loading.start()
        log.info("dealnudge serve --role %s is up (state: %s)", role,
                 runtime.deps.store.backend.location)  # fmt: skip
        stop.wait()
        log.info("stopping: finishing what is in flight")
    finally:
        deadline = time.monotonic() + STOP_SECONDS
        if front is not None:
            front.stop(deadline)
        if schedules is not None:
            schedules.stop(deadline)
        runtime.deps.stopping.set()
        _within(deadline, lambda: runtime.deps.workers.shutdown(wait=True), "listeners")
        if loading is not None:
            runtime.cancel()
            _within(deadline, loading.join, "the export load")
        runtime.close()
        log.info("stopped")
    return 0
