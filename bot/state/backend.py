"""What a storage backend offers the store: tables of JSON documents in transactions, and
an append-only log per export source.

The store (``bot.state.store``) is written once against this; ``bot.state.tiny`` (one
JSON file, one process) and ``bot.state.postgres`` (any number of processes) implement it.
A table is a list of documents in insertion order; a *keyed* table has at most one
document per key (``KEYS``), which is what makes a send key exactly-once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

# Table -> fields every document must have (checked on open, import and migration).
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "meta": ("name",),
    "people": ("owner_id", "slack_user_id", "cached_at"),
    "snoozes": ("deal_id", "pattern", "until"),
    "nudges": ("key", "rep", "status"),
    "questions_shown": ("deal_id", "shown"),
    "feedback": ("deal_id", "pattern", "kind", "at"),
    "digests": ("key", "manager", "status"),
    "adjustments": ("team", "pattern", "param", "old", "new", "active"),
    "rooms": ("deal_id", "channel_id"),
    "writebacks": ("marker", "deal_id", "status"),
}
TABLES = tuple(REQUIRED)
# Keyed tables: the field whose value is unique in the table.
KEYS: Mapping[str, str] = {
    "meta": "name",
    "people": "owner_id",
    "nudges": "key",
    "questions_shown": "deal_id",
    "digests": "key",
    "rooms": "channel_id",
    "writebacks": "marker",
}
Doc = dict[str, Any]
Tables = dict[str, list[Doc]]


class StoreError(Exception):
    """The state cannot be used or written; the message says why and what to do."""


class CorruptState(StoreError):
    """The state is not readable as dealnudge state."""


class NewerSchema(StoreError):
    """Written by a newer dealnudge: never overwrite it with an older one."""


class StateInUse(StoreError):
    """Another process has the embedded state open for writing."""


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    doc: Doc


class Tx(Protocol):
    """One transaction: what it reads is consistent, what it writes lands whole or not."""

    def rows(self, table: str, **equal: Any) -> list[Row]:
        """Documents whose top-level fields equal ``equal``, oldest first."""

    def get(self, table: str, key: str) -> Row | None:
        """The document with ``key`` in a keyed table (locked until the end of a write)."""

    def insert(self, table: str, doc: Doc) -> None: ...

    def claim(self, table: str, doc: Doc) -> Row | None:
        """Insert ``doc`` into a keyed table unless its key is there: then return that
        document (locked until the end of a write) and insert nothing."""

    def update(self, table: str, row_id: int, fields: Mapping[str, Any]) -> None: ...

    def delete(self, table: str, row_ids: list[int]) -> None: ...


class Backend(Protocol):
    kind: str  # "tinydb" | "postgres"
    location: str  # a path, or a URL without its password
    read_only: bool  # a dry run beside a running bot: writes are never kept
    created: bool  # there was no state: it started empty
    restored: str  # why the state was restored from its copy ("" when it was not)

    def write(self, *tables: str) -> AbstractContextManager[Tx]:
        """A transaction writing ``tables`` (serialised per table across processes);
        durable when the block ends, rolled back if it raises."""

    def read(self) -> AbstractContextManager[Tx]: ...

    def generation(self, table: str) -> object:
        """Changes whenever ``table`` may have changed (a key for caches of reads)."""

    def dump(self) -> Tables:
        """Every table's documents (for export and migration)."""

    def replace(self, tables: Tables) -> None:
        """Every table replaced by ``tables`` in one durable step (import, migration)."""

    # --- the export log: one append-only sequence of JSON lines per source ---

    def log_sources(self) -> list[str]: ...

    def log_lines(self, source: str, after: int = 0) -> Iterator[tuple[int, Doc]]:
        """``(position, line)`` for each line after position ``after``, in order."""

    def log_append(self, source: str, line: Doc, after: int) -> int | None:
        """Append one line durably if the log still ends at position ``after`` (else None:
        another process appended first); returns the new line's position."""

    def log_rewrite(self, source: str, lines: list[Doc]) -> None:
        """Replace the source's log in one durable step (pruning)."""

    def close(self) -> None: ...


def validate(tables: Mapping[str, list[Doc]], where: str) -> None:
    """Every table known and every document complete, or ``CorruptState`` naming it."""
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise CorruptState(
            f"{where}: unknown tables {', '.join(unknown)} (a newer dealnudge may have "
            "written it: upgrade dealnudge, or restore a copy this version wrote)"
        )
    for name, docs in tables.items():
        for n, doc in enumerate(docs, 1):
            if not isinstance(doc, dict):
                raise CorruptState(f"{where}: table {name!r}, document {n} is not an object")
            missing = [f for f in REQUIRED[name] if f not in doc]
            if missing:
                raise CorruptState(
                    f"{where}: table {name!r}, document {n} lacks {', '.join(missing)}"
                )
