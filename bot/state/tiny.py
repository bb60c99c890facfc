"""The embedded backend: tinydb on one JSON file, written whole and atomically per transaction.

- ``<file>``: tinydb's own JSON layout (table -> {doc id: document}). A transaction changes
  the documents in memory through tinydb and, when it ends, the file is written once: a
  temp file in the same directory, fsync, ``os.replace``, fsync of the directory. A crash
  leaves the old file or the new one. ``<file>.bak`` is then written the same way with
  the same bytes, so a file damaged later (a disk, a person) is restored with nothing lost.
- ``<file>.history/``: the export log, one append-only JSON-lines file per source, kept
  apart so that a click never rewrites it and damage to one cannot reach the other. A line
  cut short by a crash (never acknowledged) is cut off at open; a damaged line elsewhere
  is skipped with a warning naming it.
- One process writes (an exclusive ``flock`` on ``<file>.lock``); ``read_only`` opens read
  beside it and keep their writes in memory. A symlinked path is followed: the real file
  is written and locked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import reduce
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB, where
from tinydb.storages import Storage

from bot.state import legacy
from bot.state.backend import (
    KEYS,
    TABLES,
    CorruptState,
    Doc,
    Row,
    StateInUse,
    StoreError,
    Tables,
    validate,
)

log = logging.getLogger(__name__)

# tinydb's JSON layout: table name -> {str(doc id): document}
Raw = dict[str, dict[str, Doc]]


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def history_dir(path: Path) -> Path:
    return path.with_name(path.name + ".history")


def oserror(exc: OSError, path: Path | str, doing: str) -> StoreError:
    """An ``OSError`` as a message a person can act on (no traceback)."""
    reason = exc.strerror or type(exc).__name__
    hint = {
        "No space left on device": "free some space on that disk",
        "Permission denied": "give dealnudge write access there, or point DEALNUDGE_DB elsewhere",
        "Read-only file system": "point DEALNUDGE_DB at a writable disk",
        "Is a directory": "DEALNUDGE_DB must name a file, e.g. <folder>/state.json",
    }.get(reason, "")
    return StoreError(f"{path}: cannot {doing} ({reason})" + (f"; {hint}" if hint else ""))


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves the old or the new file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
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


def encode(raw: Raw) -> bytes:
    """The file's bytes (orjson: a tenth of the stdlib's time, and every write pays it)."""
    return orjson.dumps(raw)


def decode(data: bytes, where_: Path) -> Raw:
    """tinydb's layout from ``data``, or ``CorruptState`` saying what is wrong with it."""
    if not data.strip():
        raise CorruptState(f"{where_} is empty")
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CorruptState(f"{where_} is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CorruptState(
            f"{where_} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            "it looks cut short or overwritten"
        ) from None
    if not isinstance(doc, dict) or not all(isinstance(t, dict) for t in doc.values()):
        raise CorruptState(f"{where_} is JSON but not a dealnudge state (tables of documents)")
    return doc


def as_tables(raw: Raw, where_: Path | str) -> Tables:
    tables: Tables = {}
    for name, docs in raw.items():
        try:
            ordered = sorted(docs.items(), key=lambda kv: int(kv[0]))
        except ValueError:
            raise CorruptState(
                f"{where_}: table {name!r} has a document id that is not a number"
            ) from None
        tables[name] = [doc for _, doc in ordered]
    validate(tables, str(where_))
    return tables


def as_raw(tables: Mapping[str, list[Doc]]) -> Raw:
    return {name: {str(i): doc for i, doc in enumerate(docs, 1)} for name, docs in tables.items()}


class _MemoryStorage(Storage):
    """tinydb's storage interface over the dict this backend writes to disk itself."""

    def __init__(self, data: Raw) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> Raw:
        return self.data

    def write(self, data: Raw) -> None:
        self.data = data
        self.dirty = True

    def close(self) -> None:
        pass


class _TinyTx:
    """A transaction's view of the tables, through tinydb. Keyed tables are looked up
    through ``keys`` (key -> doc id), kept in step with every insert and delete."""

    def __init__(self, db: TinyDB, keys: dict[str, dict[str, int]]) -> None:
        self._db = db
        self._keys = keys

    def _t(self, table: str) -> Any:
        return self._db.table(table, cache_size=0)

    def _index(self, table: str) -> dict[str, int]:
        found = self._keys.get(table)
        if found is None:
            field = KEYS[table]
            found = self._keys[table] = {d[field]: d.doc_id for d in self._t(table).all()}
        return found

    def rows(self, table: str, **equal: Any) -> list[Row]:
        t = self._t(table)
        if equal:
            query = reduce(lambda a, b: a & b, (where(k) == v for k, v in equal.items()))
            docs = t.search(query)
        else:
            docs = t.all()
        return sorted((Row(d.doc_id, dict(d)) for d in docs), key=lambda r: r.id)

    def get(self, table: str, key: str) -> Row | None:
        doc_id = self._index(table).get(key)
        doc = self._t(table).get(doc_id=doc_id) if doc_id is not None else None
        return Row(doc_id, dict(doc)) if doc_id is not None and doc is not None else None

    def insert(self, table: str, doc: Doc) -> None:
        if table not in KEYS:
            self._t(table).insert(doc)
        elif self.claim(table, doc) is not None:
            raise StoreError(f"{table}: {doc[KEYS[table]]!r} is already there")

    def claim(self, table: str, doc: Doc) -> Row | None:
        found = self.get(table, doc[KEYS[table]])
        if found is None:
            index = self._index(table)
            index[doc[KEYS[table]]] = self._t(table).insert(doc)
        return found

    def update(self, table: str, row_id: int, fields: Mapping[str, Any]) -> None:
        self._t(table).update(dict(fields), doc_ids=[row_id])

    def delete(self, table: str, row_ids: list[int]) -> None:
        if not row_ids:
            return
        if table in KEYS:
            index, field = self._index(table), KEYS[table]
            for doc_id in row_ids:
                doc = self._t(table).get(doc_id=doc_id)
                if doc is not None:
                    index.pop(doc[field], None)
        self._t(table).remove(doc_ids=row_ids)


def _take_lock(path: Path) -> int:
    """An exclusive ``flock`` on ``<file>.lock`` holding our pid, or ``StateInUse``."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise oserror(exc, lock_path, "create the lock file") from None
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # no flock (Windows): one writer is on the operator
        pass
    except OSError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise StateInUse(
            f"{path} is open for writing in another dealnudge process (pid {holder}), e.g. "
            "`dealnudge serve`, whose scheduler already sends nudges and digests; stop it "
            "first, or use --dry-run / `state export`, which only read. (More than one "
            "process: use PostgreSQL, DATABASE_URL.)"
        ) from None
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def resolve(path: Path) -> Path:
    """The real file behind ``path`` (symlinks followed), or a ``StoreError`` when it
    cannot be a state file."""
    real = Path(os.path.realpath(path))
    if real.is_dir():
        raise StoreError(
            f"{path} is a folder; DEALNUDGE_DB must name a file, e.g. {path}/state.json"
        )
    return real


def read_state_file(path: Path) -> tuple[Tables | None, str]:
    """The tables in ``path`` (None when it does not exist) and, when it is damaged and
    ``<file>.bak`` holds a good copy, the warning saying it was used instead."""
    try:
        return as_tables(decode(path.read_bytes(), path), path), ""
    except FileNotFoundError:
        return None, ""
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder; DEALNUDGE_DB must name a file") from None
    except OSError as exc:
        raise oserror(exc, path, "read the state") from None
    except CorruptState as damage:
        bak = backup_path(path)
        try:
            tables = as_tables(decode(bak.read_bytes(), bak), bak)
        except (OSError, CorruptState):
            raise CorruptState(
                f"{damage}, and there is no good copy in {bak.name}. Nothing was changed. "
                f"To go on: `dealnudge state recover` keeps it aside and starts empty, or "
                f"`dealnudge state import FILE` restores a backup export; either way the next "
                f"sends are first checked against Slack, so nothing is sent twice"
            ) from None
        return tables, f"{damage}; using its copy {bak.name}"


class TinyBackend:
    """Tables in one tinydb JSON file; the export log in JSON-lines files beside it."""

    kind = "tinydb"

    def __init__(self, path: Path, *, read_only: bool = False, load: bool = True) -> None:
        """``load=False``: take the file over without reading it (to replace it whole)."""
        self.path = resolve(Path(path))
        self.location = str(self.path)
        self.read_only = read_only
        self.created = False  # no state file existed: it starts empty
        self.restored = ""  # the warning when the damaged file was replaced by its copy
        self._lock = threading.RLock()  # memory: every read and every change
        self._flush_lock = threading.Lock()  # the disk: writes in order (never held inside _lock)
        self._log_lock = threading.Lock()  # the export-history logs (apart: a big append
        # must not hold up the reads and writes of the tables)
        # (transactions so far, the snapshot after the last one): what a write puts on disk
        self._latest: tuple[int, bytes] = (0, b"{}")
        self._durable = 0  # transactions on disk
        self._voided: list[tuple[int, int]] = []  # (lo, hi]: rolled back, never on disk
        self._generations: dict[str, int] = {}
        self._fd: int | None = None
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise oserror(exc, self.path.parent, "create the state folder") from None
            self._fd = _take_lock(self.path)
        try:
            if load:
                self._open()
            else:
                self._install({})
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        upgraded = self._upgrade()
        tables, self.restored = upgraded or read_state_file(self.path)
        self.created = tables is None
        if not self.read_only:
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):  # a crash's
                with contextlib.suppress(OSError):
                    stale.unlink()
            if self.restored:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
                aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
                with contextlib.suppress(OSError):
                    os.replace(self.path, aside)
                self.restored += f"; the damaged file is kept as {aside.name}"
                log.warning("%s", self.restored)
        self._install(tables or {})
        if self.restored and not self.read_only:
            self._flush()

    def _upgrade(self) -> tuple[Tables, str] | None:
        """A state file of an earlier version (and its journal) rewritten in today's format;
        the originals are kept as ``*.pre-v3``. None when there is nothing to upgrade."""
        journal = self.path.with_name(self.path.name + ".journal")
        try:
            data: bytes | None = self.path.read_bytes()
        except FileNotFoundError:
            data = None
        except OSError:
            return None  # read_state_file says what is wrong
        try:
            raw = json.loads(data) if data else None
        except ValueError:
            return None  # damaged: read_state_file handles it
        if not (raw is None and journal.exists()) and not (
            raw is not None and legacy.is_legacy(raw)
        ):
            return None  # today's format (a journal beside it is stale and never read)
        try:
            tables, logs = legacy.convert(raw, _read_or_none(journal), str(self.path))
            if self.read_only:
                return tables, ""
            for source, lines in logs.items():
                self.log_rewrite(source, lines)
            for old, payload in ((self.path, data), (journal, _read_or_none(journal))):
                if payload is not None:
                    write_atomic(old.with_name(old.name + ".pre-v3"), payload)
            self._install(tables)
            self._flush()
            with contextlib.suppress(FileNotFoundError):
                journal.unlink()
        except OSError as exc:
            raise oserror(exc, self.path, "upgrade the state file") from None
        log.info("%s: upgraded to the current state format (the old files are kept as "
                 "*.pre-v3)", self.path)  # fmt: skip
        return tables, ""

    def _install(self, tables: Mapping[str, list[Doc]]) -> None:
        self._install_raw(as_raw(tables))

    def _install_raw(self, raw: Raw) -> None:
        self._storage = _MemoryStorage(raw)
        self._latest = (getattr(self, "_latest", (0, b""))[0], encode(raw))
        storage = self._storage
        self._db = TinyDB(storage=lambda: storage)
        self._keys: dict[str, dict[str, int]] = {}

    # --- transactions ---

    @contextlib.contextmanager
    def write(self, *tables: str) -> Iterator[_TinyTx]:
        """A transaction: applied in memory under the lock (and its snapshot encoded), then
        made durable with the lock released, so readers never wait for the disk. Returns
        once the change is on disk: written by this call, or by another that wrote a
        later snapshot first (group commit). A transaction that raises leaves memory as it
        was before it; a failed disk write puts memory back to what is on disk and refuses
        every write that was not on it yet."""
        with self._lock:
            self._check_open()
            try:
                yield _TinyTx(self._db, self._keys)
            except BaseException:
                if self._storage.dirty:
                    self._install_raw(orjson.loads(self._latest[1]))
                raise
            self._bump(tables)
            if not self._storage.dirty:
                return
            self._storage.dirty = False
            seq = self._latest[0] + 1
            self._latest = (seq, encode(self._storage.data))
        if not self.read_only:
            self._persist(seq)

    def _persist(self, seq: int) -> None:
        with self._flush_lock:
            if any(lo < seq <= hi for lo, hi in self._voided):
                raise StoreError(
                    f"{self.path}: an earlier write failed, and this change had not reached "
                    "the disk yet; nothing was recorded"
                )
            if seq <= self._durable:
                return  # a later snapshot, which holds this change, is already on disk
            upto, payload = self._latest
            try:
                self._write_files(payload)
            except StoreError:
                with self._lock:  # memory as the disk has it; what was not on it is refused
                    self._reload()
                    self._voided.append((self._durable, self._latest[0]))
                    self._bump(TABLES)
                raise
            self._durable = upto

    def _write_files(self, payload: bytes) -> None:
        """``payload`` as the state file, then as its copy (a copy that fails is a warning)."""
        try:
            write_atomic(self.path, payload)
        except OSError as exc:
            raise oserror(exc, self.path, "save the state; nothing was recorded") from None
        try:
            write_atomic(backup_path(self.path), payload)
        except OSError as exc:
            log.warning("%s", oserror(exc, backup_path(self.path), "refresh the backup copy"))

    def _bump(self, tables: Iterable[str]) -> None:
        """Tell the caches of reads over ``tables`` that these may have changed."""
        for t in tables:
            self._generations[t] = self._generations.get(t, 0) + 1

    @contextlib.contextmanager
    def read(self) -> Iterator[_TinyTx]:
        with self._lock:
            self._check_open()
            yield _TinyTx(self._db, self._keys)

    def generation(self, table: str) -> object:
        return self._generations.get(table, 0)

    def _flush(self) -> None:
        if self.read_only:
            self._storage.dirty = False
            return
        self._write_files(self._latest[1])  # the snapshot _install encoded
        self._storage.dirty = False

    def _reload(self) -> None:
        tables: Tables | None = None  # a dry run's writes are not kept anyway
        if not self.read_only:
            tables, _ = read_state_file(self.path)
        self._install(tables or {})

    def _check_open(self) -> None:
        if getattr(self, "_closed", False):
            raise StoreError(f"{self.path}: the state is closed")

    def dump(self) -> Tables:
        with self._lock:
            return as_tables(json.loads(encode(self._storage.data)), self.path)

    def replace(self, tables: Tables) -> None:
        with self._flush_lock, self._lock:
            validate(tables, "the new state")
            self._install(tables)
            self._storage.dirty = True
            try:
                self._flush()
            except BaseException:
                self._reload()
                raise
            self._latest = (self._latest[0] + 1, self._latest[1])
            self._durable = self._latest[0]
            self._bump(TABLES)

    def close(self) -> None:
        with self._flush_lock:  # a write under way reaches the disk first
            self._closed = True
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    # --- the export log ---

    def _log_path(self, source: str) -> Path:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", source).strip("-")[-40:] or "export"
        digest = hashlib.sha256(source.encode()).hexdigest()[:10]
        return history_dir(self.path) / f"{slug}-{digest}.jsonl"

    def log_sources(self) -> list[str]:
        folder = history_dir(self.path)
        found: list[tuple[float, str]] = []
        for f in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
            first = next((line for _, line in self._read_log(f)), None)
            if first is not None:
                found.append((f.stat().st_mtime, str(first.get("source", ""))))
        return [s for _, s in sorted(found)]

    def log_lines(self, source: str, after: int = 0) -> Iterator[tuple[int, Doc]]:
        for n, line in self._read_log(self._log_path(source)):
            if n > after:
                yield n, line

    def _read_log(self, path: Path) -> Iterator[tuple[int, Doc]]:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise oserror(exc, path, "read the export history") from None
        lines = raw.split(b"\n")
        for n, text in enumerate(lines, 1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                if not isinstance(line, dict):
                    raise ValueError("not an object")
            except ValueError:
                if n == len(lines):  # the last line, cut short by a crash: never kept
                    continue
                log.warning("%s:%d: skipped a damaged line of export history", path, n)
                continue
            yield n, line

    def log_append(self, source: str, line: Doc, after: int) -> int | None:
        path = self._log_path(source)
        data = json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        with self._log_lock:
            if self.read_only:
                return after + 1
            try:
                path.parent.mkdir(exist_ok=True)
                new = not path.exists()
                with open(path, "a+b") as f:
                    f.seek(0)
                    raw = f.read()
                    keep = raw.rfind(b"\n") + 1  # a line cut short by a crash: never kept
                    if raw.count(b"\n") != after:
                        return None
                    if keep != len(raw):
                        f.truncate(keep)
                    try:
                        f.write(data)
                        f.flush()
                        os.fsync(f.fileno())
                    except BaseException:
                        with contextlib.suppress(OSError):
                            f.truncate(keep)
                        raise
                if new:
                    fsync_dir(path.parent)
            except OSError as exc:
                raise oserror(exc, path, "append to the export history") from None
            return after + 1

    def log_rewrite(self, source: str, lines: list[Doc]) -> None:
        if self.read_only:
            return
        path = self._log_path(source)
        data = b"".join(
            json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            for line in lines
        )
        with self._log_lock:
            try:
                path.parent.mkdir(exist_ok=True)
                write_atomic(path, data)
            except OSError as exc:
                raise oserror(exc, path, "rewrite the export history") from None


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
