"""A local fake of Pipedrive's REST API (v1 and v2) for the connector's tests.

Serves ``http://127.0.0.1:PORT`` from a stdlib ``ThreadingHTTPServer`` on a daemon thread,
shaped after Pipedrive's public documentation (developers.pipedrive.com/docs/api/v1 and
/v2, pipedrive.readme.io "Authentication", "Pagination", "Rate limiting", "Pipedrive API
v2 overview", and the changelog "Deprecation of selected API v1 endpoints"):

* auth: the API token in the ``x-api-token`` header (the ``api_token`` query parameter is
  accepted too, and recorded, so tests can prove the connector never puts it in a URL);
  a wrong or regenerated token answers 401 ``{"success": false, "error": "unauthorized
  access", "errorCode": 401, "error_info": ...}``;
* v2 lists (``/api/v2/deals``, ``activities``, ``persons``, ``organizations``,
  ``stages``, ``pipelines``, ``dealFields``): ``limit`` (default 100, at most 500, more is
  a 400) and an opaque ``cursor``; ``additional_data.next_cursor`` is null on the last
  page; ``updated_since`` (RFC 3339) and ``ids`` (up to 100) filter; deals take ``status``
  (comma-separated; deleted deals only when asked) and ``include_fields=next_activity_id,
  last_activity_id``; activities take ``deal_id`` and ``done``;
* v1 lists (``/api/v1/notes``, or ``/v1/notes``): ``start``/``limit``,
  ``additional_data.pagination.more_items_in_collection`` / ``next_start``, ``data`` null
  when empty; notes embed ``deal.title``, ``person.name``, ``organization.name``,
  ``user.name``; ``/api/v1/users`` and ``/api/v1/activityTypes`` answer whole;
* ``POST /api/v2/activities`` creates an activity;
* every answer carries ``x-ratelimit-limit`` / ``x-ratelimit-remaining`` /
  ``x-ratelimit-reset``; a 429 adds ``Retry-After`` when a test asks for it (some plans
  send it, the token-based limits do not).

Knobs: ``fail_next(path, status, times, after=..)`` (429 / 5xx / any status, after some
good answers, so a failure lands mid-pull), ``forbid(path, error)`` (403 with the
documented body), ``drop_reply(path)`` (do the work, then hang up: a lost reply),
``token`` (change it to expire the connector's), ``now`` (the clock stamping changes).
``seen`` records every request.

``scenario_seed`` builds the API objects from a scenario on its own (not through the
connector's mapping), so a pull can be compared with ``write_export(scenario, "pipedrive")``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.tools.scenario import Scenario

Obj = dict[str, Any]

TOKEN = "5f3c0ffee0123456789abcdef0123456789abcd"  # 40 hex characters, like a real one
MAX_LIMIT = 500
RATE_LIMIT = 80  # requests per 2-second window (Professional plan, api_token)
# What POST /api/v2/activities takes (the docs' AddActivityRequest).
CREATE_FIELDS = frozenset({
    "subject", "type", "owner_id", "deal_id", "lead_id", "person_id", "org_id", "project_id",
    "due_date", "due_time", "duration", "busy", "done", "location", "participants",
    "attendees", "public_description", "priority", "note",
})  # fmt: skip
INFO = "Please check developers.pipedrive.com for more information about Pipedrive API."


@dataclass
class Seen:
    """One request the fake received and the status it answered."""

    method: str
    path: str  # normalised: /api/v1/... or /api/v2/...
    query: dict[str, str]
    headers: dict[str, str]  # keys lower-cased
    body: Any = None
    status: int = 0


@dataclass
class Fault:
    status: int
    times: int
    after: int = 0  # good answers to give first
    method: str | None = None
    retry_after: str | None = None
    body: Obj | None = None
    drop: bool = False  # do the work, then close the connection without an answer


@dataclass
class Seed:
    users: list[Obj] = field(default_factory=list)
    pipelines: list[Obj] = field(default_factory=list)
    stages: list[Obj] = field(default_factory=list)
    activity_types: list[Obj] = field(default_factory=list)
    deal_fields: list[Obj] = field(default_factory=list)
    organizations: list[Obj] = field(default_factory=list)
    persons: list[Obj] = field(default_factory=list)
    deals: list[Obj] = field(default_factory=list)
    activities: list[Obj] = field(default_factory=list)
    notes: list[Obj] = field(default_factory=list)


class BadRequest(Exception):
    pass


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def v1_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _moment(text: str) -> datetime:
    """A v2 (RFC 3339) or v1 (``YYYY-MM-DD HH:MM:SS``, UTC) time."""
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class FakePipedrive(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.token = token
        self.now = datetime(2026, 9, 3, 12, 0, tzinfo=UTC)
        self.lock = threading.Lock()
        self.seen: list[Seen] = []
        self.faults: dict[str, list[Fault]] = {}
        self.counts: Counter[str] = Counter()
        self.data = Seed()
        self._next_id = 900_000

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # dropped replies on purpose

    # --- knobs ---
    def seed(self, seed: Seed) -> None:
        with self.lock:
            self.data = seed

    def fail_next(
        self,
        path: str,
        status: int,
        times: int = 1,
        *,
        after: int = 0,
        method: str | None = None,
        retry_after: str | None = None,
        body: Obj | None = None,
    ) -> None:
        """Answer the next ``times`` requests to ``path`` (after ``after`` good ones) with
        ``status``: 429 with the rate-limit headers, 5xx, or any other."""
        with self.lock:
            self.faults.setdefault(_normal(path), []).append(
                Fault(status, times, self.counts[_normal(path)] + after, method, retry_after, body)
            )

    def forbid(
        self, path: str, error: str, times: int = 1000, *, method: str | None = None
    ) -> None:
        """403 with Pipedrive's error body (``success``, ``error``, ``errorCode``,
        ``error_info``): what the token's user may not see or do."""
        body = {"success": False, "error": error, "errorCode": 403, "error_info": INFO,
                "data": None, "additional_data": None}  # fmt: skip
        self.fail_next(path, 403, times, method=method, body=body)

    def drop_reply(self, path: str, times: int = 1, *, method: str = "POST") -> None:
        """Do what the next request asks, then hang up without answering (a lost reply)."""
        with self.lock:
            self.faults.setdefault(_normal(path), []).append(
                Fault(0, times, self.counts[_normal(path)], method, drop=True)
            )

    def requests_to(self, path: str, method: str = "GET") -> list[Seen]:
        return [s for s in self.seen if s.path == _normal(path) and s.method == method]

    # --- changes made "in the CRM" while the connector is away (stamped with ``now``) ---
    def change(self, kind: str, ident: int, **fields: Any) -> Obj:
        with self.lock:
            obj: Obj = next(o for o in getattr(self.data, kind) if o["id"] == ident)
            obj.update(fields)
            self._stamp(kind, obj)
            return obj

    def add(self, kind: str, obj: Obj) -> Obj:
        with self.lock:
            obj.setdefault("id", self._new_id())
            self._stamp(kind, obj, created=True)
            getattr(self.data, kind).append(obj)
            return obj

    def _stamp(self, kind: str, obj: Obj, created: bool = False) -> None:
        stamp = v1_time(self.now) if kind == "notes" else rfc3339(self.now)
        obj["update_time"] = stamp
        if created:
            obj.setdefault("add_time", stamp)

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    # --- answering ---
    def fault_for(self, path: str, method: str) -> Fault | None:
        with self.lock:
            n = self.counts[path]
            self.counts[path] += 1
            for fault in self.faults.get(path, []):
                if fault.times > 0 and n >= fault.after and fault.method in (None, method):
                    fault.times -= 1
                    return fault
        return None

    def answer(self, method: str, path: str, q: dict[str, str], body: Any) -> tuple[int, Obj]:
        with self.lock:
            if method == "POST" and path == "/api/v2/activities":
                return 200, {"success": True, "data": self._create_activity(body)}
            if method != "GET":
                return 405, _error(405, "Method not allowed")
            if path == "/api/v1/users":
                return 200, {"success": True, "data": list(self.data.users)}
            if path == "/api/v1/activityTypes":
                return 200, {"success": True, "data": list(self.data.activity_types)}
            if path == "/api/v1/notes":
                return 200, self._v1_page(self._notes(q), q)
            lists = {
                "/api/v2/pipelines": lambda: self.data.pipelines,
                "/api/v2/stages": lambda: self.data.stages,
                "/api/v2/dealFields": lambda: self.data.deal_fields,
                "/api/v2/persons": lambda: _filtered(self.data.persons, q),
                "/api/v2/organizations": lambda: _filtered(self.data.organizations, q),
                "/api/v2/deals": lambda: self._deals(q),
                "/api/v2/activities": lambda: self._activities(q),
            }
            if path not in lists:
                return 404, _error(404, f"Unknown method {path}")
            return 200, _v2_page(list(lists[path]()), q)

    def _deals(self, q: dict[str, str]) -> list[Obj]:
        wanted = set((q.get("status") or "open,won,lost").split(","))
        extra = set((q.get("include_fields") or "").split(",")) & {
            "next_activity_id", "last_activity_id"
        }  # fmt: skip
        by_deal: dict[Any, list[Obj]] = {}
        for a in self.data.activities if extra else ():
            if not a.get("is_deleted"):
                by_deal.setdefault(a.get("deal_id"), []).append(a)
        out = []
        for d in _filtered(self.data.deals, q):
            status = "deleted" if d.get("is_deleted") else d["status"]
            if status not in wanted or d.get("is_archived"):
                continue
            d = dict(d)
            if extra:
                d.update(_activity_ids(by_deal.get(d["id"], []), extra))
            out.append(d)
        return out

    def _activities(self, q: dict[str, str]) -> list[Obj]:
        out = [a for a in _filtered(self.data.activities, q) if not a.get("is_deleted")]
        if q.get("deal_id"):
            out = [a for a in out if str(a.get("deal_id")) == q["deal_id"]]
        if q.get("done") in ("true", "false"):
            out = [a for a in out if bool(a.get("done")) == (q["done"] == "true")]
        return out

    def _notes(self, q: dict[str, str]) -> list[Obj]:
        out = []
        for n in _filtered(self.data.notes, q):
            if not n.get("active_flag", True):
                continue
            if q.get("deal_id") and str(n.get("deal_id")) != q["deal_id"]:
                continue
            out.append({**n, **self._embedded(n)})
        return out

    def _embedded(self, note: Obj) -> Obj:
        def one(objects: list[Obj], ident: Any, key: str) -> Obj | None:
            found = next((o for o in objects if o["id"] == ident), None)
            return {key: found[key]} if found else None

        user = next((u for u in self.data.users if u["id"] == note.get("user_id")), None)
        return {
            "deal": one(self.data.deals, note.get("deal_id"), "title"),
            "person": one(self.data.persons, note.get("person_id"), "name"),
            "organization": one(self.data.organizations, note.get("org_id"), "name"),
            "user": {"email": user["email"], "name": user["name"], "icon_url": None,
                     "is_you": False} if user else None,
        }  # fmt: skip

    def _create_activity(self, body: Any) -> Obj:
        if not isinstance(body, dict) or not body.get("subject"):
            raise BadRequest("subject is required")
        if body.get("deal_id") is not None and not any(
            d["id"] == body["deal_id"] for d in self.data.deals
        ):
            raise BadRequest(f"Deal with id {body['deal_id']} not found")
        unknown = set(body) - CREATE_FIELDS
        if unknown:
            raise BadRequest(f"unknown fields: {', '.join(sorted(unknown))}")
        stamp = rfc3339(self.now)
        activity: Obj = {"id": self._new_id(), "owner_id": self.data.users[0]["id"]
                         if self.data.users else 1, "type": "task", "done": False,
                         "is_deleted": False, "add_time": stamp, "update_time": stamp,
                         "person_id": None, "org_id": None, "due_time": None, "note": None,
                         **body}  # fmt: skip
        if activity["done"]:
            activity["marked_as_done_time"] = stamp
        self.data.activities.append(activity)
        return dict(activity)

    @staticmethod
    def _v1_page(items: list[Obj], q: dict[str, str]) -> Obj:
        start, limit = _int(q, "start", 0), _int(q, "limit", 100)
        if limit > MAX_LIMIT or limit < 1 or start < 0:
            raise BadRequest("limit must be 1 to 500")
        page = items[start : start + limit]
        more = start + limit < len(items)
        pagination: Obj = {"start": start, "limit": limit, "more_items_in_collection": more}
        if more:
            pagination["next_start"] = start + limit
        return {"success": True, "data": page or None,
                "additional_data": {"pagination": pagination}}  # fmt: skip


def _activity_ids(mine: list[Obj], extra: set[str]) -> Obj:
    """Pipedrive's next activity of a deal (the first undone, by due date and time) and
    last activity (the latest done one)."""

    def when(a: Obj) -> tuple[str, str]:
        return (a.get("due_date") or "", a.get("due_time") or "")

    undone = sorted((a for a in mine if not a.get("done")), key=when)
    done = sorted((a for a in mine if a.get("done")), key=when)
    out: Obj = {}
    if "next_activity_id" in extra:
        out["next_activity_id"] = undone[0]["id"] if undone else None
    if "last_activity_id" in extra:
        out["last_activity_id"] = done[-1]["id"] if done else None
    return out


def _int(q: dict[str, str], name: str, default: int) -> int:
    try:
        return int(q.get(name, default))
    except ValueError:
        raise BadRequest(f"{name} must be a number") from None


def _filtered(items: Iterable[Obj], q: dict[str, str]) -> list[Obj]:
    out = list(items)
    if q.get("ids"):
        ids = q["ids"].split(",")
        if len(ids) > 100:
            raise BadRequest("ids: at most 100")
        out = [o for o in out if str(o["id"]) in ids]
    if q.get("updated_since"):
        try:
            since = datetime.fromisoformat(q["updated_since"])
        except ValueError:
            raise BadRequest("updated_since must be an RFC3339 date-time") from None
        if since.tzinfo is None:
            raise BadRequest("updated_since must be an RFC3339 date-time")
        out = [o for o in out if _moment(o["update_time"]) >= since]
    return sorted(out, key=lambda o: o.get("id", 0))


def _v2_page(items: list[Obj], q: dict[str, str]) -> Obj:
    limit = _int(q, "limit", 100)
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest("limit: Number must be less than or equal to 500")
    offset = 0
    if q.get("cursor"):
        try:
            offset = int(json.loads(base64.urlsafe_b64decode(q["cursor"]))["offset"])
        except (ValueError, KeyError, TypeError):
            raise BadRequest("Invalid cursor") from None
    page = items[offset : offset + limit]
    end = offset + limit
    cursor = base64.urlsafe_b64encode(json.dumps({"offset": end}).encode()).decode()
    return {"success": True, "data": page,
            "additional_data": {"next_cursor": cursor if end < len(items) else None}}  # fmt: skip


def _error(status: int, error: str) -> Obj:
    return {"success": False, "error": error, "errorCode": status, "error_info": INFO,
            "data": None, "additional_data": None}  # fmt: skip


def _normal(path: str) -> str:
    """``/v1/x`` (api.pipedrive.com) and ``/api/v1/x`` (company domain) are one path."""
    path = path.split("?")[0].rstrip("/")
    return "/api" + path if path.startswith("/v1/") else path


class _Handler(BaseHTTPRequestHandler):
    server: FakePipedrive
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one segment (no delayed-ACK stalls)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = _normal(parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        raw = self.rfile.read(int(headers.get("content-length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        seen = Seen(method, path, query, headers, body)
        self.server.seen.append(seen)
        given = headers.get("x-api-token") or query.get("api_token")
        if given != self.server.token:
            self._reply(seen, 401, _error(401, "unauthorized access"))
            return
        fault = self.server.fault_for(path, method)
        if fault is not None and not fault.drop:
            self._reply(seen, fault.status, fault.body or _fault_body(fault.status),
                        fault.retry_after)  # fmt: skip
            return
        try:
            status, answer = self.server.answer(method, path, query, body)
        except BadRequest as exc:
            status, answer = 400, _error(400, str(exc))
        if fault is not None:  # the work is done; the reply is lost
            seen.status = -1
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)
            return
        self._reply(seen, status, answer)

    def _reply(self, seen: Seen, status: int, body: Obj, retry_after: str | None = None) -> None:
        seen.status = status
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ratelimit-limit", str(RATE_LIMIT))
        self.send_header("x-ratelimit-remaining", "0" if status == 429 else str(RATE_LIMIT - 1))
        self.send_header("x-ratelimit-reset", "2")
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _fault_body(status: int) -> Obj:
    if status == 429:
        return _error(429, "Request over limit")
    if status >= 500:
        return _error(status, "Internal server error")
    return _error(status, "Bad request")


@contextlib.contextmanager
def serving(seed: Seed | None = None) -> Iterator[FakePipedrive]:
    """A running ``FakePipedrive`` on 127.0.0.1 (a free port), shut down at the end."""
    srv = FakePipedrive()
    if seed is not None:
        srv.seed(seed)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


# ------------------------------------------------------------------ seeds

# Pipedrive's default activity types (key_string -> name), plus a custom one.
ACTIVITY_TYPES = {"call": "Call", "meeting": "Meeting", "task": "Task", "deadline": "Deadline",
                  "email": "Email", "lunch": "Lunch"}  # fmt: skip
NEXT_STEP_FIELD = hashlib.sha1(b"dealnudge next step").hexdigest()  # a custom field's key
DEAL_TYPE_FIELD = hashlib.sha1(b"dealnudge deal type").hexdigest()


def _html(text: str) -> str:
    """Text as the HTML Pipedrive keeps notes in (one paragraph a line)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(f"<p>{line}</p>" for line in escaped.split("\n"))


def _at(day: date, hours: float) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hours)


def _hours(t: timedelta | None, default: float) -> float:
    return default if t is None else t.total_seconds() / 3600


def basics(stage_names: Iterable[str], owners: Iterable[tuple[str, str]], at: datetime) -> Seed:
    """Users, one pipeline ("Sales") and its stages, activity types and deal fields."""
    stamp = rfc3339(at)
    users = [{"id": 101 + n, "name": name, "email": email, "active_flag": True,
              "is_deleted": False, "created": v1_time(at), "modified": v1_time(at)}
             for n, (name, email) in enumerate(owners)]  # fmt: skip
    stages = [{"id": 11 + n, "name": name, "pipeline_id": 1, "order_nr": n + 1,
               "is_deleted": False, "deal_probability": 100, "add_time": stamp,
               "update_time": stamp} for n, name in enumerate(stage_names)]  # fmt: skip
    types = [{"id": n + 1, "name": name, "key_string": key, "active_flag": True,
              "is_custom_flag": key == "lunch"}
             for n, (key, name) in enumerate(ACTIVITY_TYPES.items())]  # fmt: skip
    fields = [
        {"field_name": "Title", "field_code": "title", "field_type": "varchar",
         "is_custom_field": False, "options": None},
        {"field_name": "Value", "field_code": "value", "field_type": "monetary",
         "is_custom_field": False, "options": None},
        {"field_name": "Next step", "field_code": NEXT_STEP_FIELD, "field_type": "varchar",
         "is_custom_field": True, "options": None},
        {"field_name": "Deal type", "field_code": DEAL_TYPE_FIELD, "field_type": "enum",
         "is_custom_field": True, "options": [{"id": 31, "label": "New business"},
                                              {"id": 32, "label": "Expansion"}]},
    ]  # fmt: skip
    pipeline = {"id": 1, "name": "Sales", "order_nr": 1, "is_deleted": False,
                "add_time": stamp, "update_time": stamp}  # fmt: skip
    return Seed(users=users, pipelines=[pipeline], stages=stages, activity_types=types,
                deal_fields=fields)  # fmt: skip


def scenario_seed(s: Scenario, deal_ids: Mapping[str, str] | None = None) -> Seed:
    """The records a Pipedrive account holding scenario ``s`` would answer with.

    Deals get ``deal_ids`` (what ``write_export`` numbered them) or 1000, 1001, ... in
    order; everything else gets ids of its own. Times are UTC; the scenario's records
    were all last changed before ``as_of``'s end."""
    changed = _at(s.as_of, 6)
    seed = basics((*s.stages,), ((o.name, o.email) for o in s.owners), changed)
    user = {o.key: seed.users[n]["id"] for n, o in enumerate(s.owners)}
    stage = {st["name"]: st["id"] for st in seed.stages}
    stamp = rfc3339(changed)
    orgs: dict[str, Obj] = {}
    persons: dict[str, Obj] = {}
    ids = iter(range(50_001, 10**9))

    def org(name: str) -> int | None:
        if not name:
            return None
        if name not in orgs:
            orgs[name] = {"id": next(ids), "name": name, "owner_id": seed.users[0]["id"],
                          "add_time": stamp, "update_time": stamp, "is_deleted": False,
                          "visible_to": 3, "label_ids": [], "custom_fields": {}}  # fmt: skip
        return int(orgs[name]["id"])

    def person(name: str, org_id: int | None) -> int | None:
        if not name:
            return None
        if name not in persons:
            first, _, last = name.partition(" ")
            persons[name] = {"id": next(ids), "name": name, "first_name": first,
                             "last_name": last, "org_id": org_id, "owner_id": seed.users[0]["id"],
                             "emails": [], "phones": [], "add_time": stamp, "update_time": stamp,
                             "is_deleted": False, "visible_to": 3}  # fmt: skip
        return int(persons[name]["id"])

    for n, d in enumerate(s.deals):
        deal_id = int(deal_ids[d.key]) if deal_ids else 1000 + n
        org_id = org(d.account)
        people = {c.key: person(c.name, org_id) for c in d.contacts}
        status = "won" if d.stage == s.won_stage else "lost" if d.stage == s.lost_stage else "open"
        entered = d.stage_entered if d.stage_entered is not None else d.created
        close = s.day(d.close)
        seed.deals.append({
            "id": deal_id, "title": d.name, "owner_id": user[d.owner],
            "person_id": people[d.contacts[0].key] if d.contacts else None, "org_id": org_id,
            "pipeline_id": 1, "stage_id": stage.get(d.stage, seed.stages[-1]["id"]),
            "value": d.amount if d.amount is not None else 0, "currency": s.currency,
            "add_time": rfc3339(_at(s.on(d.created), _hours(d.created_at, 9))),
            "update_time": stamp, "stage_change_time": rfc3339(_at(s.on(entered), 10)),
            "is_deleted": False, "is_archived": False, "status": status, "probability": None,
            "lost_reason": None, "visible_to": 3,
            "close_time": rfc3339(_at(close, 17)) if status != "open" and close else None,
            "won_time": rfc3339(_at(close, 17)) if status == "won" and close else None,
            "lost_time": rfc3339(_at(close, 17)) if status == "lost" and close else None,
            "expected_close_date": close.isoformat() if close else None, "label_ids": [],
            "custom_fields": {NEXT_STEP_FIELD: d.next_step or None,
                              DEAL_TYPE_FIELD: 32 if d.type.lower() == "expansion" else None},
        })  # fmt: skip
        for a in d.activities:
            day = s.on(a.ago)
            with_ = people.get(a.with_)
            if a.type == "note":
                text = "\n".join(t for t in (a.subject, a.body) if t)
                seed.notes.append({
                    "id": next(ids), "content": _html(text), "deal_id": deal_id,
                    "person_id": with_, "org_id": org_id, "lead_id": None,
                    "user_id": user[d.owner], "add_time": v1_time(_at(day, 16)),
                    "update_time": v1_time(min(_at(day, 16), changed)), "active_flag": True,
                    "pinned_to_deal_flag": False,
                })  # fmt: skip
                continue
            logged = _at(s.on(a.logged if a.logged is not None else max(a.ago, 0)), 8)
            seed.activities.append({
                "id": next(ids), "subject": a.subject or ACTIVITY_TYPES[a.type],
                "type": a.type, "owner_id": user[d.owner], "creator_user_id": user[d.owner],
                "is_deleted": False, "add_time": rfc3339(min(logged, changed)),
                "update_time": stamp, "deal_id": deal_id, "lead_id": None, "person_id": with_,
                "org_id": org_id, "due_date": day.isoformat(),
                "due_time": f"{int(_hours(a.at, 14)):02d}:00", "duration": None, "busy": False,
                "done": not a.planned,
                "marked_as_done_time": None if a.planned else rfc3339(_at(day, 15)),
                "participants": [{"person_id": with_, "primary": True}] if with_ else [],
                "note": _html(a.body) if a.body else None, "priority": None,
            })  # fmt: skip
    seed.organizations = list(orgs.values())
    seed.persons = list(persons.values())
    return seed


def bulk_seed(deals: int, activities_per_deal: int = 1) -> Seed:
    """A large account: ``deals`` open deals, each with a few done calls."""
    at = datetime(2026, 8, 1, tzinfo=UTC)
    seed = basics(("Qualified", "Proposal"), [("Rep One", "rep.one@example.com")], at)
    stamp = rfc3339(at)
    next_id = iter(range(1, 10**9))
    for n in range(deals):
        deal_id = 10_000 + n
        seed.deals.append({"id": deal_id, "title": f"Deal {n}", "owner_id": 101,
                           "person_id": None, "org_id": None, "pipeline_id": 1, "stage_id": 11,
                           "value": 1000 + n, "currency": "EUR", "add_time": stamp,
                           "update_time": stamp, "stage_change_time": stamp,
                           "is_deleted": False, "is_archived": False, "status": "open",
                           "expected_close_date": None, "custom_fields": {}})  # fmt: skip
        for k in range(activities_per_deal):
            seed.activities.append({"id": next(next_id), "subject": f"Call {k}", "type": "call",
                                    "owner_id": 101, "deal_id": deal_id, "person_id": None,
                                    "org_id": None, "due_date": "2026-07-01", "due_time": None,
                                    "done": True, "is_deleted": False, "add_time": stamp,
                                    "update_time": stamp, "note": None})  # fmt: skip
    return seed
