"""A fake HubSpot CRM API on 127.0.0.1, shaped after HubSpot's public API reference.

What it serves, and the reference page each shape was checked against:
- ``GET /crm/v3/objects/{type}`` (limit <= 100, ``after`` from ``paging.next.after``,
  comma-separated ``properties`` and ``associations``; results with ``id``, ``properties``,
  ``createdAt``, ``updatedAt``, ``archived`` and ``associations.{type}.results[{id, type}]``):
  CRM API | Deals / Objects guides;
- ``POST /crm/v3/objects/{type}/search`` (``filterGroups`` OR-ed, filters AND-ed, operators
  EQ/NEQ/GT/GTE/LT/LTE/HAS_PROPERTY/CONTAINS_TOKEN, ``associations.{type}`` EQ, ``sorts``,
  ``limit`` <= 200, ``after``, ``total``; no associations in the results; paging past 10,000
  results is a 400; no X-HubSpot-RateLimit headers): "Search the CRM";
- ``POST /crm/v3/objects/{type}/batch/read`` (<= 100 inputs; 207 naming ids not found) and
  ``POST /crm/v3/objects/{type}`` (create with ``associations[{to, types}]``; the type id
  decides the target object): Activities | Tasks, batch endpoints;
- ``POST /crm/v4/associations/{from}/{to}/batch/read`` and ``GET
  /crm/v4/objects/{from}/{id}/associations/{to}`` (``toObjectId``, ``associationTypes``
  with ``category``, ``typeId``, ``label``): Associations v4;
- ``GET /crm/v3/owners`` (id, email, firstName, lastName, userId, archived): CRM API | Owners;
- ``GET /crm/v3/pipelines/deals`` (pipelines and stages with ``metadata.isClosed`` and
  ``probability``): CRM API | Pipelines;
- ``GET /calling/v1/dispositions`` (``[{id, label}]``, the default call outcomes' GUIDs)
  and ``GET /account-info/v3/details`` (``timeZone``): their legacy / account pages.
Errors: 401 ``INVALID_AUTHENTICATION`` (a rotated token), 403 ``MISSING_SCOPES`` with
``errors[].context.requiredGranularScopes``, 429 ``RATE_LIMIT`` bodies (``policyName``
TEN_SECONDLY_ROLLING, or SECONDLY for search) with the X-HubSpot-RateLimit-* headers
("API usage guidelines and limits"). Knobs turn faults on; ``received`` records every call.

``seed(fake, scenario)`` fills it from a scenario file (bot/tools/scenario.py) as HubSpot
would store it: internal property names and values, ids, stage ids, associations, times in
UTC for an account in ``fake.timezone``; it shares nothing with the connector's mapping.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import re
import socket
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from bot.tools.scenario import Activity as Logged
from bot.tools.scenario import Deal, Scenario

TOKEN = "pat-eu1-11111111-2222-3333-4444-555555555555"
READ_SCOPES = frozenset({
    "crm.objects.deals.read", "crm.objects.contacts.read", "crm.objects.companies.read",
    "crm.objects.owners.read", "sales-email-read",
})  # fmt: skip
WRITE_SCOPES = frozenset({"crm.objects.contacts.write"})
OBJECT_SCOPES = {
    "deals": ("crm.objects.deals.read",),
    "contacts": ("crm.objects.contacts.read",),
    "companies": ("crm.objects.companies.read",),
    "calls": ("crm.objects.contacts.read",),
    "meetings": ("crm.objects.contacts.read",),
    "notes": ("crm.objects.contacts.read",),
    "tasks": ("crm.objects.contacts.read",),
    "emails": ("crm.objects.contacts.read", "sales-email-read"),
}
SINGULAR = {
    "deals": "deal", "contacts": "contact", "companies": "company", "calls": "call",
    "emails": "email", "meetings": "meeting", "notes": "note", "tasks": "task",
}  # fmt: skip
# HubSpot-defined association type ids (from -> to), each with its reverse.
ASSOCIATION_TYPES = {
    ("deals", "contacts"): 3, ("contacts", "deals"): 4,
    ("deals", "companies"): 341, ("companies", "deals"): 342,
    ("calls", "contacts"): 194, ("contacts", "calls"): 193,
    ("calls", "deals"): 206, ("deals", "calls"): 205,
    ("emails", "contacts"): 198, ("contacts", "emails"): 197,
    ("emails", "deals"): 210, ("deals", "emails"): 209,
    ("meetings", "contacts"): 200, ("contacts", "meetings"): 199,
    ("meetings", "deals"): 212, ("deals", "meetings"): 211,
    ("notes", "contacts"): 202, ("contacts", "notes"): 201,
    ("notes", "deals"): 214, ("deals", "notes"): 213,
    ("tasks", "contacts"): 204, ("contacts", "tasks"): 203,
    ("tasks", "deals"): 216, ("deals", "tasks"): 215,
}  # fmt: skip
PRIMARY = {("deals", "companies"): 5, ("companies", "deals"): 6}
BY_TYPE_ID = {v: k for types in (ASSOCIATION_TYPES, PRIMARY) for k, v in types.items()}
DEFAULT_PROPERTIES = ("hs_object_id", "createdate", "hs_lastmodifieddate")
DEFAULT_OUTCOMES = {
    "busy": "9d9162e7-6cf3-4944-bf63-4dff82258764",
    "connected": "f240bbac-87c9-4f6e-bf70-924b57d47db7",
    "left live message": "a4c4c377-d246-4b32-a13b-75a56a4cd0ff",
    "left voicemail": "b2cf5968-551e-4856-9783-52b3da59a7d0",
    "no answer": "73a0d17f-1163-4015-bdd5-ec830791da20",
    "wrong number": "17b47fee-58de-441e-a44c-c6300d46f273",
}
SEARCH_CAP = 10_000
Ordered = TypeVar("Ordered", float, str)
UNAUTHORIZED = {
    "status": "error",
    "message": "Authentication credentials not found. This API supports OAuth 2.0 "
    "authentication and you can find more details at "
    "https://developers.hubspot.com/docs/methods/auth/oauth-overview",
    "category": "INVALID_AUTHENTICATION",
}


@dataclass
class Obj:
    id: str
    properties: dict[str, str | None]
    created: datetime
    updated: datetime

    def json(self, names: list[str]) -> dict[str, Any]:
        props = {n: self.properties.get(n) for n in dict.fromkeys([*DEFAULT_PROPERTIES, *names])}
        props["hs_object_id"] = self.id
        props["createdate"] = self.properties.get("createdate") or _iso(self.created)
        props["hs_lastmodifieddate"] = _iso(self.updated)
        return {
            "id": self.id,
            "properties": props,
            "createdAt": _iso(self.created),
            "updatedAt": _iso(self.updated),
            "archived": False,
        }


@dataclass
class Fault:
    path: str  # a path prefix
    status: int
    times: int
    skip: int = 0  # matching requests let through first
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    method: str = ""
    drop: bool = False  # handle the request, then hang up without answering


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]


class FakeHubSpot(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.RLock()
        self.token = TOKEN
        self.scopes = set(READ_SCOPES | WRITE_SCOPES)
        self.timezone = "Europe/Berlin"
        self.objects: dict[str, dict[str, Obj]] = {k: {} for k in SINGULAR}
        # (from type, to type) -> from id -> to id -> association type ids
        self.links: dict[tuple[str, str], dict[str, dict[str, list[int]]]] = {}
        self.owners: list[dict[str, Any]] = []
        self.pipelines: list[dict[str, Any]] = []
        self.dispositions = [
            {"id": guid, "label": label.capitalize()} for label, guid in DEFAULT_OUTCOMES.items()
        ]
        self.page_size = 100  # the most a list page holds (HubSpot: 100)
        self.faults: list[Fault] = []
        self.received: list[Received] = []
        self.errors: list[str] = []  # the fake's own failures (none, or a test is wrong)
        self.clock = datetime(2026, 1, 1, tzinfo=UTC)  # when the next write happens
        self._next_id = 1000

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose

    # ------------------------------------------------------------------ knobs

    def fail_next(
        self,
        path: str,
        status: int,
        times: int = 1,
        *,
        skip: int = 0,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        method: str = "",
    ) -> None:
        """The next ``times`` requests under ``path`` (after ``skip`` good ones) answer
        ``status``; 500s get HubSpot's internal-error body unless ``body`` is given."""
        if body is None:
            body = {"status": "error", "message": "internal error",
                    "correlationId": str(uuid.uuid4()), "category": "INTERNAL_ERROR"}  # fmt: skip
        self.faults.append(Fault(path, status, times, skip, body, dict(headers or {}), method))

    def rate_limit(
        self, times: int, path: str = "/", *, retry_after: float | None = None, skip: int = 0
    ) -> None:
        """A 429 storm: the next ``times`` requests under ``path`` are rate limited, as the
        ten-secondly limit (or the search API's secondly one) answers."""
        search = path.endswith("/search")
        body = {
            "status": "error",
            "message": "You have reached your secondly limit."
            if search
            else "You have reached your ten_secondly_rolling limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": str(uuid.uuid4()),
            "policyName": "SECONDLY" if search else "TEN_SECONDLY_ROLLING",
            "groupName": "publicapi:crm:search" if search else "publicapi:private-app",
        }
        headers = {} if search else _rate_headers(remaining=0)
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        self.fail_next(path, 429, times, skip=skip, body=body, headers=headers)

    def drop_after(self, method: str, path: str, times: int = 1) -> None:
        """The next ``times`` ``method`` requests under ``path`` are carried out, then the
        connection is closed without an answer (a lost reply)."""
        self.faults.append(Fault(path, 0, times, method=method, drop=True))

    def rotate_token(self) -> None:
        """The private app's token is rotated: the old one answers 401."""
        self.token = "pat-eu1-" + str(uuid.uuid4())

    def revoke(self, scope: str) -> None:
        self.scopes.discard(scope)

    def requests_to(self, method: str, path: str) -> list[Received]:
        return [r for r in self.received if r.method == method and r.path == path]

    # ------------------------------------------------------------------ data

    def tick(self) -> datetime:
        self.clock += timedelta(seconds=1)
        return self.clock

    def new_id(self) -> str:
        self._next_id += 1
        return str(self._next_id)

    def add(
        self,
        kind: str,
        properties: Mapping[str, str | None],
        *,
        ident: str | None = None,
        created: datetime | None = None,
        modified: datetime | None = None,
    ) -> str:
        with self.lock:
            ident = ident or self.new_id()
            now = modified or self.tick()
            self.objects[kind][ident] = Obj(ident, dict(properties), created or now, now)
            return ident

    def update(self, kind: str, ident: str, **properties: str | None) -> None:
        """Change a record as a user would: its hs_lastmodifieddate moves to now."""
        with self.lock:
            obj = self.objects[kind][ident]
            obj.properties.update(properties)
            obj.updated = self.tick()

    def associate(self, kind: str, ident: str, other: str, other_id: str, primary: bool = False
                  ) -> None:  # fmt: skip
        with self.lock:
            for a, ai, b, bi in ((kind, ident, other, other_id), (other, other_id, kind, ident)):
                types = [ASSOCIATION_TYPES[a, b]]
                if primary and (a, b) in PRIMARY:
                    types.insert(0, PRIMARY[a, b])
                known = self.links.setdefault((a, b), {}).setdefault(ai, {}).setdefault(bi, [])
                known += [t for t in types if t not in known]

    def linked(self, kind: str, ident: str, other: str) -> dict[str, list[int]]:
        return self.links.get((kind, other), {}).get(ident, {})


# ---------------------------------------------------------------------- serving


class _Handler(BaseHTTPRequestHandler):
    server: FakeHubSpot
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()  # answers go out at once (no Nagle wait behind the header packet)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        fake = self.server
        with fake.lock:
            fake.received.append(
                Received(method, parts.path, parse_qs(parts.query), body, dict(self.headers))
            )
            fault = _fault(fake, method, parts.path)
            if fault is not None and not fault.drop:
                self._send(fault.status, fault.body, fault.headers, search=True)
                return
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                self._send(401, UNAUTHORIZED | {"correlationId": str(uuid.uuid4())})
                return
            try:
                status, answer = _route(fake, method, parts.path, parse_qs(parts.query), body)
            except _Refused as exc:
                status, answer = exc.status, exc.body
            except Exception as exc:  # a bug in the fake: a 500, and kept for the test
                fake.errors.append(f"{method} {parts.path}: {exc!r}")
                status, answer = 500, {"status": "error", "message": "internal error",
                                       "category": "INTERNAL_ERROR"}  # fmt: skip
        if fault is not None:  # carried out; the reply is lost
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(status, answer, search=parts.path.endswith("/search"))

    def _send(
        self, status: int, body: Any, headers: Mapping[str, str] | None = None, search: bool = False
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-HubSpot-Correlation-Id", str(uuid.uuid4()))
        sent = dict(headers or ({} if search else _rate_headers()))
        for name, value in sent.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _fault(fake: FakeHubSpot, method: str, path: str) -> Fault | None:
    for fault in fake.faults:
        if fault.times <= 0 or not path.startswith(fault.path):
            continue
        if fault.method and fault.method != method:
            continue
        if fault.skip > 0:
            fault.skip -= 1
            return None
        fault.times -= 1
        return fault
    return None


def _rate_headers(remaining: int = 189) -> dict[str, str]:
    return {
        "X-HubSpot-RateLimit-Daily": "625000",
        "X-HubSpot-RateLimit-Daily-Remaining": "624000",
        "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
        "X-HubSpot-RateLimit-Max": "190",
        "X-HubSpot-RateLimit-Remaining": str(remaining),
        "X-HubSpot-RateLimit-Secondly": "19",
        "X-HubSpot-RateLimit-Secondly-Remaining": str(min(remaining, 18)),
    }


class _Refused(Exception):
    def __init__(self, status: int, message: str, category: str, **more: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"status": "error", "message": message, "correlationId": str(uuid.uuid4()),
                     "category": category, **more}  # fmt: skip


def _need(fake: FakeHubSpot, *scopes: str) -> None:
    missing = [s for s in scopes if s not in fake.scopes]
    if missing:
        raise _Refused(
            403,
            "This app hasn't been granted all required scopes to make this call. Read more "
            "about required scopes here: https://developers.hubspot.com/scopes.",
            "MISSING_SCOPES",
            errors=[{"message": "One or more of the following scopes are required.",
                     "context": {"requiredGranularScopes": missing}}],
            links={"scopes": "https://developers.hubspot.com/scopes"},
        )  # fmt: skip


def _kind(fake: FakeHubSpot, kind: str) -> str:
    if kind not in fake.objects:
        raise _Refused(400, f"Unable to infer object type from: {kind}", "VALIDATION_ERROR")
    _need(fake, *OBJECT_SCOPES[kind])
    return kind


def _route(
    fake: FakeHubSpot, method: str, path: str, query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    if method == "GET" and (m := re.fullmatch(r"/crm/v3/objects/(\w+)", path)):
        return 200, _list_objects(fake, _kind(fake, m[1]), query)
    if method == "POST" and (m := re.fullmatch(r"/crm/v3/objects/(\w+)/search", path)):
        return 200, _search(fake, _kind(fake, m[1]), body or {})
    if method == "POST" and (m := re.fullmatch(r"/crm/v3/objects/(\w+)/batch/read", path)):
        return _batch_read(fake, _kind(fake, m[1]), body or {})
    if method == "POST" and (m := re.fullmatch(r"/crm/v3/objects/(\w+)", path)):
        return 201, _create(fake, m[1], body or {})
    if method == "POST" and (m := re.fullmatch(r"/crm/v4/associations/(\w+)/(\w+)/batch/read",
                                               path)):  # fmt: skip
        return _v4_batch(fake, _kind(fake, m[1]), _kind(fake, m[2]), body or {})
    if method == "GET" and (m := re.fullmatch(r"/crm/v4/objects/(\w+)/([^/]+)/associations/(\w+)",
                                              path)):  # fmt: skip
        return 200, _v4_list(fake, _kind(fake, m[1]), m[2], _kind(fake, m[3]), query)
    if method == "GET" and path == "/crm/v3/owners":
        _need(fake, "crm.objects.owners.read")
        archived = _one(query, "archived") == "true"
        owners = [o for o in fake.owners if bool(o["archived"]) == archived]
        return 200, _page(owners, query, 500)
    if method == "GET" and path == "/crm/v3/pipelines/deals":
        _need(fake, "crm.objects.deals.read")
        return 200, {"results": fake.pipelines}
    if method == "GET" and path == "/calling/v1/dispositions":
        _need(fake, "crm.objects.contacts.read")
        return 200, fake.dispositions
    if method == "GET" and path == "/account-info/v3/details":
        offset = datetime.now(ZoneInfo(fake.timezone)).utcoffset() or timedelta()
        minutes = int(offset.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        return 200, {
            "portalId": 4711, "accountType": "STANDARD", "timeZone": fake.timezone,
            "companyCurrency": "EUR", "additionalCurrencies": [], "uiDomain": "app.hubspot.com",
            "utcOffsetMilliseconds": int(offset.total_seconds() * 1000),
            "utcOffset": f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}",
            "dataHostingLocation": "eu1",
        }  # fmt: skip
    raise _Refused(404, f"No route for {method} {path}", "OBJECT_NOT_FOUND")


def _one(query: dict[str, list[str]], name: str, default: str = "") -> str:
    return query.get(name, [default])[0]


def _names(values: list[str]) -> list[str]:
    return [n for v in values for n in v.split(",") if n]


def _page(items: list[Any], query: dict[str, list[str]], most: int) -> dict[str, Any]:
    limit = min(int(_one(query, "limit", "10")), most)
    after = _one(query, "after")
    start = int(base64.b64decode(after)) if after else 0
    out: dict[str, Any] = {"results": items[start : start + limit]}
    if start + limit < len(items):
        cursor = base64.b64encode(str(start + limit).encode()).decode()
        out["paging"] = {"next": {"after": cursor, "link": f"?after={cursor}"}}
    return out


def _list_objects(fake: FakeHubSpot, kind: str, query: dict[str, list[str]]) -> dict[str, Any]:
    names = _names(query.get("properties", []))
    others = [_kind(fake, o) for o in _names(query.get("associations", []))]
    page = _page(list(fake.objects[kind].values()), query, min(100, fake.page_size))
    results = []
    for obj in page["results"]:
        item = obj.json(names)
        found = {}
        for other in others:
            links = [
                {"id": to, "type": _type_name(t)}
                for to, types in fake.linked(kind, obj.id, other).items()
                for t in types
            ]
            if links:
                found[other] = {"results": links}
        if found:
            item["associations"] = found
        results.append(item)
    page["results"] = results
    return page


def _type_name(type_id: int) -> str:
    a, b = BY_TYPE_ID[type_id]
    name = f"{SINGULAR[a]}_to_{SINGULAR[b]}"
    return name if type_id in PRIMARY.values() or (a, b) not in PRIMARY else name + "_unlabeled"


def _search(fake: FakeHubSpot, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    limit = int(body.get("limit") or 10)
    if limit > 200:
        raise _Refused(400, "limit must be at most 200", "VALIDATION_ERROR")
    start = int(body.get("after") or 0)
    if start + limit > SEARCH_CAP:
        raise _Refused(400, "The search API pages through at most 10,000 results",
                       "VALIDATION_ERROR")  # fmt: skip
    groups = body.get("filterGroups") or []
    found = [
        o for o in fake.objects[kind].values()
        if not groups or any(_matches(fake, kind, o, g.get("filters") or []) for g in groups)
    ]  # fmt: skip
    for sort in reversed(body.get("sorts") or []):
        name = str(sort.get("propertyName", ""))

        def key(o: Obj, name: str = name) -> tuple[int, float, str]:
            return _sortable(_value(o, name))

        found.sort(key=key, reverse=sort.get("direction") == "DESCENDING")
    names = list(body.get("properties") or [])
    out: dict[str, Any] = {
        "total": len(found),
        "results": [o.json(names) for o in found[start : start + limit]],
    }
    if start + limit < len(found):
        out["paging"] = {"next": {"after": str(start + limit), "link": ""}}
    return out


def _value(obj: Obj, name: str) -> str | None:
    if name == "hs_lastmodifieddate":
        return _iso(obj.updated)
    if name == "hs_object_id":
        return obj.id
    return obj.properties.get(name)


def _sortable(value: str | None) -> tuple[int, float, str]:
    if value is None:
        return (1, 0.0, "")
    moment = _ms(value)
    return (0, moment, "") if moment is not None else (0, 0.0, value)


def _ms(value: str) -> float | None:
    if value.isdigit():
        return float(value)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000
    except ValueError:
        return None


def _matches(fake: FakeHubSpot, kind: str, obj: Obj, filters: list[dict[str, Any]]) -> bool:
    for f in filters:
        name, op, wanted = f.get("propertyName", ""), f.get("operator", "EQ"), f.get("value")
        if name.startswith("associations."):
            other = next((k for k, s in SINGULAR.items() if s == name.split(".", 1)[1]), "")
            if str(wanted) not in fake.linked(kind, obj.id, other):
                return False
            continue
        have = _value(obj, name)
        if op == "HAS_PROPERTY":
            ok = have not in (None, "")
        elif op == "NOT_HAS_PROPERTY":
            ok = have in (None, "")
        elif op == "CONTAINS_TOKEN":
            pattern = re.escape(str(wanted).lower()).replace(r"\*", ".*")
            text = re.sub(r"<[^>]+>", " ", html.unescape(have or "")).lower()
            ok = any(re.fullmatch(pattern, t) for t in text.split())
        elif have is None:
            ok = op == "NEQ"
        else:
            a, b = _ms(have), _ms(str(wanted))
            ok = (
                _compare(op, a, b)
                if a is not None and b is not None
                else _compare(op, have, str(wanted))
            )
        if not ok:
            return False
    return True


def _compare(op: str, left: Ordered, right: Ordered) -> bool:
    return {
        "EQ": left == right, "NEQ": left != right, "GT": left > right,
        "GTE": left >= right, "LT": left < right, "LTE": left <= right,
    }[op]  # fmt: skip


def _batch_read(fake: FakeHubSpot, kind: str, body: dict[str, Any]) -> tuple[int, Any]:
    inputs = [str(i.get("id")) for i in body.get("inputs") or []]
    if len(inputs) > 100:
        raise _Refused(400, "Batch read takes at most 100 inputs", "VALIDATION_ERROR")
    names = list(body.get("properties") or [])
    objs = fake.objects[kind]
    out: dict[str, Any] = {
        "status": "COMPLETE",
        "results": [objs[i].json(names) for i in inputs if i in objs],
        "startedAt": _iso(fake.clock), "completedAt": _iso(fake.clock),
    }  # fmt: skip
    missing = [i for i in inputs if i not in objs]
    if missing:
        out["numErrors"] = 1
        out["errors"] = [{"status": "error", "category": "OBJECT_NOT_FOUND",
                          "message": "Could not get some objects, they may be deleted or not "
                          "exist.", "context": {"ids": missing}}]  # fmt: skip
        return 207, out
    return 200, out


def _create(fake: FakeHubSpot, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    if kind not in fake.objects:
        raise _Refused(400, f"Unable to infer object type from: {kind}", "VALIDATION_ERROR")
    _need(fake, "crm.objects.contacts.write")
    properties = {
        k: None if v is None else str(v) for k, v in (body.get("properties") or {}).items()
    }
    if kind in ("calls", "emails", "meetings", "notes", "tasks") and not properties.get(
        "hs_timestamp"
    ):
        raise _Refused(400, "Property values were not valid: hs_timestamp is required",
                       "VALIDATION_ERROR")  # fmt: skip
    targets = []
    for association in body.get("associations") or []:
        to = str((association.get("to") or {}).get("id"))
        for t in association.get("types") or []:
            pair = BY_TYPE_ID.get(int(t.get("associationTypeId", 0)))
            if pair is None or pair[0] != kind:
                raise _Refused(400, f"invalid association type {t} for {kind}",
                               "VALIDATION_ERROR")  # fmt: skip
            if to not in fake.objects[pair[1]]:
                raise _Refused(400, f"{SINGULAR[pair[1]]} {to} does not exist",
                               "VALIDATION_ERROR")  # fmt: skip
            targets.append((pair[1], to))
    ident = fake.add(kind, properties)
    for other, to in targets:
        fake.associate(kind, ident, other, to)
    return fake.objects[kind][ident].json(list(properties))


def _v4_types(type_ids: list[int]) -> list[dict[str, Any]]:
    return [{"category": "HUBSPOT_DEFINED", "typeId": t,
             "label": "Primary" if t in PRIMARY.values() else None} for t in type_ids]  # fmt: skip


def _v4_batch(fake: FakeHubSpot, kind: str, other: str, body: dict[str, Any]) -> tuple[int, Any]:
    results, missing = [], []
    for item in body.get("inputs") or []:
        ident = str(item.get("id"))
        links = fake.linked(kind, ident, other)
        if not links:
            missing.append(ident)
            continue
        results.append({"from": {"id": ident}, "to": [
            {"toObjectId": int(to), "associationTypes": _v4_types(types)}
            for to, types in links.items()
        ]})  # fmt: skip
    out: dict[str, Any] = {"status": "COMPLETE", "results": results}
    if missing:
        out["numErrors"] = len(missing)
        out["errors"] = [{"status": "error", "category": "OBJECT_NOT_FOUND",
                          "subCategory": "crm.associations.NO_ASSOCIATIONS_FOUND",
                          "message": f"No {other} is associated with {SINGULAR[kind]} {i}.",
                          "context": {"fromObjectId": [i]}} for i in missing]  # fmt: skip
        return 207, out
    return 200, out


def _v4_list(
    fake: FakeHubSpot, kind: str, ident: str, other: str, query: dict[str, list[str]]
) -> dict[str, Any]:
    links = [
        {"toObjectId": int(to), "associationTypes": _v4_types(types)}
        for to, types in fake.linked(kind, ident, other).items()
    ]
    return _page(links, query, 500)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


@contextlib.contextmanager
def serving() -> Iterator[FakeHubSpot]:
    """A running ``FakeHubSpot`` on 127.0.0.1 (a free port), shut down at the end."""
    fake = FakeHubSpot()
    thread = threading.Thread(target=fake.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.shutdown()
        fake.server_close()


# ---------------------------------------------------------------------- seeding


def seed(
    fake: FakeHubSpot, scenario: Scenario, deal_ids: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Store ``scenario`` in ``fake`` the way HubSpot keeps it; return deal key -> record id
    (``deal_ids`` when given, so findings can be compared by id)."""
    s = scenario
    zone = ZoneInfo(fake.timezone)

    def at(day: date, clock: timedelta) -> str:  # a wall-clock time in the account's zone
        return _iso(datetime.combine(day, time(), zone) + clock)

    seeded = datetime.combine(s.as_of - timedelta(days=1), time(12), UTC)
    fake.clock = datetime.combine(s.as_of, time(), UTC)
    owner_ids = {}
    for n, o in enumerate(s.owners):
        first, _, last = o.name.partition(" ")
        owner_ids[o.key] = str(70_000_000 + n)
        fake.owners.append({
            "id": owner_ids[o.key], "email": o.email, "type": "PERSON", "firstName": first,
            "lastName": last, "userId": 9_000_000 + n, "userIdIncludingInactive": 9_000_000 + n,
            "createdAt": _iso(seeded), "updatedAt": _iso(seeded), "archived": False, "teams": [],
        })  # fmt: skip
    stage_ids = {st: str(140_000_000 + n) for n, st in enumerate(s.stages)}
    stage_ids |= {s.won_stage: "closedwon", s.lost_stage: "closedlost"}
    stages = [
        {"id": sid, "label": label, "displayOrder": n, "archived": False,
         "createdAt": _iso(seeded), "updatedAt": _iso(seeded),
         "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
         "metadata": {"isClosed": str(sid.startswith("closed")).lower(),
                      "probability": "1.0" if sid == "closedwon" else "0.0" if
                      sid == "closedlost" else f"{(n + 1) / (len(s.stages) + 1):.1f}"}}
        for n, (label, sid) in enumerate(stage_ids.items())
    ]  # fmt: skip
    fake.pipelines.append({"id": "default", "label": "Sales Pipeline", "displayOrder": 0,
                           "archived": False, "createdAt": _iso(seeded),
                           "updatedAt": _iso(seeded), "stages": stages})  # fmt: skip

    def add(kind: str, props: dict[str, str | None], ident: str | None = None) -> str:
        return fake.add(kind, props, ident=ident, created=seeded, modified=seeded)

    companies: dict[str, str] = {}
    people: dict[tuple[str, str], str] = {}  # (account or deal key, contact key) -> id
    for account in s.accounts:
        companies[account.name] = add("companies", _company(account.name, account.domain))
        for c in account.contacts:
            people[account.name, c.key] = add(
                "contacts", _person(c.name, c.first, c.email, c.title, account.name)
            )
    ids: dict[str, str] = {}
    for d in s.deals:
        if d.account not in companies:
            companies[d.account] = add("companies", _company(d.account, ""))
        entered = _entered(s, d)
        won, lost = d.stage == s.won_stage, d.stage == s.lost_stage
        props: dict[str, str | None] = {
            "dealname": d.name,
            "dealstage": stage_ids[d.stage],
            "pipeline": "default",
            "amount": None if d.amount is None else _number(d.amount),
            "deal_currency_code": s.currency,
            "closedate": None if d.close is None else at(s.on(d.close), timedelta()),
            "createdate": at(s.on(d.created), d.created_at or timedelta(hours=9)),
            "hubspot_owner_id": owner_ids[d.owner],
            "hs_next_step": d.next_step or None,
            "hs_is_closed": str(won or lost).lower(),
            "hs_is_closed_won": str(won).lower(),
        }
        for stage, ago in entered.items():
            props[f"hs_date_entered_{stage_ids[stage]}"] = at(s.on(ago), timedelta(hours=10))
        ident = add("deals", props, (deal_ids or {}).get(d.key))
        ids[d.key] = ident
        fake.associate("deals", ident, "companies", companies[d.account], primary=True)
        for c in d.contacts:
            key = (d.account, c.key) if c.of_account else (d.key, c.key)
            if key not in people:
                people[key] = add("contacts", _person(c.name, c.first, c.email, c.title,
                                                      d.account))  # fmt: skip
            fake.associate("deals", ident, "contacts", people[key])
        by_key = {c.key: people[(d.account, c.key) if c.of_account else (d.key, c.key)]
                  for c in d.contacts}  # fmt: skip
        for a in d.activities:
            clock = a.at if a.at is not None and a.at < timedelta(days=1) else timedelta(hours=14)
            props = _engagement(fake, a)
            props |= {
                "hs_timestamp": at(s.on(a.ago), clock),
                "hubspot_owner_id": owner_ids[d.owner],
            }
            kind = a.type + "s"
            eid = add(kind, props)
            fake.associate(kind, eid, "deals", ident)
            if a.with_:
                fake.associate(kind, eid, "contacts", by_key[a.with_])
    return ids


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _company(name: str, domain: str) -> dict[str, str | None]:
    slug = re.sub(r"[^a-z0-9]+", "", name.lower())[:24] or "company"
    return {"name": name, "domain": domain or f"{slug}.example"}


def _person(name: str, first: str, email: str, title: str, account: str
            ) -> dict[str, str | None]:  # fmt: skip
    given = first or name.split(" ", 1)[0]
    family = name[len(given) :].strip()
    domain = _company(account, "")["domain"]
    return {
        "firstname": given,
        "lastname": family,
        "email": email or f"{'.'.join(name.lower().split())}@{domain}",
        "jobtitle": title or None,
    }


def _entered(s: Scenario, d: Deal) -> dict[str, int]:
    """Days ago each stage was last entered (HubSpot's hs_date_entered_<stage>)."""
    moves = [(h.ago, h.stage) for h in d.history if h.stage]
    if not moves:
        entered = d.stage_entered if d.stage_entered is not None else d.created
        moves = [(d.created, d.stage)]
        if entered < d.created and d.stage in s.stages and s.stages.index(d.stage) > 0:
            moves = [(d.created, s.stages[s.stages.index(d.stage) - 1]), (entered, d.stage)]
    found: dict[str, int] = {}
    current = ""
    for ago, stage in moves:
        if stage != current:
            found[stage] = ago
            current = stage
    if d.stage_entered is not None:
        found[d.stage] = d.stage_entered
    return found


def _rich(text: str) -> str | None:
    """Text as HubSpot's rich-text fields keep it (HTML paragraphs)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines) or None


def _engagement(fake: FakeHubSpot, a: Logged) -> dict[str, str | None]:
    if a.type == "call":
        outcome = None
        if a.outcome:
            outcome = DEFAULT_OUTCOMES.get(a.outcome)
            if outcome is None:  # a custom call outcome
                outcome = str(uuid.uuid5(uuid.NAMESPACE_URL, a.outcome))
                if all(d["id"] != outcome for d in fake.dispositions):
                    fake.dispositions.append({"id": outcome, "label": a.outcome.capitalize()})
        return {
            "hs_call_title": a.subject or None,
            "hs_call_body": _rich(a.body),
            "hs_call_direction": {"in": "INBOUND", "out": "OUTBOUND"}.get(a.direction),
            "hs_call_disposition": outcome,
            "hs_call_status": None if a.planned else "COMPLETED",
        }
    if a.type == "email":
        return {
            "hs_email_subject": a.subject or None,
            "hs_email_text": a.body or None,
            "hs_email_html": f"<div>{html.escape(a.body)}</div>" if a.body else None,
            "hs_email_direction": {"in": "INCOMING_EMAIL", "out": "EMAIL"}.get(a.direction),
            "hs_email_status": "SENT",
        }
    if a.type == "meeting":
        outcome = "SCHEDULED" if a.planned else a.outcome.upper().replace(" ", "_") or None
        return {
            "hs_meeting_title": a.subject or None,
            "hs_meeting_body": _rich(a.body),
            "hs_meeting_outcome": outcome,
        }
    if a.type == "note":
        return {"hs_note_body": _rich("\n".join(t for t in (a.subject, a.body) if t))}
    return {
        "hs_task_subject": a.subject or None,
        "hs_task_body": _rich(a.body),
        "hs_task_status": "NOT_STARTED" if a.planned else "COMPLETED",
        "hs_task_type": "TODO",
    }
