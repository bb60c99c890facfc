"""A local fake of the Salesforce APIs the connector uses, for tests.

Built from Salesforce's public documentation (pages named at each handler):

* OAuth 2.0 token endpoint ``POST /services/oauth2/token``: the JWT bearer flow (an RS256
  assertion: ``iss`` consumer key, ``sub`` username, ``aud`` login URL, ``exp`` within 3
  minutes) and the refresh-token flow; errors are ``400 {"error", "error_description"}``
  ("OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration", "OAuth 2.0 Refresh Token
  Flow", "OAuth 2.0 Authorization Errors"). The answer carries ``access_token`` and
  ``instance_url`` (this server).
* REST errors are a JSON list ``[{"message", "errorCode"}]``: 401 ``INVALID_SESSION_ID``
  for an expired session, 403 ``REQUEST_LIMIT_EXCEEDED`` when the org's API requests are
  used up, 404 ``NOT_FOUND`` ("Status Codes and Error Responses"); every data answer
  carries ``Sforce-Limit-Info: api-usage=n/limit`` ("Limit Info Header").
* ``GET /services/data/vXX.X/sobjects/<Object>/describe``: the object's fields
  ("sObject Describe"); an object the user cannot see is a 404 ``NOT_FOUND``.
* Bulk API 2.0 query ("Create a Query Job", "Get Information About a Query Job", "Get
  Results for a Query Job"): ``POST .../jobs/query`` with ``{"operation": "query",
  "query": SOQL}`` answers the job in state ``UploadComplete``; ``GET .../jobs/query/<id>``
  moves it to ``InProgress`` and then ``JobComplete`` (or ``Failed`` with ``errorMessage``);
  ``GET .../jobs/query/<id>/results?maxRecords=&locator=`` answers CSV (every field quoted,
  API names as headers, LF line ends, gzip when asked) with ``Sforce-NumberOfRecords`` and
  ``Sforce-Locator`` (an opaque string, ``"null"`` on the last page); results of a job that
  is not complete are refused (412 ``JOB_NOT_COMPLETE``), and results asked with another
  API version than the job's are a 409.
* Upsert by external ID ("Insert or Update (Upsert) a Record Using an External ID"):
  ``PATCH .../sobjects/Task/<field>/<value>`` creates (201, ``"created": true``) or updates
  (200, ``"created": false``) the one Task with that value; a field that is not an external
  ID is a 404 ``NOT_FOUND`` ("Provided external ID field does not exist or is not
  accessible"); the body must not name the field itself. ``GET`` on the same path answers
  the record.

Only the SOQL the connector sends is understood: ``SELECT f, ... FROM Object [WHERE Field >
dateTime-literal]``. Seed it from a ``salesforce`` CSV folder (the API field names are the
CSV headers, as Data Loader writes them); each record also has a ``SystemModstamp`` the
tests set. Knobs: ``fail_next`` (a status, with a body and headers), ``drop_next`` (close
the connection, before or after acting), ``expire_next`` / ``expire_tokens`` (sessions end),
``exceed_limit`` (403 ``REQUEST_LIMIT_EXCEEDED``), ``hidden_objects``, ``hidden_fields``,
``failed_jobs``, ``approved``. It records every request in ``received``.

Salesforce signals its API limit with 403 ``REQUEST_LIMIT_EXCEEDED``, not 429; a 429 with
``Retry-After`` (``fail_next(..., 429, headers=...)``) stands for a proxy or gateway in
front of it, which the shared client honours.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import gzip
import io
import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "3MVG9fakeConsumerKey"
CLIENT_SECRET = "fake-consumer-secret-0123456789"
USERNAME = "integration@northwind.example"
REFRESH_TOKEN = "5Aep861fakeRefreshToken"
API_LIMIT = 15_000
DEFAULT_STAMP = "2026-01-01T00:00:00.000Z"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"

_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)")
_LITERAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)")  # SOQL dateTime
_SOQL = re.compile(
    r"SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<object>\w+)"
    r"(?:\s+WHERE\s+(?P<field>\w+)\s*>\s*(?P<value>\S+))?\s*",
    re.IGNORECASE | re.DOTALL,
)
_DATA = re.compile(r"/services/data/v(?P<version>\d+\.\d)(?P<rest>/.*)")


def key_pair() -> tuple[str, str]:
    """(private, public) PEM text of a new RSA key: the connected app's certificate key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def instant(text: str) -> datetime:
    """A Salesforce dateTime (``2026-01-01T00:00:00.000Z``, ``...+0000``) as UTC."""
    value = text.replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", value):
        value = value[:-2] + ":" + value[-2:]
    return datetime.fromisoformat(value).astimezone(UTC)


def stamp(when: datetime) -> str:
    """How Salesforce writes a dateTime in Bulk API CSV results."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass(frozen=True)
class Received:
    """One request the fake received, with the status it answered (0: dropped)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # keys lower-cased
    body: bytes
    at: float
    status: int = 0

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Fault:
    path: str  # a part of the request path
    method: str | None
    times: int
    after: int  # matching requests let through before the fault starts
    action: str  # "status", "drop", "drop_after", "expire"
    status: int = 0
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Job:
    id: str
    object: str
    fields: list[str]
    rows: list[dict[str, str]]
    version: str
    created: str
    state: str = "UploadComplete"
    polls: int = 0
    error: str = ""


class FakeSalesforce(ThreadingHTTPServer):
    """The fake (see the module docstring); ``base`` is both login and instance URL."""

    daemon_threads = True

    def __init__(self, public_key: str = "") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.RLock()
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.username = USERNAME
        self.refresh_token = REFRESH_TOKEN
        self.public_key = public_key  # verifies JWT assertions
        self.audience = self.base  # the login URL a JWT must name
        self.approved = True  # the user is pre-authorized for the connected app
        self.objects: dict[str, list[dict[str, str]]] = {}
        self.fields: dict[str, list[str]] = {}  # per object, what describe lists
        self.external_ids: dict[str, set[str]] = {"Task": {"Dealnudge_Key__c"}}
        self.hidden_objects: set[str] = set()
        self.hidden_fields: set[tuple[str, str]] = set()
        self.failed_jobs: dict[str, str] = {}  # object -> the job's errorMessage
        self.polls_to_complete = 2  # status checks before JobComplete (InProgress before)
        self.default_page = 1000  # records per results page when maxRecords is not sent
        self.update_status = 200  # an upsert that updates: 200 with a body (204 before v46)
        self.received: list[Received] = []
        self.tokens: set[str] = set()
        self.issued: list[str] = []  # every access token handed out
        self.jobs: dict[str, Job] = {}
        self.faults: list[Fault] = []
        self.now = instant(DEFAULT_STAMP) + timedelta(days=1)  # stamps of changes made here
        self._ids = itertools.count(1)
        self._usage = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # dropped connections are on purpose

    # -- data ----------------------------------------------------------------------------

    def seed_csv(self, folder: Path, at: str = DEFAULT_STAMP) -> None:
        """Each ``<Object>.csv`` of a Salesforce export folder becomes that object's records
        (dateTimes kept as instants), last modified ``at``."""
        for path in sorted(folder.glob("*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                names = list(reader.fieldnames or [])
                rows = [{k: _normal(v or "") for k, v in row.items() if k} for row in reader]
            for row in rows:
                row.setdefault("SystemModstamp", stamp(instant(at)))
            with self.lock:
                self.objects[path.stem] = rows
                extra = [] if "SystemModstamp" in names else ["SystemModstamp"]
                self.fields[path.stem] = [*names, *extra]

    def rows(self, obj: str) -> list[dict[str, str]]:
        with self.lock:
            return [dict(r) for r in self.objects.get(obj, [])]

    def update(self, obj: str, record_id: str, at: datetime | None = None, **values: str) -> None:
        """Change a record, as a user would: its ``SystemModstamp`` moves to ``at``."""
        with self.lock:
            row = next(r for r in self.objects[obj] if r["Id"] == record_id)
            row.update(values)
            row["SystemModstamp"] = stamp(at or self.now)

    def insert(self, obj: str, at: datetime | None = None, **values: str) -> str:
        """Add a record (``CreatedDate`` and ``SystemModstamp`` ``at``); return its Id."""
        with self.lock:
            when = stamp(at or self.now)
            prefix = {"Task": "00T", "Event": "00U", "Opportunity": "006"}.get(obj, "a00")
            known = self.fields.setdefault(obj, ["Id", "SystemModstamp"])
            row = {"Id": values.pop("Id", "") or self.new_id(prefix), **values}
            if "CreatedDate" in known:
                row.setdefault("CreatedDate", when)
            row["SystemModstamp"] = when
            known += [k for k in row if k not in known]
            self.objects.setdefault(obj, []).append(row)
            return row["Id"]

    def tasks_with(self, field_name: str, value: str) -> list[dict[str, str]]:
        return [r for r in self.rows("Task") if r.get(field_name) == value]

    # -- faults --------------------------------------------------------------------------

    def fail_next(
        self,
        path: str,
        status: int,
        times: int = 1,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
        after: int = 0,
    ) -> None:
        """The next ``times`` requests whose path contains ``path`` (after letting ``after``
        through) answer ``status`` with ``body`` (JSON) and ``headers``."""
        with self.lock:
            self.faults.append(
                Fault(path, method, times, after, "status", status, body, dict(headers or {}))
            )

    def drop_next(
        self, path: str, times: int = 1, *, method: str | None = None, acted: bool = False
    ) -> None:
        """Close the connection without an answer; ``acted``: after doing what was asked
        (a lost reply)."""
        with self.lock:
            self.faults.append(Fault(path, method, times, 0, "drop_after" if acted else "drop"))

    def expire_next(self, path: str, *, after: int = 0) -> None:
        """End every session when a request to ``path`` arrives (it then gets a 401)."""
        with self.lock:
            self.faults.append(Fault(path, None, 1, after, "expire"))

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def exceed_limit(self, path: str = "/services/data/", times: int = 1) -> None:
        """The org's daily API requests are used up (403 REQUEST_LIMIT_EXCEEDED)."""
        self.fail_next(
            path,
            403,
            times,
            body=[
                {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
            ],
            headers={"Sforce-Limit-Info": f"api-usage={API_LIMIT + 1}/{API_LIMIT}"},
        )

    def fault_for(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.path in path and fault.method in (None, method) and fault.times > 0:
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    fault.times -= 1
                    return fault
        return None

    # -- what was asked ------------------------------------------------------------------

    def requests_to(self, part: str, method: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.received if part in r.path and method in (None, r.method)]

    @property
    def queries(self) -> list[str]:
        """The SOQL of every query job created, in order."""
        return [r.json()["query"] for r in self.requests_to("/jobs/query", "POST") if r.status]

    def next_usage(self) -> str:
        with self.lock:
            self._usage += 1
            return f"api-usage={self._usage}/{API_LIMIT}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}FAKE{next(self._ids):011d}"


def _normal(value: str) -> str:
    """A dateTime cell as Salesforce stores it (an instant); other cells unchanged."""
    return stamp(instant(value)) if _DATETIME.fullmatch(value) else value


class _Reply(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _error(status: int, code: str, message: str, **extra: Any) -> _Reply:
    return _Reply(status, [{"message": message, "errorCode": code, **extra}])


class _Handler(BaseHTTPRequestHandler):
    server: FakeSalesforce
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive answers sent as headers then body

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _handle(self, method: str) -> None:
        srv = self.server
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = Received(
            method,
            parts.path,
            parse_qs(parts.query),
            {k.lower(): v for k, v in self.headers.items()},
            body,
            time.monotonic(),
        )
        fault = srv.fault_for(method, parts.path)
        action = fault.action if fault is not None else ""
        status, payload = 0, None
        headers: dict[str, str] = {}
        if action != "drop":
            if action == "expire":
                srv.expire_tokens()
            try:
                if fault is not None and action == "status":
                    raise _Reply(fault.status, fault.body, fault.headers)
                status, payload, headers = self._route(method, parts.path, seen)
            except _Reply as reply:
                status, payload, headers = reply.status, reply.body, reply.headers
            if action == "drop_after":
                status = 0
        with srv.lock:  # recorded before answering: the client may look right after
            srv.received.append(Received(**{**seen.__dict__, "status": status}))
        if status == 0:
            self.close_connection = True
            return
        self._send(status, payload, headers)

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        if isinstance(payload, bytes):
            data = payload
        elif payload is None:
            data = b""
        else:
            data = json.dumps(payload).encode()
            headers = {"Content-Type": "application/json;charset=UTF-8", **headers}
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # -- routes --------------------------------------------------------------------------

    def _route(self, method: str, path: str, seen: Received) -> tuple[int, Any, dict[str, str]]:
        if path == "/services/oauth2/token" and method == "POST":
            return 200, self._token(seen), {"Cache-Control": "no-store"}
        m = _DATA.fullmatch(path)
        if m is None:
            raise _error(404, "NOT_FOUND", "The requested resource does not exist")
        self._authorise(seen)
        usage = {"Sforce-Limit-Info": self.server.next_usage()}
        version, rest = m["version"], m["rest"]
        if method == "POST" and rest == "/jobs/query":
            return 200, self._create_job(seen, version), usage
        if jm := re.fullmatch(r"/jobs/query/(\w+)(/results)?", rest):
            job = self.server.jobs.get(jm[1])
            if job is None:
                raise _error(404, "NOT_FOUND", "The requested resource does not exist")
            if jm[2] and method == "GET":
                status, body, headers = self._results(job, seen, version)
                return status, body, headers | usage
            if method == "GET":
                return 200, self._job_info(job), usage
            if method == "DELETE":
                return 204, None, usage
        if (dm := re.fullmatch(r"/sobjects/(\w+)/describe", rest)) and method == "GET":
            return 200, self._describe(dm[1]), usage
        if um := re.fullmatch(r"/sobjects/(\w+)/(\w+)/([^/]+)", rest):
            obj, field_name, value = um[1], um[2], unquote(um[3])
            if field_name not in self.server.external_ids.get(obj, set()):
                raise _error(
                    404,
                    "NOT_FOUND",
                    "Provided external ID field does not exist or is not accessible: " + field_name,
                )
            if method == "PATCH":
                status, body = self._upsert(obj, field_name, value, seen)
                return status, body, usage
            if method == "GET":
                return 200, self._by_external_id(obj, field_name, value), usage
        raise _error(404, "NOT_FOUND", "The requested resource does not exist")

    def _authorise(self, seen: Received) -> None:
        auth = seen.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        with self.server.lock:
            if token not in self.server.tokens:
                raise _error(401, "INVALID_SESSION_ID", "Session expired or invalid")

    def _token(self, seen: Received) -> dict[str, Any]:
        srv = self.server
        form = {k: v[-1] for k, v in parse_qs(seen.body.decode()).items()}
        grant = form.get("grant_type", "")

        def refuse(error: str, description: str) -> _Reply:
            return _Reply(400, {"error": error, "error_description": description})

        if grant == JWT_GRANT:
            try:
                claims = jwt.decode(
                    form.get("assertion", ""),
                    srv.public_key,
                    algorithms=["RS256"],
                    audience=srv.audience,
                    options={"require": ["iss", "sub", "aud", "exp"]},
                )
            except jwt.InvalidAudienceError:
                raise refuse("invalid_grant", "audience is invalid") from None
            except jwt.PyJWTError:
                raise refuse("invalid_grant", "invalid assertion") from None
            if claims["iss"] != srv.client_id:
                raise refuse("invalid_client_id", "client identifier invalid")
            if claims["exp"] > time.time() + 300:
                raise refuse("invalid_grant", "invalid assertion")
            if claims["sub"] != srv.username:
                raise refuse("invalid_grant", "user hasn't approved this consumer")
            if not srv.approved:
                raise refuse("invalid_grant", "user hasn't approved this consumer")
        elif grant == "refresh_token":
            if form.get("client_id") != srv.client_id:
                raise refuse("invalid_client_id", "client identifier invalid")
            if form.get("client_secret") != srv.client_secret:
                raise refuse("invalid_client", "invalid client credentials")
            if form.get("refresh_token") != srv.refresh_token:
                raise refuse("invalid_grant", "expired access/refresh token")
        else:
            raise refuse("unsupported_grant_type", "grant type not supported")
        token = f"00DFAKE!{base64.urlsafe_b64encode(next(srv._ids).to_bytes(8, 'big')).decode()}"
        with srv.lock:
            srv.tokens.add(token)
            srv.issued.append(token)
        return {
            "access_token": token,
            "scope": "api",
            "instance_url": srv.base,
            "id": f"{srv.base}/id/00DFAKE000000001/005FAKE000000001",
            "token_type": "Bearer",
            "issued_at": str(int(time.time() * 1000)),
        }

    def _describe(self, obj: str) -> dict[str, Any]:
        srv = self.server
        with srv.lock:
            if obj not in srv.objects or obj in srv.hidden_objects:
                raise _error(404, "NOT_FOUND", "The requested resource does not exist")
            names = [f for f in srv.fields[obj] if (obj, f) not in srv.hidden_fields]
            names += sorted(srv.external_ids.get(obj, set()) - set(names))
        return {
            "name": obj,
            "label": obj,
            "queryable": True,
            "createable": True,
            "fields": [{"name": n, "type": "id" if n == "Id" else "string"} for n in names],
        }

    def _create_job(self, seen: Received, version: str) -> dict[str, Any]:
        srv = self.server
        try:
            request = seen.json()
        except ValueError:
            raise _error(400, "JSON_PARSER_ERROR", "The request body is not JSON") from None
        if not isinstance(request, dict) or request.get("operation") not in ("query", "queryAll"):
            raise _error(400, "INVALIDJOB", "operation must be query or queryAll")
        q = _SOQL.fullmatch(str(request.get("query", "")))
        if q is None:
            raise _error(400, "MALFORMED_QUERY", "unexpected token")
        obj = q["object"]
        fields = [f.strip() for f in q["fields"].split(",")]
        with srv.lock:
            if obj not in srv.objects or obj in srv.hidden_objects:
                raise _error(
                    400,
                    "INVALID_TYPE",
                    f"sObject type '{obj}' is not supported. If you are attempting to use a "
                    "custom object, be sure to append the '__c' after the entity name.",
                )
            known = set(srv.fields[obj]) | srv.external_ids.get(obj, set())
            for f in [*fields, *([q["field"]] if q["field"] else [])]:
                if f not in known or (obj, f) in srv.hidden_fields:
                    raise _error(400, "INVALID_FIELD", f"No such column '{f}' on entity '{obj}'.")
            rows = [dict(r) for r in srv.objects[obj]]
        if q["field"]:
            if not _LITERAL.fullmatch(q["value"]):
                raise _error(
                    400,
                    "MALFORMED_QUERY",
                    f"value of filter criterion for field '{q['field']}' must be of type dateTime",
                )
            since = instant(q["value"])
            rows = [r for r in rows if r.get(q["field"]) and instant(r[q["field"]]) > since]
        job = Job(srv.new_id("750"), obj, fields, rows, version, stamp(datetime.now(UTC)))
        job.error = srv.failed_jobs.get(obj, "")
        with srv.lock:
            srv.jobs[job.id] = job
        return self._job_info(job)

    def _job_info(self, job: Job) -> dict[str, Any]:
        with self.server.lock:
            if job.state in ("UploadComplete", "InProgress") and job.polls > 0:
                done = job.polls >= self.server.polls_to_complete
                job.state = ("Failed" if job.error else "JobComplete") if done else "InProgress"
            job.polls += 1
            info: dict[str, Any] = {
                "id": job.id,
                "operation": "query",
                "object": job.object,
                "createdById": "005FAKE000000001",
                "createdDate": job.created,
                "systemModstamp": job.created,
                "state": job.state,
                "concurrencyMode": "Parallel",
                "contentType": "CSV",
                "apiVersion": float(job.version),
                "lineEnding": "LF",
                "columnDelimiter": "COMMA",
            }
            if job.polls > 1:
                info |= {
                    "jobType": "V2Query",
                    "numberRecordsProcessed": len(job.rows),
                    "retries": 0,
                    "totalProcessingTime": 42,
                }
            if job.state == "Failed":
                info["errorMessage"] = job.error
            return info

    def _results(self, job: Job, seen: Received, version: str) -> tuple[int, Any, dict[str, str]]:
        if version != job.version:
            raise _error(409, "INVALIDJOBSTATE", "Use the API version that created the job")
        if job.state != "JobComplete":
            raise _error(
                412,
                "JOB_NOT_COMPLETE",
                "can only download query results of successfully completed bulk job with "
                f"status: JOB_COMPLETE. Current status: {job.state.upper()}",
            )
        size = int(seen.query.get("maxRecords", [self.server.default_page])[0])
        locator = seen.query.get("locator", [""])[0]
        try:
            start = int(base64.b64decode(locator + "=" * (-len(locator) % 4))) if locator else 0
        except ValueError:
            raise _error(400, "INVALIDLOCATOR", "Invalid locator") from None
        page = job.rows[start : start + size]
        out = io.StringIO()
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(job.fields)
        writer.writerows([r.get(f, "") for f in job.fields] for r in page)
        end = start + len(page)
        following = base64.b64encode(str(end).encode()).decode().rstrip("=")
        headers = {
            "Content-Type": "text/csv",
            "Sforce-NumberOfRecords": str(len(page)),
            "Sforce-Locator": following if end < len(job.rows) else "null",
        }
        data = out.getvalue().encode()
        if "gzip" in seen.headers.get("accept-encoding", ""):
            data = gzip.compress(data)
            headers["Content-Encoding"] = "gzip"
        return 200, data, headers

    def _upsert(self, obj: str, field_name: str, value: str, seen: Received) -> tuple[int, Any]:
        srv = self.server
        try:
            values = seen.json()
        except ValueError:
            raise _error(400, "JSON_PARSER_ERROR", "The request body is not JSON") from None
        if not isinstance(values, dict):
            raise _error(400, "JSON_PARSER_ERROR", "The request body must be an object")
        if "Id" in values or field_name in values:
            raise _error(400, "INVALID_FIELD", f"Id and {field_name} cannot be in the body")
        with srv.lock:
            what = values.get("WhatId")
            if what and what not in {r["Id"] for r in srv.objects.get("Opportunity", [])}:
                raise _error(
                    400,
                    "FIELD_INTEGRITY_EXCEPTION",
                    f"Related To ID: id value of incorrect type: {what}",
                    fields=["WhatId"],
                )
            matches = [r for r in srv.objects.setdefault(obj, []) if r.get(field_name) == value]
            if len(matches) > 1:
                return 300, [f"/services/data/v61.0/sobjects/{obj}/{r['Id']}" for r in matches]
            when = stamp(srv.now)
            if matches:
                matches[0].update({k: str(v) for k, v in values.items()})
                matches[0]["SystemModstamp"] = when
                if srv.update_status == 204:
                    return 204, None
                return 200, {
                    "id": matches[0]["Id"],
                    "success": True,
                    "errors": [],
                    "created": False,
                }
            row = {
                "Id": srv.new_id("00T"),
                **{k: str(v) for k, v in values.items()},
                field_name: value,
                "CreatedDate": when,
                "SystemModstamp": when,
                "IsClosed": "true" if values.get("Status") == "Completed" else "false",
            }
            srv.objects[obj].append(row)
            return 201, {"id": row["Id"], "success": True, "errors": [], "created": True}

    def _by_external_id(self, obj: str, field_name: str, value: str) -> dict[str, Any]:
        with self.server.lock:
            matches = [r for r in self.server.objects.get(obj, []) if r.get(field_name) == value]
        if not matches:
            raise _error(404, "NOT_FOUND", "The requested resource does not exist")
        row = matches[0]
        return {
            "attributes": {"type": obj, "url": f"/services/data/v61.0/sobjects/{obj}/{row['Id']}"},
            **row,
        }


@contextlib.contextmanager
def serving(public_key: str = "") -> Iterator[FakeSalesforce]:
    """A running fake on 127.0.0.1 (a free port), shut down at the end."""
    srv = FakeSalesforce(public_key)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
