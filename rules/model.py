"""The CRM domain model shared by every reader and every pattern.

All records are frozen dataclasses. Ids are the CRM's own ids as strings. Dates are
``datetime.date`` (activities keep the day only: patterns reason in days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

Day = date  # an alias: some records have a field named ``date``


class DealStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ActivityKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    TASK = "task"
    NOTE = "note"
    OTHER = "other"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    UNKNOWN = "unknown"


class Input(StrEnum):
    """Something an export may or may not carry; patterns declare which ones they rest on.

    A finding never states what the export cannot know: a pattern whose inputs are missing
    is not evaluated, and one missing only some says so (``rules.coverage``).
    """

    CLOSE_DATE = "close_date"  # the deal's expected close date
    CREATED = "created"  # when the deal was created (or another start date)
    NEXT_STEP = "next_step"  # a next-step field on the deal
    ACTIVITIES = "activities"  # activities linked to deals (tasks, calls, meetings ...)
    ACTIVITY_TEXT = "activity_text"  # their subjects or notes
    ACTIVITY_NOTES = "activity_notes"  # notes or bodies beyond a subject line
    DIRECTION = "direction"  # who initiated them (call type, email direction)
    ACTIVITY_CONTACTS = "activity_contacts"  # the buyer contact each one was with
    CONTACT_TITLES = "contact_titles"  # contacts' job titles or deal roles
    STAGE_HISTORY = "stage_history"  # when the deal entered its current stage
    CLOSE_HISTORY = "close_history"  # earlier close dates (history, or successive exports)
    OWNERS = "owners"  # who owns each deal, by name or email
    LAST_ACTIVITY = "last_activity"  # when each deal was last worked (activities or a column)
    NEXT_ACTIVITY = "next_activity"  # a next-activity date on the deal record


ALL_INPUTS: frozenset[Input] = frozenset(Input)


@dataclass(frozen=True, slots=True)
class Owner:
    id: str
    name: str
    email: str = ""
    manager_id: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    id: str
    name: str
    title: str = ""
    email: str = ""
    account_id: str = ""
    # A role known from the contact record itself (HubSpot/Pipedrive); per-deal roles
    # (Salesforce OpportunityContactRole) live in ``ContactRole``.
    role: str = ""

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""


@dataclass(frozen=True, slots=True)
class ContactRole:
    deal_id: str
    contact_id: str
    role: str = ""
    is_primary: bool = False


@dataclass(frozen=True, slots=True)
class Deal:
    id: str
    name: str
    account: str = ""
    owner_id: str = ""
    stage: str = ""
    amount: float | None = None
    currency: str = ""
    created: Day | None = None
    close_date: Day | None = None
    next_step: str = ""
    status: DealStatus = DealStatus.OPEN
    # Date the deal entered its current stage, when the export says so directly
    # (Pipedrive "Last stage change"); history entries are the other source.
    stage_changed: Day | None = None
    # Activity dates the deal record itself carries (when an export has them).
    last_activity: Day | None = None
    next_activity: Day | None = None

    @property
    def is_open(self) -> bool:
        return self.status is DealStatus.OPEN


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    deal_id: str
    kind: ActivityKind = ActivityKind.OTHER
    direction: Direction = Direction.UNKNOWN
    subject: str = ""
    body: str = ""
    date: Day | None = None
    contact_id: str = ""
    owner_id: str = ""
    done: bool = True
    also_with: tuple[str, ...] = ()  # further contacts the activity was with
    # The call result or meeting outcome the CRM recorded, lower-case ("connected",
    # "left voicemail", "no answer", "completed", "no show" ...); "" when none.
    outcome: str = ""

    @property
    def contacts(self) -> tuple[str, ...]:
        """Every contact the activity was with, the main one first."""
        return (self.contact_id, *self.also_with) if self.contact_id else self.also_with

    @property
    def text(self) -> str:
        return f"{self.subject}\n{self.body}" if self.body else self.subject


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One snapshot of a deal's stage, close date and amount as of ``date``.

    Salesforce's OpportunityHistory writes one of these on every change; diffing
    successive exports produces the same shape.
    """

    deal_id: str
    date: Day
    stage: str = ""
    close_date: Day | None = None
    amount: float | None = None
    source: str = "export"


@dataclass(frozen=True)
class Stored:
    """A pipeline's records kept outside memory, read by deal (or contact) id when asked.
    ``history`` gives each deal's entries sorted by date, like ``history_by_deal``."""

    activities: Mapping[str, tuple[Activity, ...]]
    roles: Mapping[str, tuple[ContactRole, ...]]
    history: Mapping[str, tuple[HistoryEntry, ...]]
    contacts: Mapping[str, Contact]
    activity_count: int


@dataclass(frozen=True)
class Pipeline:
    """Everything one export holds, linked by id, with read-only indexes."""

    deals: tuple[Deal, ...] = ()
    activities: tuple[Activity, ...] = ()
    contacts: tuple[Contact, ...] = ()
    owners: tuple[Owner, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    contact_roles: tuple[ContactRole, ...] = ()
    # What the export carries; a hand-built pipeline is taken to carry everything.
    inputs: frozenset[Input] = ALL_INPUTS
    # The per-deal records when they are kept outside memory (a served snapshot reads a
    # deal's from disk when asked); ``activities``, ``contacts``, ``history`` and
    # ``contact_roles`` are then empty.
    stored: Stored | None = None

    @property
    def activity_count(self) -> int:
        return self.stored.activity_count if self.stored is not None else len(self.activities)

    def all_activities(self) -> Iterator[Activity]:
        """Every activity, wherever it is kept."""
        if self.stored is None:
            return iter(self.activities)
        return (a for acts in self.stored.activities.values() for a in acts)

    @cached_property
    def deal_index(self) -> Mapping[str, Deal]:
        return MappingProxyType({d.id: d for d in self.deals})

    @cached_property
    def owner_index(self) -> Mapping[str, Owner]:
        return MappingProxyType({o.id: o for o in self.owners})

    @cached_property
    def contact_index(self) -> Mapping[str, Contact]:
        if self.stored is not None:
            return self.stored.contacts
        return MappingProxyType({c.id: c for c in self.contacts})

    @cached_property
    def activities_by_deal(self) -> Mapping[str, tuple[Activity, ...]]:
        if self.stored is not None:
            return self.stored.activities
        grouped: dict[str, list[Activity]] = defaultdict(list)
        for a in self.activities:
            grouped[a.deal_id].append(a)
        return MappingProxyType(
            {k: tuple(sorted(v, key=_activity_sort_key)) for k, v in grouped.items()}
        )

    @cached_property
    def history_by_deal(self) -> Mapping[str, tuple[HistoryEntry, ...]]:
        if self.stored is not None:
            return self.stored.history
        grouped: dict[str, list[HistoryEntry]] = defaultdict(list)
        for h in self.history:
            grouped[h.deal_id].append(h)
        return MappingProxyType(
            {k: tuple(sorted(v, key=lambda h: h.date)) for k, v in grouped.items()}
        )

    @cached_property
    def owner_labels(self) -> Mapping[str, str]:
        """Owner id -> how to show the owner: name, else email, else the id."""
        return MappingProxyType({o.id: o.name or o.email or o.id for o in self.owners})

    @cached_property
    def reports_by_manager(self) -> Mapping[str, tuple[str, ...]]:
        """Owner id -> the owner ids whose CRM manager field names them (direct reports)."""
        grouped: dict[str, list[str]] = defaultdict(list)
        for o in self.owners:
            if o.manager_id:
                grouped[o.manager_id].append(o.id)
        return MappingProxyType({k: tuple(v) for k, v in grouped.items()})

    @cached_property
    def roles_by_deal(self) -> Mapping[str, tuple[ContactRole, ...]]:
        if self.stored is not None:
            return self.stored.roles
        grouped: dict[str, list[ContactRole]] = defaultdict(list)
        for r in self.contact_roles:
            grouped[r.deal_id].append(r)
        return MappingProxyType({k: tuple(v) for k, v in grouped.items()})


def _activity_sort_key(a: Activity) -> tuple[Day, str]:
    return (a.date or Day.min, a.id)
