"""HubSpot: the deals view and the activities export, pulled through the CRM v3 APIs.

A private app's access token (``HUBSPOT_TOKEN``) reads the deals with their contacts and
company, the owners (names, as the export writes them), the deal pipelines (stage and
pipeline labels; the per-stage ``Date entered`` columns) and the five engagement kinds
(calls, emails, meetings, notes, tasks) with their deals and contacts. They are written as
the export's two files with its column labels and value spellings, times in the account's
time zone, so ``bot.ingest`` reads them as it reads a downloaded export.

A full pull lists every object (``GET /crm/v3/objects/<type>``, 100 a page). An incremental
one searches each object for ``hs_lastmodifieddate`` after the last pull; the search API
answers at most 10,000 results a query, so past that the object is listed whole. Owners,
pipelines and labels are read whole each time. Write-back creates one completed task on the
deal carrying a marker, found again through the deal's task associations (read at once,
unlike the search index, which lags a write by seconds) so a retry never writes twice.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests

from bot.ingest.crm.base import (
    ATTEMPTS,
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

log = logging.getLogger(__name__)

NAME = "HubSpot"
DEFAULT_URL = "https://api.hubapi.com"
DEALS_FILE = "hubspot-crm-exports-all-deals.csv"
ACTIVITIES_FILE = "hubspot-crm-exports-all-activities.csv"
KEY = "Record ID"
PAGE = 100  # the most a list or search page holds
BATCH = 100  # the most ids one batch read takes
SEARCH_CAP = 10_000  # the most results one search query pages through
TASK_TO_DEAL = 216  # HubSpot-defined association type: task -> deal
PRIMARY_COMPANY = 5  # HubSpot-defined association type: deal -> primary company
EXPIRED = (
    f"{NAME}: the private app token was rotated or deleted: "
    "set HUBSPOT_TOKEN to the app's current token"
)

DEAL_PROPERTIES = (
    "dealname", "dealstage", "pipeline", "amount", "deal_currency_code", "closedate",
    "createdate", "hubspot_owner_id", "hs_next_step", "hs_is_closed", "hs_is_closed_won",
    "hs_lastmodifieddate",
)  # fmt: skip
DEAL_COLUMNS = (
    "Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Deal currency code",
    "Close Date", "Create Date", "Deal owner", "Associated Company", "Next step",
    "Date entered current stage", "Is closed", "Is Closed Won", "Associated Contact IDs",
    "Associated Contact",
)  # fmt: skip
ENGAGEMENTS: Mapping[str, tuple[str, ...]] = {
    "calls": ("hs_call_title", "hs_call_body", "hs_call_direction", "hs_call_disposition"),
    "emails": ("hs_email_subject", "hs_email_text", "hs_email_html", "hs_email_direction"),
    "meetings": ("hs_meeting_title", "hs_meeting_body", "hs_meeting_outcome"),
    "notes": ("hs_note_body",),
    "tasks": ("hs_task_subject", "hs_task_body", "hs_task_status"),
}
ENGAGEMENT_COMMON = ("hs_timestamp", "hubspot_owner_id", "hs_lastmodifieddate")
ACTIVITY_COLUMNS = (
    "Record ID", "Activity type", "Activity date", "Activity assigned to", "Call title",
    "Call notes", "Call direction", "Call outcome", "Email subject", "Email body",
    "Email direction", "Meeting name", "Meeting description", "Meeting outcome", "Note body",
    "Task title", "Task notes", "Task status", "Associated Deal IDs", "Associated Contact IDs",
    "Associated Contact",
)  # fmt: skip
# hs_email_direction as the activities export names the email.
EMAIL_TYPES = {
    "EMAIL": "Email sent to contact",
    "INCOMING_EMAIL": "Email reply from contact",
    "FORWARDED_EMAIL": "Forwarded email",
}


def from_env(
    env: Mapping[str, str], deadline: Deadline, session: requests.Session | None = None
) -> HubSpot:
    """The connector ``HUBSPOT_TOKEN`` (and ``HUBSPOT_API_URL``, for tests) describe."""
    token = env.get("HUBSPOT_TOKEN", "").strip()
    if not token:
        raise CrmError(
            f"{NAME}: set HUBSPOT_TOKEN (the access token of a HubSpot private app with the "
            "CRM read scopes; see the README)",
            "settings",
        )
    base = check_base_url(NAME, env.get("HUBSPOT_API_URL") or DEFAULT_URL, "HUBSPOT_API_URL")
    return HubSpot(token, base, deadline, session)


@dataclass
class _Record:
    id: str
    props: dict[str, Any]
    # associated object type ("contacts") -> [(id, primary)], in HubSpot's order
    links: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)

    def prop(self, name: str) -> str:
        value = self.props.get(name)
        return "" if value is None else str(value)

    def ids(self, kind: str) -> list[str]:
        return list(dict.fromkeys(i for i, _ in self.links.get(kind, [])))


@dataclass
class _Labels:
    """What turns internal values into the export's spellings."""

    tz: tzinfo = UTC
    owners: dict[str, str] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)  # stage id -> label
    pipelines: dict[str, str] = field(default_factory=dict)  # pipeline id -> label
    entered: list[tuple[str, str]] = field(default_factory=list)  # (column, stage id)
    outcomes: dict[str, str] = field(default_factory=dict)  # call disposition id -> label
    contacts: dict[str, str] = field(default_factory=dict)  # id -> "Name (email)"
    companies: dict[str, str] = field(default_factory=dict)  # id -> name

    def when(self, value: str) -> str:
        return _stamp(value, self.tz)

    def owner(self, ident: str) -> str:
        return self.owners.get(ident, ident)


class HubSpot:
    """Pulls the HubSpot export through the CRM API and records activities on deals."""

    name = NAME

    def __init__(
        self,
        token: str,
        base_url: str,
        deadline: Deadline,
        session: requests.Session | None = None,
        *,
        backoff: float = 1.0,
        attempts: int = ATTEMPTS,
    ) -> None:
        self._session = session or requests.Session()
        self._backoff = backoff
        self._attempts = attempts
        self.api = Api(NAME, base_url, explain=explain, deadline=deadline,
                       session=self._session, backoff=backoff, attempts=attempts)  # fmt: skip
        # Writes are never sent twice blindly: one try each, then the marker is looked for
        # again (own deadline: a write comes long after the pull that started the other).
        self._once = Api(NAME, base_url, explain=explain, deadline=Deadline(),
                         session=self._session, attempts=1)  # fmt: skip
        self.api.token = self._once.token = token

    def __repr__(self) -> str:
        return f"HubSpot({self.api.base_url!r})"

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------------ pull

    def pull(self, dest: Path, since: datetime | None, progress: Progress) -> Pulled:
        labels = self._labels()
        stage_columns = [column for column, _ in labels.entered]
        properties = [*DEAL_PROPERTIES, *(f"hs_date_entered_{s}" for _, s in labels.entered)]
        with CsvOut(dest / DEALS_FILE, [*DEAL_COLUMNS, *stage_columns]) as out:
            for page in self._records("deals", properties, ("contacts", "companies"), since):
                self._names(labels, page)
                out.write_all(_deal_row(r, labels) for r in page)
                progress("deals", out.rows)
            deals = out.rows
        with CsvOut(dest / ACTIVITIES_FILE, ACTIVITY_COLUMNS) as out:
            for kind, own in ENGAGEMENTS.items():
                for page in self._records(kind, (*ENGAGEMENT_COMMON, *own),
                                          ("deals", "contacts"), since):  # fmt: skip
                    self._names(labels, page)
                    out.write_all(_activity_row(kind, r, labels) for r in page)
                    progress("activities", out.rows)
            activities = out.rows
        what = "everything" if since is None else f"changed since {since:%Y-%m-%d %H:%M}"
        log.info("%s: pulled %d deals and %d activities (%s)", NAME, deals, activities, what)
        return Pulled(
            {DEALS_FILE: PulledFile(deals, KEY), ACTIVITIES_FILE: PulledFile(activities, KEY)},
            full=since is None,
        )

    def _labels(self) -> _Labels:
        labels = _Labels(tz=self._timezone())
        for archived in ("false", "true"):  # deals keep the owners who left
            for owner in self._listing("/crm/v3/owners", {"archived": archived}):
                name = " ".join(
                    str(owner.get(k) or "").strip() for k in ("firstName", "lastName")
                ).strip()
                labels.owners.setdefault(str(owner.get("id")), name or str(owner.get("email")))
        pipelines = _results(self._get("/crm/v3/pipelines/deals"))
        for pipeline in sorted(pipelines, key=_order):
            pid, plabel = str(pipeline.get("id")), str(pipeline.get("label") or "")
            labels.pipelines[pid] = plabel
            for stage in sorted(_list(pipeline.get("stages")), key=_order):
                sid, slabel = str(stage.get("id")), str(stage.get("label") or "")
                labels.stages[sid] = slabel
                labels.entered.append((f'Date entered "{slabel} ({plabel})"', sid))
        labels.outcomes = self._dispositions()
        return labels

    def _timezone(self) -> tzinfo:
        """The account's time zone, in which the export writes every time (UTC if unknown)."""
        try:
            zone = str(self._get("/account-info/v3/details").get("timeZone") or "UTC")
        except CrmError as exc:
            if exc.kind not in ("permission", "data"):
                raise
            log.warning("%s: account time zone not readable (%s); writing times in UTC",
                        NAME, exc)  # fmt: skip
            return UTC
        try:
            return ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("%s: unknown time zone %r; writing times in UTC", NAME, zone)
            return UTC

    def _dispositions(self) -> dict[str, str]:
        """Call outcome ids -> labels (custom outcomes too); the GUIDs are kept if unreadable."""
        try:
            found = self._call("GET", "/calling/v1/dispositions")
        except CrmError as exc:
            if exc.kind not in ("permission", "data"):
                raise
            log.warning("%s: call outcomes not readable (%s); writing their ids", NAME, exc)
            return {}
        return {str(d.get("id")): str(d.get("label")) for d in _list(found) if d.get("label")}

    def _records(
        self, kind: str, properties: Sequence[str], linked: Sequence[str], since: datetime | None
    ) -> Iterator[list[_Record]]:
        """Pages of one object type: every record, or those modified after ``since``."""
        if since is not None:
            first = self._search(kind, properties, since, None)
            total = int(first.get("total") or 0)
            if total <= SEARCH_CAP:
                yield from self._searched(kind, properties, linked, since, first)
                return
            log.warning("%s: %d %s changed since %s, past the search API's %d-result cap; "
                        "listing all %s instead", NAME, total, kind, f"{since:%Y-%m-%d %H:%M}",
                        SEARCH_CAP, kind)  # fmt: skip
        params = {"properties": ",".join(properties), "associations": ",".join(linked)}
        after: str | None = None
        while True:
            data = self._get(f"/crm/v3/objects/{kind}", {**params, "limit": PAGE}, after)
            yield [_record(r) for r in _results(data)]
            after = _next(data)
            if after is None:
                return

    def _searched(
        self,
        kind: str,
        properties: Sequence[str],
        linked: Sequence[str],
        since: datetime,
        data: dict[str, Any],
    ) -> Iterator[list[_Record]]:
        while True:
            page = [_record(r) for r in _results(data)]
            for other in linked:  # search results carry no associations
                self._associate(kind, other, page)
            yield page
            after = _next(data)
            if after is None:
                return
            data = self._search(kind, properties, since, after)

    def _search(
        self, kind: str, properties: Sequence[str], since: datetime, after: str | None
    ) -> dict[str, Any]:
        moment = since if since.tzinfo else since.replace(tzinfo=UTC)
        body: dict[str, Any] = {
            "filterGroups": [{"filters": [{
                "propertyName": "hs_lastmodifieddate", "operator": "GT",
                "value": str(int(moment.timestamp() * 1000)),
            }]}],
            # by id: a record changed during the pull neither moves between pages nor repeats
            "sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}],
            "properties": list(properties),
            "limit": PAGE,
        }  # fmt: skip
        if after is not None:
            body["after"] = after
        return _object(self._call("POST", f"/crm/v3/objects/{kind}/search", json=body))

    def _associate(self, kind: str, other: str, page: list[_Record]) -> None:
        """Fill each record's links to ``other`` (associations API v4, one batch a page)."""
        if not page:
            return
        body = {"inputs": [{"id": r.id} for r in page]}
        data = self._call("POST", f"/crm/v4/associations/{kind}/{other}/batch/read", json=body)
        by_id = {r.id: r for r in page}
        for result in _results(_object(data)):
            record = by_id.get(str(_object(result.get("from")).get("id")))
            if record is None:
                continue
            record.links[other] = [
                (str(to.get("toObjectId")), _primary(to.get("associationTypes")))
                for to in _list(result.get("to"))
            ]

    def _names(self, labels: _Labels, page: list[_Record]) -> None:
        """Read the names of the contacts and companies this page names, once each."""
        contacts = {c for r in page for c in r.ids("contacts")} - labels.contacts.keys()
        for found in self._batch_read("contacts", contacts, ("firstname", "lastname", "email")):
            name = " ".join(found.prop(k).strip() for k in ("firstname", "lastname")).strip()
            email = found.prop("email").strip()
            shown = f"{name} ({email})" if name and email else name or email
            labels.contacts[found.id] = shown or found.id
        companies = {_company(r) for r in page} - labels.companies.keys() - {""}
        for found in self._batch_read("companies", companies, ("name",)):
            labels.companies[found.id] = found.prop("name")

    def _batch_read(self, kind: str, ids: set[str], properties: Sequence[str]) -> list[_Record]:
        found = []
        ordered = sorted(ids)
        for i in range(0, len(ordered), BATCH):
            body = {"properties": list(properties),
                    "inputs": [{"id": x} for x in ordered[i : i + BATCH]]}  # fmt: skip
            data = self._call("POST", f"/crm/v3/objects/{kind}/batch/read", json=body)
            found += [_record(r) for r in _results(_object(data))]
        return found

    def _listing(self, path: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        after: str | None = None
        while True:
            data = self._get(path, {**params, "limit": PAGE}, after)
            yield from _results(data)
            after = _next(data)
            if after is None:
                return

    def _get(
        self, path: str, params: Mapping[str, Any] | None = None, after: str | None = None
    ) -> dict[str, Any]:
        sent = dict(params or {})
        if after is not None:
            sent["after"] = after
        return _object(self._call("GET", path, params=sent))

    def _call(self, method: str, path: str, *, api: Api | None = None, **kw: Any) -> Any:
        """One call's JSON; a 401 is the token's fault (a private app has nothing to renew)."""
        try:
            response = (api or self.api).request(method, path, **kw)
        except Expired:
            raise CrmError(EXPIRED, "auth") from None
        try:
            return response.json()
        except ValueError:
            raise CrmError(f"{NAME}: {method} {path} did not answer JSON", "data") from None

    # ------------------------------------------------------------------ write-back

    def record(self, activity: Activity) -> str:
        """A completed task on the deal with the activity's subject and body, unless a task
        of the deal already carries its marker; the task's id either way."""
        for attempt in range(1, self._attempts + 1):
            try:
                found = self._task_with(activity)
                if found:
                    return found
                return self._create_task(activity)
            except CrmError as exc:
                if exc.kind not in ("network", "server", "rate") or attempt == self._attempts:
                    raise
                log.warning("%s: recording on deal %s failed (%s); looking for it before "
                            "trying again", NAME, activity.deal_id, exc.kind)  # fmt: skip
                Deadline().wait(NAME, self._backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _task_with(self, activity: Activity) -> str | None:
        """The deal's task carrying the marker, if any (through the deal's associations,
        which a new task is in at once; the search index may lag seconds behind)."""
        path = f"/crm/v4/objects/deals/{quote(activity.deal_id, safe='')}/associations/tasks"
        tasks: list[str] = []
        after: str | None = None
        while True:
            sent: dict[str, Any] = {"limit": 500} | ({} if after is None else {"after": after})
            data = _object(self._call("GET", path, api=self._once, params=sent))
            tasks += [str(r.get("toObjectId")) for r in _results(data)]
            after = _next(data)
            if after is None:
                break
        marker = html.escape(_marker(activity.marker))
        for i in range(0, len(tasks), BATCH):
            body = {"properties": ["hs_task_body"],
                    "inputs": [{"id": t} for t in tasks[i : i + BATCH]]}  # fmt: skip
            data = self._call("POST", "/crm/v3/objects/tasks/batch/read", api=self._once,
                              json=body)  # fmt: skip
            for task in _results(_object(data)):
                if marker in _record(task).prop("hs_task_body"):
                    return str(task.get("id"))
        return None

    def _create_task(self, activity: Activity) -> str:
        when = activity.when if activity.when.tzinfo else activity.when.replace(tzinfo=UTC)
        lines = [*activity.body.splitlines(), _marker(activity.marker)]
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
        payload = {
            "properties": {
                "hs_timestamp": f"{when.astimezone(UTC):%Y-%m-%dT%H:%M:%S}.000Z",
                "hs_task_subject": activity.subject,
                "hs_task_body": body,
                "hs_task_status": "COMPLETED",
                "hs_task_type": "TODO",
            },
            "associations": [{
                "to": {"id": activity.deal_id},
                "types": [{"associationCategory": "HUBSPOT_DEFINED",
                           "associationTypeId": TASK_TO_DEAL}],
            }],
        }  # fmt: skip
        created = _object(self._call("POST", "/crm/v3/objects/tasks", api=self._once,
                                     json=payload))  # fmt: skip
        ident = str(created.get("id") or "")
        if not ident:
            raise CrmError(f"{NAME}: creating a task answered no id", "data")
        log.info("%s: recorded task %s on deal %s", NAME, ident, activity.deal_id)
        return ident


# ---------------------------------------------------------------------- rows


def _deal_row(r: _Record, labels: _Labels) -> dict[str, str]:
    stage = r.prop("dealstage")
    contacts = r.ids("contacts")
    row = {
        "Record ID": r.id,
        "Deal Name": r.prop("dealname"),
        "Deal Stage": labels.stages.get(stage, stage),
        "Pipeline": labels.pipelines.get(r.prop("pipeline"), r.prop("pipeline")),
        "Amount": r.prop("amount"),
        "Deal currency code": r.prop("deal_currency_code"),
        "Close Date": labels.when(r.prop("closedate")),
        "Create Date": labels.when(r.prop("createdate")),
        "Deal owner": labels.owner(r.prop("hubspot_owner_id")),
        "Associated Company": labels.companies.get(_company(r), ""),
        "Next step": r.prop("hs_next_step"),
        "Date entered current stage": labels.when(r.prop(f"hs_date_entered_{stage}")),
        "Is closed": r.prop("hs_is_closed"),
        "Is Closed Won": r.prop("hs_is_closed_won"),
        "Associated Contact IDs": ";".join(contacts),
        "Associated Contact": ";".join(labels.contacts.get(c, c) for c in contacts),
    }
    for column, stage_id in labels.entered:
        row[column] = labels.when(r.prop(f"hs_date_entered_{stage_id}"))
    return row


def _activity_row(kind: str, r: _Record, labels: _Labels) -> dict[str, str]:
    contacts = r.ids("contacts")
    row = {
        "Record ID": r.id,
        "Activity date": labels.when(r.prop("hs_timestamp")),
        "Activity assigned to": labels.owner(r.prop("hubspot_owner_id")),
        "Associated Deal IDs": ";".join(r.ids("deals")),
        "Associated Contact IDs": ";".join(contacts),
        "Associated Contact": ";".join(labels.contacts.get(c, c) for c in contacts),
    }
    if kind == "calls":
        outcome = r.prop("hs_call_disposition")
        row |= {
            "Activity type": "Call",
            "Call title": r.prop("hs_call_title"),
            "Call notes": r.prop("hs_call_body"),
            "Call direction": _label(r.prop("hs_call_direction")),
            "Call outcome": labels.outcomes.get(outcome, outcome),
        }
    elif kind == "emails":
        direction = r.prop("hs_email_direction")
        named = EMAIL_TYPES.get(direction, _label(direction))
        row |= {
            "Activity type": named or "Email",
            "Email subject": r.prop("hs_email_subject"),
            "Email body": r.prop("hs_email_text") or r.prop("hs_email_html"),
            "Email direction": named,
        }
    elif kind == "meetings":
        row |= {
            "Activity type": "Meeting",
            "Meeting name": r.prop("hs_meeting_title"),
            "Meeting description": r.prop("hs_meeting_body"),
            "Meeting outcome": _label(r.prop("hs_meeting_outcome")),
        }
    elif kind == "notes":
        row |= {"Activity type": "Note", "Note body": r.prop("hs_note_body")}
    else:
        row |= {
            "Activity type": "Task",
            "Task title": r.prop("hs_task_subject"),
            "Task notes": r.prop("hs_task_body"),
            "Task status": _label(r.prop("hs_task_status")),
        }
    return row


# ---------------------------------------------------------------------- helpers


def explain(response: requests.Response) -> str:
    """A refusal's reason from HubSpot's error body: the missing scopes for a 403
    (``errors[].context.requiredGranularScopes``, else the message), the message else."""
    try:
        data = response.json()
    except ValueError:
        return body_text(response) or f"HTTP {response.status_code}"
    if not isinstance(data, dict):
        return body_text(response)
    scopes: list[str] = []
    for place in [data, *(_object(e) for e in _list(data.get("errors")))]:
        context = _object(place.get("context"))
        for key in ("requiredGranularScopes", "requiredScopes", "missingScopes"):
            scopes += [str(s) for s in _list(context.get(key))]
    message = str(data.get("message") or "").strip()
    if scopes or data.get("category") == "MISSING_SCOPES":
        needed = ", ".join(dict.fromkeys(scopes)) or message
        return (
            f"the private app lacks the scope {needed}: add it in HubSpot under Settings > "
            "Integrations > Private Apps > the app > Scopes, commit, and keep the same token"
        )
    return message or body_text(response)


def _marker(marker: str) -> str:
    """The line that finds a written task again (its own word in the body's text)."""
    return f"dealnudge {marker}"


def _stamp(value: str, tz: tzinfo) -> str:
    """A HubSpot time (ISO 8601 or epoch milliseconds) as the export writes it."""
    if not value or len(value) == 10:  # empty, or a bare date
        return value
    try:
        if value.isdigit():
            moment = datetime.fromtimestamp(int(value) / 1000, UTC)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _label(value: str) -> str:
    """An enumeration's internal value as its label: ``NO_SHOW`` -> ``No show``."""
    return value.replace("_", " ").capitalize() if value.isupper() else value


def _company(r: _Record) -> str:
    companies = r.links.get("companies", [])
    primary = [i for i, p in companies if p]
    return (primary or [i for i, _ in companies] or [""])[0]


def _primary(types: Any) -> bool:
    return any(
        _object(t).get("typeId") == PRIMARY_COMPANY or _object(t).get("label") == "Primary"
        for t in _list(types)
    )


def _record(data: Any) -> _Record:
    obj = _object(data)
    links: dict[str, list[tuple[str, bool]]] = {}
    for kind, found in _object(obj.get("associations")).items():
        links[str(kind)] = [
            (str(a.get("id")), a.get("type") == "deal_to_company") for a in _results(_object(found))
        ]
    return _Record(str(obj.get("id")), _object(obj.get("properties")), links)


def _order(item: dict[str, Any]) -> tuple[int, str]:
    order = item.get("displayOrder")
    return (order if isinstance(order, int) else 0, str(item.get("label") or ""))


def _next(data: dict[str, Any]) -> str | None:
    after = _object(_object(data.get("paging")).get("next")).get("after")
    return None if after in (None, "") else str(after)


def _results(data: Any) -> list[dict[str, Any]]:
    return [_object(r) for r in _list(_object(data).get("results"))]


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
