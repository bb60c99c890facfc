"""Wiring for long-running use: settings -> store, Slack client, snapshot, dependencies.

`dealnudge serve`, `nudge`, `digest` and `check --people` all start here, so they read the
same export, the same state and the same configuration the same way.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.analysis import snapdir
from bot.analysis.analyse import Snapshot
from bot.analysis.refresher import AnalysisFailed, Job, analyse_apart, build_snapshot
from bot.analysis.snapshot import SnapshotHolder
from bot.appconfig import AppConfig, export_mapping, load_app_config
from bot.ingest.crm import crm_scheme
from bot.ingest.crm.base import Connector
from bot.ingest.crm.source import CrmSource
from bot.ingest.loader import LoadResult, load_export
from bot.ingest.report import ExportError
from bot.ingest.source import ExportSource, Fetched, Source, SourceError
from bot.settings import Settings
from bot.slack import blocks, sealed
from bot.slack.alerts import alert_admins
from bot.slack.context import Deps
from bot.state import Adjustment, open_state
from bot.state.feedback import findings_per_team, review_feedback
from bot.state.people import PeopleDirectory

log = logging.getLogger("dealnudge")
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def configure_logging(level: str) -> None:
    """One line per record on stderr; Slack's own client logs only warnings and up."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    for noisy in ("slack_sdk", "slack_bolt", "urllib3", "apscheduler.executors"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def make_client(settings: Settings, *, retry_unsafe: bool = True) -> WebClient:
    """A Web API client that honours Retry-After on 429.

    With ``retry_unsafe`` it also retries 5xx and connection errors, which is right for
    reads and in-place updates; the scheduled sends use ``retry_unsafe=False`` and retry
    themselves only after checking the message did not arrive (bot/delivery/once.py). Those
    sends wait out up to 20 rate limits in a row (several go out at once, so one can meet a
    full window more than 5 times; a 429 was not delivered, so waiting is always safe).
    """
    token = settings.slack_bot_token.value if settings.slack_bot_token else None
    base_url = settings.slack_api_url or WebClient.BASE_URL
    # retry_handlers given: slack_sdk's default one re-sends after a dropped connection,
    # which for a post Slack already took is a second copy.
    client = WebClient(token=token, timeout=10, base_url=base_url, retry_handlers=[])
    client.retry_handlers.append(
        RateLimitErrorRetryHandler(max_retry_count=5 if retry_unsafe else 20)
    )
    if retry_unsafe:
        client.retry_handlers.extend(
            [
                ServerErrorRetryHandler(max_retry_count=2),
                ConnectionErrorRetryHandler(max_retry_count=2),
            ]
        )
    return client


@dataclass
class Runtime:
    """One deployment's long-lived parts: the export source, the state and the Slack client."""

    settings: Settings
    config: AppConfig
    deps: Deps
    sender: WebClient  # scheduled sends: no blind retries (see make_client)
    source: Source | None = None
    mapping: Path | None = None  # DEALNUDGE_MAPPING or [source] mapping
    # Analyse in a child process and serve from snapshot folders (``serve``); else in
    # this process, keeping the last good export in memory (one-shot commands).
    offload: bool = False
    _load: LoadResult | None = None  # the last good export read (in this process)
    _folder: Path | None = None  # the snapshot folder being served (offload)
    _alerted: str = ""
    ticked_early: bool = False  # a send tick came before the first export was in
    writeback_alerted: set[str] = field(default_factory=set)  # write-back failures told
    _refreshing: threading.Lock = field(default_factory=threading.Lock)
    _halt: threading.Event = field(default_factory=threading.Event)  # see cancel()
    _crashed: str = ""  # why the last analysis process died ("" when it did not)

    def cancel(self) -> None:
        """Stop a download or an analysis under way (the process is shutting down)."""
        self._halt.set()
        if self.source is not None:
            self.source.cancel()

    def close(self) -> None:
        """Write what is pending and let another process open the state."""
        if isinstance(self.source, CrmSource):
            self.source.close()
        self.deps.store.close()

    @property
    def crm_writer(self) -> Connector | None:
        """The CRM connector write-back uses (None: the export is not pulled from a CRM)."""
        return self.source.connector if isinstance(self.source, CrmSource) else None

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self, *, force: bool = False) -> bool:
        """Fetch the export; re-analyse when it changed or the day turned.

        A broken or unreachable export is rejected with the reason sent to admins (once per
        distinct reason), and the last good export keeps serving, re-analysed each day. A
        process that has read nothing yet falls back on the copy an earlier one kept on
        disk, saying how old it is. One refresh runs at a time.
        Returns True when a new snapshot was swapped in.
        """
        with self._refreshing:
            return self._refresh(force)

    def _refresh(self, force: bool) -> bool:
        now = self.deps.clock()
        fetched = self._fetch()
        if fetched is not None and self._read(*fetched, now):
            return True
        if self._load is None and self._folder is None:
            return False
        current = self.deps.snapshots.current
        if not force and current is not None and current.as_of == now.date():
            return False
        return self._reanalyse(now)

    def _fetch(self) -> tuple[Fetched, bool] | None:
        """The export to read now and whether it is the copy kept on disk; None when it
        is unchanged or could not be fetched (then rejected)."""
        good = self._load is not None or self._folder is not None
        try:
            if self.source is None:
                raise SourceError(
                    "DEALNUDGE_SOURCE is not set: name the CRM export (a folder, file or URL)"
                )
            try:
                fetched = self.source.fetch()
            except SourceError as exc:
                kept = None if good else self.source.cached()
                if kept is None:
                    raise
                self._reject(f"{exc}. Serving {kept.detail} until it answers.")
                return kept, True
            if fetched.changed or self._crashed or (not good and not self._alerted):
                return fetched, False
        except ExportError as exc:
            self._reject(str(exc))
        return None

    def _read(self, fetched: Fetched, kept: bool, now: datetime) -> bool:
        """Read and analyse a new export; False when it was rejected."""
        assert self.source is not None
        made: Snapshot | Path | None
        if self.offload:
            job = self._job(now, paths=fetched.paths, mapping=self.mapping)
            made = self._apart(job, "export", fetched.fingerprint)
        else:
            try:
                self._load = load_export(list(fetched.paths), mapping=self.mapping)
            except ExportError as exc:
                self._reject(str(exc))
                return False
            made = self._analyse(self._load, now)
        if made is None:
            return False
        if not kept:  # read well: the copy a new process starts from
            self.source.keep(fetched)
            self._alerted = ""
        self._install(made, now)
        return True

    def _reanalyse(self, now: datetime) -> bool:
        """The last good export again (a new day, new thresholds)."""
        made: Snapshot | Path | None
        if self._load is not None:
            made = self._analyse(self._load, now)
        else:
            assert self._folder is not None
            made = self._apart(self._job(now, base=self._folder), "stored", self._folder.name)
        if made is None:
            return False
        self._install(made, now)
        return True

    def _analyse(self, load: LoadResult, now: datetime) -> Snapshot:
        return build_snapshot(load, self.config, self.deps.store, now.date(), self.source_label)

    def _job(self, now: datetime, **what: Any) -> Job:
        return Job(self.settings, self.config, now.date(), now, self.source_label,
                   self.snapshots_dir, **what)  # fmt: skip

    def _apart(self, job: Job, *key: str) -> Path | None:
        """The snapshot folder of ``job``, made by a child process, or left by an earlier
        one (this process's or another's) for the same inputs; None when rejected.

        A folder is named by its inputs and the export history it was analysed from. Its
        analysis recorded this export's history line, which is appended here; the folder
        then also answers, under a second name (a link), to the history as it now stands,
        which is what a restart finds."""
        store = self.deps.store
        adjustments = repr([(a.team, a.pattern, a.param, a.new) for a in
                            store.active_adjustments()])  # fmt: skip
        inputs = (*key, job.as_of.isoformat(), self.source_label, adjustments,
                  _file_text(self.settings.config_path), _file_text(self.mapping))  # fmt: skip

        def named() -> Path:
            mark = store.history.mark(self.source_label)
            return self.snapshots_dir / snapdir.snapshot_key(*inputs, mark)

        for _ in range(3):
            folder = named()
            if folder.is_symlink() and folder.is_dir():
                log.info("reusing the analysis in %s (same export, day and settings)", folder)
                return folder
            if not folder.is_dir():
                try:
                    outcome = analyse_apart(dataclasses.replace(job, folder=folder), self._halt)
                except AnalysisFailed as exc:
                    # not the export's fault: it is read again next time, even if unchanged
                    self._crashed = f"the export could not be analysed: {exc}"
                    self._reject(self._crashed)
                    return None
                if self._crashed and self._alerted == self._crashed:
                    self._alerted = ""  # analysed again: that alert no longer holds
                self._crashed = ""
                if outcome.rejected:
                    self._reject(outcome.rejected)
                    return None
            recorded = snapdir.recorded(folder)
            if recorded is not None and not store.append_export(recorded):
                continue  # another process recorded an export first: analyse from there
            snapdir.link(named(), folder)
            return folder
        raise AnalysisFailed("the export history kept changing while it was recorded")

    def _install(self, made: Snapshot | Path, now: datetime) -> None:
        """Serve a snapshot (or the one in a folder). A folder is read, and the search
        index built, in small steps with no garbage collection over the new objects, now
        or later (``gc.freeze``): the threads answering Slack never wait long."""
        if isinstance(made, Path):
            gc.disable()
            try:
                snap = snapdir.read(made, pause=0.001)
                self.deps.snapshots.swap(snap, now)
            finally:
                gc.freeze()
                gc.enable()
            self._folder = made
            snapdir.remove_others(self.snapshots_dir, made)
            _give_back_memory()
        else:
            snap = made
            self.deps.snapshots.swap(snap, now)
        if self._alerted:
            self.deps.snapshots.failed(self._alerted)  # still serving the last good one
        report = snap.load.report
        log.info(
            "loaded export %s: %d deals, %d activities, %d flagged deals (%d rows rejected)",
            self.source_label,
            len(snap.pipeline.deals),
            snap.pipeline.activity_count,
            len(snap.cards),
            sum(f.rejected for f in report.files),
        )

    def review_feedback(self) -> list[Adjustment]:
        """Weigh "not accurate" marks against today's findings per team and pattern; adjust
        the thresholds where they pass the share, and re-analyse when any moved."""

        snap = self.deps.snapshots.current
        if snap is None:
            return []
        rules = self.config.rules
        pipeline = snap.pipeline
        counts = findings_per_team(
            (a.finding for a in snap.advice),
            lambda f: rules.team_of(pipeline.owner_index.get(f.deal.owner_id)),
        )
        made = review_feedback(
            self.deps.store,
            counts,
            lambda team, pattern: rules.params(pattern, team=team),
            self.deps.clock(),
        )
        if made:
            self.refresh(force=True)
        return made

    @property
    def snapshots_dir(self) -> Path:
        return self.settings.db_path.parent / "snapshots"

    @property
    def source_label(self) -> str:
        return self.source.location if self.source else ""

    def _reject(self, reason: str) -> None:
        self.deps.snapshots.failed(reason)
        log.error("export refresh failed, still serving the last good export: %s", reason)
        if reason == self._alerted or self.deps.stopping.is_set() or self._halt.is_set():
            return
        self._alerted = reason
        summary = (
            ":warning: The CRM export could not be loaded, so dealnudge keeps serving the last "
            "good one."
        )
        alert_admins(self.deps, self.config, summary, f"{summary}\n{blocks.escape(reason, 2500)}")


def build_runtime(
    settings: Settings, clock: Clock = utc_now, *, read_only: bool = False, offload: bool = False
) -> Runtime:
    """Everything ``serve`` and the jobs need. ``read_only`` (dry runs, checks): the state is
    read beside a running bot and nothing the run does is written to it. ``offload``
    (``serve``): analyse in a child process and serve from snapshot folders."""
    config = load_app_config(settings.config_path)
    store = open_state(settings, clock, read_only=read_only)
    client = make_client(settings)
    # Without a bot token (a dry run on a laptop) people resolve from config and cache only.
    people = PeopleDirectory(
        store, client if settings.slack_bot_token else None, config.people, clock
    )
    token = settings.slack_bot_token.value if settings.slack_bot_token else None
    deps = Deps(
        config, store, SnapshotHolder(), client, people, clock,
        metadata_key=sealed.key_from(token),
    )  # fmt: skip
    return Runtime(
        settings, config, deps, make_client(settings, retry_unsafe=False),
        open_source(settings), export_mapping(settings.mapping, config), offload=offload,
    )  # fmt: skip


def open_source(settings: Settings) -> Source | None:
    """The export source ``DEALNUDGE_SOURCE`` names: a CRM's API, or a file, folder or URL."""
    if not settings.source:
        return None
    cache = settings.export_cache
    if crm_scheme(settings.source):
        return CrmSource.open(
            settings.source, settings.crm.values, cache, deadline=settings.pull_deadline
        )
    return ExportSource(
        settings.source,
        auth_header=settings.source_auth_header,
        cache_dir=cache,
        deadline=settings.source_deadline,
    )


def _file_text(path: Path | None) -> str:
    """A settings file's text for a snapshot key ("" when there is none)."""
    try:
        return path.read_text(errors="replace") if path else ""
    except OSError:
        return ""


def _give_back_memory() -> None:
    """Return the memory the replaced snapshot freed to the system (glibc keeps freed heap
    pages otherwise, and the process would grow with each refresh); a no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
