"""Scenario files (a small pipeline told as data) written out as real CRM exports.

A scenario (``tests/corpus/SCENARIOS.md``) names reps, deals, buyer contacts, history and
every activity as it was logged, with days counted back from ``as_of``. ``write_export``
writes the same deals the way Salesforce (API names), HubSpot (deals view + activities)
or Pipedrive (deals + activities + notes) export them, so one labelled story is read
through each format's reader and the results can be compared.

The bundled demo and the labelled corpus are scenario files too: their ``[salesforce]``
table says how that export was pulled (sequential ids, its columns, the CSV spelling), so
their committed CSVs are written from the file, byte for byte, by the one Salesforce
writer here (the spelling and the CSV writer are ``salesforce``'s, shared with ``synth``).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, Final

from bot.tools import salesforce as sf
from rules.patterns import REGISTRY

FORMATS = ("salesforce", "hubspot", "pipedrive")
# A bare Salesforce export as many teams pull it: opportunities and tasks/events only, no
# NextStep, no contact on activities, no descriptions, no history, users or contacts.
SPARSE = "salesforce-sparse"
_SPARSE_DROPS = {
    "Opportunity": ("NextStep",),
    "Task": ("WhoId", "Description"),
    "Event": ("WhoId", "Description"),
}
_SPARSE_FILES = ("Contact", "OpportunityContactRole", "OpportunityHistory", "User")
ACTIVITY_TYPES = ("call", "email", "meeting", "task", "note")
DIRECTIONS = ("out", "in", "")
STATUSES = ("done", "planned")
# In which order a Salesforce export lists (and numbers) tasks and events: as the scenario
# lists them; numbered so but sorted by activity date; numbered and listed in the order
# they were logged (a task's creation, a meeting's start).
ACTIVITY_ORDERS = ("listed", "by-date", "as-logged")
# Times of day when a scenario gives none.
CREATED_AT: Final = timedelta(hours=9)
CHANGED_AT: Final = timedelta(hours=10)
ACTIVITY_AT: Final = timedelta(hours=14)


class ScenarioError(ValueError):
    """A scenario file that does not follow the format; the message names the place."""


@dataclass(frozen=True)
class Owner:
    key: str
    name: str
    email: str
    manager: str = ""
    title: str = ""
    timezone: str = ""


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    title: str = ""
    role: str = ""
    email: str = ""  # "" = first.last at the account's domain
    first: str = ""  # the CRM's first name when it is more than the name's first word
    primary: bool = False
    of_account: bool = False  # one of the account's contacts, named by a deal


@dataclass(frozen=True)
class Account:
    name: str
    industry: str = ""
    employees: int | None = None
    domain: str = ""  # "" = made from the name
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Step:
    """One history entry: the stage and/or close date set ``ago`` days before as_of."""

    ago: int
    stage: str = ""
    close: int | None = None
    amount: float | None = None  # None: the deal's amount
    at: timedelta | None = None


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
    at: timedelta | None = None  # a meeting's start, a task's time logged
    logged: int | None = None  # the day a task was logged, when not its own day
    minutes: int | None = None  # a meeting's length
    seconds: int | None = None  # a call's length
    location: str = ""
    priority: str = ""
    on_account: bool = False  # logged on the account, not on the deal


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
    why: str = ""
    type: str = ""
    source: str = ""
    created_at: timedelta | None = None
    modified: int | None = None
    modified_at: timedelta | None = None


@dataclass(frozen=True)
class SalesforceExport:
    """How the Salesforce export is pulled: the ``[salesforce]`` table."""

    ids: str = ""  # a template of sequential ids ("{prefix}DEMO{n:011d}"); "": from the keys
    bom: bool = False
    quote_all: bool = False
    decimals: int | None = None  # amounts with this many decimals; None: as written
    activities: str = "listed"  # one of ACTIVITY_ORDERS
    columns: sf.Columns = field(default_factory=lambda: dict(sf.SCENARIO_COLUMNS))


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
    accounts: tuple[Account, ...] = ()
    probabilities: Mapping[str, int] = field(default_factory=dict)
    salesforce: SalesforceExport = field(default_factory=SalesforceExport)

    def day(self, ago: int | None) -> date | None:
        return None if ago is None else self.as_of - timedelta(days=ago)

    def on(self, ago: int) -> date:
        return self.as_of - timedelta(days=ago)

    def is_open(self, deal: Deal) -> bool:
        return deal.stage not in (self.won_stage, self.lost_stage)


# ------------------------------------------------------------------ reading

_TOP = frozenset({
    "as_of", "title", "currency", "stages", "won_stage", "lost_stage", "probabilities",
    "salesforce", "owners", "accounts", "deals",
})  # fmt: skip
_OWNER = frozenset({"key", "name", "email", "manager", "title", "timezone"})
_ACCOUNT = frozenset({"name", "industry", "employees", "domain", "contacts"})
_PERSON = frozenset({"key", "name", "title", "email", "first"})
_DEAL_CONTACT = _PERSON | {"role", "primary"}
_DEAL = frozenset({
    "key", "name", "account", "owner", "stage", "amount", "created", "created_at", "close",
    "next_step", "stage_entered", "labels", "why", "type", "source", "modified", "modified_at",
    "contacts", "history", "activities",
})  # fmt: skip
_STEP = frozenset({"ago", "at", "stage", "close", "amount"})
_ACTIVITY = frozenset({
    "ago", "at", "type", "subject", "body", "direction", "with", "outcome", "status", "logged",
    "minutes", "seconds", "location", "priority", "on_account",
})  # fmt: skip
_SALESFORCE = frozenset({"ids", "bom", "quote_all", "decimals", "activities", "columns"})
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


class _Table:
    """One TOML table being read: typed values, and its place named in every error."""

    def __init__(self, data: object, place: str, keys: frozenset[str]) -> None:
        if not isinstance(data, dict):
            raise ScenarioError(f"{place}: expected a table, not {data!r}")
        unknown = sorted(set(data) - keys)
        if unknown:
            raise ScenarioError(f"{place}: unknown key {unknown[0]!r}")
        self.data: dict[str, Any] = data
        self.place = place

    def fail(self, message: str) -> ScenarioError:
        return ScenarioError(f"{self.place}: {message}")

    def _get(self, key: str, kinds: tuple[type, ...], what: str) -> Any:
        if key not in self.data:
            raise self.fail(f"missing {key!r}")
        value = self.data[key]
        if isinstance(value, bool) != (bool in kinds) or not isinstance(value, kinds):
            raise self.fail(f"{key} must be {what}, not {value!r}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        if default is not None and key not in self.data:
            return default
        return str(self._get(key, (str,), "text"))

    def days(self, key: str) -> int:
        return int(self._get(key, (int,), "a whole number of days"))

    def number(self, key: str) -> int | None:
        return int(self._get(key, (int,), "a whole number")) if key in self.data else None

    def money(self, key: str) -> float | None:
        return self._get(key, (int, float), "a number") if key in self.data else None

    def flag(self, key: str) -> bool:
        return bool(self._get(key, (bool,), "true or false")) if key in self.data else False

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, (list,), "a list") if key in self.data else []
        if not all(isinstance(v, str) for v in values):
            raise self.fail(f"{key} must be a list of text")
        return tuple(values)

    def clock(self, key: str) -> timedelta | None:
        """A time of day (``14:30:00``); as text, ``24:00`` to ``47:59`` are past midnight."""
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, time) and value.tzinfo is None:
            return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
        m = _CLOCK.fullmatch(value) if isinstance(value, str) else None
        if m and int(m[1]) < 48 and int(m[2]) < 60 and int(m[3] or 0) < 60:
            return timedelta(hours=int(m[1]), minutes=int(m[2]), seconds=int(m[3] or 0))
        raise self.fail(f"{key} must be a time of day like 14:30:00, not {value!r}")

    def tables(self, key: str, label: str, keys: frozenset[str]) -> Iterator[_Table]:
        values = self._get(key, (list,), "an array of tables") if key in self.data else []
        for n, value in enumerate(values, 1):
            name = value.get("key", value.get("name")) if isinstance(value, dict) else None
            yield _Table(value, f"{self.place}: {label} {name or n}", keys)


def load_scenario(path: Path) -> Scenario:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    top = _Table(data, str(path), _TOP)
    as_of = top.data.get("as_of")
    try:
        as_of = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
    except ValueError:
        raise top.fail(f"as_of must be a date like 2026-11-02, not {as_of!r}") from None
    stages = top.texts("stages")
    won, lost = top.text("won_stage", "Closed Won"), top.text("lost_stage", "Closed Lost")
    owners = tuple(_owner(t) for t in top.tables("owners", "owner", _OWNER))
    keys = {o.key for o in owners}
    for o in owners:
        if o.manager and o.manager not in keys:
            raise top.fail(f"owner {o.key}: unknown manager {o.manager!r}")
    accounts = tuple(_account(t) for t in top.tables("accounts", "account", _ACCOUNT))
    by_name = {a.name: a for a in accounts}
    if len(by_name) < len(accounts):
        raise top.fail("an account is listed twice")
    deals = tuple(_deal(t, keys, by_name) for t in top.tables("deals", "deal", _DEAL))
    for d in deals:
        if d.stage not in (*stages, won, lost):
            raise top.fail(f"deal {d.key}: unknown stage {d.stage!r}")
        if d.labels and d.stage in (won, lost):
            raise top.fail(f"deal {d.key}: a closed deal carries no labels")
    if len({d.key for d in deals}) < len(deals):
        raise top.fail("two deals have the same key")
    probabilities = top.data.get("probabilities", {})
    for stage, p in probabilities.items():
        if stage not in (*stages, won, lost) or not isinstance(p, int) or isinstance(p, bool):
            raise top.fail(f"probabilities: {stage!r} = {p!r} is not a stage's whole percent")
    return Scenario(
        as_of=as_of,
        stages=stages,
        won_stage=won,
        lost_stage=lost,
        currency=top.text("currency", "USD"),
        owners=owners,
        deals=deals,
        title=top.text("title", ""),
        labels={d.key: d.labels for d in deals},
        accounts=accounts,
        probabilities=dict(probabilities),
        salesforce=_export(top) if "salesforce" in top.data else SalesforceExport(),
    )


def _owner(t: _Table) -> Owner:
    return Owner(
        t.text("key"),
        t.text("name"),
        t.text("email", ""),
        t.text("manager", ""),
        t.text("title", ""),
        t.text("timezone", ""),
    )


def _person(t: _Table) -> Contact:
    name, first = t.text("name"), t.text("first", "")
    if first and not name.startswith(first + " "):
        raise t.fail(f"first {first!r} is not how the name {name!r} begins")
    return Contact(t.text("key"), name, t.text("title", ""), email=t.text("email", ""), first=first)


def _account(t: _Table) -> Account:
    contacts = tuple(_person(c) for c in t.tables("contacts", "contact", _PERSON))
    if len({c.key for c in contacts}) < len(contacts):
        raise t.fail("two contacts have the same key")
    return Account(
        name=t.text("name"),
        industry=t.text("industry", ""),
        employees=t.number("employees"),
        domain=t.text("domain", ""),
        contacts=contacts,
    )


def _deal(t: _Table, owners: set[str], accounts: Mapping[str, Account]) -> Deal:
    key = t.text("key")
    if t.text("owner") not in owners:
        raise t.fail(f"unknown owner {t.data['owner']!r}")
    account = t.text("account", "")
    shared = {c.key: c for c in accounts[account].contacts} if account in accounts else {}
    contacts = []
    for c in t.tables("contacts", "contact", _DEAL_CONTACT):
        if "name" in c.data:
            person = _person(c)
        elif c.text("key") in shared:
            if set(c.data) - {"key", "role", "primary"}:
                raise c.fail("a contact of the account is described under the account")
            person = replace(shared[c.text("key")], of_account=True)
        else:
            raise c.fail(f"no name, and the account {account!r} has no such contact")
        contacts.append(replace(person, role=c.text("role", ""), primary=c.flag("primary")))
    known = {c.key for c in contacts}
    if len(known) < len(contacts):
        raise t.fail("two contacts have the same key")
    labels = t.texts("labels")
    for label in labels:
        if label not in REGISTRY:
            raise t.fail(f"unknown pattern {label!r} in labels")
    return Deal(
        key=key,
        name=t.text("name"),
        account=account,
        owner=t.text("owner"),
        stage=t.text("stage"),
        created=t.days("created"),
        amount=t.money("amount"),
        close=t.number("close"),
        next_step=t.text("next_step", ""),
        stage_entered=t.number("stage_entered"),
        labels=labels,
        contacts=tuple(contacts),
        history=tuple(_step(h) for h in t.tables("history", "history", _STEP)),
        activities=tuple(
            _activity(a, known) for a in t.tables("activities", "activity", _ACTIVITY)
        ),
        why=t.text("why", ""),
        type=t.text("type", ""),
        source=t.text("source", ""),
        created_at=t.clock("created_at"),
        modified=t.number("modified"),
        modified_at=t.clock("modified_at"),
    )


def _step(t: _Table) -> Step:
    return Step(
        t.days("ago"), t.text("stage", ""), t.number("close"), t.money("amount"), t.clock("at")
    )


def _activity(t: _Table, contacts: set[str]) -> Activity:
    kind, direction, status = t.text("type"), t.text("direction", ""), t.text("status", "done")
    if kind not in ACTIVITY_TYPES:
        raise t.fail(f"unknown activity type {kind!r}")
    if direction not in DIRECTIONS:
        raise t.fail(f"direction must be out, in or empty, not {direction!r}")
    if status not in STATUSES:
        raise t.fail(f"status must be done or planned, not {status!r}")
    who = t.text("with", "")
    if who and who not in contacts:
        raise t.fail(f"unknown contact {who!r}")
    return Activity(
        ago=t.days("ago"),
        type=kind,
        subject=t.text("subject", ""),
        body=t.text("body", ""),
        direction=direction,
        with_=who,
        outcome=t.text("outcome", ""),
        planned=status == "planned",
        at=t.clock("at"),
        logged=t.number("logged"),
        minutes=t.number("minutes"),
        seconds=t.number("seconds"),
        location=t.text("location", ""),
        priority=t.text("priority", ""),
        on_account=t.flag("on_account"),
    )


def _export(top: _Table) -> SalesforceExport:
    t = _Table(top.data["salesforce"], f"{top.place}: salesforce", _SALESFORCE)
    template = t.text("ids", "")
    if template:
        try:
            first, second = (sf.id_format(template, "006")(n) for n in (1, 2))
        except (KeyError, IndexError, ValueError) as exc:
            raise t.fail(f"ids {template!r} is not a template of prefix and n ({exc})") from None
        if first == second or len(first) not in (15, 18):
            raise t.fail(f"ids {template!r} does not number 15- or 18-character ids")
    order = t.text("activities", "listed")
    if order not in ACTIVITY_ORDERS:
        raise t.fail(f"activities must be one of {', '.join(ACTIVITY_ORDERS)}, not {order!r}")
    columns = dict(sf.SCENARIO_COLUMNS)
    if "columns" in t.data:
        given = _Table(t.data["columns"], f"{t.place}.columns", frozenset(sf.FILES))
        columns |= {name: given.texts(name) for name in given.data}
        unknown = sf.unknown_columns(columns)
        if unknown:
            raise given.fail(f"no writer fills {unknown[0]}")
    return SalesforceExport(
        ids=template,
        bom=t.flag("bom"),
        quote_all=t.flag("quote_all"),
        decimals=t.number("decimals"),
        activities=order,
        columns=columns,
    )


# ------------------------------------------------------------------ writing


def write_export(scenario: Scenario, fmt: str, out: Path) -> dict[str, str]:
    """Write ``scenario`` as ``fmt`` into ``out``; return scenario deal key -> the CRM's id."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "salesforce":
        return write_salesforce(scenario, out)
    if fmt == SPARSE:
        columns = scenario.salesforce.columns
        sparse = {
            name: tuple(c for c in cols if c not in _SPARSE_DROPS.get(name, ()))
            for name, cols in columns.items()
            if name not in _SPARSE_FILES
        }
        return write_salesforce(scenario, out, sparse)
    if fmt == "hubspot":
        return _hubspot(scenario, out)
    if fmt == "pipedrive":
        return _pipedrive(scenario, out)
    names = ", ".join((*FORMATS, SPARSE))
    raise ScenarioError(f"unknown format {fmt!r}; choose one of {names}")


def _csv(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows (dicts with the same keys, in column order) as a CSV file; none: no file."""
    if not rows:
        return
    columns = list(rows[0])
    sf.write_csv(
        path, columns, ([("" if r[c] is None else str(r[c])) for c in columns] for r in rows)
    )


def _sfid(prefix: str, key: str) -> str:
    digest = hashlib.sha1(key.encode()).hexdigest()[:12].upper()
    return f"{prefix}{digest}AAA"


class _Ids:
    """Salesforce ids: sequential from a template, numbered per object in the order asked,
    or (no template) derived from each record's scenario key."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.counts: Counter[str] = Counter()

    def __call__(self, obj: str, key: str) -> str:
        if not self.template:
            return _sfid(sf.PREFIX[obj], key)
        self.counts[obj] += 1
        return sf.id_format(self.template, sf.PREFIX[obj])(self.counts[obj])


def _num(key: str, base: int) -> str:
    return str(base + int(hashlib.sha1(key.encode()).hexdigest()[:7], 16))


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.partition(" ")
    return (first, last) if last else ("", first)


def _names(c: Contact) -> tuple[str, str]:
    return (c.first, c.name[len(c.first) + 1 :]) if c.first else _split_name(c.name)


def _email(c: Contact, account: Account) -> str:
    if c.email:
        return c.email
    local = ".".join(c.name.lower().split())
    domain = account.domain or (
        ("".join(ch for ch in account.name.lower() if ch.isalnum())[:20] or "example") + ".example"
    )
    return f"{local}@{domain}"


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


def _accounts(s: Scenario) -> list[Account]:
    """The listed accounts, then those the deals name without listing, in deal order."""
    listed = {a.name for a in s.accounts}
    named = dict.fromkeys(d.account for d in s.deals if d.account not in listed)
    return [*s.accounts, *(Account(name) for name in named)]


Row = dict[str, str]


def write_salesforce(s: Scenario, out: Path, columns: sf.Columns | None = None) -> dict[str, str]:
    """The scenario as a Salesforce export (API names, one CSV per object) into ``out``,
    with the scenario's columns unless ``columns`` are given; return deal key -> Id."""
    x = s.salesforce
    out.mkdir(parents=True, exist_ok=True)
    new_id = _Ids(x.ids)
    tables = _salesforce_rows(s, new_id)
    _number_activities(x.activities, new_id, tables["Task"], tables["Event"])
    style = sf.Style(bom=x.bom, quote_all=x.quote_all)
    for name, cols in (x.columns if columns is None else columns).items():
        rows = tables[name]
        if rows and cols:
            sf.write_csv(out / f"{name}.csv", cols, ([r[c] for c in cols] for r in rows), style)
    return {d.key: r["Id"] for d, r in zip(s.deals, tables["Opportunity"], strict=True)}


def _salesforce_rows(s: Scenario, new_id: _Ids) -> dict[str, list[Row]]:
    """Every file's rows with every column of ``sf.FIELDS`` (activities not yet numbered)."""
    money = s.salesforce.decimals
    prob = {k: str(v) for k, v in s.probabilities.items()}
    owners = {o.key: new_id("User", o.key) for o in s.owners}
    accounts = _accounts(s)
    account_of = {a.name: a for a in accounts}
    account_ids = {a.name: new_id("Account", a.name) for a in accounts}
    tables: dict[str, list[Row]] = {name: [] for name in sf.FILES}
    for o in s.owners:
        first, last = _split_name(o.name)
        tables["User"].append(
            {
                "Id": owners[o.key],
                "Name": o.name,
                "FirstName": first,
                "LastName": last,
                "Email": o.email,
                "ManagerId": owners.get(o.manager, ""),
                "Title": o.title,
                "IsActive": sf.TRUE,
                "TimeZoneSidKey": o.timezone,
            }
        )
    people: dict[tuple[str, str], str] = {}  # (account or deal key, contact key) -> Id

    def person(c: Contact, a: Account, owner: str, key: str) -> None:
        people[owner, c.key] = cid = new_id("Contact", key)
        first, last = _names(c)
        tables["Contact"].append(
            {
                "Id": cid,
                "AccountId": account_ids[a.name],
                "FirstName": first,
                "LastName": last,
                "Name": c.name,
                "Title": c.title,
                "Email": _email(c, a),
            }
        )

    for acc in accounts:
        tables["Account"].append(
            {
                "Id": account_ids[acc.name],
                "Name": acc.name,
                "Industry": acc.industry,
                "NumberOfEmployees": "" if acc.employees is None else str(acc.employees),
            }
        )
        for c in acc.contacts:
            person(c, acc, "account:" + acc.name, f"{acc.name}:{c.key}")
    for d in s.deals:
        for c in d.contacts:
            if not c.of_account:
                person(c, account_of[d.account], d.key, d.key + c.key)
    for d in s.deals:
        oid = new_id("Opportunity", d.key)

        def contact_id(key: str, d: Deal = d) -> str:
            return people.get((d.key, key)) or people["account:" + d.account, key]

        steps = []
        for n, h in enumerate(_steps(s, d)):
            stage = h.stage or d.stage
            steps.append(
                {
                    "Id": new_id("OpportunityHistory", f"{d.key}:{n}"),
                    "OpportunityId": oid,
                    "CreatedDate": sf.stamp(s.on(h.ago), h.at or CHANGED_AT),
                    "StageName": stage,
                    "Amount": sf.amount(d.amount if h.amount is None else h.amount, money),
                    "CloseDate": _iso(s.day(d.close if h.close is None else h.close)),
                    "Probability": prob.get(stage, ""),
                }
            )
        created = sf.stamp(s.on(d.created), d.created_at or CREATED_AT)
        modified = (
            sf.stamp(s.on(d.modified), d.modified_at or CREATED_AT)
            if d.modified is not None
            else max([created, *(h["CreatedDate"] for h in steps)])
        )
        done = [a.ago for a in d.activities if a.ago >= 0 and not a.on_account]
        closed, won = _status(s, d)
        tables["Opportunity"].append(
            {
                "Id": oid,
                "AccountId": account_ids[d.account],
                "Name": d.name,
                "StageName": d.stage,
                "Amount": sf.amount(d.amount, money),
                "CurrencyIsoCode": s.currency,
                "Probability": prob.get(d.stage, ""),
                "CloseDate": _iso(s.day(d.close)),
                "Type": d.type,
                "NextStep": d.next_step,
                "LeadSource": d.source,
                "IsClosed": sf.flag(closed),
                "IsWon": sf.flag(won),
                "OwnerId": owners[d.owner],
                "CreatedDate": created,
                "LastModifiedDate": modified,
                "LastActivityDate": _iso(s.on(min(done))) if done else "",
            }
        )
        for c in d.contacts:
            if c.role:
                tables["OpportunityContactRole"].append(
                    {
                        "Id": new_id("OpportunityContactRole", d.key + c.key),
                        "OpportunityId": oid,
                        "ContactId": contact_id(c.key),
                        "Role": c.role,
                        "IsPrimary": sf.flag(c.primary),
                    }
                )
        tables["OpportunityHistory"] += steps
        for n, a in enumerate(d.activities):
            day = s.on(a.ago)
            at = a.at or ACTIVITY_AT
            common = {
                "Id": f"{d.key}:{n}",  # numbered later, in the export's order
                "WhoId": contact_id(a.with_) if a.with_ else "",
                "WhatId": account_ids[d.account] if a.on_account else oid,
                "Subject": a.subject,
                "ActivityDate": day.isoformat(),
                "OwnerId": owners[d.owner],
                "Description": a.body,
            }
            if a.type == "meeting":
                minutes = timedelta(minutes=a.minutes or 0)
                tables["Event"].append(
                    common
                    | {
                        "StartDateTime": sf.stamp(day, at),
                        "EndDateTime": "" if a.minutes is None else sf.stamp(day, at + minutes),
                        "DurationInMinutes": "" if a.minutes is None else str(a.minutes),
                        "Location": a.location,
                        "EventSubtype": "Event",
                    }
                )
                continue
            call = a.type == "call"
            logged = s.on(a.ago if a.logged is None else a.logged)
            tables["Task"].append(
                common
                | {
                    "Status": "Not Started" if a.planned else "Completed",
                    "Priority": a.priority or "Normal",
                    "IsClosed": sf.flag(not a.planned),
                    "CreatedDate": sf.stamp(logged, at),
                    "TaskSubtype": {"call": "Call", "email": "Email"}.get(a.type, "Task"),
                    "CallType": _IN_OUT.get(a.direction, "") if call else "",
                    "CallDisposition": a.outcome.title() if call else "",
                    "CallDurationInSeconds": "" if a.seconds is None else str(a.seconds),
                }
            )
    return tables


def _number_activities(order: str, new_id: _Ids, tasks: list[Row], events: list[Row]) -> None:
    """Give tasks and events their ids and put them in the export's order (see
    ``ACTIVITY_ORDERS``); each row's Id holds its scenario key until then."""
    if order == "as-logged":
        tasks.sort(key=lambda r: (r["CreatedDate"], r["ActivityDate"]))
        events.sort(key=lambda r: r["StartDateTime"])
    for obj, rows in (("Task", tasks), ("Event", events)):
        for r in rows:
            r["Id"] = new_id(obj, r["Id"])
        if order == "by-date":
            rows.sort(key=lambda r: r["ActivityDate"])


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
        stage_dates = _hubspot_stage_dates(s, d)
        # As HubSpot keeps it: the last entry into the current stage, else the created date.
        current = stage_dates.get(f'Date entered "{d.stage} (Sales Pipeline)"')
        entered = current or f"{_iso(s.day(d.created))} 10:00"
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
            "Date entered current stage": entered,
            "Associated Contact IDs": ";".join(contact_ids.values()),
        }
        deals.append(row | stage_dates)
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
