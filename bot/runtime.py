"""Wiring for long-running use: settings -> store, Slack client, snapshot, dependencies.

`dealnudge serve`, `nudge`, `digest` and `check --people` all start here, so they read the
same export, the same state and the same configuration the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.analysis import Snapshot, analyse
from bot.appconfig import AppConfig, load_app_config
from bot.crm.loader import LoadResult, load_export
from bot.people import PeopleDirectory
from bot.settings import Settings, SettingsError
from bot.slack.context import Deps
from bot.snapshot import SnapshotHolder
from bot.store import Store

log = logging.getLogger("dealnudge")
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def make_client(settings: Settings) -> WebClient:
    """A Web API client that honours Retry-After on 429 and retries 5xx and resets."""
    token = settings.slack_bot_token.value if settings.slack_bot_token else None
    base_url = settings.slack_api_url or WebClient.BASE_URL
    client = WebClient(token=token, timeout=10, base_url=base_url)
    client.retry_handlers.extend(
        [
            RateLimitErrorRetryHandler(max_retry_count=3),
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
    settings: Settings
    config: AppConfig
    deps: Deps

    def load_source(self) -> LoadResult:
        source = self.settings.source
        if not source:
            raise SettingsError("DEALNUDGE_SOURCE must name the CRM export (a folder, file or URL)")
        return load_export([Path(source)])

    def refresh(self) -> Snapshot:
        """Read the export and swap in a new snapshot; on failure keep the last good one."""
        now = self.deps.clock()
        load = self.load_source()
        snap = build_snapshot(
            load, self.config, self.deps.store, now.date(), self.settings.source or ""
        )
        self.deps.snapshots.swap(snap, now)
        log.info(
            "loaded export: %d deals, %d activities, %d flagged deals",
            len(snap.pipeline.deals),
            len(snap.pipeline.activities),
            len(snap.by_deal),
        )
        return snap


def build_runtime(settings: Settings, clock: Clock = utc_now) -> Runtime:
    config = load_app_config(settings.config_path)
    store = Store.open(settings.db_path)
    client = make_client(settings)
    people = PeopleDirectory(store, client, config.people, clock)
    deps = Deps(config, store, SnapshotHolder(), client, people, clock)
    return Runtime(settings, config, deps)
