"""The bot's state: intent-named methods (``Store``) over an embedded tinydb file (the
default, one process) or PostgreSQL (``DATABASE_URL``, any number of processes).

Also what reads it: deal history across exports, feedback (snoozes, tuning, question
ranking), people (CRM owners to Slack users) and access (who may see which deals). May
import ``rules``, the settings and the app config; nothing that analyses or sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.settings import Settings
from bot.state.backend import Backend, CorruptState, NewerSchema, StateInUse, StoreError
from bot.state.records import (
    Adjustment,
    DigestRecord,
    ExportRecord,
    FeedbackRecord,
    NudgeRecord,
    Person,
    Room,
    Snooze,
    Writeback,
)
from bot.state.store import SCHEMA_VERSION, Store
from bot.state.tiny import TinyBackend

__all__ = [
    "SCHEMA_VERSION",
    "Adjustment",
    "CorruptState",
    "DigestRecord",
    "ExportRecord",
    "FeedbackRecord",
    "NewerSchema",
    "NudgeRecord",
    "Person",
    "Room",
    "Snooze",
    "StateInUse",
    "Store",
    "StoreError",
    "Writeback",
    "open_state",
    "open_store",
    "postgres_backend",
]


def postgres_backend(url: str, *, schema: str, read_only: bool = False) -> Backend:
    """The PostgreSQL backend, loaded here on demand: psycopg and its pool (about 10 MB)
    only in a process that uses PostgreSQL."""
    from bot.state.postgres import PostgresBackend

    return PostgresBackend(url, read_only=read_only, schema=schema)


def open_store(
    db_path: Path,
    *,
    database_url: str = "",
    schema: str = "dealnudge",
    clock: Callable[[], datetime] | None = None,
    read_only: bool = False,
) -> Store:
    """The state in PostgreSQL when ``database_url`` is set, else in the tinydb file at
    ``db_path``. ``read_only``: beside a running bot; nothing this process does is kept."""
    if database_url:
        backend: Backend = postgres_backend(database_url, schema=schema, read_only=read_only)
    else:
        backend = TinyBackend(db_path, read_only=read_only)
    store = Store(backend, clock)
    try:
        store.start()
    except BaseException:
        store.close()
        raise
    return store


def open_state(
    settings: Settings, clock: Callable[[], datetime] | None = None, *, read_only: bool = False
) -> Store:
    """The state the settings name: PostgreSQL (DATABASE_URL) or the tinydb file."""
    return open_store(
        settings.db_path,
        database_url=settings.database_url.value if settings.database_url else "",
        schema=settings.pg_schema,
        clock=clock,
        read_only=read_only,
    )
