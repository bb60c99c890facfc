"""Wiring for long-running use: settings -> store, Slack client, snapshot, dependencies.

`dealnudge serve`, `nudge`, `digest` and `check --people` all start here, so they read the
same export, the same state and the same configuration the same way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.analysis import Snapshot, analyse
from bot.appconfig import AppConfig, export_mapping, load_app_config
from bot.crm.loader import LoadResult, load_export
from bot.crm.report import ExportError
from bot.crm.source import ExportSource, SourceError
from bot.people import PeopleDirectory
from bot.settings import Settings
from bot.slack import blocks, sealed
from bot.slack.context import Deps
from bot.snapshot import SnapshotHolder
from bot.state import Adjustment, Store, open_state

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
    themselves only after checking the message did not arrive (bot/delivery.py). Those
    sends wait out up to 20 rate limits in a row (several go out at once, so one can meet a
    full window more than 5 times; a 429 was not delivered, so waiting is always safe).
    """
    token = settings.slack_bot_token.value if settings.slack_bot_token else None
    base_url = settings.slack_api_url or WebClient.BASE_URL
    client = WebClient(token=token, timeout=10, base_url=base_url)
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


def build_snapshot(
    load: LoadResult, config: AppConfig, store: Store, as_of: date, source: str
) -> Snapshot:
    """Record the export, fold in history derived from earlier exports, apply feedback."""
    from bot.feedback import apply_overrides
    from bot.history import with_history

    store.record_export(as_of, source, load.pipeline)
    pipeline = with_history(load.pipeline, store.history_entries())
    rules = apply_overrides(config.rules, store)
    return analyse(LoadResult(pipeline, load.report), rules, as_of)


@dataclass
class Runtime:
    """One deployment's long-lived parts: the export source, the state and the Slack client."""

    settings: Settings
    config: AppConfig
    deps: Deps
    sender: WebClient  # scheduled sends: no blind retries (see make_client)
    source: ExportSource | None = None
    mapping: Path | None = None  # DEALNUDGE_MAPPING or [source] mapping
    _load: LoadResult | None = None  # the last good export read
    _served: LoadResult | None = None  # the export behind the current snapshot
    _alerted: str = ""
    ticked_early: bool = False  # a send tick came before the first export was in
    _refreshing: threading.Lock = field(default_factory=threading.Lock)

    def close(self) -> None:
        """Write what is pending and let another process open the state."""
        self.deps.store.close()

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
        current = self.deps.snapshots.current
        try:
            if self.source is None:
                raise SourceError(
                    "DEALNUDGE_SOURCE is not set: name the CRM export (a folder, file or URL)"
                )
            kept = None
            try:
                fetched = self.source.fetch()
            except SourceError as exc:
                kept = self.source.cached() if self._load is None else None
                if kept is None:
                    raise
                self._reject(f"{exc}. Serving {kept.detail} until it answers.")
                fetched = kept
            if fetched.changed or (self._load is None and not self._alerted):
                self._load = load_export(list(fetched.paths), mapping=self.mapping)
                if kept is None:  # read well: the copy a new process starts from
                    self.source.keep(fetched)
                    self._alerted = ""
        except ExportError as exc:
            self._reject(str(exc))
            if self._load is None:
                return False
        if self._load is None:
            return False
        same_day = current is not None and current.as_of == now.date()
        if not force and same_day and self._served is self._load:
            return False
        snap = build_snapshot(
            self._load, self.config, self.deps.store, now.date(), self.source_label
        )
        self.deps.snapshots.swap(snap, now)
        self._served = self._load
        if self._alerted:
            self.deps.snapshots.failed(self._alerted)  # still serving the last good one
        report = snap.load.report
        log.info(
            "loaded export %s: %d deals, %d activities, %d flagged deals (%d rows rejected)",
            self.source_label,
            len(snap.pipeline.deals),
            len(snap.pipeline.activities),
            len(snap.by_deal),
            sum(f.rejected for f in report.files),
        )
        return True

    def review_feedback(self) -> list[Adjustment]:
        """Weigh "not accurate" marks against today's findings per team and pattern; adjust
        the thresholds where they pass the share, and re-analyse when any moved."""
        from bot.feedback import findings_per_team, review_feedback

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
    def source_label(self) -> str:
        return self.source.location if self.source else ""

    def _reject(self, reason: str) -> None:
        self.deps.snapshots.failed(reason)
        log.error("export refresh failed, still serving the last good export: %s", reason)
        if reason == self._alerted or self.deps.stopping.is_set():
            return
        self._alerted = reason
        summary = (
            ":warning: The CRM export could not be loaded, so dealnudge keeps serving the last "
            "good one."
        )
        alert_admins(self.deps, self.config, summary, f"{summary}\n{blocks.escape(reason, 2500)}")


def alert_admins(deps: Deps, config: AppConfig, summary: str, text: str) -> None:
    """Tell the admins (their channel, else each admin by DM); never raises. ``summary``
    (the notification) is the app's own words; ``text`` is mrkdwn whose CRM and error text
    went through ``blocks.escape``, shown in a verbatim block."""
    targets: list[str] = [config.slack.admin_channel] if config.slack.admin_channel else []
    if not targets:
        for admin in config.slack.admins:
            if "@" in admin:
                user = deps.people.lookup_email(admin)
                if user:
                    targets.append(user)
            else:
                targets.append(admin)
    if not targets:
        log.warning("no admins configured ([slack] admins in dealnudge.toml) to tell: %s", text)
    for target in targets:
        try:
            deps.client.chat_postMessage(
                channel=target, text=summary, blocks=blocks.alert_blocks(text)
            )
        except SlackApiError as exc:
            log.warning("could not alert admin %s: %s", target, exc.response.get("error"))
        except Exception as exc:  # the network: an alert must never take the bot down
            log.warning("could not alert admin %s: %s", target, type(exc).__name__)


def build_runtime(
    settings: Settings, clock: Clock = utc_now, *, read_only: bool = False
) -> Runtime:
    """Everything ``serve`` and the jobs need. ``read_only`` (dry runs, checks): the state is
    read beside a running bot and nothing the run does is written to it."""
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
    source = None
    if settings.source:
        source = ExportSource(
            settings.source,
            auth_header=settings.source_auth_header,
            cache_dir=settings.db_path.parent / "export-cache",
            deadline=settings.source_deadline,
        )
    return Runtime(
        settings, config, deps, make_client(settings, retry_unsafe=False), source,
        export_mapping(settings.mapping, config),
    )  # fmt: skip
