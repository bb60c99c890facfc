"""Where the CRM export comes from: a local file or folder, or an HTTPS URL.

``ExportSource.fetch()`` is what a scheduled refresh calls. A local source is only
fingerprinted (name, size and mtime of every CSV); a URL is downloaded with a conditional
GET, streamed to disk under a size limit, unpacked when it is a ZIP, and only then swapped
in as the current copy, so a failed refresh always leaves the last good files in place.

Messages name the location without credentials or query string, and the
``Authorization`` value is never logged or put in a message or a ``repr``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Protocol
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from bot.ingest.netguard import DeadlinePassed, Guard, GuardedAdapter, Refused, Resolver, resolve
from bot.ingest.report import ExportError
from bot.settings import Secret

log = logging.getLogger(__name__)

ATTEMPTS = 3
CHUNK = 64 * 1024
SNIFF = 512
MAX_RETRY_AFTER = 60.0
RETRY_STATUSES = frozenset({429, *range(500, 600)})
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PART = ".download.part"
CURRENT = "current"
META = ".download.json"  # beside a kept copy: when it was fetched, its ETag and files
MAX_HOPS = 5
STALE_SECONDS = 24 * 3600  # a download folder nobody uses any more (a crashed process's)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEADLINE = 60.0


class SourceError(ExportError):
    """The export could not be fetched; the message says why, for a RevOps admin."""


@dataclass(frozen=True)
class Fetched:
    changed: bool
    paths: tuple[Path, ...]
    fingerprint: str
    detail: str


class Source(Protocol):
    """What a refresh needs of an export source (``ExportSource``, ``CrmSource``)."""

    @property
    def location(self) -> str:
        """Where the export comes from, safe to show."""

    def fetch(self) -> Fetched: ...

    def keep(self, fetched: Fetched) -> None: ...

    def cached(self) -> Fetched | None: ...

    def cancel(self) -> None: ...


def display_location(location: str) -> str:
    """``location`` safe to show: a URL loses any ``user:pass@``, query and fragment."""
    text = location.strip()
    if not _looks_like_url(text):
        return text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "the DEALNUDGE_SOURCE URL"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return f"{parts.scheme.lower()}://{netloc}{parts.path}"


def _looks_like_url(text: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) is not None


class _RedactQuery(logging.Filter):
    """Drop query strings (presigned URLs carry signatures) from urllib3's retry logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "?" in text:
            record.msg, record.args = re.sub(r"\?[^\s\"']*", "?…", text), ()
        return True


_pool_log = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(f, _RedactQuery) for f in _pool_log.filters):
    _pool_log.addFilter(_RedactQuery())


class _Retry(Retry):
    """urllib3 ``Retry`` that waits out ``Retry-After``, but never longer than a minute nor
    past the download's deadline (``guard``, set per source by a subclass)."""

    guard: Guard | None = None

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, MAX_RETRY_AFTER, self._left())

    def get_backoff_time(self) -> float:
        return min(super().get_backoff_time(), self._left())

    def _left(self) -> float:
        return self.guard.remaining() if self.guard is not None else MAX_RETRY_AFTER


class ExportSource:
    """The export behind ``DEALNUDGE_SOURCE``; call ``fetch()`` on every refresh."""

    def __init__(
        self,
        location: str,
        *,
        auth_header: Secret | None = None,
        cache_dir: Path,
        max_bytes: int = 200 * 1024 * 1024,
        timeout: float = 30.0,
        deadline: float = DEADLINE,
        session: requests.Session | None = None,
        allow_http_hosts: frozenset[str] = frozenset({"127.0.0.1", "localhost"}),
        backoff: float = 1.0,
        resolver: Resolver = resolve,
    ) -> None:
        self._location = location.strip()
        self._display = display_location(self._location)
        self._auth = auth_header
        self._cache_dir = cache_dir
        self._max_bytes = max_bytes
        self._timeout = timeout
        self._deadline = deadline
        self._fingerprint: str | None = None
        self._paths: tuple[Path, ...] = ()
        self._etag: str | None = None
        self._last_modified: str | None = None
        self._url: SplitResult | None = None
        self._session: requests.Session | None = None
        self._guard = Guard(resolver)
        self._kept: datetime | None = None  # when the copy on disk was fetched
        self._mine: set[str] = set()  # download folders this process made
        self._allow_http = frozenset(h.lower() for h in allow_http_hosts)
        if not self._location:
            raise SourceError("DEALNUDGE_SOURCE is empty: set it to a CSV file, folder or URL")
        if _looks_like_url(self._location):
            self._url = self._check_url(self._location)

            class SourceRetry(_Retry):
                guard = self._guard

            retry = SourceRetry(
                total=ATTEMPTS - 1,
                connect=ATTEMPTS - 1,
                read=ATTEMPTS - 1,
                status=ATTEMPTS - 1,
                other=0,
                redirect=0,
                allowed_methods=frozenset({"GET"}),
                status_forcelist=RETRY_STATUSES,
                backoff_factor=backoff,
                respect_retry_after_header=True,
                raise_on_status=False,
                raise_on_redirect=False,
            )
            self._session = session or requests.Session()
            adapter = GuardedAdapter(self._guard, max_retries=retry)
            self._session.mount("https://", adapter)
            self._session.mount("http://", adapter)
            self._restore()

    def __repr__(self) -> str:
        auth = ", auth_header=Secret('***')" if self._auth else ""
        return f"ExportSource({self._display!r}{auth})"

    @property
    def location(self) -> str:
        """The location as it is safe to show (no credentials, no query string)."""
        return self._display

    @property
    def is_url(self) -> bool:
        return self._url is not None

    def fetch(self) -> Fetched:
        """The current export files; raise ``SourceError`` (keeping the last good copy).

        A URL's download as a whole finishes within the deadline or is cut off."""
        if self._url is None:
            result = self._fetch_local()
        else:
            self._guard.start(self._deadline)
            try:
                result = self._fetch_url()
            except DeadlinePassed:
                if self._guard.cancelled:
                    raise SourceError(
                        f"{self._display}: download stopped (shutting down)"
                    ) from None
                raise SourceError(self._deadline_message()) from None
            except Refused as exc:
                raise SourceError(f"{self._display}: refused: {exc}") from None
            finally:
                self._guard.finish()
        log.info("export source %s: %s", self._display, result.detail)
        return result

    def cancel(self) -> None:
        """Stop a download under way (the process is shutting down)."""
        self._guard.cancel()

    def keep(self, fetched: Fetched) -> None:
        """``fetched`` read well: make it the copy on disk a new process starts from (a
        download that did not read well never replaces it). Nothing to do for local paths."""
        if self._url is None or not fetched.paths:
            return
        folder = _top_folder(fetched.paths[0], self._cache_dir)
        if folder is None or not folder.is_dir():
            return
        now = datetime.now(UTC)
        meta = {
            "fetched_at": now.isoformat(),
            "fingerprint": fetched.fingerprint,
            "etag": self._etag,
            "last_modified": self._last_modified,
            "files": [str(p.relative_to(folder)) for p in fetched.paths],
        }
        superseded = self._kept_name()
        try:
            (folder / META).write_text(json.dumps(meta))
            link = self._cache_dir / f".{CURRENT}-{folder.name}"
            os.symlink(folder.name, link, target_is_directory=True)
            os.replace(link, self._cache_dir / CURRENT)
        except OSError as exc:
            log.warning("could not keep the download in %s (%s)", self._cache_dir, exc)
            return
        self._kept = now
        self._drop_folders_except(folder, superseded=superseded)

    def cached(self) -> Fetched | None:
        """The copy kept on disk by an earlier process (``keep``), for when the URL cannot be
        fetched and this process has read nothing yet; its detail says how old it is."""
        if self._url is None or self._kept is None or self._fingerprint is None:
            return None
        if not self._paths or not all(p.is_file() for p in self._paths):
            return None
        return Fetched(
            True,
            self._paths,
            self._fingerprint,
            f"the copy of {self._display} downloaded {age_text(self._kept)} "
            f"({self._kept:%Y-%m-%d %H:%M} UTC)",
        )

    def _restore(self) -> None:
        """Pick up the copy an earlier process kept, so the first fetch can be conditional
        and ``cached()`` has something to fall back on."""
        kept = self._kept_name()
        if kept is None:
            return
        folder = self._cache_dir / kept
        try:
            meta = json.loads((folder / META).read_text())
            paths = tuple(folder / str(name) for name in meta["files"])
            fetched_at = datetime.fromisoformat(str(meta["fetched_at"]))
            fingerprint = str(meta["fingerprint"])
        except (OSError, ValueError, KeyError, TypeError):
            return
        if paths and all(p.is_file() for p in paths):
            self._paths, self._fingerprint, self._kept = paths, fingerprint, fetched_at
            self._etag = meta.get("etag") or None
            self._last_modified = meta.get("last_modified") or None

    # --- local files ---
    def _fetch_local(self) -> Fetched:
        path = Path(self._location).expanduser()
        try:
            if path.is_dir():
                files = sorted(
                    c for c in path.iterdir() if c.suffix.lower() == ".csv" and c.is_file()
                )
                if not files:
                    raise SourceError(f"{path}: no CSV files in this folder")
            elif path.is_file():
                files = [path]
            else:
                raise SourceError(f"{path}: no such file or folder; check DEALNUDGE_SOURCE")
            digest = hashlib.sha256()
            for f in files:
                st = f.stat()
                digest.update(f"{f.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError as exc:
            raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        fingerprint = digest.hexdigest()
        changed = fingerprint != self._fingerprint
        self._fingerprint, self._paths = fingerprint, tuple(files)
        what = f"{len(files)} CSV file{'s' if len(files) != 1 else ''} in {path}"
        return Fetched(
            changed, self._paths, fingerprint, f"{what}, {'changed' if changed else 'unchanged'}"
        )

    # --- URLs ---
    def _check_url(self, location: str, *, hop: bool = False) -> SplitResult:
        """``location`` split, or ``SourceError`` when it is not a URL to download from
        (``hop``: a redirect's target, named as such)."""
        try:
            url = urlsplit(location)
            host = (url.hostname or "").lower()
            _ = url.port  # raises ValueError on a malformed port
        except ValueError:
            raise SourceError(f"{self._display}: not a valid URL") from None
        scheme = url.scheme.lower()
        if scheme not in ("http", "https"):
            raise SourceError(
                f"{self._display}: only https:// URLs or local paths are supported, not {scheme}://"
            )
        if not host:
            raise SourceError(f"{self._display}: the URL has no host name")
        if scheme == "http" and host not in self._allow_http:
            if hop:
                raise SourceError(
                    f"{self._display}: the server redirected to a plain http:// address "
                    f"({host}); refusing an unencrypted download"
                )
            raise SourceError(
                f"{self._display}: plain http:// is not allowed (the export and any "
                "credentials would travel unencrypted); use an https:// URL"
            )
        return url

    def _fetch_url(self) -> Fetched:
        assert self._session is not None
        headers: dict[str, str] = {}
        if self._auth is not None:
            headers["Authorization"] = self._auth.value
        have_copy = bool(self._paths) and all(p.is_file() for p in self._paths)
        if have_copy:
            if self._etag:
                headers["If-None-Match"] = self._etag
            if self._last_modified:
                headers["If-Modified-Since"] = self._last_modified
        try:
            self._cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SourceError(
                f"cannot create the download folder {self._cache_dir} "
                f"({exc.strerror or exc}); the export from {self._display} was not fetched"
            ) from None
        response = self._get(headers)
        with response:
            if response.status_code == 304 and have_copy and self._fingerprint is not None:
                return Fetched(
                    False,
                    self._paths,
                    self._fingerprint,
                    f"not modified since the last download from {self._display} (HTTP 304)",
                )
            if response.status_code != 200:
                raise SourceError(self._status_message(response.status_code))
            return self._download(response)

    def _get(self, headers: dict[str, str]) -> requests.Response:
        """GET the URL, following redirects by hand: each hop is checked (scheme, and the
        addresses its host resolves to) before any request goes to it. Credentials go only
        to the configured origin."""
        assert self._session is not None and self._url is not None
        origin = _origin(self._url)
        self._guard.start_from(self._url.hostname or "", _port(self._url))
        url, parts = self._location, self._url
        for hop in range(MAX_HOPS + 1):
            if hop:  # the configured host is allowed by definition (start_from)
                self._guard.check_host(parts.hostname or "", _port(parts))
            sent = headers if _origin(parts) == origin else {
                k: v for k, v in headers.items() if k != "Authorization"
            }  # fmt: skip
            wait = min(self._timeout, self._guard.remaining())
            try:
                response = self._session.get(
                    url, headers=sent, stream=True, timeout=(wait, wait), allow_redirects=False
                )
            except requests.RequestException as exc:
                self._guard.remaining()  # the deadline, when it is what cut the request
                raise SourceError(self._network_message(exc)) from None
            target = response.headers.get("Location") if response.status_code in REDIRECTS else None
            if not target:
                return response
            response.close()
            url = urljoin(url, target)
            parts = self._check_url(url, hop=True)
        raise SourceError(f"{self._display}: the server redirected too many times; check the URL")

    def _download(self, response: requests.Response) -> Fetched:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type in ("text/html", "application/xhtml+xml"):
            raise SourceError(self._not_csv_message("an HTML page (a login page?)"))
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise SourceError(self._too_big_message())
        try:
            incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=self._cache_dir))
        except OSError as exc:
            raise SourceError(
                f"cannot write to the download folder {self._cache_dir} ({exc.strerror or exc})"
            ) from None
        try:
            part = incoming / PART
            fingerprint, size, head = self._stream(response, part)
            etag = response.headers.get("ETag")
            last_modified = response.headers.get("Last-Modified")
            if fingerprint == self._fingerprint and all(p.is_file() for p in self._paths):
                shutil.rmtree(incoming, ignore_errors=True)
                self._etag, self._last_modified = etag, last_modified
                return Fetched(
                    False,
                    self._paths,
                    fingerprint,
                    f"downloaded {self._display} again ({_size(size)}); content unchanged",
                )
            if head.startswith(ZIP_MAGIC):
                names = self._extract_zip(part, incoming)
                part.unlink()
            else:
                name = self._csv_name(response)
                os.replace(part, incoming / name)
                names = [Path(name)]
            paths = self._install(incoming, names)
        except SourceError:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        except OSError as exc:
            shutil.rmtree(incoming, ignore_errors=True)
            raise SourceError(
                f"could not save the export from {self._display} under {self._cache_dir} "
                f"({exc.strerror or type(exc).__name__}); the last good copy is kept"
            ) from None
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        self._fingerprint, self._paths = fingerprint, paths
        self._etag, self._last_modified = etag, last_modified
        count = f"{len(paths)} CSV file{'s' if len(paths) != 1 else ''}"
        return Fetched(
            True, paths, fingerprint, f"downloaded {count} ({_size(size)}) from {self._display}"
        )

    def _stream(self, response: requests.Response, part: Path) -> tuple[str, int, bytes]:
        """Write the body to ``part``; return its sha256, size and first bytes."""
        digest = hashlib.sha256()
        size = 0
        head = b""
        sniffed = False
        try:
            with part.open("wb") as out:
                for chunk in response.iter_content(chunk_size=CHUNK):
                    if not chunk:
                        continue
                    size += len(chunk)
                    if size > self._max_bytes:
                        raise SourceError(self._too_big_message())
                    digest.update(chunk)
                    out.write(chunk)
                    if not sniffed:
                        head += chunk[: SNIFF - len(head)]
                        if len(head) >= SNIFF:
                            self._sniff(head)
                            sniffed = True
        except requests.RequestException as exc:
            self._guard.remaining()
            raise SourceError(self._network_message(exc)) from None
        self._guard.remaining()  # a cut-off body without a length ends "normally"
        if size == 0:
            raise SourceError(f"{self._display}: the URL returned an empty file, not a CSV export")
        if not sniffed:
            self._sniff(head)
        return digest.hexdigest(), size, head

    def _sniff(self, head: bytes) -> None:
        kind = not_csv(head)
        if kind:
            raise SourceError(self._not_csv_message(kind))

    def _extract_zip(self, archive: Path, dest: Path) -> list[Path]:
        """Unpack the CSV members of ``archive`` into ``dest``; return their relative paths."""
        d = self._display
        try:
            with zipfile.ZipFile(archive) as zf:
                members: list[tuple[zipfile.ZipInfo, list[str]]] = []
                for info in zf.infolist():
                    name = info.filename.replace("\\", "/")
                    parts = [p for p in name.split("/") if p not in ("", ".")]
                    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
                        raise SourceError(
                            f"{d}: the ZIP contains an unsafe file path {info.filename!r} "
                            "(absolute or with '..'); refusing to unpack it"
                        )
                    if info.is_dir() or not parts or parts[0] == "__MACOSX":
                        continue
                    if parts[-1].startswith(".") or not parts[-1].lower().endswith(".csv"):
                        continue
                    members.append((info, parts))
                if not members:
                    raise SourceError(f"{d}: the ZIP contains no CSV files")
                if sum(info.file_size for info, _ in members) > self._max_bytes:
                    raise SourceError(self._too_big_message(unpacked=True))
                written = 0
                names: list[Path] = []
                for info, parts in members:
                    target = dest.joinpath(*parts)
                    if not target.resolve().is_relative_to(dest.resolve()):
                        raise SourceError(
                            f"{d}: the ZIP contains an unsafe file path {info.filename!r}; "
                            "refusing to unpack it"
                        )
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, target.open("xb") as out:
                        while chunk := src.read(CHUNK):
                            written += len(chunk)
                            if written > self._max_bytes:
                                raise SourceError(self._too_big_message(unpacked=True))
                            out.write(chunk)
                    names.append(Path(*parts))
        except FileExistsError:
            raise SourceError(f"{d}: the ZIP contains the same file twice") from None
        except RuntimeError:
            raise SourceError(
                f"{d}: the ZIP is password-protected; export it without a password"
            ) from None
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError):
            raise SourceError(
                f"{d}: the download looks like a ZIP file but could not be unpacked "
                "(damaged, incomplete or an unsupported compression)"
            ) from None
        return sorted(names)

    def _csv_name(self, response: requests.Response) -> str:
        """A safe file name for a single-CSV body: the server's, the URL's, or export.csv."""
        msg = Message()
        msg["Content-Disposition"] = response.headers.get("Content-Disposition", "")
        raw = msg.get_filename() or ""
        if not raw and self._url is not None:
            raw = unquote(self._url.path.rstrip("/").rsplit("/", 1)[-1])
        base = re.sub(r"[^\w.\- ]", "_", raw.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
        stem = base[:-4] if base.lower().endswith(".csv") else base
        return f"{stem or 'export'}.csv"

    def _install(self, incoming: Path, names: list[Path]) -> tuple[Path, ...]:
        """Make the fully written ``incoming`` folder this process's copy; the kept copy
        (``current``) stays until ``keep`` says the new one read well."""
        final = self._cache_dir / incoming.name.replace(".incoming-", "export-", 1)
        os.rename(incoming, final)
        self._drop_folders_except(final)
        return tuple(final / n for n in names)

    def _drop_folders_except(self, folder: Path, *, superseded: str | None = None) -> None:
        """Remove this process's other downloads, the copy ``keep`` just replaced
        (``superseded``) and anything left a day ago (a crashed process); never ``folder``,
        the kept copy, or what another process sharing the folder is reading now."""
        self._mine.add(folder.name)
        kept = self._kept_name()
        stale = time.time() - STALE_SECONDS
        for child in self._cache_dir.iterdir():
            name = child.name
            if not name.startswith(("export-", ".incoming-")) or name in (folder.name, kept):
                continue
            try:
                old = child.lstat().st_mtime < stale
            except OSError:
                continue
            if name in self._mine or name == superseded or old:
                shutil.rmtree(child, ignore_errors=True)
                self._mine.discard(name)

    def _kept_name(self) -> str | None:
        try:
            return Path(os.readlink(self._cache_dir / CURRENT)).name
        except OSError:
            return None

    # --- messages (never the URL's query string or credentials, never the auth value) ---
    def _network_message(self, exc: requests.RequestException) -> str:
        d = self._display
        if isinstance(exc, requests.exceptions.SSLError):
            return (
                f"{d}: the secure connection failed (certificate or TLS problem); "
                "check the host name in DEALNUDGE_SOURCE"
            )
        if isinstance(exc, requests.Timeout) or _is_timeout(exc):
            return (
                f"{d}: no answer within {self._timeout:g} s after {ATTEMPTS} attempts; "
                "the last good export is kept"
            )
        if isinstance(
            exc,
            requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError,
        ):
            return f"{d}: the download was cut off before the end; the last good export is kept"
        if isinstance(exc, requests.exceptions.TooManyRedirects):
            return f"{d}: the server redirected too many times; check the URL"
        if isinstance(exc, requests.ConnectionError):
            return (
                f"{d}: could not connect after {ATTEMPTS} attempts; check the address and "
                "that the server is reachable; the last good export is kept"
            )
        return f"{d}: the download failed ({type(exc).__name__}); the last good export is kept"

    def _status_message(self, status: int) -> str:
        d = self._display
        if status == 401:
            return (
                f"{d}: the server refused the credentials (HTTP 401); check DEALNUDGE_SOURCE_AUTH"
            )
        if status == 403:
            return (
                f"{d}: access denied (HTTP 403); check DEALNUDGE_SOURCE_AUTH and that the "
                "export is shared with that account"
            )
        if status in (404, 410):
            return f"{d}: nothing found at this address (HTTP {status}); check DEALNUDGE_SOURCE"
        if status == 429:
            return (
                f"{d}: the server is rate-limiting requests (HTTP 429) and still was after "
                f"{ATTEMPTS} attempts; the last good export is kept"
            )
        if status >= 500:
            return (
                f"{d}: the server failed (HTTP {status}) on all {ATTEMPTS} attempts; "
                "the last good export is kept"
            )
        return f"{d}: unexpected answer from the server (HTTP {status}); expected a CSV export"

    def _not_csv_message(self, kind: str) -> str:
        return (
            f"{self._display}: the URL returned {kind}, not a CSV export; "
            "the last good export is kept"
        )

    def _deadline_message(self) -> str:
        return (
            f"{self._display}: the download did not finish within {self._deadline:g} s "
            "(DEALNUDGE_SOURCE_DEADLINE); the server is too slow or stalled; "
            "the last good export is kept"
        )

    def _too_big_message(self, *, unpacked: bool = False) -> str:
        what = "the unpacked ZIP" if unpacked else "the download"
        return (
            f"{self._display}: {what} is larger than the {_size(self._max_bytes)} limit; "
            "export fewer records or raise the limit; the last good export is kept"
        )


def _is_timeout(exc: BaseException) -> bool:
    """True when a requests error wraps a urllib3 connect or read timeout."""
    for arg in exc.args:
        reason = arg.reason if isinstance(arg, MaxRetryError) else arg
        if isinstance(reason, NewConnectionError):  # a subclass of ConnectTimeoutError
            return False
        if isinstance(reason, ConnectTimeoutError | ReadTimeoutError | TimeoutError):
            return True
    return False


_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_MARKUP = re.compile(rb"<[a-z!?/]", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def not_csv(head: bytes) -> str:
    """What the first bytes of a body are when they cannot be a CSV export ("" when they may
    be): markup (HTML or XML, after any BOM, whitespace and comments), JSON, a PDF, or
    binary data. A ZIP is read elsewhere; UTF-16 text is decoded before looking."""
    if head.startswith(ZIP_MAGIC):
        return ""
    text = head
    for bom, codec in zip(_BOMS, ("utf-8", "utf-16-le", "utf-16-be"), strict=True):
        if head.startswith(bom):
            text = head[len(bom) :].decode(codec, errors="ignore").encode("utf-8")
            break
    start = _COMMENT.sub(b"", text.lstrip()).lstrip()
    if start.startswith(b"<!--"):  # a comment longer than the sniffed part
        return "an HTML or XML page"
    if _MARKUP.match(start):
        return "an HTML page (a login page?)" if b"html" in start[:200].lower() else (
            "an HTML or XML page"
        )  # fmt: skip
    if start[:1] == b"{" or re.match(rb"\[\s*[\[{\"\]]", start):
        return "JSON (an error message from an API?)"
    if start.startswith(b"%PDF"):
        return "a PDF"
    if b"\0" in text:
        return "binary data"
    return ""


def _origin(url: SplitResult) -> tuple[str, str, int]:
    return (url.scheme.lower(), (url.hostname or "").lower(), _port(url))


def _port(url: SplitResult) -> int:
    return url.port or (443 if url.scheme.lower() == "https" else 80)


def age_text(then: datetime) -> str:
    hours = max(0.0, (datetime.now(UTC) - then).total_seconds() / 3600)
    if hours < 1:
        return "less than an hour ago"
    if hours < 48:
        return f"{hours:.0f} h ago"
    return f"{hours / 24:.0f} days ago"


def _top_folder(path: Path, root: Path) -> Path | None:
    """The child of ``root`` that contains ``path``, or None when it is outside ``root``."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        return None
    return root / rel.parts[0] if rel.parts else None


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"
