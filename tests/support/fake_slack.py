"""A local fake of Slack's Web API for tests.

Serves ``http://127.0.0.1:PORT/api/<method>`` from a stdlib ``ThreadingHTTPServer`` on a
daemon thread. Give the app ``WebClient(base_url=fake.url, token="xoxb-...")``.

How slack_sdk 3.48 talks to it (read from slack_sdk/web/client.py and base_client.py):

* every call is a ``POST`` (``http_verb="GET"`` is ignored by the sync client);
* ``chat.postMessage/update/postEphemeral`` and ``views.*`` send a JSON body; most other
  methods (``users.lookupByEmail``, ``users.info``, ``conversations.open``,
  ``chat.delete``, ``files.*``) send ``application/x-www-form-urlencoded``, so nested
  values (``blocks``, ``files``) arrive as JSON *strings* (see ``Call.json_param``);
* the token travels as ``Authorization: Bearer ...`` (a ``token=`` kwarg is moved there);
* ``files_upload_v2`` calls ``files.getUploadURLExternal`` (form), POSTs the raw bytes
  to ``upload_url`` with urllib (no auth header, and urllib labels the bytes
  ``application/x-www-form-urlencoded``), requires HTTP 200, then calls
  ``files.completeUploadExternal`` (form, ``files`` is a JSON string) and reads
  ``response["files"]``.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import random
import threading
import time
import urllib.parse
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

JsonDict = dict[str, Any]

TEAM_ID = "T0FAKE001"
TEAM_DOMAIN = "dealnudge-test"
BOT_ID = "B0FAKEBOT"
BOT_USER_ID = "U0FAKEBOT"
APP_ID = "A0FAKEAPP"
DEFAULT_SCOPES = "chat:write,commands,im:write,users:read,users:read.email,files:write"

# Block Kit limits the fake enforces on plain dicts (slack_sdk never checks dicts).
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MESSAGE_TEXT_LIMIT = 40_000


@dataclass(frozen=True)
class Call:
    """One HTTP request the fake received, with the status it answered."""

    method: str
    params: JsonDict
    headers: dict[str, str]  # keys lower-cased
    at: float
    status: int = 200
    path: str = ""
    body: bytes = b""
    response: JsonDict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok", True))

    def json_param(self, name: str) -> Any:
        """A parameter that may be a JSON string (form bodies) or already decoded (JSON)."""
        value = self.params.get(name)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            return json.loads(value)
        return value


@dataclass
class _FailNext:
    status: int
    retry_after: int | None
    error: str | None
    remaining: int
    where: Callable[[JsonDict], bool] | None = None


@dataclass
class _FailRate:
    rate: float
    status: int
    rng: random.Random
    error: str | None


@dataclass
class _Hang:
    seconds: float
    remaining: int | None


@dataclass
class _User:
    user_id: str
    email: str
    name: str
    tz: str
    is_admin: bool
    is_bot: bool = False
    deleted: bool = False


@dataclass
class _Reply:
    status: int
    body: JsonDict | str
    headers: dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlack


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        return

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.fake._dispatch(self.path, headers, body)
        if isinstance(reply.body, str):
            payload = reply.body.encode("utf-8")
            content_type = "text/plain; charset=utf-8"
        else:
            payload = json.dumps(reply.body).encode("utf-8")
            content_type = "application/json; charset=utf-8"
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


def _single(values: dict[str, list[str]]) -> JsonDict:
    return {k: v[0] if len(v) == 1 else v for k, v in values.items()}


def _parse_body(content_type: str, body: bytes) -> tuple[JsonDict, dict[str, bytes]]:
    """Params and uploaded files from a JSON, form or multipart body."""
    ctype = content_type.split(";")[0].strip().lower()
    if not body:
        return {}, {}
    if ctype == "application/json":
        decoded = json.loads(body.decode("utf-8"))
        return (decoded if isinstance(decoded, dict) else {"_json": decoded}), {}
    if ctype == "multipart/form-data":
        raw = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        params: JsonDict = {}
        files: dict[str, bytes] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            data = part.get_payload(decode=True)
            data = data if isinstance(data, bytes) else b""
            if part.get_filename() is not None:
                files[name] = data
                params[name] = {"filename": part.get_filename(), "length": len(data)}
            else:
                params[name] = data.decode("utf-8")
        return params, files
    text = body.decode("utf-8", errors="replace")
    return _single(urllib.parse.parse_qs(text, keep_blank_values=True)), {}


def _text_len(obj: Any) -> int:
    if isinstance(obj, dict):
        return len(str(obj.get("text", "")))
    return 0


def _block_error(blocks: Any, limit: int) -> str | None:
    """A description of the first Block Kit limit ``blocks`` breaks, or None."""
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            return "blocks is not valid JSON"
    if not isinstance(blocks, list):
        return "blocks must be a list"
    if len(blocks) > limit:
        return f"{len(blocks)} blocks > {limit}"
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or "type" not in block:
            return f"block {i} has no type"
        kind = block["type"]
        if len(str(block.get("block_id", ""))) > 255:
            return f"block {i} block_id > 255"
        if kind == "section":
            if _text_len(block.get("text")) > 3000:
                return f"block {i} section text > 3000"
            fields = block.get("fields") or []
            if len(fields) > 10:
                return f"block {i} section fields > 10"
            if any(_text_len(f) > 2000 for f in fields):
                return f"block {i} section field > 2000"
        elif kind == "header" and _text_len(block.get("text")) > 150:
            return f"block {i} header text > 150"
        elif kind == "actions" and len(block.get("elements") or []) > 25:
            return f"block {i} actions elements > 25"
        elif kind == "context" and len(block.get("elements") or []) > 10:
            return f"block {i} context elements > 10"
        elements = list(block.get("elements") or [])
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for el in elements:
            if not isinstance(el, dict):
                continue
            if len(str(el.get("action_id", ""))) > 255:
                return f"block {i} action_id > 255"
            if el.get("type") == "button":
                if _text_len(el.get("text")) > 75:
                    return f"block {i} button text > 75"
                if len(str(el.get("value", ""))) > 2000:
                    return f"block {i} button value > 2000"
                if len(str(el.get("url", ""))) > 3000:
                    return f"block {i} button url > 3000"
    return None


class FakeSlack:
    """Local fake of Slack's Web API; see module docstring.

    Use as a context manager or call ``start()``/``stop()``. All public methods are
    thread-safe.
    """

    def __init__(
        self,
        *,
        team_id: str = TEAM_ID,
        team_domain: str = TEAM_DOMAIN,
        bot_id: str = BOT_ID,
        bot_user_id: str = BOT_USER_ID,
        scopes: str = DEFAULT_SCOPES,
        validate_blocks: bool = True,
    ) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_id = bot_id
        self.bot_user_id = bot_user_id
        self.scopes = scopes
        self.validate_blocks = validate_blocks
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._last_ts = 0.0
        self._reset_state()
        self._users: dict[str, _User] = {}
        self.socket_mode_url: str | None = None  # what apps.connections.open hands out

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeSlack:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.name = f"FakeSlack:{self.port}"
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # releases hang()s
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._server.server_address[1])

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def url(self) -> str:
        """Base URL for ``WebClient(base_url=...)``."""
        return self.root + "api/"

    def response_url(self, name: str = "x") -> str:
        """A response_url whose POSTs are recorded as method ``"response_url"``."""
        return f"{self.root}response/{urllib.parse.quote(name)}"

    # ------------------------------------------------------------------ state
    def _reset_state(self) -> None:
        self._calls: list[Call] = []
        self._fail_next: dict[str, deque[_FailNext]] = {}
        self._fail_rate: dict[str, _FailRate] = {}
        self._hangs: dict[str, _Hang] = {}
        self._rate_limits: dict[str, tuple[float, deque[float]]] = {}
        self._messages: dict[tuple[str, str], JsonDict] = {}
        self._ephemeral: list[JsonDict] = []
        self._dm_ids: dict[str, str] = {}
        self._views: dict[str, JsonDict] = {}
        self._home: dict[str, JsonDict] = {}
        self._files: dict[str, JsonDict] = {}
        self._uploads: dict[str, bytes] = {}
        self._lost: dict[str, int] = {}

    def reset(self) -> None:
        """Forget calls, messages, views, files and faults; keep users and the server."""
        with self._lock:
            self._reset_state()
            self._changed.notify_all()

    def add_user(
        self,
        user_id: str,
        email: str,
        name: str,
        tz: str = "America/New_York",
        is_admin: bool = False,
        *,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> None:
        with self._lock:
            self._users[user_id] = _User(user_id, email, name, tz, is_admin, is_bot, deleted)

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every recorded call, oldest first."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until ``count`` calls to ``method`` (matching ``where``) were recorded."""
        deadline = time.monotonic() + timeout

        def matching() -> list[Call]:
            return [c for c in self._calls if c.method == method and (where is None or where(c))]

        with self._changed:
            while True:
                found = matching()
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = ", ".join(f"{c.method}[{c.status}]" for c in self._calls) or "nothing"
                    raise AssertionError(
                        f"FakeSlack: expected {count} call(s) to {method!r}"
                        f"{' matching where=' if where else ''} within {timeout}s, "
                        f"got {len(found)}; all calls seen: {seen}"
                    )
                self._changed.wait(min(left, 0.05))

    @property
    def messages(self) -> dict[tuple[str, str], JsonDict]:
        """Live (undeleted) messages keyed by (channel, ts); a snapshot copy."""
        with self._lock:
            return {k: dict(v) for k, v in self._messages.items()}

    def messages_in(self, channel: str) -> list[JsonDict]:
        with self._lock:
            return [dict(m) for (ch, _), m in self._messages.items() if ch == channel]

    @property
    def ephemeral_messages(self) -> list[JsonDict]:
        with self._lock:
            return [dict(m) for m in self._ephemeral]

    @property
    def home_views(self) -> dict[str, JsonDict]:
        """Last view published per user id."""
        with self._lock:
            return dict(self._home)

    @property
    def views(self) -> dict[str, JsonDict]:
        """Modals opened/updated, by view id."""
        with self._lock:
            return dict(self._views)

    @property
    def uploads(self) -> dict[str, bytes]:
        """Bytes POSTed to upload URLs, by file id."""
        with self._lock:
            return dict(self._uploads)

    def dm_channel(self, user_id: str) -> str:
        """The stable D-channel id conversations.open returns for ``user_id``."""
        with self._lock:
            if user_id not in self._dm_ids:
                # deterministic across runs (crc32, not hash()), unique within this fake
                candidate = f"D{zlib.crc32(user_id.encode()):010d}"
                taken = set(self._dm_ids.values())
                while candidate in taken:
                    candidate = f"D{next(self._ids):010d}"
                self._dm_ids[user_id] = candidate
            return self._dm_ids[user_id]

    # ------------------------------------------------------------------ faults
    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str | None = None,
        where: Callable[[JsonDict], bool] | None = None,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` (whose params match ``where``, if
        given) with ``status``.

        429 carries ``Retry-After: retry_after`` (an int: slack_sdk does ``int(header)``).
        ``status=200, error="channel_not_found"`` simulates a Slack API error.
        """
        with self._lock:
            self._fail_next.setdefault(method, deque()).append(
                _FailNext(status, retry_after, error, times, where)
            )

    def fail_rate(
        self,
        method_or_star: str,
        rate: float = 0.02,
        status: int = 500,
        seed: int = 0,
        error: str | None = None,
    ) -> None:
        """Fail a seeded-random fraction of calls; ``"*"`` matches any method.

        Deterministic for a seed and a given order of calls to the rule's method(s).
        """
        with self._lock:
            self._fail_rate[method_or_star] = _FailRate(rate, status, random.Random(seed), error)

    def hang(self, method: str, seconds: float, times: int | None = None) -> None:
        """Delay answers to ``method`` (``times`` calls, or all); stop() releases them."""
        with self._lock:
            self._hangs[method] = _Hang(seconds, times)

    def rate_limit(self, method: str, per_second: float) -> None:
        """429 + Retry-After when more than ``per_second`` calls land within one second."""
        with self._lock:
            self._rate_limits[method] = (per_second, deque())

    def lose_reply(self, method: str, status: int = 500, times: int = 1) -> None:
        """Carry out the next ``times`` calls, then answer ``status``: Slack did the work but
        the caller never learns it (the window where a naive retry double-sends)."""
        with self._lock:
            self._lost[method] = self._lost.get(method, 0) + times

    def clear_faults(self) -> None:
        with self._lock:
            self._lost.clear()
            self._fail_next.clear()
            self._fail_rate.clear()
            self._hangs.clear()
            self._rate_limits.clear()

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self, raw_path: str, headers: dict[str, str], body: bytes) -> _Reply:
        at = time.time()
        split = urllib.parse.urlsplit(raw_path)
        path = split.path
        query = _single(urllib.parse.parse_qs(split.query, keep_blank_values=True))
        params: JsonDict
        files: dict[str, bytes] = {}
        if path.startswith("/api/"):
            method = path[len("/api/") :]
            try:
                params, files = _parse_body(headers.get("content-type", ""), body)
            except ValueError:
                return self._record(
                    method,
                    {},
                    headers,
                    at,
                    path,
                    body,
                    _Reply(200, {"ok": False, "error": "invalid_json"}),
                )
            params = {**query, **params}
        elif path.startswith("/upload/"):
            method = "upload"
            params = {"file_id": path[len("/upload/") :], "length": len(body)}
        elif path.startswith("/response/"):
            method = "response_url"
            try:
                decoded = json.loads(body.decode("utf-8")) if body else {}
            except ValueError:
                decoded = {"_raw": body.decode("utf-8", errors="replace")}
            params = decoded if isinstance(decoded, dict) else {"_json": decoded}
        else:
            return self._record("?", {}, headers, at, path, body, _Reply(404, "not found"))

        fault = self._fault(method, params)
        if fault is not None:
            return self._record(method, params, headers, at, path, body, fault)
        if method not in ("upload", "response_url") and not self._authed(headers, params, method):
            reply = _Reply(200, {"ok": False, "error": "not_authed"})
            return self._record(method, params, headers, at, path, body, reply)
        try:
            with self._lock:
                reply = self._serve(method, params, files, body)
                if self._lost.get(method, 0) > 0:
                    self._lost[method] -= 1
                    reply = self._error_reply(500, None, None)
        except Exception as exc:  # a bug in the fake or an unparseable argument
            reply = _Reply(
                200, {"ok": False, "error": "invalid_arguments", "fake_error": repr(exc)}
            )
        return self._record(method, params, headers, at, path, body, reply)

    def _record(
        self,
        method: str,
        params: JsonDict,
        headers: dict[str, str],
        at: float,
        path: str,
        body: bytes,
        reply: _Reply,
    ) -> _Reply:
        response = reply.body if isinstance(reply.body, dict) else {"_text": reply.body}
        call = Call(method, params, headers, at, reply.status, path, body, response)
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()
        return reply

    @staticmethod
    def _authed(headers: dict[str, str], params: JsonDict, method: str) -> bool:
        auth = headers.get("authorization", "")
        token = (
            auth[len("Bearer ") :] if auth.startswith("Bearer ") else str(params.get("token", ""))
        )
        if method == "apps.connections.open":  # an app-level token, and only that
            return token.startswith("xapp-")
        return token.startswith(("xoxb-", "xoxp-", "xoxa-", "xoxe."))

    def _fault(self, method: str, params: JsonDict) -> _Reply | None:
        with self._lock:
            hang = self._hangs.get(method)
            if hang is not None and hang.remaining is not None:
                hang.remaining -= 1
                if hang.remaining <= 0:
                    del self._hangs[method]
        if hang is not None:
            self._stopping.wait(hang.seconds)
        with self._lock:
            limit = self._rate_limits.get(method)
            if limit is not None:
                per_second, window = limit
                now = time.monotonic()
                while window and now - window[0] >= 1.0:
                    window.popleft()
                if len(window) >= per_second:
                    return self._error_reply(429, 1, None)
                window.append(now)
            queue = self._fail_next.get(method)
            rule = next((r for r in queue or () if r.where is None or r.where(params)), None)
            if queue and rule is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    queue.remove(rule)
                return self._error_reply(rule.status, rule.retry_after, rule.error)
            for key in (method, "*"):
                rate = self._fail_rate.get(key)
                if rate is not None and rate.rng.random() < rate.rate:
                    return self._error_reply(rate.status, 1, rate.error)
        return None

    @staticmethod
    def _error_reply(status: int, retry_after: int | None, error: str | None) -> _Reply:
        default = {429: "ratelimited", 200: "fatal_error"}.get(status, "internal_error")
        headers: dict[str, str] = {}
        if status == 429 and retry_after is not None:
            headers["Retry-After"] = str(int(retry_after))
        return _Reply(status, {"ok": False, "error": error or default}, headers)

    # ------------------------------------------------------------------ methods
    def _new_ts(self) -> str:
        ts = max(time.time(), self._last_ts + 0.000001)
        self._last_ts = ts
        return f"{ts:.6f}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}FAKE"

    def _user_json(self, user: _User) -> JsonDict:
        try:
            offset = ZoneInfo(user.tz).utcoffset(datetime.now())
            tz_offset = int(offset.total_seconds()) if offset is not None else 0
        except (ZoneInfoNotFoundError, ValueError):
            tz_offset = 0
        return {
            "id": user.user_id,
            "team_id": self.team_id,
            "name": user.email.split("@")[0],
            "deleted": user.deleted,
            "real_name": user.name,
            "tz": user.tz,
            "tz_label": user.tz,
            "tz_offset": tz_offset,
            "is_admin": user.is_admin,
            "is_owner": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "profile": {
                "email": user.email,
                "real_name": user.name,
                "display_name": user.name.split(" ")[0],
                "team": self.team_id,
            },
        }

    def _serve(self, method: str, p: JsonDict, files: dict[str, bytes], body: bytes) -> _Reply:
        if method == "response_url":
            return _Reply(200, "ok")
        if method == "upload":
            meta = self._files.get(str(p["file_id"]))
            if meta is None:
                return _Reply(404, "file not found")
            self._uploads[meta["id"]] = body
            meta.update(uploaded=True, size=len(body))
            return _Reply(200, f"OK - {len(body)}")
        if files:
            p["_files"] = {k: len(v) for k, v in files.items()}
        handler = self._HANDLERS.get(method)
        if handler is None:
            return _Reply(200, {"ok": True})
        result = handler(self, p)
        if isinstance(result, _Reply):
            return result
        return _Reply(200, result, {"x-oauth-scopes": self.scopes} if method == "auth.test" else {})

    def _auth_test(self, p: JsonDict) -> JsonDict:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": "Dealnudge Test",
            "user": "dealnudge",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _connections_open(self, p: JsonDict) -> JsonDict:
        if self.socket_mode_url is None:
            return {"ok": False, "error": "socket_mode_not_enabled"}
        return {"ok": True, "url": self.socket_mode_url}

    def _users_lookup(self, p: JsonDict) -> JsonDict:
        email = str(p.get("email", "")).strip().lower()
        for user in self._users.values():
            if user.email.lower() == email and email:
                return {"ok": True, "user": self._user_json(user)}
        return {"ok": False, "error": "users_not_found"}

    def _users_info(self, p: JsonDict) -> JsonDict:
        user = self._users.get(str(p.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": self._user_json(user)}

    def _conversations_open(self, p: JsonDict) -> JsonDict:
        users = p.get("users")
        if isinstance(users, list):
            ids = [str(u) for u in users]
        else:
            ids = [u for u in str(users or "").split(",") if u]
        if not ids:
            if p.get("channel"):
                return {"ok": True, "channel": {"id": p["channel"]}}
            return {"ok": False, "error": "users_list_not_supplied"}
        if len(ids) == 1:
            return {"ok": True, "channel": {"id": self.dm_channel(ids[0]), "is_im": True}}
        key = ",".join(sorted(ids))
        return {"ok": True, "channel": {"id": "G" + self.dm_channel(key)[1:], "is_mpim": True}}

    def _channel_of(self, p: JsonDict) -> str:
        channel = str(p.get("channel", ""))
        if channel[:1] in ("U", "W"):  # posting to a user id lands in the bot DM
            return self.dm_channel(channel)
        return channel

    def _message_error(self, p: JsonDict, need_text: bool = True) -> JsonDict | None:
        if not p.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if need_text and not (p.get("text") or p.get("blocks") or p.get("attachments")):
            return {"ok": False, "error": "no_text"}
        if len(str(p.get("text") or "")) > MESSAGE_TEXT_LIMIT:
            return {"ok": False, "error": "msg_too_long"}
        if self.validate_blocks and p.get("blocks") is not None:
            problem = _block_error(p["blocks"], MESSAGE_BLOCK_LIMIT)
            if problem:
                return {
                    "ok": False,
                    "error": "invalid_blocks",
                    "response_metadata": {"messages": [f"[ERROR] {problem}"]},
                }
        return None

    def _message_json(self, p: JsonDict, ts: str) -> JsonDict:
        msg: JsonDict = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": APP_ID,
            "ts": ts,
            "team": self.team_id,
            "text": p.get("text", ""),
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if p.get(key) is not None:
                value = p[key]
                msg[key] = (
                    json.loads(value) if isinstance(value, str) and key != "thread_ts" else value
                )
        return msg

    def _chat_post(self, p: JsonDict) -> JsonDict:
        err = self._message_error(p)
        if err:
            return err
        channel, ts = self._channel_of(p), self._new_ts()
        msg = self._message_json(p, ts)
        self._messages[(channel, ts)] = msg
        return {"ok": True, "channel": channel, "ts": ts, "message": msg}

    def _chat_update(self, p: JsonDict) -> JsonDict:
        err = self._message_error(p, need_text=False)
        if err:
            return err
        channel, ts = self._channel_of(p), str(p.get("ts", ""))
        if (channel, ts) not in self._messages:
            return {"ok": False, "error": "message_not_found"}
        old = self._messages[(channel, ts)]
        new = self._message_json(p, ts)
        merged = {
            **old,
            **{k: v for k, v in new.items() if k in p},
            "edited": {"ts": self._new_ts()},
        }
        self._messages[(channel, ts)] = merged
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": merged.get("text", ""),
            "message": merged,
        }

    def _chat_ephemeral(self, p: JsonDict) -> JsonDict:
        err = self._message_error(p)
        if err:
            return err
        if not p.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        ts = self._new_ts()
        msg = self._message_json(p, ts)
        msg.update(channel=self._channel_of(p), user=p["user"])
        self._ephemeral.append(msg)
        return {"ok": True, "message_ts": ts}  # real Slack: message_ts, no ts/channel

    def _chat_delete(self, p: JsonDict) -> JsonDict:
        channel, ts = self._channel_of(p), str(p.get("ts", ""))
        if self._messages.pop((channel, ts), None) is None:
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": channel, "ts": ts}

    def _view_from(self, p: JsonDict) -> JsonDict | _Reply:
        view = p.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                view = None
        if not isinstance(view, dict) or "type" not in view:
            return _Reply(200, {"ok": False, "error": "invalid_arguments"})
        if self.validate_blocks:
            problem = _block_error(view.get("blocks", []), VIEW_BLOCK_LIMIT)
            if problem is None and len(str(view.get("private_metadata", ""))) > 3000:
                problem = "private_metadata > 3000"
            for key in ("title", "submit", "close"):
                if problem is None and _text_len(view.get(key)) > 24:
                    problem = f"{key} > 24"
            if problem:
                return _Reply(
                    200,
                    {
                        "ok": False,
                        "error": "invalid_arguments",
                        "response_metadata": {"messages": [f"[ERROR] {problem}"]},
                    },
                )
        return dict(view)

    def _views_publish(self, p: JsonDict) -> JsonDict | _Reply:
        view = self._view_from(p)
        if isinstance(view, _Reply):
            return view
        user_id = str(p.get("user_id", ""))
        if not user_id:
            return {"ok": False, "error": "invalid_arguments"}
        old = self._home.get(user_id)
        view.update(
            id=old["id"] if old else self._new_id("V"),
            team_id=self.team_id,
            hash=self._new_ts(),
            app_id=APP_ID,
            bot_id=self.bot_id,
        )
        self._home[user_id] = view
        return {"ok": True, "view": view}

    def _views_open(self, p: JsonDict) -> JsonDict | _Reply:
        if not p.get("trigger_id") and not p.get("interactivity_pointer"):
            return {"ok": False, "error": "invalid_arguments"}
        view = self._view_from(p)
        if isinstance(view, _Reply):
            return view
        view.update(
            id=self._new_id("V"),
            team_id=self.team_id,
            hash=self._new_ts(),
            app_id=APP_ID,
            bot_id=self.bot_id,
            state={"values": {}},
        )
        self._views[view["id"]] = view
        return {"ok": True, "view": view}

    def _views_update(self, p: JsonDict) -> JsonDict | _Reply:
        view = self._view_from(p)
        if isinstance(view, _Reply):
            return view
        view_id = p.get("view_id")
        if not view_id and p.get("external_id"):
            view_id = next(
                (k for k, v in self._views.items() if v.get("external_id") == p["external_id"]),
                None,
            )
        if not view_id or view_id not in self._views:
            return {"ok": False, "error": "not_found"}
        view.update(
            id=view_id,
            team_id=self.team_id,
            hash=self._new_ts(),
            app_id=APP_ID,
            bot_id=self.bot_id,
            state={"values": {}},
        )
        self._views[str(view_id)] = view
        return {"ok": True, "view": view}

    def _files_get_upload_url(self, p: JsonDict) -> JsonDict:
        if not p.get("filename") or not str(p.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._new_id("F")
        self._files[file_id] = {
            "id": file_id,
            "name": p["filename"],
            "length": int(p["length"]),
            "uploaded": False,
        }
        return {"ok": True, "upload_url": f"{self.root}upload/{file_id}", "file_id": file_id}

    def _files_complete(self, p: JsonDict) -> JsonDict:
        raw = p.get("files")
        try:
            items = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if not isinstance(items, list) or not items:
            return {"ok": False, "error": "invalid_arguments"}
        out = []
        for item in items:
            meta = self._files.get(str(item.get("id"))) if isinstance(item, dict) else None
            if meta is None or not meta["uploaded"]:
                return {"ok": False, "error": "file_not_found"}
            channels = [
                c for c in str(p.get("channels") or p.get("channel_id") or "").split(",") if c
            ]
            out.append(
                {
                    "id": meta["id"],
                    "name": meta["name"],
                    "title": item.get("title") or meta["name"],
                    "size": meta["size"],
                    "channels": channels,
                    "created": int(time.time()),
                }
            )
        return {"ok": True, "files": out}

    def _conversations_history(self, p: JsonDict) -> JsonDict:
        """Newest first, ``oldest``/``limit`` honoured; metadata only when asked for."""
        channel = self._channel_of(p)
        oldest = float(p.get("oldest") or 0)
        limit = int(p.get("limit") or 100)
        with_meta = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        found = sorted(
            (m for (ch, ts), m in self._messages.items() if ch == channel and float(ts) >= oldest),
            key=lambda m: float(m["ts"]),
            reverse=True,
        )[:limit]
        out = [m if with_meta else {k: v for k, v in m.items() if k != "metadata"} for m in found]
        return {"ok": True, "messages": out, "has_more": False}

    _HANDLERS: ClassVar[dict[str, Callable[[FakeSlack, JsonDict], JsonDict | _Reply]]] = {
        "auth.test": _auth_test,
        "apps.connections.open": _connections_open,
        "users.lookupByEmail": _users_lookup,
        "users.info": _users_info,
        "conversations.open": _conversations_open,
        "conversations.history": _conversations_history,
        "chat.postMessage": _chat_post,
        "chat.update": _chat_update,
        "chat.postEphemeral": _chat_ephemeral,
        "chat.delete": _chat_delete,
        "views.publish": _views_publish,
        "views.open": _views_open,
        "views.update": _views_update,
        "files.getUploadURLExternal": _files_get_upload_url,
        "files.completeUploadExternal": _files_complete,
    }
