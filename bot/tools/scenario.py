"""Scenario files (a small pipeline told as data) written out as real CRM exports.

A scenario (``tests/corpus/SCENARIOS.md``) names reps, deals, buyer contacts, history and
every activity as it was logged, with days counted back from ``as_of``. ``write_export``
writes the same deals the way Salesforce (API names), HubSpot (deals view + activities)
or Pipedrive (deals + activities + notes) export them, so one labelled story is read
through each format's reader and the results can be compared.
"""

from __future__ import annotations

import csv
import hashlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FORMATS = ("salesforce", "hubspot", "pipedrive")
# A bare Salesforce export as many teams pull it: opportunities and tasks/events only, no
# NextStep, no contact on activities, no descriptions, no history, users or contacts.
SPARSE = "salesforce-sparse"
_SPARSE_DROPS = {
    "Opportunity.csv": ("NextStep",),
    "Task.csv": ("WhoId", "Description"),
    "Event.csv": ("WhoId", "Description"),
}
_SPARSE_FILES = ("Contact.csv", "OpportunityContactRole.csv", "OpportunityHistory.csv", "User.csv")
ACTIVITY_TYPES = ("call", "email", "meeting", "task", "note")


class ScenarioError(ValueError):
    """A scenario file that does not follow the format; the message names the place."""


@dataclass(frozen=True)
class Owner:
    key: str
    name: str
    email: str
    manager: str = ""


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    title: str = ""
    role: str = ""


@dataclass(frozen=True)
class Step:
    """One history entry: the stage and/or close date set ``ago`` days before as_of."""

    ago: int
    stage: str = ""
    close: int | None = None


@dataclass(frozen=True)
class Activity:
    ago: int
    type: str
    subject: str = ""
    body: str = ""
    direction: str = ""  # out | in | ""
    with_: str = ""
    outcome: str = ""
    planned: bool = False


@dataclass(frozen=True)
class Deal:
    key: str
    name: str
    account: str
    owner: str
    stage: str
    created: int
    amount: float | None = None
    close: int | None = None
    next_step: str = ""
    stage_entered: int | None = None
    labels: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    history: tuple[Step, ...] = ()
    activities: tuple[Activity, ...] = ()


@dataclass(frozen=True)
class Scenario:
    as_of: date
    stages: tuple[str, ...]
    won_stage: str
    lost_stage: str
    currency: str
    owners: tuple[Owner, ...]
    deals: tuple[Deal, ...]
    title: str = ""
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def day(self, ago: int | None) -> date | None:
        return None if ago is None else self.as_of - timedelta(days=ago)

    def is_open(self, deal: Deal) -> bool:
        return deal.stage not in (self.won_stage, self.lost_stage)


def load_scenario(path: Path) -> Scenario:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    where = str(path)
    owners = tuple(
        Owner(o["key"], o["name"], o.get("email", ""), o.get("manager", ""))
        for o in data.get("owners", [])
    )
    keys = {o.key for o in owners}
    deals = tuple(_deal(where, d, keys) for d in data.get("deals", []))
    stages = tuple(data.get("stages", ()))
    won, lost = data.get("won_stage", "Closed Won"), data.get("lost_stage", "Closed Lost")
    for d in deals:
        if d.stage not in (*stages, won, lost):
            raise ScenarioError(f"{where}: deal {d.key}: unknown stage {d.stage!r}")
    return Scenario(
        as_of=date.fromisoformat(str(data["as_of"])),
        stages=stages,
        won_stage=won,
        lost_stage=lost,
        currency=data.get("currency", "USD"),
        owners=owners,
        deals=deals,
        title=data.get("title", ""),
        labels={d.key: d.labels for d in deals},
    )


def _deal(where: str, d: Mapping[str, Any], owners: set[str]) -> Deal:
    key = d["key"]
    if d["owner"] not in owners:
        raise ScenarioError(f"{where}: deal {key}: unknown owner {d['owner']!r}")
    contacts = tuple(
        Contact(c["key"], c["name"], c.get("title", ""), c.get("role", ""))
        for c in d.get("contacts", [])
    )
    known = {c.key for c in contacts}
    activities = []
    for a in d.get("activities", []):
        if a["type"] not in ACTIVITY_TYPES:
            raise ScenarioError(f"{where}: deal {key}: unknown activity type {a['type']!r}")
        if a.get("with", "") and a["with"] not in known:
            raise ScenarioError(f"{where}: deal {key}: unknown contact {a['with']!r}")
        activities.append(
            Activity(
                ago=int(a["ago"]),
                type=a["type"],
                subject=a.get("subject", ""),
                body=a.get("body", ""),
                direction=a.get("direction", ""),
                with_=a.get("with", ""),
                outcome=a.get("outcome", ""),
                planned=a.get("status", "done") == "planned",
            )
        )
    return Deal(
        key=key,
        name=d["name"],
        account=d.get("account", ""),
        owner=d["owner"],
        stage=d["stage"],
        created=int(d["created"]),
        amount=d.get("amount"),
        close=d.get("close"),
        next_step=d.get("next_step", ""),
        stage_entered=d.get("stage_entered"),
        labels=tuple(d.get("labels", ())),
        contacts=contacts,
        history=tuple(
            Step(int(h["ago"]), h.get("stage", ""), h.get("close")) for h in d.get("history", [])
        ),
        activities=tuple(activities),
    )


# ------------------------------------------------------------------ writing


def write_export(scenario: Scenario, fmt: str, out: Path) -> dict[str, str]:
    """Write ``scenario`` as ``fmt`` into ``out``; return scenario deal key -> the CRM's id."""
    out.mkdir(parents=True, exist_ok=True)
    writers = {"salesforce": _salesforce, "hubspot": _hubspot, "pipedrive": _pipedrive}
    if fmt == SPARSE:
        ids = _salesforce(scenario, out)
        _strip(out)
        return ids
    if fmt not in writers:
        names = ", ".join((*FORMATS, SPARSE))
        raise ScenarioError(f"unknown format {fmt!r}; choose one of {names}")
    return writers[fmt](scenario, out)


def _strip(out: Path) -> None:
    """Make a full Salesforce export sparse (see ``SPARSE``)."""
    for name in _SPARSE_FILES:
        (out / name).unlink(missing_ok=True)
    for name, columns in _SPARSE_DROPS.items():
        path = out / name
        if not path.exists():
            continue
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        _csv(path, [{k: v for k, v in r.items() if k not in columns} for r in rows])


def _csv(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows (dicts with the same keys, in column order) as a CSV file; none: no file."""
    if not rows:
        return
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), extrasaction="raise")
        w.writeheader()
        for row in rows:
            w.writerow({k: "" if v is None else v for k, v in row.items()})


def _sfid(prefix: str, key: str) -> str:
    digest = hashlib.sha1(key.encode()).hexdigest()[:12].upper()
    return f"{prefix}{digest}AAA"


def _num(key: str, base: int) -> str:
    return str(base + int(hashlib.sha1(key.encode()).hexdigest()[:7], 16))


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.partition(" ")
    return (first, last) if last else ("", first)


def _email(name: str, account: str) -> str:
    local = ".".join(name.lower().split())
    domain = "".join(ch for ch in account.lower() if ch.isalnum())[:20] or "example"
    return f"{local}@{domain}.example"


def _steps(s: Scenario, d: Deal) -> list[Step]:
    """The deal's history; without one, what a CRM would still have logged: the deal
    created, and the move into its current stage."""
    if d.history:
        return list(d.history)
    entered = d.stage_entered if d.stage_entered is not None else d.created
    if entered >= d.created or d.stage not in s.stages:
        return [Step(d.created, d.stage, d.close)]
    at = s.stages.index(d.stage)
    before = s.stages[at - 1] if at > 0 else d.stage
    return [Step(d.created, before, d.close), Step(entered, d.stage, d.close)]


def _status(s: Scenario, d: Deal) -> tuple[bool, bool]:
    return d.stage in (s.won_stage, s.lost_stage), d.stage == s.won_stage


def _salesforce(s: Scenario, out: Path) -> dict[str, str]:
    ids = {d.key: _sfid("006", d.key) for d in s.deals}
    owners = {o.key: _sfid("005", o.key) for o in s.owners}
    accounts = {a: _sfid("001", a) for a in dict.fromkeys(d.account for d in s.deals)}
    _csv(
        out / "User.csv",
        [
            {
                "Id": owners[o.key],
                "Name": o.name,
                "Email": o.email,
                "ManagerId": owners.get(o.manager, ""),
                "IsActive": "true",
            }
            for o in s.owners
        ],
    )
    _csv(out / "Account.csv", [{"Id": i, "Name": a} for a, i in accounts.items()])
    opps, contacts, roles, history, tasks, events = [], [], [], [], [], []
    for d in s.deals:
        closed, won = _status(s, d)
        opps.append(
            {
                "Id": ids[d.key],
                "Name": d.name,
                "AccountId": accounts[d.account],
                "OwnerId": owners[d.owner],
                "StageName": d.stage,
                "Amount": d.amount,
                "CurrencyIsoCode": s.currency,
                "CloseDate": _iso(s.day(d.close)),
                "CreatedDate": f"{_iso(s.day(d.created))}T09:00:00.000+0000",
                "NextStep": d.next_step,
                "IsClosed": str(closed).lower(),
                "IsWon": str(won).lower(),
            }
        )
        for c in d.contacts:
            first, last = _split_name(c.name)
            cid = _sfid("003", d.key + c.key)
            contacts.append(
                {
                    "Id": cid,
                    "FirstName": first,
                    "LastName": last,
                    "Name": c.name,
                    "Title": c.title,
                    "Email": _email(c.name, d.account),
                    "AccountId": accounts[d.account],
                }
            )
            if c.role:
                roles.append(
                    {
                        "Id": _sfid("00K", d.key + c.key),
                        "OpportunityId": ids[d.key],
                        "ContactId": cid,
                        "Role": c.role,
                        "IsPrimary": "false",
                    }
                )
        for n, h in enumerate(_steps(s, d)):
            history.append(
                {
                    "Id": _sfid("008", f"{d.key}:{n}"),
                    "OpportunityId": ids[d.key],
                    "CreatedDate": f"{_iso(s.day(h.ago))}T10:00:00.000+0000",
                    "StageName": h.stage or d.stage,
                    "Amount": d.amount,
                    "CloseDate": _iso(s.day(h.close if h.close is not None else d.close)),
                }
            )
        for n, a in enumerate(d.activities):
            common = {
                "WhatId": ids[d.key],
                "WhoId": _sfid("003", d.key + a.with_) if a.with_ else "",
                "Subject": a.subject,
                "Description": a.body,
                "ActivityDate": _iso(s.day(a.ago)),
                "OwnerId": owners[d.owner],
            }
            if a.type == "meeting":
                start = f"{_iso(s.day(a.ago))}T14:00:00.000+0000"
                events.append(
                    {
                        "Id": _sfid("00U", f"{d.key}:{n}"),
                        **common,
                        "StartDateTime": start,
                        "EventSubtype": "Event",
                    }
                )
                continue
            call = a.type == "call"
            tasks.append(
                {
                    "Id": _sfid("00T", f"{d.key}:{n}"),
                    **common,
                    "Status": "Not Started" if a.planned else "Completed",
                    "IsClosed": str(not a.planned).lower(),
                    "TaskSubtype": {"call": "Call", "email": "Email"}.get(a.type, "Task"),
                    "CallType": _IN_OUT.get(a.direction, "") if call else "",
                    "CallDisposition": a.outcome.title() if call else "",
                }
            )
    for name, rows in (
        ("Opportunity", opps),
        ("Contact", contacts),
        ("OpportunityContactRole", roles),
        ("OpportunityHistory", history),
        ("Task", tasks),
        ("Event", events),
    ):
        _csv(out / f"{name}.csv", rows)
    return ids


_IN_OUT = {"in": "Inbound", "out": "Outbound"}


def _html(text: str) -> str:
    """HubSpot and Pipedrive keep notes as HTML."""
    if not text:
        return ""
    lines = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").splitlines()
    return "".join(f"<p>{line}</p>" for line in lines)


_HS_ACTIVITY_COLUMNS = (
    "Record ID",
    "Activity type",
    "Activity date",
    "Activity assigned to",
    "Call title",
    "Call notes",
    "Call direction",
    "Call outcome",
    "Email subject",
    "Email body",
    "Email direction",
    "Meeting name",
    "Meeting description",
    "Meeting outcome",
    "Note body",
    "Task title",
    "Task notes",
    "Task status",
    "Associated Deal IDs",
    "Associated Contact IDs",
    "Associated Contact",
)
_HS_EMAIL_DIRECTION = {"in": "Email reply from contact", "out": "Email sent to contact"}


def _hubspot(s: Scenario, out: Path) -> dict[str, str]:
    ids = {d.key: _num(d.key, 9_000_000_000) for d in s.deals}
    owner_names = {o.key: o.name for o in s.owners}
    deals, acts = [], []
    for d in s.deals:
        entered = d.stage_entered if d.stage_entered is not None else d.created
        contact_ids = {c.key: _num(d.key + c.key, 7_000_000) for c in d.contacts}
        row: dict[str, Any] = {
            "Record ID": ids[d.key],
            "Deal Name": d.name,
            "Deal Stage": d.stage,
            "Pipeline": "Sales Pipeline",
            "Amount": d.amount,
            "Close Date": _iso(s.day(d.close)),
            "Create Date": f"{_iso(s.day(d.created))} 09:00",
            "Deal owner": owner_names[d.owner],
            "Associated Company": d.account,
            "Next step": d.next_step,
            "Date entered current stage": f"{_iso(s.day(entered))} 10:00",
            "Associated Contact IDs": ";".join(contact_ids.values()),
        }
        deals.append(row | _hubspot_stage_dates(s, d))
        names = {c.key: c.name for c in d.contacts}
        for n, a in enumerate(d.activities):
            row = dict.fromkeys(_HS_ACTIVITY_COLUMNS, "") | {
                "Record ID": _num(f"{d.key}:{n}", 50_000_000_000),
                "Activity type": a.type.title(),
                "Activity date": f"{_iso(s.day(a.ago))} 14:00",
                "Activity assigned to": owner_names[d.owner],
                "Associated Deal IDs": ids[d.key],
                "Associated Contact IDs": contact_ids.get(a.with_, ""),
                "Associated Contact": names.get(a.with_, ""),
            }
            outcome = a.outcome.capitalize()
            if a.type == "call":
                row |= {
                    "Call title": a.subject,
                    "Call notes": _html(a.body),
                    "Call direction": _IN_OUT.get(a.direction, ""),
                    "Call outcome": outcome,
                }
            elif a.type == "email":
                direction = _HS_EMAIL_DIRECTION.get(a.direction, "")
                row |= {
                    "Email subject": a.subject,
                    "Email body": a.body,
                    "Email direction": direction,
                    "Activity type": direction or "Email",
                }
            elif a.type == "meeting":
                row |= {
                    "Meeting name": a.subject,
                    "Meeting description": _html(a.body),
                    "Meeting outcome": "Scheduled" if a.planned else outcome,
                }
            elif a.type == "note":
                row["Note body"] = _html("\n".join(t for t in (a.subject, a.body) if t))
            else:
                row |= {
                    "Task title": a.subject,
                    "Task notes": _html(a.body),
                    "Task status": "Not started" if a.planned else "Completed",
                }
            acts.append(row)
    _csv(out / f"hubspot-crm-exports-all-deals-{s.as_of}.csv", deals)
    _csv(out / f"hubspot-crm-exports-all-activities-{s.as_of}.csv", acts)
    return ids


def _hubspot_stage_dates(s: Scenario, d: Deal) -> dict[str, str]:
    """HubSpot's per-stage 'Date entered "<stage> (<pipeline>)"' columns: when the deal
    last entered each stage it has been in (empty for the others)."""
    entered: dict[str, str] = {}
    stage = ""
    for step in _steps(s, d):
        if step.stage and step.stage != stage:
            stage = step.stage
            entered[stage] = f"{_iso(s.day(step.ago))} 10:00"
    if d.stage_entered is not None:
        entered[d.stage] = f"{_iso(s.day(d.stage_entered))} 10:00"
    stages = (*s.stages, s.won_stage, s.lost_stage)
    return {f'Date entered "{st} (Sales Pipeline)"': entered.get(st, "") for st in stages}


def _pipedrive(s: Scenario, out: Path) -> dict[str, str]:
    ids = {d.key: str(1000 + n) for n, d in enumerate(s.deals)}
    owner_names = {o.key: o.name for o in s.owners}
    deals, acts, notes = [], [], []
    for d in s.deals:
        closed, won = _status(s, d)
        done = [a.ago for a in d.activities if not a.planned and a.ago >= 0]
        upcoming = [a.ago for a in d.activities if a.planned and a.ago < 0]
        entered = d.stage_entered if d.stage_entered is not None else d.created
        deals.append(
            {
                "Deal - ID": ids[d.key],
                "Deal - Title": d.name,
                "Deal - Value": d.amount,
                "Deal - Currency of Value": s.currency,
                "Deal - Owner": owner_names[d.owner],
                "Deal - Pipeline": "Sales",
                "Deal - Stage": d.stage if not closed else s.stages[-1],
                "Deal - Status": "Won" if won else "Lost" if closed else "Open",
                "Deal - Expected close date": _iso(s.day(d.close)),
                "Deal - Deal created": f"{_iso(s.day(d.created))} 09:00:00",
                "Deal - Last stage change": f"{_iso(s.day(entered))} 10:00:00",
                "Deal - Organization": d.account,
                "Deal - Contact person": d.contacts[0].name if d.contacts else "",
                "Deal - Next activity date": _iso(s.day(max(upcoming))) if upcoming else "",
                "Deal - Last activity date": _iso(s.day(min(done))) if done else "",
                # A custom field, as teams that track next steps add one.
                "Deal - Next step": d.next_step,
            }
        )
        names = {c.key: c.name for c in d.contacts}
        for n, a in enumerate(d.activities):
            if a.type == "note":
                notes.append(
                    {
                        "Note - ID": _num(f"{d.key}:{n}", 100_000),
                        "Note - Content": _html("\n".join(t for t in (a.subject, a.body) if t)),
                        "Note - Add time": f"{_iso(s.day(a.ago))} 16:00:00",
                        "Note - User": owner_names[d.owner],
                        "Deal - ID": ids[d.key],
                        "Deal - Title": d.name,
                        "Person - Name": names.get(a.with_, ""),
                    }
                )
                continue
            acts.append(
                {
                    "Activity - ID": _num(f"{d.key}:{n}", 10_000),
                    "Activity - Subject": a.subject or a.type.title(),
                    "Activity - Type": a.type.title(),
                    "Activity - Due date": _iso(s.day(a.ago)),
                    "Activity - Done": "To do" if a.planned else "Done",
                    "Activity - Note": _html(a.body),
                    "Activity - Contact person": names.get(a.with_, ""),
                    "Activity - Organization": d.account,
                    "Activity - Assigned to user": owner_names[d.owner],
                    "Deal - ID": ids[d.key],
                    "Deal - Title": d.name,
                }
            )
    _csv(out / "deals.csv", deals)
    _csv(out / "activities.csv", acts)
    _csv(out / "notes.csv", notes)
    return ids
