"""Pipedrive: the spreadsheet export (deals, activities, notes) pulled through the REST API.

Plain ``requests`` through ``Api``: Pipedrive's official clients are Node.js and PHP only,
and the few calls needed (paged lists, one create) do not justify a third-party wrapper.

What is read, where Pipedrive's docs point today (the v1 list and create endpoints of deals,
activities, persons, organizations, pipelines and stages are deprecated for v2): deals,
activities, persons, organizations, pipelines, stages and deal fields through API v2
(``cursor``/``limit`` paging, ``updated_since``); notes, users and activity types through
v1 (``start``/``limit`` paging, ``updated_since`` on notes). The token travels in the
``x-api-token`` header, never in a URL. Files and columns are those of Pipedrive's
spreadsheet export as ``bot.ingest.formats.PIPEDRIVE`` reads them: ``deals.csv`` (owner,
stage, organization and person by name; custom fields under their label, e.g. "Deal -
Next step"), ``activities.csv`` and ``notes.csv``. Times are UTC.

An incremental pull asks for what changed since ``since`` (deals, activities, notes; deleted
deals too, written with the status "Deleted" so the merge closes them); persons,
organizations and deal titles it names are looked up by id; users, pipelines, stages,
activity types and deal fields are read whole every time (a handful of calls).

Write-back creates one done activity on the deal (``POST /api/v2/activities``) whose note
ends with the click's marker; before creating it, and again after a failure that may have
created it, the deal's activities are searched for that marker.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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

log = logging.getLogger(__name__)

NAME = "Pipedrive"
TOKEN_VAR = "PIPEDRIVE_API_TOKEN"
URL_VAR = "PIPEDRIVE_API_URL"
TYPE_VAR = "PIPEDRIVE_ACTIVITY_TYPE"
DEFAULT_URL = "https://api.pipedrive.com"
PAGE = 500  # the most one list call returns (v1 and v2)
IDS_AT_ONCE = 100  # the most ids one ``ids=`` filter takes
WRITE_TRIES = 4
WRITE_SECONDS = 300.0  # the time one write-back (search, create, search again) may take

DEALS, ACTIVITIES, NOTES = "deals.csv", "activities.csv", "notes.csv"
DEAL_KEY, ACTIVITY_KEY, NOTE_KEY = "Deal - ID", "Activity - ID", "Note - ID"
DEAL_COLUMNS = (
    DEAL_KEY, "Deal - Title", "Deal - Value", "Deal - Currency of Value", "Deal - Owner",
    "Deal - Pipeline", "Deal - Stage", "Deal - Status", "Deal - Expected close date",
    "Deal - Deal created", "Deal - Update time", "Deal - Last stage change",
    "Deal - Won time", "Deal - Lost time", "Deal - Lost reason", "Deal - Organization",
    "Deal - Contact person", "Deal - Next activity date", "Deal - Last activity date",
)  # fmt: skip
ACTIVITY_COLUMNS = (
    ACTIVITY_KEY, "Activity - Subject", "Activity - Type", "Activity - Due date",
    "Activity - Done", "Activity - Add time", "Activity - Note", "Activity - Contact person",
    "Activity - Organization", "Activity - Assigned to user", "Deal - ID", "Deal - Title",
)  # fmt: skip
NOTE_COLUMNS = (
    NOTE_KEY, "Note - Content", "Note - Add time", "Note - User", "Deal - ID", "Deal - Title",
    "Person - Name", "Organization - Name",
)  # fmt: skip
STATUS = {"open": "Open", "won": "Won", "lost": "Lost", "deleted": "Deleted"}
WHAT = {  # API path -> what it reads, for messages
    "deals": "deals", "activities": "activities", "notes": "notes", "persons": "persons",
    "organizations": "organizations", "users": "users", "stages": "stages",
    "pipelines": "pipelines", "dealFields": "deal fields", "activityTypes": "activity types",
}  # fmt: skip
_TYPE_KEY = re.compile(r"[a-z0-9_]{1,64}")

Obj = dict[str, Any]


def from_env(
    env: Mapping[str, str], deadline: Deadline, session: requests.Session | None = None
) -> Pipedrive:
    """A connector from ``PIPEDRIVE_API_TOKEN``, ``PIPEDRIVE_API_URL`` (default
    https://api.pipedrive.com) and ``PIPEDRIVE_ACTIVITY_TYPE`` (write-back, default task)."""
    token = env.get(TOKEN_VAR, "").strip()
    if not token:
        raise CrmError(
            f"{NAME}: set {TOKEN_VAR} (the API token of the Pipedrive user dealnudge reads "
            "as: Personal preferences > API)",
            "settings",
        )
    kind = env.get(TYPE_VAR, "").strip() or "task"
    if not _TYPE_KEY.fullmatch(kind):
        raise CrmError(
            f"{NAME}: {TYPE_VAR} must be an activity type's key (call, task ...), "
            "as Company settings > Activity types shows it",
            "settings",
        )
    url = env.get(URL_VAR, "").strip() or DEFAULT_URL
    return Pipedrive(url, token, deadline=deadline, session=session, activity_type=kind)


def explain(response: requests.Response) -> str:
    """Pipedrive's reason for a refusal (``error``, and ``error_info`` unless it is the
    generic pointer to the docs); for a 403, the permission the token's user lacks."""
    try:
        body = response.json()
    except ValueError:
        return body_text(response)
    if not isinstance(body, dict):
        return body_text(response)
    info = str(body.get("error_info") or "")
    said = " ".join(
        (str(body.get("error") or ""), "" if info.startswith("Please check") else info)
    ).strip()
    if response.status_code != 403:
        return said or body_text(response)
    what = _what(urlsplit(response.url).path)
    if response.request.method == "POST":
        action = f"add {what} to every user's deals"
    else:
        action = f"see every user's {what}"
    return (
        f"{said[:120] or 'forbidden'}; the Pipedrive user whose token is in {TOKEN_VAR} "
        f"needs a permission set and visibility group that let it {action} (or use an "
        "admin's token)"
    )


def _what(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return next((WHAT[p] for p in reversed(parts) if p in WHAT), "these records")


@dataclass
class _Field:
    """A custom deal field, written as the column ``Deal - <its label>``."""

    code: str
    column: str
    options: dict[str, str]

    def text(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return ", ".join(self.text(v) for v in value)
        if isinstance(value, dict):
            inner = value.get("value", value.get("formatted_address", ""))
            return "" if inner is None else str(inner)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return self.options.get(str(value), str(value))


@dataclass
class _Names:
    """Ids to the names the export shows."""

    users: dict[Any, str] = field(default_factory=dict)
    stages: dict[Any, str] = field(default_factory=dict)
    pipelines: dict[Any, str] = field(default_factory=dict)
    types: dict[Any, str] = field(default_factory=dict)
    persons: dict[Any, str] = field(default_factory=dict)
    orgs: dict[Any, str] = field(default_factory=dict)
    deals: dict[Any, str] = field(default_factory=dict)
    fields: list[_Field] = field(default_factory=list)


class Pipedrive:
    """The ``Connector`` for Pipedrive (see the module docstring)."""

    name = NAME

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        deadline: Deadline | None = None,
        session: requests.Session | None = None,
        activity_type: str = "task",
        page_size: int = PAGE,
        backoff: float = 1.0,
    ) -> None:
        self.base_url = check_base_url(NAME, base_url, URL_VAR)
        self.activity_type = activity_type
        self.page_size = page_size
        self._token = token
        self._v1 = "/v1" if urlsplit(self.base_url).hostname == "api.pipedrive.com" else "/api/v1"
        self._session = session or requests.Session()
        self._backoff = backoff
        self._api = Api(NAME, self.base_url, explain=explain, deadline=deadline,
                        session=self._session, backoff=backoff)  # fmt: skip
        # Write-back has its own time limit (a pull's deadline may have run out long ago),
        # and creates with one try: a create that may have landed is searched for first.
        self._write_deadline = Deadline(WRITE_SECONDS)
        self._writer = Api(NAME, self.base_url, explain=explain,
                           deadline=self._write_deadline, session=self._session,
                           backoff=backoff)  # fmt: skip

    def __repr__(self) -> str:
        return f"Pipedrive({self.base_url!r})"

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------------ HTTP

    def _call(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
        json: Any = None, api: Api | None = None, retry: bool = True,
    ) -> Obj:  # fmt: skip
        headers = {"x-api-token": self._token, "Accept": "application/json"}
        try:
            response = (api or self._api).request(
                method, path, params=params, json=json, headers=headers, retry=retry
            )
        except Expired:
            raise CrmError(
                f"{NAME}: the API token was refused (HTTP 401): set {TOKEN_VAR} to the "
                "current token of the user dealnudge reads as (Personal preferences > API; "
                "a regenerated token replaces the old one)",
                "auth",
            ) from None
        try:
            body = response.json()
        except ValueError:
            raise CrmError(f"{NAME}: {path} did not answer with JSON", "server") from None
        finally:
            response.close()
        if not isinstance(body, dict) or body.get("success") is False:
            said = body.get("error") if isinstance(body, dict) else None
            raise CrmError(f"{NAME}: {method} {path} failed: {said or 'no reason given'}",
                           "data")  # fmt: skip
        return body

    def _pages(self, path: str, params: Mapping[str, Any], api: Api | None = None,
               ) -> Iterator[list[Obj]]:  # fmt: skip
        """Every page of a v2 list (``cursor``/``limit``)."""
        query = {**params, "limit": self.page_size}
        seen: set[str] = set()
        while True:
            body = self._call("GET", path, params=query, api=api)
            yield _items(body.get("data"))
            cursor = (body.get("additional_data") or {}).get("next_cursor")
            if not cursor:
                return
            if cursor in seen:
                raise CrmError(f"{NAME}: {path} paged in a circle (cursor repeated)", "server")
            seen.add(cursor)
            query["cursor"] = cursor

    def _v1_pages(self, path: str, params: Mapping[str, Any]) -> Iterator[list[Obj]]:
        """Every page of a v1 list (``start``/``limit``)."""
        start = 0
        while True:
            query = {**params, "start": start, "limit": self.page_size}
            body = self._call("GET", self._v1 + path, params=query)
            yield _items(body.get("data"))
            page = (body.get("additional_data") or {}).get("pagination") or {}
            if not page.get("more_items_in_collection"):
                return
            following = page.get("next_start")
            if not isinstance(following, int) or following <= start:
                raise CrmError(f"{NAME}: {path} paged in a circle (next_start)", "server")
            start = following

    def _all(self, path: str, params: Mapping[str, Any] | None = None) -> list[Obj]:
        return [o for page in self._pages(path, params or {}) for o in page]

    def _by_ids(self, path: str, ids: Iterable[Any]) -> list[Obj]:
        wanted = sorted({str(i) for i in ids if i is not None}, key=lambda s: (len(s), s))
        out: list[Obj] = []
        for at in range(0, len(wanted), IDS_AT_ONCE):
            out.extend(self._all(path, {"ids": ",".join(wanted[at : at + IDS_AT_ONCE])}))
        return out

    # ------------------------------------------------------------------ pull

    def pull(self, dest: Path, since: datetime | None, progress: Progress) -> Pulled:
        written: list[Path] = []
        try:
            return self._pull(dest, since, progress, written)
        except BaseException:
            for path in written:  # nothing half-written is left to be taken for an export
                path.unlink(missing_ok=True)
            raise

    def _pull(self, dest: Path, since: datetime | None, progress: Progress,
              written: list[Path]) -> Pulled:  # fmt: skip
        full = since is None
        changed: dict[str, Any] = {} if since is None else {"updated_since": _rfc3339(since)}
        names = self._lookups(full, progress)
        deals: list[Obj] = []
        wanted = {**changed, "include_fields": "next_activity_id,last_activity_id"}
        if not full:
            wanted["status"] = "open,won,lost,deleted"  # so a deleted deal is closed
        for page in self._pages("/api/v2/deals", wanted):
            deals.extend(page)
            names.deals.update((d.get("id"), str(d.get("title") or "")) for d in page)
            progress("deals", len(deals))
        if not full:
            self._resolve(names, deals)
        activity_ids = {d.get(k) for d in deals for k in ("next_activity_id", "last_activity_id")}
        due: dict[Any, str] = {}
        out = CsvOut(dest / ACTIVITIES, ACTIVITY_COLUMNS)
        written.append(out.path)
        with out:
            for page in self._pages("/api/v2/activities", changed):
                live = [a for a in page if not a.get("is_deleted")]
                if not full:
                    self._resolve(names, live, titles=True)
                for a in live:
                    if a.get("id") in activity_ids:
                        due[a.get("id")] = str(a.get("due_date") or "")
                    out.write(_activity_row(a, names))
                progress(ACTIVITIES, out.rows)
        missing = activity_ids - set(due) - {None}
        for a in self._by_ids("/api/v2/activities", missing):
            due[a.get("id")] = str(a.get("due_date") or "")
        columns = (*DEAL_COLUMNS, *(f.column for f in names.fields))
        deals_out = CsvOut(dest / DEALS, columns)
        written.append(deals_out.path)
        with deals_out:
            for d in deals:
                deals_out.write(_deal_row(d, names, due))
            progress(DEALS, deals_out.rows)
        notes_out = CsvOut(dest / NOTES, NOTE_COLUMNS)
        written.append(notes_out.path)
        with notes_out:
            for page in self._v1_pages("/notes", changed):
                for n in page:
                    if n.get("active_flag", True):
                        notes_out.write(_note_row(n, names))
                progress(NOTES, notes_out.rows)
        return Pulled(
            {
                DEALS: PulledFile(deals_out.rows, DEAL_KEY),
                ACTIVITIES: PulledFile(out.rows, ACTIVITY_KEY),
                NOTES: PulledFile(notes_out.rows, NOTE_KEY),
            },
            full=full,
        )

    def _lookups(self, full: bool, progress: Progress) -> _Names:
        """Users, pipelines, stages, activity types and deal fields (whole), and on a full
        pull every person and organization."""
        names = _Names()
        users = self._call("GET", self._v1 + "/users")
        names.users = {u.get("id"): str(u.get("name") or "") for u in _items(users.get("data"))}
        progress("users", len(names.users))
        types = self._call("GET", self._v1 + "/activityTypes")
        names.types = {t.get("key_string"): str(t.get("name") or "")
                       for t in _items(types.get("data"))}  # fmt: skip
        names.pipelines = _by_id(self._all("/api/v2/pipelines"), "name")
        names.stages = _by_id(self._all("/api/v2/stages"), "name")
        progress("stages", len(names.stages))
        names.fields = _custom_fields(self._all("/api/v2/dealFields"))
        if full:
            for path, into in (("/api/v2/persons", names.persons),
                               ("/api/v2/organizations", names.orgs)):  # fmt: skip
                for page in self._pages(path, {}):
                    into.update(_by_id(page, "name"))
                    progress(_what(path), len(into))
        return names

    def _resolve(self, names: _Names, records: list[Obj], *, titles: bool = False) -> None:
        """Look up the persons, organizations (and deal titles) ``records`` name that this
        incremental pull has not seen."""
        lookups: list[tuple[str, str, dict[Any, str], str]] = [
            ("/api/v2/persons", "person_id", names.persons, "name"),
            ("/api/v2/organizations", "org_id", names.orgs, "name"),
        ]
        if titles:
            lookups.append(("/api/v2/deals", "deal_id", names.deals, "title"))
        for path, key, known, label in lookups:
            unknown = {r.get(key) for r in records} - set(known) - {None}
            if unknown:
                known.update(_by_id(self._by_ids(path, unknown), label))
                known.update((i, "") for i in unknown if i not in known)  # not visible

    # ------------------------------------------------------------------ write-back

    def record(self, activity: Activity) -> str:
        deal = activity.deal_id.strip()
        if not deal.isdigit():
            raise CrmError(f"{NAME}: {activity.deal_id!r} is not a Pipedrive deal id", "data")
        self._write_deadline.start()
        payload = self._payload(int(deal), activity)
        for attempt in range(1, WRITE_TRIES + 1):
            found = self._find(int(deal), activity.marker)
            if found is not None:
                return found
            try:
                body = self._call("POST", "/api/v2/activities", json=payload,
                                  api=self._writer, retry=False)  # fmt: skip
            except CrmError as exc:
                if exc.kind not in ("network", "server", "rate") or attempt == WRITE_TRIES:
                    raise
                log.warning("%s: creating an activity failed (%s); looking whether it landed",
                            NAME, exc.kind)  # fmt: skip
                self._write_deadline.wait(NAME, self._backoff * 2 ** (attempt - 1))
                continue
            data = body.get("data")
            if not isinstance(data, dict) or data.get("id") is None:
                raise CrmError(f"{NAME}: creating an activity answered no id", "server")
            return str(data["id"])
        raise AssertionError("unreachable")

    def _find(self, deal: int, marker: str) -> str | None:
        """The id of the deal's activity whose note carries ``marker`` (every page)."""
        needles = {marker, html.escape(marker)}
        for page in self._pages("/api/v2/activities", {"deal_id": deal}, api=self._writer):
            for a in page:
                note = str(a.get("note") or "")
                if any(n in note for n in needles):
                    return str(a.get("id"))
        return None

    def _payload(self, deal: int, activity: Activity) -> Obj:
        when = activity.when.astimezone(UTC) if activity.when.tzinfo else activity.when
        lines = "".join(f"<p>{html.escape(line)}</p>" for line in activity.body.splitlines())
        return {
            "subject": activity.subject[:255] or "dealnudge",
            "type": self.activity_type,
            "deal_id": deal,
            "due_date": when.date().isoformat(),
            "due_time": when.strftime("%H:%M"),
            "done": True,
            "note": f"{lines}<p>dealnudge ref: {html.escape(activity.marker)}</p>",
        }


# ---------------------------------------------------------------------- rows


def _activity_row(a: Obj, names: _Names) -> Obj:
    kind = a.get("type")
    return {
        ACTIVITY_KEY: a.get("id"),
        "Activity - Subject": a.get("subject"),
        "Activity - Type": names.types.get(kind) or kind,
        "Activity - Due date": a.get("due_date"),
        "Activity - Done": "Done" if a.get("done") else "To do",
        "Activity - Add time": _time(a.get("add_time")),
        "Activity - Note": a.get("note"),
        "Activity - Contact person": names.persons.get(a.get("person_id")),
        "Activity - Organization": names.orgs.get(a.get("org_id")),
        "Activity - Assigned to user": names.users.get(a.get("owner_id")),
        "Deal - ID": a.get("deal_id"),
        "Deal - Title": names.deals.get(a.get("deal_id")),
    }


def _deal_row(d: Obj, names: _Names, due: Mapping[Any, str]) -> Obj:
    status = "deleted" if d.get("is_deleted") else str(d.get("status") or "")
    row: Obj = {
        DEAL_KEY: d.get("id"),
        "Deal - Title": d.get("title"),
        "Deal - Value": _number(d.get("value")),
        "Deal - Currency of Value": d.get("currency"),
        "Deal - Owner": names.users.get(d.get("owner_id")),
        "Deal - Pipeline": names.pipelines.get(d.get("pipeline_id")),
        "Deal - Stage": names.stages.get(d.get("stage_id")),
        "Deal - Status": STATUS.get(status, status),
        "Deal - Expected close date": d.get("expected_close_date"),
        "Deal - Deal created": _time(d.get("add_time")),
        "Deal - Update time": _time(d.get("update_time")),
        "Deal - Last stage change": _time(d.get("stage_change_time")),
        "Deal - Won time": _time(d.get("won_time")),
        "Deal - Lost time": _time(d.get("lost_time")),
        "Deal - Lost reason": d.get("lost_reason"),
        "Deal - Organization": names.orgs.get(d.get("org_id")),
        "Deal - Contact person": names.persons.get(d.get("person_id")),
        "Deal - Next activity date": due.get(d.get("next_activity_id")),
        "Deal - Last activity date": due.get(d.get("last_activity_id")),
    }
    custom = d.get("custom_fields") or {}
    for f in names.fields:
        row[f.column] = f.text(custom.get(f.code))
    return row


def _note_row(n: Obj, names: _Names) -> Obj:
    def embedded(key: str, label: str) -> Any:
        inner = n.get(key)
        return inner.get(label) if isinstance(inner, dict) else None

    return {
        NOTE_KEY: n.get("id"),
        "Note - Content": n.get("content"),
        "Note - Add time": _time(n.get("add_time")),
        "Note - User": embedded("user", "name") or names.users.get(n.get("user_id")),
        "Deal - ID": n.get("deal_id"),
        "Deal - Title": embedded("deal", "title") or names.deals.get(n.get("deal_id")),
        "Person - Name": embedded("person", "name") or names.persons.get(n.get("person_id")),
        "Organization - Name": embedded("organization", "name") or names.orgs.get(n.get("org_id")),
    }


def _custom_fields(fields: list[Obj]) -> list[_Field]:
    out: list[_Field] = []
    taken = set(DEAL_COLUMNS)
    for f in fields:
        column = f"Deal - {str(f.get('field_name') or '').strip()}"
        if not f.get("is_custom_field") or not f.get("field_code") or column in taken:
            continue
        taken.add(column)
        options = {str(o.get("id")): str(o.get("label") or "")
                   for o in f.get("options") or [] if isinstance(o, dict)}  # fmt: skip
        out.append(_Field(str(f["field_code"]), column, options))
    return out


def _items(data: Any) -> list[Obj]:
    """A list's records (v1 answers ``null`` for none)."""
    return [o for o in data if isinstance(o, dict)] if isinstance(data, list) else []


def _by_id(items: Iterable[Obj], label: str) -> dict[Any, str]:
    return {o.get("id"): str(o.get(label) or "") for o in items}


def _rfc3339(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(value: Any) -> str:
    """A v2 (RFC 3339) or v1 time as the export writes it: ``YYYY-MM-DD HH:MM:SS`` (UTC)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)
