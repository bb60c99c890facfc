"""The export pulled from a CRM's API and kept on disk, behind ``DEALNUDGE_SOURCE=<crm>:``.

``CrmSource`` has the same four calls as ``ExportSource`` (``fetch``, ``keep``, ``cached``,
``cancel``), so the runtime refreshes, keeps serving the last good export and tells the
admins once per reason in one way for every source. A fetch pulls everything the first time,
when asked (``dealnudge pull --full``) and once ``full_every`` has passed (an incremental
pull cannot see deleted records); otherwise only what changed since the last good pull
(less ten minutes, for clocks that disagree), merged into it. Each pull lands in a new folder;
``keep`` (the runtime read it well) points ``current`` at it, so a pull that failed, or did
not read, never replaces the copy a new process starts from.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from bot.ingest.crm import crm_scheme, hubspot, pipedrive, salesforce
from bot.ingest.crm.base import Connector, CrmError, Deadline, Progress, Pulled, no_progress
from bot.ingest.crm.merge import MergeError, merge
from bot.ingest.source import Fetched, age_text

log = logging.getLogger(__name__)

Opener = Callable[[Mapping[str, str], Deadline, requests.Session | None], Connector]
CONNECTORS: Mapping[str, Opener] = {
    "salesforce": salesforce.from_env,
    "hubspot": hubspot.from_env,
    "pipedrive": pipedrive.from_env,
}
CURRENT = "current"
META = ".pull.json"
OVERLAP = timedelta(minutes=10)  # clocks that disagree; re-reading 10 minutes is cheap
FULL_EVERY = timedelta(days=7)
STALE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Kept:
    folder: Path
    pulled_at: datetime  # when the pull that made it started (the next one's "since")
    full_at: datetime  # when its last full pull started
    fingerprint: str
    files: tuple[str, ...]

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(self.folder / n for n in self.files)


class CrmSource:
    """The export behind ``DEALNUDGE_SOURCE=<crm>:``; call ``fetch()`` on every refresh."""

    def __init__(
        self,
        scheme: str,
        connector: Connector,
        cache_dir: Path,
        *,
        deadline: Deadline,
        full_every: timedelta = FULL_EVERY,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.scheme = scheme
        self.connector = connector
        self._root = cache_dir / scheme
        self._deadline = deadline
        self._full_every = full_every
        self._clock = clock
        self._pending: dict[str, tuple[datetime, datetime]] = {}  # folder -> (pulled, full)
        self._fingerprint: str | None = None

    @classmethod
    def open(
        cls,
        location: str,
        env: Mapping[str, str],
        cache_dir: Path,
        *,
        deadline: float,
        session: requests.Session | None = None,
    ) -> CrmSource:
        scheme = crm_scheme(location)
        if scheme is None:
            raise CrmError(f"{location!r} is not a CRM source (salesforce:, hubspot:, pipedrive:)",
                           "settings")  # fmt: skip
        limit = Deadline(deadline)
        return cls(scheme, CONNECTORS[scheme](env, limit, session), cache_dir, deadline=limit)

    def __repr__(self) -> str:
        return f"CrmSource({self.scheme!r})"

    @property
    def location(self) -> str:
        return f"{self.scheme}:"

    @property
    def name(self) -> str:
        return self.connector.name

    def fetch(self, *, full: bool = False, progress: Progress = no_progress) -> Fetched:
        """Pull the export (only what changed, unless ``full`` or it is time for a full
        pull); ``CrmError`` leaves the kept copy as it was."""
        self._root.mkdir(parents=True, exist_ok=True)
        kept = self.kept()
        started = self._clock()
        whole = full or kept is None or started - kept.full_at >= self._full_every
        self._deadline.start()
        folder = Path(tempfile.mkdtemp(prefix="pull-", dir=self._root))
        try:
            if whole or kept is None:
                pulled = self.connector.pull(folder, None, progress)
                full_at = started
            else:
                try:
                    pulled = self._incremental(kept, folder, progress)
                    full_at = kept.full_at
                except MergeError as exc:
                    log.warning("%s: %s; pulling everything", self.name, exc)
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir()
                    pulled, full_at, whole = (
                        self.connector.pull(folder, None, progress),
                        started,
                        True,
                    )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            self._deadline.stop()
        files = tuple(sorted(p.name for p in folder.glob("*.csv")))
        fingerprint = _fingerprint(folder, files)
        previous, self._fingerprint = self._fingerprint, fingerprint
        self._drop_pending()  # earlier pulls of this process that did not read well
        intact = kept is not None and all(p.is_file() for p in kept.paths)
        if kept is not None and intact and fingerprint == kept.fingerprint:
            shutil.rmtree(folder, ignore_errors=True)
            with self._locked():
                self._write_meta(kept.folder, started, started if whole else kept.full_at,
                                 fingerprint, files)  # fmt: skip
            return Fetched(fingerprint != previous, kept.paths, fingerprint,
                           self._detail(pulled, whole, changed=False))  # fmt: skip
        self._pending[folder.name] = (started, full_at)
        self._drop_stale()
        paths = tuple(folder / n for n in files)
        return Fetched(True, paths, fingerprint, self._detail(pulled, whole, changed=True))

    def _incremental(self, kept: Kept, folder: Path, progress: Progress) -> Pulled:
        changes = folder / "changes"
        changes.mkdir()
        pulled = self.connector.pull(changes, kept.pulled_at - OVERLAP, progress)
        try:
            merge(kept.folder, changes, pulled, folder)
        except OSError as exc:  # the kept copy went away (another process replaced it)
            raise CrmError(
                f"{self.name}: the changes could not be merged into the last pull "
                f"({exc.strerror or exc}); the next refresh pulls again",
                "data",
            ) from None
        shutil.rmtree(changes, ignore_errors=True)
        return pulled

    def keep(self, fetched: Fetched) -> None:
        """``fetched`` read well: make it the copy a new process (and the next incremental
        pull) starts from."""
        if not fetched.paths:
            return
        folder = fetched.paths[0].parent
        times = self._pending.pop(folder.name, None)
        if times is None:
            return  # the kept copy itself (nothing changed)
        files = tuple(p.name for p in fetched.paths)
        with self._locked():
            self._write_meta(folder, times[0], times[1], fetched.fingerprint, files)
            link = self._root / f".{CURRENT}-{folder.name}"
            old = self._current_name()
            os.symlink(folder.name, link, target_is_directory=True)
            os.replace(link, self._root / CURRENT)
        if old and old != folder.name:
            shutil.rmtree(self._root / old, ignore_errors=True)

    def cached(self) -> Fetched | None:
        """The copy kept on disk, for when the CRM cannot be reached and this process has
        read nothing yet; its detail says how old it is."""
        kept = self.kept()
        if kept is None or not all(p.is_file() for p in kept.paths):
            return None
        return Fetched(
            True,
            kept.paths,
            kept.fingerprint,
            f"the copy pulled from {self.name} {age_text(kept.pulled_at)} "
            f"({kept.pulled_at:%Y-%m-%d %H:%M} UTC)",
        )

    def cancel(self) -> None:
        self._deadline.cancel()

    def close(self) -> None:
        self.connector.close()

    def kept(self) -> Kept | None:
        """The last good pull on disk, or None."""
        name = self._current_name()
        if name is None:
            return None
        folder = self._root / name
        try:
            meta = json.loads((folder / META).read_text())
            return Kept(
                folder,
                datetime.fromisoformat(meta["pulled_at"]),
                datetime.fromisoformat(meta["full_at"]),
                str(meta["fingerprint"]),
                tuple(str(n) for n in meta["files"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_meta(
        self, folder: Path, pulled: datetime, full: datetime, fp: str, files: tuple[str, ...]
    ) -> None:
        meta = {"pulled_at": pulled.isoformat(), "full_at": full.isoformat(),
                "fingerprint": fp, "files": list(files)}  # fmt: skip
        part = folder / f"{META}.part"
        part.write_text(json.dumps(meta))
        os.replace(part, folder / META)

    def _current_name(self) -> str | None:
        try:
            return Path(os.readlink(self._root / CURRENT)).name
        except OSError:
            return None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One process at a time moves ``current`` (``dealnudge pull`` beside ``serve``)."""
        with (self._root / ".lock").open("a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def _drop_pending(self) -> None:
        current = self._current_name()
        for name in list(self._pending):
            if name != current:
                shutil.rmtree(self._root / name, ignore_errors=True)
            del self._pending[name]

    def _drop_stale(self) -> None:
        """Pulls a crashed process left behind (a day old), never the kept one."""
        keep = {self._current_name(), *self._pending}
        stale = time.time() - STALE_SECONDS
        for child in self._root.glob("pull-*"):
            try:
                if child.name not in keep and child.lstat().st_mtime < stale:
                    shutil.rmtree(child, ignore_errors=True)
            except OSError:
                continue

    def _detail(self, pulled: Pulled, whole: bool, *, changed: bool) -> str:
        what = "full pull" if whole else "changes"
        state = "changed" if changed else "unchanged"
        return f"{self.name} {what}: {pulled.rows:,} records in {len(pulled.files)} files, {state}"


def _fingerprint(folder: Path, files: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0")
        with (folder / name).open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()
