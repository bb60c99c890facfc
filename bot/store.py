"""The bot's state: the one module that touches tinydb.

Every method is named by intent and returns frozen dataclasses, never tinydb Documents.

Safety:
- the whole database lives in memory (``AtomicJSONStorage``). A write appends the
  documents it changed to ``<file>.journal`` (one JSON line, fsynced), so its cost does not
  grow with the state; past ``JOURNAL_COMPACT_BYTES`` the journal is folded into the state
  file in the background. The state file is written atomically: a temp file in the same
  directory, flush + fsync, the previous file hard-linked to ``<file>.bak``, ``os.replace``,
  fsync of the directory. A crash leaves the old or the new file, never a mix, and at most
  a torn last journal line, which was never acknowledged and is skipped;
- one ``threading.RLock`` guards every access (Bolt listeners and scheduler jobs run on
  threads), and one process at a time writes a state (an exclusive ``flock`` on
  ``<file>.lock``); ``Store.open(path, read_only=True)`` reads it alongside (dry runs,
  ``state export``), keeping its own writes in memory;
- a public write method returns only after its data is on disk, unless it runs inside
  ``store.batch()``, which groups many writes into one flush (and rolls back the in-memory
  state if the batch raises);
- a corrupt or truncated file is detected at open: the damaged file is kept aside, the
  last good copy (``<file>.bak``) restored and a warning logged;
- the file carries a schema version; ``MIGRATIONS[n]`` upgrades version n to n + 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal, Self, cast

from tinydb import TinyDB, where
from tinydb.storages import Storage
from tinydb.table import Document, Table

from bot.history import (
    DealChange,
    DealState,
    ExportDiff,
    diff_states,
    history_from_changes,
    snapshot_state,
)
from rules.model import HistoryEntry, Pipeline

log = logging.getLogger(__name__)

FORMAT = "dealnudge-state"
SCHEMA_VERSION = 2
Clock = Callable[[], datetime]
Tables = dict[str, dict[int, dict[str, Any]]]

# Table -> fields every document must have (checked at open and on import).
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "people": ("owner_id", "slack_user_id", "cached_at"),
    "snoozes": ("deal_id", "pattern", "until"),
    "nudges": ("key", "rep", "status"),
    "questions_shown": ("deal_id", "question_id", "shown_at"),
    "feedback": ("deal_id", "pattern", "kind", "at"),
    "exports": ("as_of", "source"),
    "export_state": ("as_of", "deals"),
    "deal_changes": ("deal_id", "as_of", "kind"),
    "digests": ("key", "manager", "status"),
    "adjustments": ("team", "pattern", "param", "old", "new", "active"),
    "rooms": ("deal_id", "channel_id"),
}
TABLES = tuple(REQUIRED)
_UNWOKEN = where("woke").test(lambda v: not v)
_ACTIVE = where("active").test(bool)
FEEDBACK_KINDS = frozenset({"asked", "another", "not_accurate", "snoozed"})
NudgeStatus = Literal["pending", "sent", "failed"]
LAZY_FLUSH_SECONDS = 2.0
JOURNAL_COMPACT_BYTES = 8 << 20  # fold the journal into the state file past this size


class StoreError(Exception):
    """The state file cannot be used; the message says why and what to do."""


class CorruptState(StoreError):
    """The file is not a readable dealnudge state file."""


class NewerSchema(StoreError):
    """The file was written by a newer dealnudge: never overwrite it with an older one."""


class StateInUse(StoreError):
    """Another process has the state open for writing (two writers would lose updates)."""


# --- records -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    owner_id: str
    slack_user_id: str  # "" when the owner has no Slack account (remembered as such)
    tz: str
    source: str
    cached_at: datetime


@dataclass(frozen=True, slots=True)
class Snooze:
    deal_id: str
    pattern: str  # a pattern code or "*" for every pattern
    until: date  # quiet before this date; wakes on it
    reason: str
    who: str
    created: datetime
    woke: datetime | None = None


@dataclass(frozen=True, slots=True)
class NudgeRecord:
    key: str
    rep: str
    # Parallel tuples: item i is (deal_ids[i], patterns[i], question_ids[i]).
    deal_ids: tuple[str, ...]
    patterns: tuple[str, ...]
    question_ids: tuple[str, ...]
    status: NudgeStatus
    attempts: int
    ts: str = ""
    channel: str = ""
    error: str = ""
    created: datetime | None = None
    sent_at: datetime | None = None

    def items(self) -> list[tuple[str, str]]:
        """The (deal, pattern) pairs it carried. A migrated v0 record whose lists differ in
        length carries every pattern for every deal."""
        if len(self.deal_ids) == len(self.patterns):
            return list(zip(self.deal_ids, self.patterns, strict=True))
        return [(d, p) for d in self.deal_ids for p in self.patterns]


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    deal_id: str
    pattern: str
    question_id: str
    team: str
    kind: str  # asked | another | not_accurate | snoozed
    reason: str
    who: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ExportRecord:
    as_of: date
    source: str
    recorded_at: datetime
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DigestRecord:
    key: str
    manager: str
    period: str
    status: NudgeStatus
    attempts: int
    ts: str = ""
    error: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)  # per pattern, for the trend
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    team: str  # "" means everyone
    pattern: str
    param: str
    old: float
    new: float
    reason: str
    at: datetime
    active: bool = True
    reset_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Room:
    deal_id: str
    channel_id: str
    who: str
    linked_at: datetime


# --- storage -------------------------------------------------------------------------


class _Docs(dict[int, dict[str, Any]]):
    """A table's documents, remembering which ids a tinydb write reached.

    tinydb's write paths go through ``[]``, ``[]=``, ``pop`` and ``clear``; an id read with
    ``[]`` during a write may be updated in place, so it counts as changed too.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.changed: set[int] = set()  # not re-encoded since (AtomicJSONStorage cache)
        self.unjournaled: set[int] = set()  # not on disk since (journal or state file)
        self.tracking = False
        self.mutations = 0  # inserts and removals (see Store.generation)
        # field -> value -> doc ids, built on first lookup. Only for fields that never change
        # after insert (``key``, ``deal_id``), so in-place updates cannot make it stale.
        self._indexes: dict[str, dict[Any, set[int]]] = {}

    def lookup(self, name: str, value: Any) -> list[int]:
        """Ids of the documents whose field ``name`` equals ``value``, oldest first."""
        index = self._indexes.get(name)
        if index is None:
            index = {}
            for doc_id, doc in self.items():
                index.setdefault(doc.get(name), set()).add(doc_id)
            self._indexes[name] = index
        return sorted(index.get(value, ()))

    def _unindex(self, key: int) -> None:
        doc = super().get(key)
        if doc is not None:
            for name, index in self._indexes.items():
                index.get(doc.get(name), set()).discard(key)

    def _touch(self, key: int) -> None:
        self.changed.add(key)
        self.unjournaled.add(key)

    def __getitem__(self, key: int) -> dict[str, Any]:
        if self.tracking:
            self._touch(key)
        return super().__getitem__(key)

    def __setitem__(self, key: int, value: dict[str, Any]) -> None:
        self._touch(key)
        self.mutations += 1
        self._unindex(key)
        super().__setitem__(key, value)
        for name, index in self._indexes.items():
            index.setdefault(value.get(name), set()).add(key)

    def __delitem__(self, key: int) -> None:
        self._touch(key)
        self.mutations += 1
        self._unindex(key)
        super().__delitem__(key)

    def pop(self, key: int, *default: Any) -> Any:
        self._touch(key)
        self.mutations += 1
        self._unindex(key)
        return super().pop(key, *default)

    def clear(self) -> None:
        self.changed.update(self.keys())
        self.unjournaled.update(self.keys())
        self.mutations += 1
        self._indexes.clear()
        super().clear()


class _InMemoryTable(Table):
    """A tinydb Table that updates the storage's dict in place.

    Stock ``Table._update_table`` copies the whole table on every write (twice), which makes
    N inserts O(N²) even in memory; with ``AtomicJSONStorage`` the dict *is* the database.
    """

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        storage = cast(AtomicJSONStorage, self._storage)
        table = storage.docs(self.name)
        table.tracking = True
        try:
            updater(table)
        finally:
            table.tracking = False
            storage.dirty = True
            self.clear_cache()


class _DB(TinyDB):
    table_class = _InMemoryTable


class AtomicJSONStorage(Storage):
    """tinydb storage holding the database in memory: ``take`` gives the whole state file,
    ``journal_line`` the documents changed since the last write.

    Each document's JSON is cached and re-encoded only when a write reached it, so a state
    file costs the changed documents plus joining the cached text, not encoding everything.
    """

    def __init__(self, path: Path, data: Tables, seq: int = 0) -> None:
        self.path = path
        self.data: dict[str, _Docs] = {}
        self.dirty = False
        self.full = False  # the next write must be the whole state file (after ``replace``)
        self.seq = seq  # the last journal entry the in-memory state includes
        self._encoded: dict[str, dict[int, str]] = {}
        self.replace(data, dirty=False)

    def read(self) -> dict[str, dict[str, Any]]:
        return cast(dict[str, dict[str, Any]], self.data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Only tinydb's default-table bookkeeping calls this; tables update in place."""
        self.replace(cast(Tables, data), dirty=True)

    def docs(self, table: str) -> _Docs:
        if table not in self.data:
            self.data[table] = _Docs()
        return self.data[table]

    def replace(self, data: Mapping[str, Mapping[int, dict[str, Any]]], *, dirty: bool) -> None:
        self.data = {name: _Docs(docs) for name, docs in data.items()}
        self._encoded.clear()
        self.dirty = self.full = dirty

    def take(self) -> list[bytes]:
        """The state file as the state is now (pieces to write in order), marking it clean."""
        parts = self.encode_parts()
        for docs in self.data.values():
            docs.unjournaled.clear()
        self.dirty = self.full = False
        return parts

    def journal_line(self) -> list[bytes] | None:
        """The next journal entry, in pieces: every document changed since the last write
        (``null`` for a removed one), or ``None`` when nothing changed. ``journaled``
        commits it. Documents are encoded through the same cache as the state file, so a
        compaction after it re-encodes nothing, and no whole-line copy is ever made."""
        tables: list[bytes] = []
        for name, docs in self.data.items():
            if not docs.unjournaled:
                continue
            cache = self._encoded.setdefault(name, {})
            items = []
            for doc_id in sorted(docs.unjournaled):
                doc = docs.get(doc_id)
                if doc is None:
                    cache.pop(doc_id, None)
                    text = "null"
                else:
                    text = cache[doc_id] = _dumps(doc)
                docs.changed.discard(doc_id)  # the cache holds it as it is now
                items.append(f'"{doc_id}":{text}')
            tables.append(f"{_dumps(name)}:{{{','.join(items)}}}".encode())
        if not tables:
            return None
        pieces = [f'{{"seq":{self.seq + 1},"tables":{{'.encode()]
        for i, table in enumerate(tables):
            pieces += [b",", table] if i else [table]
        return [*pieces, b"}}\n"]

    def journaled(self) -> None:
        for docs in self.data.values():
            docs.unjournaled.clear()
        self.seq += 1
        self.dirty = False

    def encode_parts(self) -> list[bytes]:
        for name in set(self._encoded) - set(self.data):
            del self._encoded[name]
        parts = []
        for name, docs in self.data.items():
            cache = self._encoded.setdefault(name, {})
            changed, docs.changed = docs.changed, set()
            for doc_id in changed:
                cache.pop(doc_id, None)
            items = []
            for doc_id, doc in docs.items():
                text = cache.get(doc_id)
                if text is None:
                    text = cache[doc_id] = _dumps(doc)
                items.append(f'"{doc_id}":{text}')
            parts.append(f"{_dumps(name)}:{{{','.join(items)}}}".encode())
        head = _dumps(
            {"format": FORMAT, "schema_version": SCHEMA_VERSION, "journal_seq": self.seq}
        )[:-1]
        pieces = [f'{head},"tables":{{'.encode()]
        for i, part in enumerate(parts):
            pieces += [b",", part] if i else [part]
        return [*pieces, b"}}"]

    def close(self) -> None:
        """Nothing to release: the Store flushes before closing."""


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def write_atomic(path: Path, payload: bytes | list[bytes], *, backup: bool = False) -> None:
    """Replace ``path`` with ``payload`` (bytes, or pieces written in order) so that a crash
    leaves the old or the new file.

    With ``backup`` the file being replaced becomes ``<file>.bak`` (a hard link, so the
    rotation copies nothing).
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(payload, bytes):
                f.write(payload)
            else:
                f.writelines(payload)
            f.flush()
            os.fsync(f.fileno())
        if backup and path.exists():
            _rotate_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _rotate_backup(path: Path) -> None:
    staging = path.with_name(f".{path.name}.bak.tmp")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        os.link(path, staging)
    except OSError:  # no hard links on this file system: copy instead
        shutil.copyfile(path, staging)
        with open(staging, "rb") as f:
            os.fsync(f.fileno())
    os.replace(staging, backup_path(path))


def _take_process_lock(path: Path) -> int:
    """An exclusive ``flock`` on ``<file>.lock`` (holding our pid), or ``StateInUse``.
    (Where there is no ``flock``, as on Windows, the file is created but not locked.)"""
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:
        pass
    except OSError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise StateInUse(
            f"{path} is open for writing in another dealnudge process (pid {holder}), e.g. "
            f"`dealnudge serve`, whose scheduler already sends nudges and digests; stop it "
            f"first, or use --dry-run / `state export`, which only read"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def append_durably(path: Path, data: list[bytes]) -> int:
    """Append ``data`` (pieces, in order) to ``path`` and fsync it (the directory too when
    the file is new); returns the file's new size. On failure the file is cut back to where
    it was, so a half-written line never precedes the next one."""
    new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        start = os.lseek(fd, 0, os.SEEK_END)
        try:
            for piece in data:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, start)
            raise
    finally:
        os.close(fd)
    if new:
        _fsync_dir(path.parent)
    return start + sum(len(piece) for piece in data)


def _cut_torn_tail(journal: Path) -> None:
    """A journal whose last line was cut short by a crash loses that line (never
    acknowledged), so the next entry starts on a line of its own."""
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        return
    if raw and not raw.endswith(b"\n"):
        with open(journal, "r+b") as f:
            f.truncate(raw.rfind(b"\n") + 1)
            f.flush()
            os.fsync(f.fileno())


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows: directories cannot be opened
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# One encoder for every document (json.dumps with options builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def encode(tables: Mapping[str, Mapping[int, Mapping[str, Any]]]) -> bytes:
    return _dumps({"format": FORMAT, "schema_version": SCHEMA_VERSION, "tables": tables}).encode()


def decode(raw: bytes) -> tuple[Tables, int, int]:
    """The tables at the current schema version, the version the file had and the last
    journal entry it includes."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CorruptState(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        what = "empty" if not raw.strip() else f"not valid JSON ({exc.msg} at line {exc.lineno})"
        raise CorruptState(what + ("; the file looks truncated" if raw.strip() else "")) from None
    if not isinstance(doc, dict):
        raise CorruptState("the top level is not a JSON object")
    if "format" in doc:
        if doc["format"] != FORMAT:
            raise CorruptState(f"format is {doc['format']!r}, expected {FORMAT!r}")
        version = doc.get("schema_version")
        raw_tables = doc.get("tables")
    else:  # version 0: the prototype's plain TinyDB file
        version, raw_tables = 0, doc
    if not isinstance(version, int) or version < 0:
        raise CorruptState(f"schema_version {version!r} is not a version number")
    seq = doc.get("journal_seq", 0) if isinstance(doc, dict) else 0
    if not isinstance(seq, int) or seq < 0:
        raise CorruptState(f"journal_seq {seq!r} is not a sequence number")
    if version > SCHEMA_VERSION:
        raise NewerSchema(
            f"schema version {version} was written by a newer dealnudge (this one reads up to "
            f"{SCHEMA_VERSION}); upgrade dealnudge"
        )
    tables = _int_keys(raw_tables)
    for v in range(version, SCHEMA_VERSION):
        tables = MIGRATIONS[v](tables)
    _validate(tables)
    return tables, version, seq


def replay_journal(path: Path, tables: Tables, seq: int) -> tuple[int, int]:
    """Apply the journal entries newer than ``seq`` to ``tables`` (in place); returns the
    last entry applied and the journal's size. A line that does not parse (a write cut
    short by a crash, never acknowledged) is skipped with a warning."""
    journal = journal_path(path)
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        return seq, 0
    last = seq
    for n, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            entry_seq, changes = int(entry["seq"]), dict(entry["tables"])
            updates = [(str(t), int(k), d) for t, docs in changes.items() for k, d in docs.items()]
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("%s:%d: skipped a damaged line (a write cut short)", journal, n)
            continue
        if entry_seq <= seq:
            continue  # already in the state file
        for name, doc_id, doc in updates:
            if doc is None:
                tables.setdefault(name, {}).pop(doc_id, None)
            elif isinstance(doc, dict):
                tables.setdefault(name, {})[doc_id] = doc
            else:
                raise CorruptState(f"{journal}:{n}: document {doc_id} is not an object")
        last = max(last, entry_seq)
    _validate(tables)
    return last, len(raw)


def _entry_seq(line: bytes) -> int:
    try:
        return int(json.loads(line)["seq"])
    except (ValueError, KeyError, TypeError):
        return 0


def _int_keys(raw: Any) -> Tables:
    if not isinstance(raw, dict):
        raise CorruptState("tables is not a JSON object")
    out: Tables = {}
    for name, docs in raw.items():
        if not isinstance(docs, dict):
            raise CorruptState(f"table {name!r} is not a JSON object")
        table: dict[int, dict[str, Any]] = {}
        for key, doc in docs.items():
            try:
                doc_id = int(key)
            except ValueError:
                raise CorruptState(f"table {name!r}: document id {key!r} is not a number") from None
            if not isinstance(doc, dict):
                raise CorruptState(f"table {name!r}: document {key} is not an object")
            table[doc_id] = doc
        out[str(name)] = table
    return out


def _validate(tables: Tables) -> None:
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise CorruptState(f"unknown tables {', '.join(unknown)} (expected {', '.join(TABLES)})")
    for name, docs in tables.items():
        for doc_id, doc in docs.items():
            missing = [f for f in REQUIRED[name] if f not in doc]
            if missing:
                raise CorruptState(f"table {name!r}: document {doc_id} lacks {', '.join(missing)}")


def _migrate_0_to_1(tables: Tables) -> Tables:
    """v0 (plain TinyDB): people had ``slack_id``, snoozes had no pattern, nudges were
    ``sent`` rows with no status."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC).isoformat()  # forces a fresh Slack lookup
    out: Tables = {name: docs for name, docs in tables.items() if name not in ("sent", "_default")}
    people = out.get("people", {})
    for doc in people.values():
        if "slack_user_id" not in doc:
            doc["slack_user_id"] = doc.pop("slack_id", "")
        doc.setdefault("tz", "")
        doc.setdefault("source", "email")
        doc.setdefault("cached_at", epoch)
    for doc in out.get("snoozes", {}).values():
        doc["pattern"] = doc.get("pattern") or "*"
        doc.setdefault("reason", "")
        doc.setdefault("who", "")
        doc.setdefault("created", epoch)
        doc.setdefault("woke", None)
    nudges = out.setdefault("nudges", {})
    for doc_id, doc in tables.get("sent", {}).items():
        deal_ids = list(doc.get("deal_ids", []))
        nudges[doc_id] = {
            "key": doc.get("key", f"v0-{doc_id}"),
            "rep": doc.get("rep", ""),
            "deal_ids": deal_ids,
            "patterns": list(doc.get("patterns", [""] * len(deal_ids))),
            "question_ids": list(doc.get("question_ids", [""] * len(deal_ids))),
            "status": "sent",
            "attempts": 1,
            "ts": doc.get("ts", ""),
            "channel": doc.get("channel", ""),
            "error": "",
            "created": doc.get("at", epoch),
            "sent_at": doc.get("at", epoch),
        }
    return out


def _migrate_1_to_2(tables: Tables) -> Tables:
    """v2 keeps the tables as they are; it adds the journal next to the file, which a v1
    dealnudge would not read (so it must refuse the file rather than miss recent writes)."""
    return tables


# MIGRATIONS[n] turns a version-n table set into version n + 1.
MIGRATIONS: Sequence[Callable[[Tables], Tables]] = (_migrate_0_to_1, _migrate_1_to_2)
assert len(MIGRATIONS) == SCHEMA_VERSION


@dataclass(frozen=True)
class Opened:
    tables: Tables
    version: int
    restored: str | None  # why the backup was restored, or None
    seq: int = 0  # the last journal entry applied
    journal_bytes: int = 0


def load_state_file(path: Path, *, repair: bool = True) -> Opened:
    """Read the state file and replay its journal. ``repair``: restore ``<file>.bak`` when
    the file is damaged or missing (the writer does); without it (a reader beside a running
    writer) a damaged file is an error and the read is retried if a compaction replaced
    the file meanwhile."""
    for _ in range(20):
        before = _identity(path)
        tables, version, restored, seq = _load_snapshot(path, repair=repair)
        last, size = replay_journal(path, tables, seq)
        if repair or _identity(path) == before:
            return Opened(tables, version, restored, last, size)
    raise StateInUse(f"{path} kept changing while it was read; try again")


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _load_snapshot(path: Path, *, repair: bool) -> tuple[Tables, int, str | None, int]:
    bak = backup_path(path)
    if not path.exists():
        if not bak.exists():
            return {}, SCHEMA_VERSION, None, 0
        problem = "is missing"
    else:
        try:
            tables, version, seq = decode(path.read_bytes())
            return tables, version, None, seq
        except NewerSchema as exc:
            raise NewerSchema(f"{path}: {exc}") from None
        except CorruptState as exc:
            problem = f"is damaged: {exc}"
    if not repair:
        raise CorruptState(f"{path} {problem}; open it for writing once to restore {bak.name}")
    if not bak.exists():
        raise CorruptState(
            f"{path} {problem}, and there is no backup ({bak.name}); move it aside to start "
            f"empty, or restore an export with `dealnudge state import FILE`"
        )
    try:
        good = bak.read_bytes()
        tables, version, seq = decode(good)
    except StoreError as exc:
        raise CorruptState(
            f"{path} {problem}, and the backup {bak.name} is unusable too ({exc}); restore an "
            f"export with `dealnudge state import FILE`"
        ) from None
    kept = ""
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        damaged = path.with_name(f"{path.name}.damaged-{stamp}")
        os.replace(path, damaged)
        kept = f"; the damaged file is kept as {damaged.name}"
    write_atomic(path, good)
    message = f"{path} {problem}; restored the last good copy from {bak.name}{kept}"
    log.warning("%s", message)
    return tables, version, message, seq


# --- the store -----------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Thread-safe, crash-safe bot state. Open with ``Store.open(path)``."""

    def __init__(
        self, path: Path, opened: Opened, clock: Clock, process_lock: int | None = None
    ) -> None:
        self.path = path
        self.clock = clock
        # The flock'd <file>.lock of the writing process; None: read-only (writes stay here).
        self._process_lock = process_lock
        self.read_only = process_lock is None
        self.recovered = opened.restored  # the warning logged when .bak was restored
        self.migrated_from = opened.version if opened.version != SCHEMA_VERSION else None
        self._lock = threading.RLock()
        # Lock order: _lock, then _snapshot_lock (held while the state file is written and
        # its journal trimmed), then _journal_lock (held while the journal is written). A
        # background compaction holds _snapshot_lock without _lock, so lookups never wait
        # for it to write the whole file.
        self._snapshot_lock = threading.Lock()
        self._journal_lock = threading.Lock()
        self._journal = journal_path(path)
        self._journal_bytes = opened.journal_bytes
        self._compacting = False
        self._flush_timer: threading.Timer | None = None
        self._generation = 0
        self._depth = 0
        self._closed = False
        self._storage = AtomicJSONStorage(path, opened.tables, opened.seq)
        # TinyDB calls ``storage(*args)``: hand it this instance so the Store can flush it.
        self._db = _DB(storage=lambda: self._storage)

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None, read_only: bool = False) -> Store:
        """The state at ``path``, for writing (one process at a time: ``StateInUse`` names
        the one holding it) or ``read_only`` (beside a writer; nothing is ever written)."""
        path = Path(path)
        if read_only:
            return cls(path, load_state_file(path, repair=False), clock or _utc_now)
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = _take_process_lock(path)
        try:
            for stale in path.parent.glob(f".{path.name}.*.tmp"):  # cut short by a crash
                with contextlib.suppress(OSError):
                    stale.unlink()
            _cut_torn_tail(journal_path(path))
            store = cls(path, load_state_file(path), clock or _utc_now, lock)
        except BaseException:
            os.close(lock)
            raise
        if store.migrated_from is not None:
            log.info(
                "%s: migrated state from schema %d to %d (old copy in %s)",
                path,
                store.migrated_from,
                SCHEMA_VERSION,
                backup_path(path).name,
            )
            with store.batch():
                store._storage.replace(store._storage.data, dirty=True)
        return store

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION

    def close(self) -> None:
        with self._lock:
            if self._flush_timer is not None:
                self._flush_timer.cancel()
                self._flush_timer = None
            if not self._closed:
                try:
                    self._flush_now()
                    if self._journal_bytes and not self.read_only:  # one self-contained file
                        with self._snapshot_lock:
                            self._write_snapshot()
                finally:
                    self._closed = True
                    self._release_process_lock()

    def _release_process_lock(self) -> None:
        """Let another process open the state for writing (as the process's exit would)."""
        if self._process_lock is not None:
            os.close(self._process_lock)
            self._process_lock = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ---

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes into one flush; if the block raises, none of them are kept."""
        with self._lock:
            self._check_open()
            self._depth += 1
            ok = False
            try:
                yield
                ok = True
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._finish(ok)

    def generation(self, *tables: str) -> tuple[int, ...]:
        """Changes whenever one of ``tables`` may have changed: a key for caches of reads."""
        with self._lock:
            return (self._generation, *(self._storage.docs(t).mutations for t in tables))

    def _finish(self, ok: bool) -> None:
        if not self._storage.dirty:
            return
        if ok:
            try:
                self._flush_now()
                return
            except BaseException:
                self._rollback()
                raise
        self._rollback()

    def _rollback(self) -> None:
        """Back to what is on disk: the in-memory state never runs ahead of the file."""
        with self._snapshot_lock:  # not halfway through a compaction
            opened = load_state_file(self.path, repair=not self.read_only)
        self._install(opened.tables)
        self._storage.seq, self._journal_bytes = opened.seq, opened.journal_bytes

    def _install(self, tables: Tables, *, dirty: bool = False) -> None:
        self._generation += 1
        self._storage.replace(tables, dirty=dirty)
        self._db._tables.clear()  # tinydb caches tables (next id, query cache)

    # --- the files ---

    def _flush_now(self) -> None:
        """Put what changed on disk before returning (call under ``_lock``): one journal
        line, or the whole state file after ``replace`` (an import, a migration)."""
        storage = self._storage
        if not storage.dirty or self.read_only:
            return
        if storage.full:
            with self._snapshot_lock:
                self._write_snapshot()
            return
        line = storage.journal_line()
        if line is None:
            storage.dirty = False
            return
        self._append(line)
        storage.journaled()
        if self._journal_bytes >= JOURNAL_COMPACT_BYTES and not self._compacting:
            self._compacting = True
            threading.Thread(target=self._compact, name="store-compact", daemon=True).start()

    def _append(self, line: list[bytes]) -> None:
        with self._journal_lock:
            self._journal_bytes = append_durably(self._journal, line)

    def _write_snapshot(self) -> None:
        """The whole state file, then the journal trimmed to what it lacks (call under
        ``_lock`` and ``_snapshot_lock``)."""
        storage = self._storage
        payload = storage.take()
        try:
            write_atomic(self.path, payload, backup=True)
        except BaseException:
            storage.dirty = storage.full = True
            raise
        self._trim_journal(storage.seq)

    def _compact(self) -> None:
        """Fold the journal into the state file, in the background: the content is taken
        under ``_lock``, the file written without it. One compaction at a time, and it never
        waits for the file while holding ``_lock`` (lookups would wait with it)."""
        try:
            with self._lock:
                if self._closed or not self._snapshot_lock.acquire(blocking=False):
                    return  # closed, or the file is being written: the next write retries
                payload = self._storage.take()
                seq = self._storage.seq
            try:
                write_atomic(self.path, payload, backup=True)
                self._trim_journal(seq)
            except OSError as exc:
                log.warning("%s: could not fold the journal into the file yet (%s)",
                            self.path, exc)  # fmt: skip
                with self._lock:
                    self._storage.dirty = self._storage.full = True  # the next write retries
            finally:
                self._snapshot_lock.release()
        finally:
            self._compacting = False

    def _trim_journal(self, seq: int) -> None:
        """Drop the journal entries the state file now holds (up to ``seq``)."""
        with self._journal_lock:
            try:
                raw = self._journal.read_bytes()
            except FileNotFoundError:
                self._journal_bytes = 0
                return
            keep = [ln for ln in raw.splitlines(keepends=True) if _entry_seq(ln) > seq]
            if keep:
                write_atomic(self._journal, keep)
            else:
                self._journal.unlink()
                _fsync_dir(self.path.parent)
            self._journal_bytes = sum(len(ln) for ln in keep)

    def _t(self, name: str) -> Any:
        return self._db.table(name, cache_size=0)

    def _by(self, name: str, field: str, value: Any) -> list[Document]:
        """Documents of table ``name`` with ``field == value`` through the field index (for
        fields fixed at insert: ``key``, ``deal_id``, a nudge's ``rep``), oldest first. Call
        under the lock."""
        docs = self._storage.docs(name)
        return [Document(docs[i], i) for i in docs.lookup(field, value)]

    def _sent(self, name: str, key: str) -> bool:
        with self._lock:
            doc = self._one(name, key)
            return bool(doc and doc["status"] == "sent")

    def _one(self, name: str, key: str) -> Document | None:
        found = self._by(name, "key", key)
        return found[-1] if found else None

    def _now(self) -> str:
        return self.clock().isoformat()

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {name: len(self._storage.data.get(name, {})) for name in TABLES}

    # --- people ---

    def link_person(
        self, owner_id: str, slack_user_id: str, tz: str = "", source: str = "email"
    ) -> Person:
        doc = self._person_doc(owner_id, slack_user_id, tz, source)
        with self.batch():
            self._replace_person(doc)
        return _person(doc)

    def cache_person(
        self, owner_id: str, slack_user_id: str, tz: str = "", source: str = "email"
    ) -> None:
        """``link_person`` for a lookup result: written behind (a lost entry is looked up
        again), so matching a thousand reps does not fsync a thousand times."""
        with self._written_behind():
            self._replace_person(self._person_doc(owner_id, slack_user_id, tz, source))

    def _person_doc(
        self, owner_id: str, slack_user_id: str, tz: str, source: str
    ) -> dict[str, Any]:
        return {
            "owner_id": owner_id,
            "slack_user_id": slack_user_id,
            "tz": tz,
            "source": source,
            "cached_at": self._now(),
        }

    def _replace_person(self, doc: dict[str, Any]) -> None:
        """One document per owner, replaced whole (the indexed fields never change in place)."""
        table = self._t("people")
        old = [d.doc_id for d in self._by("people", "owner_id", doc["owner_id"])]
        if old:
            table.remove(doc_ids=old)
        table.insert(doc)

    def person(self, owner_id: str) -> Person | None:
        with self._lock:
            found = self._by("people", "owner_id", owner_id)
            return _person(found[-1]) if found else None

    def person_by_slack_id(self, slack_user_id: str) -> Person | None:
        with self._lock:
            found = self._by("people", "slack_user_id", slack_user_id)
            return _person(found[-1]) if found else None

    def people(self) -> list[Person]:
        with self._lock:
            return sorted((_person(d) for d in self._t("people").all()), key=lambda p: p.owner_id)

    def unlink_person(self, owner_id: str) -> bool:
        with self.batch():
            return bool(self._t("people").remove(where("owner_id") == owner_id))

    # --- snoozes ---

    def snooze(self, deal_id: str, pattern: str, until: date, reason: str, who: str) -> Snooze:
        """Quiet a deal's pattern ("*": all) until ``until``; replaces an open snooze of it."""
        pattern = pattern or "*"
        doc = {
            "deal_id": deal_id,
            "pattern": pattern,
            "until": until.isoformat(),
            "reason": reason,
            "who": who,
            "created": self._now(),
            "woke": None,
        }
        same = (where("deal_id") == deal_id) & (where("pattern") == pattern) & _UNWOKEN
        with self.batch():
            self._t("snoozes").remove(same)
            self._t("snoozes").insert(doc)
        return _snooze(doc)

    def unsnooze(self, deal_id: str, pattern: str = "*") -> bool:
        with self.batch():
            return bool(
                self._t("snoozes").remove(
                    (where("deal_id") == deal_id) & (where("pattern") == pattern) & _UNWOKEN
                )
            )

    def active_snoozes(self, today: date, deal_id: str | None = None) -> list[Snooze]:
        """Snoozes still holding on ``today`` (they hold before their date), soonest first."""
        day = today.isoformat()
        with self._lock:
            docs = [
                d
                for d in self._t("snoozes").all()
                if d["until"] > day
                and not d.get("woke")
                and (deal_id is None or d["deal_id"] == deal_id)
            ]
        return sorted((_snooze(d) for d in docs), key=lambda s: (s.until, s.deal_id, s.pattern))

    def is_snoozed(self, deal_id: str, pattern: str, today: date) -> bool:
        return any(s.pattern in ("*", pattern) for s in self.active_snoozes(today, deal_id))

    def expired_snoozes(self, today: date) -> list[Snooze]:
        """Snoozes that have run out and were not reported yet (nothing is marked)."""
        with self._lock:
            return [_snooze(d) for d in self._expired(today)]

    def _expired(self, today: date) -> list[Document]:
        day = today.isoformat()
        return [d for d in self._t("snoozes").all() if d["until"] <= day and not d.get("woke")]

    def mark_woke(self, deal_id: str, pattern: str) -> None:
        """The rep was told this deal is back from its snooze: never report it again."""
        now = self._now()
        with self.batch():
            self._t("snoozes").update(
                {"woke": now},
                (where("deal_id") == deal_id) & (where("pattern") == pattern) & _UNWOKEN,
            )

    def woken_snoozes(self, today: date) -> list[Snooze]:
        """Snoozes that have run out and were not reported yet; each is returned once."""
        now = self._now()
        with self.batch():
            expired = self._expired(today)
            self._t("snoozes").update({"woke": now}, doc_ids=[d.doc_id for d in expired])
        woke = [_snooze({**d, "woke": now}) for d in expired]
        return sorted(woke, key=lambda s: (s.until, s.deal_id, s.pattern))

    # --- nudges ---

    def begin_nudge(
        self,
        key: str,
        rep: str,
        deal_ids: Sequence[str],
        patterns: Sequence[str],
        question_ids: Sequence[str],
    ) -> bool:
        """False when a nudge with this key was already sent; else mark it pending, True."""
        with self.batch():
            table = self._t("nudges")
            doc = self._one("nudges", key)
            if doc is not None and doc["status"] == "sent":
                return False
            fields = {
                "rep": rep,
                "deal_ids": list(deal_ids),
                "patterns": list(patterns),
                "question_ids": list(question_ids),
                "status": "pending",
                "error": "",
            }
            if doc is None:
                table.insert(
                    {
                        "key": key,
                        **fields,
                        "attempts": 1,
                        "ts": "",
                        "channel": "",
                        "created": self._now(),
                        "sent_at": None,
                    }
                )
            else:
                table.update(
                    {**fields, "attempts": int(doc.get("attempts", 0)) + 1}, doc_ids=[doc.doc_id]
                )
            return True

    def finish_nudge(self, key: str, ts: str, channel: str) -> None:
        self._set_status(
            "nudges",
            key,
            {"status": "sent", "ts": ts, "channel": channel, "sent_at": self._now(), "error": ""},
        )

    def fail_nudge(self, key: str, error: str) -> None:
        self._set_status("nudges", key, {"status": "failed", "error": error})

    def was_nudged(self, key: str) -> bool:
        return self._sent("nudges", key)

    def nudge(self, key: str) -> NudgeRecord | None:
        with self._lock:
            doc = self._one("nudges", key)
            return _nudge(doc) if doc else None

    def nudges_for(self, rep: str) -> list[NudgeRecord]:
        with self._lock:
            return [_nudge(d) for d in self._by("nudges", "rep", rep)]

    def last_nudged(self, deal_id: str, pattern: str) -> date | None:
        """The day a sent nudge last carried this deal with this pattern."""
        return self.last_nudged_all().get((deal_id, pattern))

    def last_nudged_all(self) -> dict[tuple[str, str], date]:
        """(deal id, pattern) -> the day a sent nudge last carried it, in one pass."""
        out: dict[tuple[str, str], date] = {}
        with self._lock:
            docs = list(self._t("nudges").search(where("status") == "sent"))
        for d in docs:
            n = _nudge(d)
            when = n.sent_at or n.created
            if when is None:
                continue
            for pair in n.items():
                if pair not in out or when.date() > out[pair]:
                    out[pair] = when.date()
        return out

    def _set_status(self, table_name: str, key: str, fields: Mapping[str, Any]) -> None:
        with self.batch():
            ids = [d.doc_id for d in self._by(table_name, "key", key)]
            if not ids or not self._t(table_name).update(dict(fields), doc_ids=ids):
                raise KeyError(f"no {table_name[:-1]} with key {key!r} was begun")

    # --- questions shown ---

    def record_question_shown(
        self, deal_id: str, pattern: str, question_id: str, when: datetime | None = None
    ) -> None:
        with self.batch():
            self._t("questions_shown").insert(
                {
                    "deal_id": deal_id,
                    "pattern": pattern,
                    "question_id": question_id,
                    "shown_at": (when or self.clock()).isoformat(),
                }
            )

    def note_questions_shown(
        self, shown: Iterable[tuple[str, str, str]], when: datetime | None = None
    ) -> None:
        """Record (deal, pattern, question) as shown without waiting for the disk: written
        with the next write or within ``LAZY_FLUSH_SECONDS``. For rotation hints only, where
        losing the last second in a crash costs nothing, and ``/deal`` must stay fast."""
        at = (when or self.clock()).isoformat()
        with self._written_behind():
            self._t("questions_shown").insert_multiple(
                {"deal_id": d, "pattern": p, "question_id": q, "shown_at": at} for d, p, q in shown
            )

    @contextlib.contextmanager
    def _written_behind(self) -> Iterator[None]:
        """Writes that need not wait for the disk: in memory now, on disk with the next
        write or within ``LAZY_FLUSH_SECONDS``."""
        with self._lock:
            self._check_open()
            yield
            self._flush_soon()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed")

    def _flush_soon(self) -> None:
        """Write what is pending within ``LAZY_FLUSH_SECONDS`` (or with the next batch)."""
        if self._flush_timer is None and not self.read_only:
            self._flush_timer = threading.Timer(LAZY_FLUSH_SECONDS, self._lazy_flush)
            self._flush_timer.daemon = True
            self._flush_timer.start()

    def _lazy_flush(self) -> None:
        """The write-behind flush: one journal line with what is pending."""
        with self._lock:
            self._flush_timer = None
            if self._closed or self._depth or not self._storage.dirty:
                return
            try:
                self._flush_now()
            except OSError as exc:  # still pending: the next write or flush tries again
                log.warning("%s: could not write questions shown yet (%s)", self.path, exc)

    def questions_shown(self, deal_id: str, pattern: str | None = None) -> list[str]:
        """Question ids shown for the deal, each once, least recently shown first."""
        with self._lock:
            docs = self._by("questions_shown", "deal_id", deal_id)
        last: dict[str, tuple[str, int]] = {}
        for d in docs:
            if pattern is None or d.get("pattern") == pattern:
                last[d["question_id"]] = (d["shown_at"], d.doc_id)
        return sorted(last, key=lambda q: last[q])

    # --- feedback ---

    def record_feedback(
        self,
        deal_id: str,
        pattern: str,
        question_id: str,
        team: str,
        kind: str,
        reason: str = "",
        who: str = "",
        at: datetime | None = None,
    ) -> FeedbackRecord:
        if kind not in FEEDBACK_KINDS:
            raise ValueError(f"feedback kind {kind!r} is not one of {sorted(FEEDBACK_KINDS)}")
        doc = {
            "deal_id": deal_id,
            "pattern": pattern,
            "question_id": question_id,
            "team": team,
            "kind": kind,
            "reason": reason,
            "who": who,
            "at": (at or self.clock()).isoformat(),
        }
        with self.batch():
            self._t("feedback").insert(doc)
        return _feedback(doc)

    def feedback(
        self,
        team: str | None = None,
        pattern: str | None = None,
        since: datetime | date | None = None,
        kind: str | None = None,
    ) -> list[FeedbackRecord]:
        """Feedback oldest first, filtered by team, pattern, kind and time (inclusive)."""
        with self._lock:
            docs = list(self._t("feedback").all())
        out = []
        for d in docs:
            if team is not None and d.get("team", "") != team:
                continue
            if (pattern is not None and d["pattern"] != pattern) or (kind and d["kind"] != kind):
                continue
            rec = _feedback(d)
            if since is not None and not _on_or_after(rec.at, since):
                continue
            out.append(rec)
        return sorted(out, key=lambda r: r.at)

    # --- exports and derived history ---

    def record_export(self, as_of: date, source: str, pipeline: Pipeline) -> ExportDiff:
        """Keep this export's per-deal state and the changes since the previous export."""
        new = snapshot_state(pipeline, as_of)
        counts = {
            "deals": len(pipeline.deals),
            "open_deals": sum(d.is_open for d in pipeline.deals),
            "activities": len(pipeline.activities),
            "history": len(pipeline.history),
        }
        with self.batch():
            state_t = self._t("export_state")
            prev = next(iter(state_t.all()), None)
            prev_as_of = date.fromisoformat(prev["as_of"]) if prev else None
            if prev_as_of is not None and as_of < prev_as_of:
                log.warning(
                    "export as of %s is older than the last one (%s): history unchanged",
                    as_of,
                    prev_as_of,
                )
                diff = ExportDiff(as_of, prev_as_of, ())
                counts["out_of_order"] = 1
            else:
                old = (
                    {k: DealState.from_json(v) for k, v in prev["deals"].items()} if prev else None
                )
                diff = diff_states(old, new, as_of, prev_as_of)
                self._t("deal_changes").insert_multiple(_change_doc(c) for c in diff.changes)
                state_t.truncate()
                state_t.insert(
                    {
                        "as_of": as_of.isoformat(),
                        "source": source,
                        "deals": {k: s.to_json() for k, s in new.items()},
                    }
                )
            counts |= {"new": len(diff.new), "changed": len(diff.changed), "gone": len(diff.gone)}
            self._t("exports").insert(
                {
                    "as_of": as_of.isoformat(),
                    "source": source,
                    "recorded_at": self._now(),
                    "counts": counts,
                }
            )
        return diff

    def exports(self) -> list[ExportRecord]:
        with self._lock:
            docs = list(self._t("exports").all())
        return [
            ExportRecord(
                date.fromisoformat(d["as_of"]),
                d["source"],
                datetime.fromisoformat(d["recorded_at"]),
                dict(d.get("counts", {})),
            )
            for d in docs
        ]

    def deal_changes(self, deal_id: str | None = None) -> list[DealChange]:
        """Changes seen between exports, oldest first."""
        with self._lock:
            table = self._t("deal_changes")
            docs = table.all() if deal_id is None else self._by("deal_changes", "deal_id", deal_id)
            return [_change(d) for d in docs]

    def deal_history(self, deal_id: str) -> list[HistoryEntry]:
        """Stage/close date/amount history derived from exports (source "snapshots")."""
        return history_from_changes(self.deal_changes(deal_id))

    def history_entries(self) -> list[HistoryEntry]:
        return history_from_changes(self.deal_changes())

    # --- digests ---

    def begin_digest(self, key: str, manager: str, period: str) -> bool:
        """False when this digest was already sent; else mark it pending, True."""
        with self.batch():
            table = self._t("digests")
            doc = self._one("digests", key)
            if doc is not None and doc["status"] == "sent":
                return False
            if doc is None:
                table.insert(
                    {
                        "key": key,
                        "manager": manager,
                        "period": period,
                        "status": "pending",
                        "attempts": 1,
                        "ts": "",
                        "error": "",
                        "created": self._now(),
                    }
                )
            else:
                table.update(
                    {"status": "pending", "attempts": int(doc.get("attempts", 0)) + 1},
                    doc_ids=[doc.doc_id],
                )
            return True

    def finish_digest(self, key: str, ts: str, counts: Mapping[str, int] | None = None) -> None:
        fields: dict[str, Any] = {"status": "sent", "ts": ts, "error": ""}
        if counts is not None:
            fields["counts"] = dict(counts)
        self._set_status("digests", key, fields)

    def last_digest(self, manager: str, before_period: str) -> DigestRecord | None:
        """The manager's latest sent digest for a period before ``before_period``."""
        with self._lock:
            docs = self._t("digests").search(
                (where("manager") == manager) & (where("status") == "sent")
            )
        earlier = [d for d in docs if str(d.get("period", "")) < before_period]
        if not earlier:
            return None
        return self.digest(max(earlier, key=lambda d: str(d.get("period", "")))["key"])

    def fail_digest(self, key: str, error: str) -> None:
        self._set_status("digests", key, {"status": "failed", "error": error})

    def was_digest_sent(self, key: str) -> bool:
        return self._sent("digests", key)

    def digest(self, key: str) -> DigestRecord | None:
        with self._lock:
            doc = self._one("digests", key)
        if doc is None:
            return None
        return DigestRecord(
            doc["key"],
            doc["manager"],
            doc.get("period", ""),
            doc["status"],
            int(doc.get("attempts", 0)),
            doc.get("ts", ""),
            doc.get("error", ""),
            {str(k): int(v) for k, v in (doc.get("counts") or {}).items()},
            _opt_dt(doc.get("created")),
        )

    # --- threshold adjustments ---

    def adjust_threshold(
        self,
        team: str,
        pattern: str,
        param: str,
        old: float,
        new: float,
        reason: str,
        at: datetime | None = None,
    ) -> Adjustment:
        """Record a learned threshold; it replaces an active one for the same parameter."""
        doc = {
            "team": team,
            "pattern": pattern,
            "param": param,
            "old": old,
            "new": new,
            "reason": reason,
            "at": (at or self.clock()).isoformat(),
            "active": True,
            "reset_at": None,
        }
        same = (where("team") == team) & (where("pattern") == pattern) & (where("param") == param)
        with self.batch():
            self._t("adjustments").update({"active": False}, same & _ACTIVE)
            self._t("adjustments").insert(doc)
        return _adjustment(doc)

    def active_adjustments(self) -> list[Adjustment]:
        return [a for a in self.adjustments() if a.active]

    def adjustments(self) -> list[Adjustment]:
        """Every adjustment ever made, oldest first (reset ones have ``active`` False)."""
        with self._lock:
            docs = list(self._t("adjustments").all())
        return sorted((_adjustment(d) for d in docs), key=lambda a: a.at)

    def reset_adjustments(self, team: str, pattern: str | None = None) -> int:
        """Deactivate a team's learned thresholds (one pattern, or all); returns how many."""
        cond = (where("team") == team) & _ACTIVE
        if pattern is not None:
            cond = cond & (where("pattern") == pattern)
        with self.batch():
            return len(
                self._t("adjustments").update({"active": False, "reset_at": self._now()}, cond)
            )

    # --- deal rooms ---

    def link_room(self, deal_id: str, channel_id: str, who: str) -> Room:
        """Make a channel the deal's room (one room per deal, one deal per channel)."""
        doc = {"deal_id": deal_id, "channel_id": channel_id, "who": who, "linked_at": self._now()}
        with self.batch():
            table = self._t("rooms")
            table.remove((where("deal_id") == deal_id) | (where("channel_id") == channel_id))
            table.insert(doc)
        return _room(doc)

    def unlink_room(self, channel_id: str) -> bool:
        with self.batch():
            return bool(self._t("rooms").remove(where("channel_id") == channel_id))

    def room_for(self, deal_id: str) -> str | None:
        with self._lock:
            doc = self._t("rooms").get(where("deal_id") == deal_id)
            return str(doc["channel_id"]) if doc else None

    def rooms(self) -> list[Room]:
        with self._lock:
            return [_room(d) for d in self._t("rooms").all()]

    # --- retention ---

    # table -> the field holding each record's date (ISO text, compared as text)
    _AGED: ClassVar[Mapping[str, str]] = {
        "nudges": "created",
        "feedback": "at",
        "questions_shown": "shown_at",
        "deal_changes": "as_of",
        "exports": "recorded_at",
        "snoozes": "until",
    }

    def prune(self, before: date) -> dict[str, int]:
        """Forget records dated before ``before`` (sent digests are kept: they hold the
        trend); returns how many were removed per table."""
        cutoff = before.isoformat()
        removed: dict[str, int] = {}
        with self.batch():
            for name, date_field in self._AGED.items():
                old = where(date_field).test(lambda v: isinstance(v, str) and v[:10] < cutoff)
                removed[name] = len(self._t(name).remove(old))
        return removed

    # --- backup and moving hosts ---

    def export_state(self, path: Path) -> int:
        """Write every table to ``path`` (JSON, atomically); returns the record count."""
        with self._lock:
            payload = encode(self._storage.data)
            total = sum(len(t) for t in self._storage.data.values())
        write_atomic(Path(path), payload)
        return total

    def import_state(self, path: Path) -> int:
        """Replace the whole state with an export (older schemas are migrated).

        The state being replaced stays in ``<file>.bak``. Raises StoreError with a message
        naming the problem when the file is not a usable export.
        """
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
        try:
            tables, _, _ = decode(raw)
        except StoreError as exc:
            raise type(exc)(f"{path}: not a dealnudge state export: {exc}") from None
        with self.batch():
            self._install(tables, dirty=True)
        return sum(len(t) for t in tables.values())


# --- document <-> record -------------------------------------------------------------


def _dt(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _opt_dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _on_or_after(at: datetime, since: datetime | date) -> bool:
    if isinstance(since, datetime):
        if (at.tzinfo is None) != (since.tzinfo is None):
            return at.replace(tzinfo=None) >= since.replace(tzinfo=None)
        return at >= since
    return at.date() >= since


def _person(d: Mapping[str, Any]) -> Person:
    return Person(
        d["owner_id"],
        d.get("slack_user_id", ""),
        d.get("tz", ""),
        d.get("source", ""),
        _dt(d["cached_at"]),
    )


def _snooze(d: Mapping[str, Any]) -> Snooze:
    return Snooze(
        d["deal_id"],
        d["pattern"],
        date.fromisoformat(d["until"]),
        d.get("reason", ""),
        d.get("who", ""),
        _dt(d.get("created") or "1970-01-01T00:00:00+00:00"),
        _opt_dt(d.get("woke")),
    )


def _nudge(d: Mapping[str, Any]) -> NudgeRecord:
    return NudgeRecord(
        key=d["key"],
        rep=d["rep"],
        deal_ids=tuple(d.get("deal_ids", ())),
        patterns=tuple(d.get("patterns", ())),
        question_ids=tuple(d.get("question_ids", ())),
        status=d["status"],
        attempts=int(d.get("attempts", 0)),
        ts=d.get("ts", ""),
        channel=d.get("channel", ""),
        error=d.get("error", ""),
        created=_opt_dt(d.get("created")),
        sent_at=_opt_dt(d.get("sent_at")),
    )


def _feedback(d: Mapping[str, Any]) -> FeedbackRecord:
    return FeedbackRecord(
        d["deal_id"],
        d["pattern"],
        d.get("question_id", ""),
        d.get("team", ""),
        d["kind"],
        d.get("reason", ""),
        d.get("who", ""),
        _dt(d["at"]),
    )


def _adjustment(d: Mapping[str, Any]) -> Adjustment:
    return Adjustment(
        d["team"],
        d["pattern"],
        d["param"],
        d["old"],
        d["new"],
        d.get("reason", ""),
        _dt(d.get("at") or "1970-01-01T00:00:00+00:00"),
        bool(d["active"]),
        _opt_dt(d.get("reset_at")),
    )


def _room(d: Mapping[str, Any]) -> Room:
    return Room(
        d["deal_id"],
        d["channel_id"],
        d.get("who", ""),
        _dt(d.get("linked_at") or "1970-01-01T00:00:00+00:00"),
    )


def _change_doc(c: DealChange) -> dict[str, Any]:
    return {
        "deal_id": c.deal_id,
        "as_of": c.as_of.isoformat(),
        "kind": c.kind,
        "fields": list(c.fields),
        "before": c.before.to_json() if c.before else None,
        "after": c.after.to_json() if c.after else None,
    }


def _change(d: Mapping[str, Any]) -> DealChange:
    return DealChange(
        d["deal_id"],
        date.fromisoformat(d["as_of"]),
        d["kind"],
        tuple(d.get("fields", ())),
        DealState.from_json(d["before"]) if d.get("before") else None,
        DealState.from_json(d["after"]) if d.get("after") else None,
    )


# --- location and the `dealnudge state` command ---------------------------------------


def _adjustments_command(args: argparse.Namespace, db_path: Path) -> int:
    try:
        with Store.open(db_path, read_only=args.action == "adjustments") as store:
            if args.action == "reset":
                n = store.reset_adjustments(args.team, args.pattern)
                who = f"team {args.team!r}" if args.team else "everyone"
                print(f"reset {n} learned threshold(s) for {who}; dealnudge.toml applies again")
                return 0
            active = store.active_adjustments()
    except (StoreError, OSError) as exc:
        print(f"dealnudge state {args.action}: {exc}", file=sys.stderr)
        return 2
    if not active:
        print('No thresholds learned from "not accurate" feedback; dealnudge.toml applies.')
    for a in active:
        who = a.team or "everyone"
        print(
            f"{who:16} {a.pattern:30} {a.param} {a.old} -> {a.new}  ({a.at:%Y-%m-%d}: {a.reason})"
        )
    return 0


def main_state(argv: Iterable[str], db_path: Path) -> int:
    """``dealnudge state export FILE`` | ``import FILE`` | ``adjustments`` | ``reset``."""
    parser = argparse.ArgumentParser(
        prog="dealnudge state",
        description="Back up or restore the bot's state (JSON); list or undo the thresholds "
        'learned from "not accurate" feedback.',
    )
    sub = parser.add_subparsers(
        dest="action", required=True, metavar="{export,import,adjustments,reset}"
    )
    sub.add_parser("export", help="write the whole state to FILE").add_argument("file", type=Path)
    sub.add_parser(
        "import", help="replace the state with FILE (the old state is kept as <db>.bak)"
    ).add_argument("file", type=Path)
    sub.add_parser("adjustments", help="list the thresholds learned from feedback")
    reset = sub.add_parser("reset", help="undo learned thresholds (back to dealnudge.toml)")
    reset.add_argument("--team", default="", help="the team (default: everyone's)")
    reset.add_argument("pattern", nargs="?", help="one pattern code (default: all)")
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 2
    if args.action in ("adjustments", "reset"):
        return _adjustments_command(args, db_path)
    target: Path = args.file
    try:
        with Store.open(db_path, read_only=args.action == "export") as store:
            if args.action == "export":
                if target.is_dir():
                    print(
                        f"dealnudge state export: {target} is a folder; name a file",
                        file=sys.stderr,
                    )
                    return 2
                n = store.export_state(target)
                print(f"exported {n} records from {db_path} to {target}")
            else:
                if not target.is_file():
                    print(f"dealnudge state import: {target}: no such file", file=sys.stderr)
                    return 2
                n = store.import_state(target)
                print(
                    f"imported {n} records from {target} into {db_path} "
                    f"(the previous state is in {backup_path(db_path).name})"
                )
    except StoreError as exc:
        print(f"dealnudge state {args.action}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"dealnudge state {args.action}: {exc}", file=sys.stderr)
        return 2
    return 0
