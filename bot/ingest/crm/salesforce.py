"""Salesforce: the export pulled with Bulk API 2.0 query jobs, written as Data Loader CSV.

One query job per object (``POST /services/data/vXX.X/jobs/query``), polled until
``JobComplete``, its CSV results read page by page (``maxRecords``, the ``Sforce-Locator``
header until it is ``"null"``). The results' headers are the API field names, which are
the ``salesforce`` export family's columns, so each object's results are written as
``<Object>.csv`` unchanged. Each query selects the fields the readers use that the user can
read (the object's describe): a field hidden by field-level security or absent from the
org (``CurrencyIsoCode`` without multiple currencies) is left out, and the coverage report
says what that costs. Incremental pulls filter on ``SystemModstamp`` (OpportunityHistory,
never edited, on ``CreatedDate``); User is pulled whole.

Sign-in: the OAuth 2.0 JWT bearer flow (a connected app with a certificate whose private
key is in the environment) or the refresh-token flow. Write-back upserts a completed Task
by an external-id field (``PATCH .../sobjects/Task/<field>/<marker>``), which Salesforce
documents as idempotent: the same marker updates the one Task instead of creating another.

Plain ``requests`` (through ``Api``) rather than ``simple-salesforce``: Bulk 2.0 query is
four calls, and going through ``Api`` keeps the retries, the deadline and the messages the
other connectors share; PyJWT signs the assertion.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import requests

from bot.ingest.crm.base import (
    Activity,
    Api,
    CrmError,
    CsvOut,
    Deadline,
    Expired,
    Progress,
    Pulled,
    PulledFile,
    body_text,
    check_base_url,
)

if TYPE_CHECKING:  # PyJWT and cryptography load only when a JWT key is configured
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

log = logging.getLogger(__name__)

NAME = "Salesforce"
LOGIN_URL = "https://login.salesforce.com"
API_VERSION = "61.0"
MIN_API_VERSION = 47.0  # Bulk API 2.0 query jobs
WRITEBACK_FIELD = "Dealnudge_Key__c"
PAGE_SIZE = 10_000  # records per results page (maxRecords)
POLL = 1.0  # first wait between job status checks; doubles up to POLL_MAX
POLL_MAX = 10.0
BACKOFF = 1.0  # Api's first wait before retrying a 5xx or a dropped connection
WRITE_DEADLINE = 120.0  # seconds one write-back may take, retries included
JWT_LIFETIME = 170  # seconds; Salesforce wants the assertion to expire within 3 minutes
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_PATH = "/services/oauth2/token"
SUBJECT_LIMIT = 255  # Task.Subject
DESCRIPTION_LIMIT = 32_000  # Task.Description


@dataclass(frozen=True)
class SObject:
    name: str
    fields: tuple[str, ...]  # the columns the readers use (bot/ingest/formats.py), in order
    since: str | None  # the field an incremental pull filters on; None: pulled whole
    grant: str  # what to grant the integration user when it cannot read the object
    optional: bool = False  # left out, with a warning, when the user cannot read it


OBJECTS: tuple[SObject, ...] = (
    SObject(
        "Opportunity",
        (
            "Id", "AccountId", "Name", "StageName", "Amount", "CurrencyIsoCode", "CloseDate",
            "NextStep", "IsClosed", "IsWon", "OwnerId", "CreatedDate", "LastActivityDate",
        ),
        "SystemModstamp",
        "Read on Opportunities, and View All on Opportunities (or sharing that shows "
        "every deal)",
    ),
    SObject(
        "Task",
        (
            "Id", "WhoId", "WhatId", "AccountId", "Subject", "Description", "ActivityDate",
            "Status", "IsClosed", "OwnerId", "CreatedDate", "TaskSubtype", "CallType",
            "CallDisposition", "CallDurationInSeconds",
        ),
        "SystemModstamp",
        "read access to Tasks (activities follow the sharing of the record they are on: "
        "View All on Opportunities, Accounts and Contacts shows them all)",
    ),
    SObject(
        "Event",
        (
            "Id", "WhoId", "WhatId", "AccountId", "Subject", "Description", "ActivityDate",
            "ActivityDateTime", "StartDateTime", "EndDateTime", "DurationInMinutes",
            "Location", "EventSubtype", "OwnerId", "CreatedDate",
        ),
        "SystemModstamp",
        "read access to Events (activities follow the sharing of the record they are on: "
        "View All on Opportunities, Accounts and Contacts shows them all)",
    ),
    SObject(
        "User",
        (
            "Id", "Username", "Name", "FirstName", "LastName", "Email", "ManagerId",
            "IsActive", "TimeZoneSidKey",
        ),
        None,
        "read access to Users",
    ),
    SObject(
        "Contact",
        ("Id", "AccountId", "FirstName", "LastName", "Name", "Title", "Email", "ReportsToId"),
        "SystemModstamp",
        "Read and View All on Contacts",
    ),
    SObject(
        "Account",
        ("Id", "Name", "Industry", "NumberOfEmployees"),
        "SystemModstamp",
        "Read and View All on Accounts",
    ),
    SObject(
        "OpportunityHistory",
        (
            "Id", "OpportunityId", "CreatedDate", "StageName", "Amount", "CloseDate",
            "Probability", "ExpectedRevenue",
        ),
        "CreatedDate",
        "Read and View All on Opportunities (stage history follows the opportunity's "
        "access)",
        optional=True,
    ),
    SObject(
        "OpportunityContactRole",
        ("Id", "OpportunityId", "ContactId", "Role", "IsPrimary"),
        "SystemModstamp",
        "Read and View All on Opportunities and Contacts (contact roles follow the "
        "opportunity's access)",
        optional=True,
    ),
)  # fmt: skip

# Error codes meaning "this user cannot read this object" (the REST API's documented codes).
_NOT_VISIBLE = frozenset({"INVALID_TYPE", "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY"})
_LIMIT_CODES = frozenset({"REQUEST_LIMIT_EXCEEDED", "ExceededQuota"})
_API_OFF = frozenset({"API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED"})
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,79}")
_VERSION = re.compile(r"v?(\d{2,3}\.\d)")
_JOB_ID = re.compile(r"[A-Za-z0-9]{15,18}")


class NotVisible(CrmError):
    """The integration user cannot read an object (or the org does not have it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "permission")


class _Secret:
    """A credential: its value is there to use, never to show."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<hidden>"

    __str__ = __repr__


def from_env(
    env: Mapping[str, str], deadline: Deadline, session: requests.Session | None = None
) -> Salesforce:
    """A connector configured by the ``SALESFORCE_*`` variables of ``env``."""

    def get(name: str) -> str:
        return env.get(name, "").strip()

    def need(name: str, what: str) -> str:
        value = get(name)
        if not value:
            raise CrmError(f"{NAME}: set {name} ({what})", "settings")
        return value

    login = check_base_url(NAME, get("SALESFORCE_LOGIN_URL") or LOGIN_URL, "SALESFORCE_LOGIN_URL")
    client_id = need("SALESFORCE_CLIENT_ID", "the connected app's consumer key")
    instance = get("SALESFORCE_INSTANCE_URL")
    if instance:
        instance = check_base_url(NAME, instance, "SALESFORCE_INSTANCE_URL")
    version = get("SALESFORCE_API_VERSION") or API_VERSION
    m = _VERSION.fullmatch(version)
    if m is None or float(m.group(1)) < MIN_API_VERSION:
        raise CrmError(
            f"{NAME}: SALESFORCE_API_VERSION must be an API version like {API_VERSION} "
            f"({MIN_API_VERSION} or later, for Bulk API 2.0 queries)",
            "settings",
        )
    field = get("SALESFORCE_WRITEBACK_FIELD") or WRITEBACK_FIELD
    if not _FIELD_NAME.fullmatch(field):
        raise CrmError(
            f"{NAME}: SALESFORCE_WRITEBACK_FIELD must be a field's API name, like "
            f"{WRITEBACK_FIELD}",
            "settings",
        )
    key_text = get("SALESFORCE_PRIVATE_KEY")
    key_file = get("SALESFORCE_PRIVATE_KEY_FILE")
    key: RSAPrivateKey | None = None
    username = refresh = secret = ""
    if key_text or key_file or get("SALESFORCE_USERNAME"):
        username = need("SALESFORCE_USERNAME", "the integration user's username, for the JWT flow")
        if not key_text and not key_file:
            need(
                "SALESFORCE_PRIVATE_KEY",
                "the PEM private key of the connected app's "
                "certificate, or SALESFORCE_PRIVATE_KEY_FILE naming a file holding it",
            )
        key = _private_key(key_text, key_file)
    elif get("SALESFORCE_REFRESH_TOKEN") or get("SALESFORCE_CLIENT_SECRET"):
        secret = need("SALESFORCE_CLIENT_SECRET", "the connected app's consumer secret")
        refresh = need("SALESFORCE_REFRESH_TOKEN", "a refresh token issued to the connected app")
    else:
        raise CrmError(
            f"{NAME}: set SALESFORCE_USERNAME and SALESFORCE_PRIVATE_KEY (or "
            "SALESFORCE_PRIVATE_KEY_FILE) for the JWT bearer flow, or SALESFORCE_CLIENT_SECRET "
            "and SALESFORCE_REFRESH_TOKEN for the refresh-token flow",
            "settings",
        )
    return Salesforce(
        login_url=login,
        client_id=client_id,
        username=username,
        key=key,
        client_secret=secret,
        refresh_token=refresh,
        instance_url=instance,
        version=m.group(1),
        writeback_field=field,
        deadline=deadline,
        session=session,
    )


def _private_key(text: str, file: str) -> RSAPrivateKey:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    variable = "SALESFORCE_PRIVATE_KEY" if text else "SALESFORCE_PRIVATE_KEY_FILE"
    if not text:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise CrmError(
                f"{NAME}: SALESFORCE_PRIVATE_KEY_FILE cannot be read; it must name a PEM file",
                "settings",
            ) from None
    try:
        # An env file often holds the PEM on one line with literal \n.
        key = load_pem_private_key(text.replace("\\n", "\n").encode(), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, RSAPrivateKey):
        raise CrmError(
            f"{NAME}: {variable} must hold an unencrypted PEM RSA private key (the key of the "
            "certificate uploaded to the connected app)",
            "settings",
        )
    return key


class Salesforce:
    """The Salesforce connector (see the module docstring)."""

    name = NAME

    def __init__(
        self,
        *,
        login_url: str,
        client_id: str,
        username: str = "",
        key: RSAPrivateKey | None = None,
        client_secret: str = "",
        refresh_token: str = "",
        instance_url: str = "",
        version: str = API_VERSION,
        writeback_field: str = WRITEBACK_FIELD,
        deadline: Deadline | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self._login = login_url
        self._client_id = client_id
        self._username = username
        self._key = key
        self._secret = _Secret(client_secret)
        self._refresh = _Secret(refresh_token)
        self._instance = instance_url
        self._version = version
        self._field = writeback_field
        self._deadline = deadline or Deadline()
        base = instance_url or login_url
        self._api = Api(
            NAME,
            base,
            explain=self._explain,
            deadline=self._deadline,
            session=session,
            backoff=BACKOFF,
        )
        # Write-back runs beside pulls (a rep's click during a scheduled pull), with its own
        # deadline and connection; both share the session token.
        self._write_deadline = Deadline(WRITE_DEADLINE)
        self._writer = Api(
            NAME,
            base,
            explain=self._explain,
            deadline=self._write_deadline,
            session=session,
            backoff=BACKOFF,
        )
        self._signing_in = threading.Lock()
        self._object = ""  # the object being pulled, for error messages

    def __repr__(self) -> str:
        flow = "jwt" if self._key is not None else "refresh-token"
        return f"Salesforce({self._login!r}, flow={flow!r}, api=v{self._version})"

    def close(self) -> None:
        self._api.close()
        self._writer.close()

    # -- pull ----------------------------------------------------------------------------

    def pull(self, dest: Path, since: datetime | None, progress: Progress) -> Pulled:
        dest.mkdir(parents=True, exist_ok=True)  # the caller starts and stops the deadline
        files: dict[str, PulledFile] = {}
        try:
            for obj in OBJECTS:
                try:
                    rows = self._pull_object(obj, dest, since, progress)
                except NotVisible as exc:
                    if not obj.optional:
                        raise
                    log.warning("%s; %s.csv is left out of the export", exc, obj.name)
                    continue
                files[f"{obj.name}.csv"] = PulledFile(rows, "Id" if obj.since else None)
        finally:
            self._object = ""
        return Pulled(files, since is None)

    def _data(self, path: str) -> str:
        return f"/services/data/v{self._version}/{path}"

    def _pull_object(
        self, obj: SObject, dest: Path, since: datetime | None, progress: Progress
    ) -> int:
        self._object = obj.name
        readable = self._readable_fields(obj)
        fields = [f for f in obj.fields if f in readable]
        missing = [f for f in obj.fields if f not in readable]
        if missing:
            log.info(
                "%s: %s has no readable %s (field-level security, or not in this org); "
                "the export goes without them",
                NAME,
                obj.name,
                ", ".join(missing),
            )
        soql = f"SELECT {', '.join(fields)} FROM {obj.name}"
        if since is not None and obj.since:
            soql += f" WHERE {obj.since} > {_soql_datetime(since)}"
        job_id = self._run_job(obj, soql)
        path = dest / f"{obj.name}.csv"
        out: CsvOut | None = None
        try:
            locator = ""
            while True:
                params: dict[str, str | int] = {"maxRecords": PAGE_SIZE}
                if locator:
                    params["locator"] = locator
                response = self._request(
                    self._api,
                    "GET",
                    self._data(f"jobs/query/{job_id}/results"),
                    params=params,
                    headers={"Accept": "text/csv"},
                )
                header, rows = _read_page(response, obj.name)
                if out is None:
                    out = CsvOut(path, header or fields)
                elif header and header != out.columns:
                    raise CrmError(
                        f"{NAME}: the {obj.name} results changed columns between "
                        "pages; the pull is retried on the next refresh",
                        "data",
                    )
                for values in rows:
                    out.write(dict(zip(out.columns, values, strict=False)))
                progress(obj.name, out.rows)
                locator = response.headers.get("Sforce-Locator", "null").strip()
                if not locator or locator == "null":
                    break
        except BaseException:
            if out is not None:
                out.close()
            path.unlink(missing_ok=True)
            raise
        out.close()
        return out.rows

    def _readable_fields(self, obj: SObject) -> set[str]:
        described = _json(
            self._request(self._api, "GET", self._data(f"sobjects/{obj.name}/describe"))
        )
        if not isinstance(described, dict) or described.get("queryable") is False:
            raise NotVisible(
                f"{NAME}: cannot query {obj.name}; grant the integration user {obj.grant}"
            )
        fields = described.get("fields")
        if not isinstance(fields, list):
            return set()
        return {f["name"] for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)}

    def _run_job(self, obj: SObject, soql: str) -> str:
        """Create the query job, wait until it completes, return its id."""
        body = {
            "operation": "query",
            "query": soql,
            "contentType": "CSV",
            "columnDelimiter": "COMMA",
            "lineEnding": "LF",
        }
        job = _json(self._request(self._api, "POST", self._data("jobs/query"), json=body))
        job_id = job.get("id") if isinstance(job, dict) else None
        if not isinstance(job_id, str) or not _JOB_ID.fullmatch(job_id):
            raise CrmError(f"{NAME}: creating the {obj.name} query job gave no job id", "data")
        log.debug("%s: %s query job %s: %s", NAME, obj.name, job_id, soql)
        wait = POLL
        while True:
            info = _json(self._request(self._api, "GET", self._data(f"jobs/query/{job_id}")))
            state = info.get("state") if isinstance(info, dict) else None
            if state == "JobComplete":
                return job_id
            if state in ("Failed", "Aborted"):
                reason = info.get("errorMessage") if isinstance(info, dict) else None
                raise CrmError(
                    f"{NAME}: the {obj.name} query job {state.lower()}: "
                    f"{reason or 'Salesforce gave no reason'}; the next refresh tries again",
                    "server",
                )
            self._deadline.wait(NAME, wait)
            wait = min(wait * 2, POLL_MAX)

    # -- write-back ----------------------------------------------------------------------

    def record(self, activity: Activity) -> str:
        """Upsert a completed Task on the deal, keyed by ``activity.marker`` in the
        write-back field: a retry updates the same Task instead of adding one."""
        self._write_deadline.start()
        path = self._data(f"sobjects/Task/{self._field}/{quote(activity.marker, safe='')}")
        body = {
            "WhatId": activity.deal_id,
            "Subject": activity.subject[:SUBJECT_LIMIT],
            "Description": activity.body[:DESCRIPTION_LIMIT],
            "Status": "Completed",
            "ActivityDate": activity.when.date().isoformat(),
        }
        response = self._request(self._writer, "PATCH", path, json=body)
        if response.status_code == 204:  # an update answered without a body: look it up
            response = self._request(self._writer, "GET", path, params={"fields": "Id"})
        found = _json(response)
        task_id = (found.get("id") or found.get("Id")) if isinstance(found, dict) else None
        if not isinstance(task_id, str) or not task_id:
            raise CrmError(f"{NAME}: the Task upsert answered without the Task's id", "data")
        return task_id

    # -- HTTP ----------------------------------------------------------------------------

    def _request(self, api: Api, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One call with a session, signing in again once when Salesforce says it expired."""
        token = api.token
        if token is None:
            token = self._sign_in(None)
        try:
            return api.request(method, path, **kwargs)
        except Expired:
            log.info("%s: the session expired; signing in again", NAME)
        self._sign_in(token)
        try:
            return api.request(method, path, **kwargs)
        except Expired:
            raise CrmError(
                f"{NAME}: a fresh session was refused too (INVALID_SESSION_ID); check the "
                "connected app's session policies (IP relaxation, session timeout)",
                "auth",
            ) from None

    def _sign_in(self, stale: str | None) -> str:
        """A session token: a new one, unless another call already replaced ``stale``."""
        with self._signing_in:
            if self._api.token is not None and self._api.token != stale:
                return self._api.token
            self._api.token = self._writer.token = None
            instance, token = self._token()
            for api in (self._api, self._writer):
                api.base_url = instance
                api.token = token
            return token

    def _token(self) -> tuple[str, str]:
        """(instance URL, access token) from the OAuth token endpoint."""
        if self._key is not None:
            import jwt

            claims = {
                "iss": self._client_id,
                "sub": self._username,
                "aud": self._login,
                "exp": int(time.time()) + JWT_LIFETIME,
            }
            form = {
                "grant_type": JWT_GRANT,
                "assertion": jwt.encode(claims, self._key, algorithm="RS256"),
            }
        else:
            form = {
                "grant_type": "refresh_token",
                "client_id": self._client_id,
                "client_secret": self._secret.value,
                "refresh_token": self._refresh.value,
            }
        try:
            response = self._writer.request(
                "POST",
                self._login + TOKEN_PATH,
                data=form,
                auth=False,
                headers={"Accept": "application/json"},
            )
        except Expired:
            raise CrmError(
                f"{NAME}: sign-in refused (HTTP 401); {self._credentials()}", "auth"
            ) from None
        body = _json(response)
        token = body.get("access_token") if isinstance(body, dict) else None
        instance = self._instance or (body.get("instance_url") if isinstance(body, dict) else "")
        if not isinstance(token, str) or not token or not isinstance(instance, str) or not instance:
            raise CrmError(
                f"{NAME}: the sign-in answer had no access token or instance URL", "auth"
            )
        return check_base_url(NAME, instance, "SALESFORCE_INSTANCE_URL"), token

    def _credentials(self) -> str:
        if self._key is not None:
            return (
                "check SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME and that the certificate "
                "uploaded to the connected app matches SALESFORCE_PRIVATE_KEY"
            )
        return "check SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET and SALESFORCE_REFRESH_TOKEN"

    def _explain(self, response: requests.Response) -> str:
        """Why Salesforce refused a call, from its documented error bodies; the causes that
        are not a plain refusal (sign-in, the API limit, an object the user cannot read)
        are raised as their own ``CrmError``."""
        path = urlsplit(response.url).path
        if path.endswith(TOKEN_PATH):
            error = self._token_error(response)
            response.close()
            raise error
        code, message = _error(response)
        if code in _LIMIT_CODES:
            usage = response.headers.get("Sforce-Limit-Info", "")
            response.close()
            raise CrmError(
                f"{NAME}: the org's API request limit is used up ({code}: {message}"
                f"{'; ' + usage if usage else ''}); the next pull waits. Setup > Company "
                "Information shows the usage; other integrations share the limit",
                "rate",
            )
        if code in _API_OFF:
            return (
                f"{code}: {message}; the integration user's profile or permission set "
                "needs the 'API Enabled' permission"
            )
        if f"/sobjects/Task/{self._field}/" in path:
            if response.status_code == 404:
                response.close()
                raise CrmError(
                    f"{NAME}: write-back needs a Text field {self._field} on Activity marked "
                    "External ID and Unique, readable and editable by the integration user "
                    f"({code or 'NOT_FOUND'}: {message}); create it, or set "
                    "SALESFORCE_WRITEBACK_FIELD to the field's API name",
                    "permission",
                )
            if code.startswith("INSUFFICIENT_ACCESS") or response.status_code == 403:
                return (
                    f"{code}: {message}; write-back needs the 'Edit Tasks' permission and "
                    "access to the opportunity"
                )
            if response.status_code == 300:
                return (
                    f"more than one Task has this {self._field}; make the field Unique "
                    "(External ID, Unique) on Activity"
                )
        obj = next((o for o in OBJECTS if o.name == self._object), None)
        hidden = (
            code in _NOT_VISIBLE
            or response.status_code == 403
            or (response.status_code == 404 and path.endswith("/describe"))
        )
        if obj is not None and hidden:
            response.close()
            raise NotVisible(
                f"{NAME}: cannot read {obj.name} ({code or f'HTTP {response.status_code}'}"
                f"{': ' + message if message else ''}); grant the integration user {obj.grant}"
            )
        return f"{code}: {message}" if code else body_text(response)

    def _token_error(self, response: requests.Response) -> CrmError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        error = str(body.get("error", "")) if isinstance(body, dict) else ""
        text = str(body.get("error_description", "")) if isinstance(body, dict) else ""
        said = f"{error}: {text}" if text else error or f"HTTP {response.status_code}"
        fix = self._credentials()
        low = text.lower()
        if error == "invalid_client_id":
            fix = (
                "SALESFORCE_CLIENT_ID must be the connected app's Consumer Key, and "
                "SALESFORCE_LOGIN_URL the org's login address (https://test.salesforce.com "
                "for a sandbox)"
            )
        elif error == "invalid_client":
            fix = "SALESFORCE_CLIENT_SECRET must be the connected app's Consumer Secret"
        elif "approved" in low:
            fix = (
                "in the connected app's policies set Permitted Users to 'Admin approved "
                "users are pre-authorized' and add the integration user's profile or "
                "permission set"
            )
        elif "refresh token" in low:
            fix = (
                "SALESFORCE_REFRESH_TOKEN was revoked or has expired: authorize the "
                "connected app again and set the new refresh token"
            )
        elif "ip restricted" in low or "login hours" in low:
            fix = (
                "the integration user's login IP ranges or hours refuse this machine; relax "
                "IP restrictions in the connected app's policies"
            )
        elif error in ("inactive_user", "inactive_org"):
            fix = "the integration user (or the org) is inactive"
        elif self._key is not None and ("audience" in low or "assertion" in low):
            fix += (
                ", and that SALESFORCE_LOGIN_URL is https://login.salesforce.com "
                "(https://test.salesforce.com for a sandbox)"
            )
        kind = "rate" if error == "rate_limit_exceeded" else "auth"
        return CrmError(f"{NAME}: sign-in refused ({said}); {fix}", kind)


def _soql_datetime(when: datetime) -> str:
    """A SOQL dateTime literal in UTC (a naive ``when`` is taken as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_page(response: requests.Response, name: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of one page of CSV results (checked against the record count
    Salesforce announced, so a cut-off page is never written as a whole one)."""
    text = response.content.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = [r for r in reader if r]
    announced = response.headers.get("Sforce-NumberOfRecords", "").strip()
    if announced.isdigit() and int(announced) != len(rows):
        raise CrmError(
            f"{NAME}: a page of {name} results held {len(rows)} records, not the {announced} "
            "announced; the pull is retried on the next refresh",
            "network",
        )
    return header, rows


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise CrmError(
            f"{NAME}: {urlsplit(response.url).path} answered with something other than JSON", "data"
        ) from None


def _error(response: requests.Response) -> tuple[str, str]:
    """(errorCode, message) of Salesforce's error body ``[{"errorCode", "message"}]``."""
    try:
        body = response.json()
    except ValueError:
        return "", ""
    first = body[0] if isinstance(body, list) and body else body
    if not isinstance(first, dict):
        return "", ""
    return str(first.get("errorCode", "")), str(first.get("message", ""))
