"""What every CRM connector shares: the connector protocol, its errors and the HTTP client.

A connector (one per CRM) pulls the records dealnudge reads and writes them as the CSV
files of that CRM's export, which the existing readers read. ``Api`` is the one way a
connector talks HTTP: a deadline for the whole pull, a wait on 429 (``Retry-After`` or
a growing back-off), a few retries on 5xx and dropped connections, and errors whose
message a RevOps admin can act on (the missing permission or scope named). Tokens never
reach a log line, a message or a ``repr``.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import requests

from bot.ingest.source import SourceError
from rules.base import OWN_RECORD_PREFIX

log = logging.getLogger(__name__)

ATTEMPTS = 5  # tries of one request (429, 5xx, a dropped connection) before giving up
MAX_WAIT = 60.0  # longest wait on one Retry-After
PULL_DEADLINE = 1800.0  # seconds a whole pull may take
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class CrmError(SourceError):
    """A pull or write that failed; ``kind`` is auth, permission, rate, server, network or
    data, and the message (stable for one cause, so admins are told once) says what to do."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class Expired(Exception):
    """HTTP 401: the access token expired or was revoked (the connector signs in again)."""


class Progress(Protocol):
    def __call__(self, what: str, rows: int) -> None:
        """``rows`` of ``what`` (an object or file name) written so far."""


def no_progress(what: str, rows: int) -> None:
    """A ``Progress`` that shows nothing (the bot's scheduled pulls)."""


@dataclass(frozen=True)
class PulledFile:
    rows: int
    key: str | None  # the id column an incremental file merges on; None: the file is whole


@dataclass(frozen=True)
class Pulled:
    """What one pull wrote: each file with its rows, and whether it was a full pull."""

    files: Mapping[str, PulledFile]
    full: bool

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files.values())


@dataclass(frozen=True)
class Activity:
    """One thing a rep did in dealnudge that write-back records on the deal in the CRM."""

    marker: str  # unique per click; found again in the CRM so a retry never writes twice
    deal_id: str
    subject: str
    body: str
    when: datetime


def activity_marker(*parts: str) -> str:
    """A click's marker from what identifies it (the same for Slack's retries of one click,
    new for a new click): short enough for any CRM's text or external-id field."""
    return OWN_RECORD_PREFIX + hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


class Connector(Protocol):
    name: str  # "Salesforce"

    def pull(self, dest: Path, since: datetime | None, progress: Progress) -> Pulled:
        """Write the export's CSV files into ``dest``: every record (``since`` None) or only
        those changed since ``since`` (files that cannot be filtered are written whole)."""

    def record(self, activity: Activity) -> str:
        """Create a completed activity on the deal unless one with ``activity.marker``
        exists; return its CRM id."""

    def close(self) -> None: ...


@dataclass
class Deadline:
    """The time a pull has left; ``cancel()`` stops it at the next request or wait."""

    seconds: float = PULL_DEADLINE
    clock: Callable[[], float] = time.monotonic
    _start: float = field(default=0.0, init=False)
    _cancelled: threading.Event = field(default_factory=threading.Event, init=False)

    def start(self) -> None:
        self._start = self.clock()
        self._cancelled.clear()

    def stop(self) -> None:
        """The pull ended: calls outside a pull (write-back) have the whole deadline each."""
        self._start = 0.0

    def cancel(self) -> None:
        self._cancelled.set()

    def left(self, name: str) -> float:
        if self._cancelled.is_set():
            raise CrmError(f"{name}: pull stopped (shutting down)", "network")
        left = self.seconds - (self.clock() - self._start) if self._start else self.seconds
        if left <= 0:
            raise CrmError(
                f"{name}: the pull took longer than {self.seconds:.0f} s "
                "(DEALNUDGE_PULL_DEADLINE); the CRM is slow or the export very large",
                "network",
            )
        return left

    def wait(self, name: str, seconds: float) -> None:
        if seconds >= self.left(name):
            raise CrmError(
                f"{name}: the CRM asked to wait {seconds:.0f} s, past the pull's deadline "
                "(DEALNUDGE_PULL_DEADLINE)",
                "rate",
            )
        if self._cancelled.wait(seconds):
            self.left(name)


Explain = Callable[[requests.Response], str]


def check_base_url(name: str, url: str, variable: str) -> str:
    """``url`` without a trailing slash; https, or http only to this machine (fake servers,
    a local proxy). A ``SettingsError``-like ``CrmError`` names ``variable`` otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme == "https" and parts.hostname:
        return url.strip().rstrip("/")
    if parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS:
        return url.strip().rstrip("/")
    raise CrmError(
        f"{name}: {variable} must be an https:// address (http:// only to this machine)",
        "settings",
    )


class Api:
    """HTTP to one CRM, with its retries, waits and messages (see the module docstring).

    ``explain(response)`` gives a vendor's reason for a 403 or another 4xx (the missing
    permission or scope, taken from its documented error body)."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        explain: Explain,
        deadline: Deadline | None = None,
        session: requests.Session | None = None,
        timeout: float = 60.0,
        attempts: int = ATTEMPTS,
        backoff: float = 1.0,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline or Deadline()
        self._explain = explain
        self._session = session or requests.Session()
        self._timeout = timeout
        self._attempts = attempts
        self._backoff = backoff
        self.token: str | None = None  # sent as "Authorization: Bearer"; never shown

    def __repr__(self) -> str:
        return f"Api({self.name!r}, {self.base_url!r})"

    def close(self) -> None:
        self._session.close()

    def url(self, path: str) -> str:
        return (
            path
            if path.startswith(("http://", "https://"))
            else urljoin(self.base_url + "/", path.lstrip("/"))
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        json: Any = None,
        data: Mapping[str, str] | str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        auth: bool = True,
        retry: bool = True,
    ) -> requests.Response:
        """The response to one call (2xx); ``Expired`` on 401, ``CrmError`` otherwise.

        ``retry=False`` (a create that is not idempotent): one try; a dropped connection or
        a 5xx raises at once, and the caller looks for what it wrote before trying again."""
        url = self.url(path)
        where = urlsplit(url).path
        sent = dict(headers or {})
        if auth and self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        attempts = self._attempts if retry else 1
        for attempt in range(1, attempts + 1):
            timeout = min(self._timeout, self.deadline.left(self.name))
            try:
                response = self._session.request(
                    method, url, params=params, json=json, data=data, headers=sent,
                    timeout=timeout, stream=stream, allow_redirects=False,
                )  # fmt: skip
            except requests.RequestException as exc:
                if attempt == attempts:
                    raise CrmError(self._network_message(exc), "network") from None
                log.warning("%s %s %s: %s; retrying", self.name, method, where, type(exc).__name__)
                self.deadline.wait(self.name, self._backoff * 2 ** (attempt - 1))
                continue
            status = response.status_code
            if 200 <= status < 300:
                return response
            if status == 401:
                response.close()
                raise Expired(where)
            if status == 429 or status >= 500:
                if attempt == attempts:
                    response.close()
                    raise self._gave_up(status, attempts)
                wait = _retry_after(response) if status == 429 else None
                if wait is None:
                    wait = self._backoff * 2 ** (attempt - 1)
                response.close()
                log.warning("%s %s %s: HTTP %s; waiting %.1f s", self.name, method, where,
                            status, wait)  # fmt: skip
                self.deadline.wait(self.name, min(wait, MAX_WAIT))
                continue
            reason = _short(self._explain(response))
            response.close()
            if status == 403:
                raise CrmError(f"{self.name}: permission denied: {reason}", "permission")
            raise CrmError(f"{self.name}: {method} {where} was refused (HTTP {status}): {reason}",
                           "data")  # fmt: skip
        raise AssertionError("unreachable")

    def _gave_up(self, status: int, attempts: int) -> CrmError:
        if status == 429:
            return CrmError(
                f"{self.name}: still rate limited (HTTP 429) after {attempts} tries; the "
                "API limit is shared with the CRM's other integrations, so the next pull waits",
                "rate",
            )
        return CrmError(
            f"{self.name}: the CRM's API is failing (HTTP {status} after {attempts} "
            "tries); dealnudge tries again on the next refresh",
            "server",
        )

    def _network_message(self, exc: requests.RequestException) -> str:
        host = urlsplit(self.base_url).hostname or self.base_url
        if isinstance(exc, requests.Timeout):
            return f"{self.name}: {host} did not answer in time"
        return f"{self.name}: cannot reach {host} (network error); check the address"


def _retry_after(response: requests.Response) -> float | None:
    """Seconds to wait: ``Retry-After``, else ``X-RateLimit-Reset`` when it is a number of
    seconds (Pipedrive's), not a clock time."""
    for name in ("Retry-After", "X-RateLimit-Reset"):
        value = response.headers.get(name, "").strip()
        try:
            seconds = float(value) if value else None
        except ValueError:
            seconds = None
        if seconds is not None and 0 <= seconds <= 3600:
            return seconds
    return None


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def body_text(response: requests.Response) -> str:
    """A response body as text, for an ``explain`` that finds nothing better."""
    try:
        return response.text[:2000]
    except (requests.RequestException, UnicodeDecodeError):
        return ""


class CsvOut:
    """One export file being written: a header, then rows (all values as text)."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.columns = list(columns)
        self.rows = 0
        self._file = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file)
        self._writer.writerow(self.columns)

    def write(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in self.columns])
        self.rows += 1

    def write_all(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.write(row)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> CsvOut:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
