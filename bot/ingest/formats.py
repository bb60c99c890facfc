"""The column conventions of each CRM export family, as data.

A format is a set of record kinds; a kind names, for each canonical field, the header
names that carry it (first match wins). Readers never look at raw header names: they get
rows keyed by canonical field. A mapping file (``mapping.py``) builds a ``Format`` of the
same shape from TOML, so any spreadsheet is read by the same code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.ingest.values import DateOrder

KINDS = ("deals", "tasks", "events", "contacts", "owners", "accounts", "history", "roles")

# Canonical fields per kind, with what each means: what the linker understands. The
# README's mapping-field table is generated from this (scripts/gen_patterns_doc.py).
FIELD_HELP: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "deals": {
            "id": "the deal's id (else its name is used)",
            "name": "the deal's name",
            "account_id": "the account's id (joins [accounts], and activities logged on it)",
            "account": "the account's name",
            "owner": "the owner: a user id, a name or an email",
            "stage": "the stage; won/lost stages close the deal",
            "amount": "the amount (`$1,200.50`, `1.200,50 €` ...)",
            "currency": "its currency code",
            "created": "when the deal was created",
            "close_date": "the expected (or actual) close date",
            "next_step": "the next-step text",
            "is_closed": "a closed flag (true/false)",
            "is_won": "a won flag (true/false)",
            "status": "open / won / lost",
            "stage_changed": "when the deal entered its current stage",
            "contact": "the deal's contact(s): ids or names, `;`-separated",
            "last_activity": "the date of the last activity, when the deal record has it",
            "next_activity": "the date of the next planned activity",
            "activity_id": "the one activity this deal names (exports linking deal to activity)",
        },
        "tasks": {
            "id": "the activity's id (else file and line)",
            "deal_id": "the deal (or account) it is logged on, `;`-separated for several",
            "deal_name": "the deal's name, when there is no id",
            "account_id": "the account it is logged on (tied to the deal open on its date)",
            "account": "the account's name (same)",
            "contact_id": "the contact(s) it was with: ids or names, `;`-separated",
            "contact_name": "their names, in the same order, when contact_id holds ids",
            "subject": "the subject or title",
            "body": "the notes or body (HTML is read as text)",
            "date": "its date (due date for tasks)",
            "datetime": "its start date and time (used when there is no date)",
            "created": "when it was logged (used when there is no date)",
            "owner": "who logged it",
            "kind": "call / email / meeting / task / note (or the CRM's type name)",
            "call_type": "inbound / outbound for calls",
            "direction": "inbound / outbound (incoming / outgoing email)",
            "outcome": "the call result or meeting outcome (connected, no answer, no show ...)",
            "status": "completed / not started ...: a not-done activity is planned",
            "is_closed": "a done flag (true/false, Done / To do)",
        },
        "owners": {
            "id": "the user's id (as deals name it)",
            "name": "full name",
            "first_name": "first name",
            "last_name": "last name",
            "email": "email (how Slack users are found)",
            "manager_id": "the manager's user id",
            "manager": "the manager's name or email",
        },
        "contacts": {
            "id": "the contact's id",
            "name": "full name",
            "first_name": "first name",
            "last_name": "last name",
            "title": "job title (decides decision authority)",
            "email": "email",
            "account_id": "the account's id",
            "role": "a role on the record (Decision Maker, Champion ...)",
        },
        "accounts": {"id": "the account's id", "name": "the account's name"},
        "history": {
            "deal_id": "the deal",
            "date": "when the change was made",
            "stage": "the stage from then on",
            "close_date": "the close date from then on",
            "amount": "the amount from then on",
        },
        "roles": {
            "deal_id": "the deal",
            "contact_id": "the contact",
            "role": "their role on this deal (Economic Buyer, Influencer ...)",
            "is_primary": "the primary contact flag",
        },
    }
)
CANONICAL: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {kind: tuple(fields) for kind, fields in FIELD_HELP.items()}
)


def canonical_fields(kind: str) -> tuple[str, ...]:
    return CANONICAL["tasks" if kind == "events" else kind]


@dataclass(frozen=True)
class Kind:
    name: str
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    # Columns only this kind has: they decide between look-alike kinds (Task vs Event).
    markers: tuple[str, ...] = ()
    file_stems: tuple[str, ...] = ()
    defaults: Mapping[str, str] = field(default_factory=dict)
    # At least one of these must be a column (how an activity finds its deal).
    one_of: tuple[str, ...] = ()
    # Activity type -> columns only rows of that type fill (HubSpot's per-type exports).
    type_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Headers like 'Date entered "Demo (Sales Pipeline)"': the date a deal entered a stage.
    stage_entry_header: str = ""


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    kinds: tuple[Kind, ...]
    date_order: DateOrder = "MDY"
    # Stage values meaning won/lost, lower-case; the linker also recognises "closed won" etc.
    won_stages: frozenset[str] = frozenset()
    lost_stages: frozenset[str] = frozenset()
    # Notes may hold HTML (<p>, <br>, &nbsp;): read as plain text.
    html_bodies: bool = False

    def kind(self, name: str) -> Kind | None:
        return next((k for k in self.kinds if k.name == name), None)


def _cols(**columns: str | tuple[str, ...]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({k: (v,) if isinstance(v, str) else v for k, v in columns.items()})


_SF_ACTIVITY: dict[str, str | tuple[str, ...]] = dict(
    id="Id", deal_id="WhatId", account_id="AccountId", contact_id="WhoId", subject="Subject",
    body="Description", date="ActivityDate", created="CreatedDate", owner="OwnerId",
    kind=("TaskSubtype", "Type", "Type__c"), call_type="CallType", status="Status",
    is_closed="IsClosed", outcome="CallDisposition",
)  # fmt: skip

SALESFORCE_API = Format(
    name="salesforce",
    title="Salesforce API export (Data Loader / Bulk API / sf data export)",
    kinds=(
        Kind(
            "deals",
            _cols(
                id="Id", name="Name", account_id="AccountId", owner="OwnerId",
                stage="StageName", amount="Amount", currency="CurrencyIsoCode",
                created="CreatedDate", close_date="CloseDate", next_step="NextStep",
                is_closed="IsClosed", is_won="IsWon", last_activity="LastActivityDate",
            ),
            required=("id", "name", "stage"),
            markers=("StageName", "CloseDate"),
            file_stems=("opportunity", "opportunities"),
        ),
        Kind(
            "tasks",
            _cols(**_SF_ACTIVITY),
            required=("id",),
            markers=("TaskSubtype", "CallType", "Status", "CallDurationInSeconds", "Subject"),
            one_of=("deal_id", "contact_id", "account_id"),
            file_stems=("task", "tasks"),
        ),
        Kind(
            "events",
            _cols(
                **{**_SF_ACTIVITY, "datetime": ("StartDateTime", "ActivityDateTime"),
                   "kind": ("EventSubtype", "Type")}
            ),
            required=("id",),
            one_of=("deal_id", "contact_id", "account_id"),
            markers=("StartDateTime", "EndDateTime", "DurationInMinutes", "EventSubtype",
                     "ActivityDateTime", "Location"),
            file_stems=("event", "events"),
            defaults={"kind": "meeting"},
        ),
        Kind(
            "owners",
            _cols(id="Id", name="Name", first_name="FirstName", last_name="LastName",
                  email="Email", manager_id="ManagerId"),
            required=("id", "email"),
            markers=("ManagerId", "Username", "TimeZoneSidKey", "IsActive"),
            file_stems=("user", "users"),
        ),
        Kind(
            "contacts",
            _cols(id="Id", name="Name", first_name="FirstName", last_name="LastName",
                  title="Title", email="Email", account_id="AccountId"),
            required=("id", "last_name"),
            markers=("LastName", "Title", "ReportsToId"),
            file_stems=("contact", "contacts"),
        ),
        Kind(
            "accounts",
            _cols(id="Id", name="Name"),
            required=("id", "name"),
            markers=("Industry", "BillingCity", "AnnualRevenue", "NumberOfEmployees"),
            file_stems=("account", "accounts"),
        ),
        Kind(
            "history",
            _cols(deal_id="OpportunityId", date="CreatedDate", stage="StageName",
                  close_date="CloseDate", amount="Amount"),
            required=("deal_id", "date"),
            markers=("OpportunityId", "ExpectedRevenue"),
            file_stems=("opportunityhistory",),
        ),
        Kind(
            "roles",
            _cols(deal_id="OpportunityId", contact_id="ContactId", role="Role",
                  is_primary="IsPrimary"),
            required=("deal_id", "contact_id"),
            markers=("ContactId", "Role", "IsPrimary"),
            file_stems=("opportunitycontactrole", "opportunitycontactroles"),
        ),
    ),
)  # fmt: skip

SALESFORCE_REPORT = Format(
    name="salesforce-report",
    title="Salesforce report export (field labels, locale dates)",
    kinds=(
        Kind(
            "deals",
            _cols(
                id=("Opportunity ID", "Opportunity Id", "Record ID"),
                name="Opportunity Name", account=("Account Name", "Account"),
                owner=("Opportunity Owner", "Owner", "Owner Full Name"),
                stage=("Stage", "Stage Name"), amount=("Amount", "Total Price"),
                currency=("Amount Currency", "Opportunity Currency", "Currency"),
                created="Created Date", close_date="Close Date", next_step="Next Step",
                is_closed="Closed", is_won="Won", last_activity="Last Activity",
            ),
            required=("name", "stage"),
            markers=("Opportunity Name", "Opportunity Owner", "Close Date"),
        ),
        Kind(
            "tasks",
            _cols(
                id=("Activity ID", "Task/Event ID", "Activity Id"),
                deal_id=("Opportunity ID", "Related To ID"),
                deal_name=("Opportunity", "Opportunity Name", "Related To"),
                account=("Account", "Account Name", "Company / Account"),
                contact_id=("Name", "Contact", "Contact Name"), subject="Subject",
                body=("Comments", "Full Comments", "Description"),
                date=("Date", "Due Date", "Activity Date", "Start"),
                created="Created Date", owner=("Assigned", "Assigned To", "Assigned Name"),
                kind=("Task Subtype", "Activity Type", "Type", "Task/Event"),
                call_type="Call Type", status="Status", is_closed=("Closed", "Completed"),
                outcome="Call Result",
            ),
            required=("subject",),
            markers=("Assigned", "Assigned To", "Comments", "Related To", "Due Date"),
        ),
    ),
)  # fmt: skip

# HubSpot exports show property labels (English by default). One activities file may hold
# every type with per-type columns, or there is one file per type (calls, emails, ...).
HUBSPOT_TYPE_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "call": ("Call title", "Call notes", "Call direction", "Call outcome", "Call status"),
        "email": ("Email subject", "Email body", "Email direction", "Email send status"),
        "meeting": ("Meeting name", "Meeting title", "Meeting description", "Meeting outcome",
                    "Meeting start time"),
        "note": ("Note body",),
        "task": ("Task title", "Task notes", "Task status", "Task type"),
    }
)  # fmt: skip

# 'Date entered "Demo (Sales Pipeline)"' (and the older single-quoted twin), normalised.
HUBSPOT_STAGE_ENTERED = r"""^date entered ["'](?P<stage>.+?) \((?P<pipeline>[^()]*)\)["']$"""

HUBSPOT = Format(
    name="hubspot",
    title="HubSpot export (deals view, activities)",
    kinds=(
        Kind(
            "deals",
            _cols(
                id="Record ID", name="Deal Name", stage="Deal Stage", amount="Amount",
                currency=("Currency", "Deal currency code"), close_date="Close Date",
                created="Create Date", owner="Deal owner",
                account=("Associated Company (Primary)", "Associated Company",
                         "Associated Company Name"),
                next_step="Next step", stage_changed="Date entered current stage",
                is_won=("Is Closed Won", "Is closed won"), is_closed=("Is closed", "Is Closed"),
                last_activity="Last Activity Date", next_activity="Next Activity Date",
                contact=("Associated Contact IDs", "Associated Contact",
                         "Associated Contacts"),
            ),
            required=("id", "name", "stage"),
            markers=("Deal Name", "Deal Stage", "Deal owner", "Pipeline"),
            stage_entry_header=HUBSPOT_STAGE_ENTERED,
        ),
        Kind(
            "tasks",
            _cols(
                id=("Record ID", "Activity ID", "Engagement ID"),
                deal_id=("Associated Deal IDs", "Associated Deal ID", "Deal ID"),
                deal_name=("Associated Deal", "Associated Deals"),
                account=("Associated Company", "Associated Company (Primary)"),
                contact_id=("Associated Contact IDs", "Associated Contact",
                            "Associated Contacts", "Contact ID"),
                contact_name=("Associated Contact", "Associated Contacts"),
                subject=("Subject", "Title", "Call title", "Email subject", "Meeting name",
                         "Meeting title", "Task title"),
                body=("Body", "Notes", "Call notes", "Note body", "Email body",
                      "Meeting description", "Task notes", "Activity body",
                      "Internal meeting notes"),
                date=("Activity date", "Due date", "Meeting start time"),
                created=("Create date", "Create Date"),
                owner=("Activity assigned to", "Assigned to", "Activity owner",
                       "HubSpot owner", "Created by", "Activity created by"),
                kind=("Activity type", "Engagement type", "Task type"),
                direction=("Call direction", "Email direction", "Direction"),
                outcome=("Call outcome", "Meeting outcome"),
                status=("Task status", "Call status", "Status"),
            ),
            required=("id", "date"),
            markers=("Activity type", "Activity date", "Activity assigned to",
                     "Associated Deal", "Associated Deal IDs", "Call notes", "Email subject",
                     "Meeting name", "Note body", "Task title"),
            type_columns=HUBSPOT_TYPE_COLUMNS,
        ),
    ),
    won_stages=frozenset({"closedwon", "closed won"}),
    lost_stages=frozenset({"closedlost", "closed lost"}),
    html_bodies=True,
)  # fmt: skip

PIPEDRIVE = Format(
    name="pipedrive",
    title="Pipedrive spreadsheet export",
    kinds=(
        Kind(
            "deals",
            _cols(
                id="Deal - ID", name="Deal - Title", amount="Deal - Value",
                currency=("Deal - Currency of Value", "Deal - Currency"), owner="Deal - Owner",
                stage="Deal - Stage", status="Deal - Status",
                close_date="Deal - Expected close date", created="Deal - Deal created",
                stage_changed="Deal - Last stage change", account="Deal - Organization",
                contact="Deal - Contact person", next_step="Deal - Next step",
                next_activity="Deal - Next activity date",
                last_activity="Deal - Last activity date",
            ),
            required=("id", "name"),
            markers=("Deal - Title", "Deal - Stage", "Deal - Status"),
        ),
        Kind(
            "tasks",
            _cols(
                id="Activity - ID", deal_id=("Activity - Deal ID", "Deal - ID"),
                deal_name=("Activity - Deal", "Deal - Title"),
                account=("Activity - Organization", "Organization - Name"),
                contact_id=("Activity - Contact person", "Person - Name"),
                subject="Activity - Subject",
                body=("Activity - Note", "Activity - Notes", "Note - Content"),
                date=("Activity - Due date", "Activity - Marked as done time"),
                created="Activity - Add time",
                owner=("Activity - Assigned to user", "Activity - Owner", "Activity - User"),
                kind="Activity - Type", is_closed="Activity - Done",
            ),
            required=("id", "subject"),
            markers=("Activity - Subject", "Activity - Type", "Activity - Due date"),
        ),
        Kind(
            "tasks",
            _cols(
                id="Note - ID", deal_id="Deal - ID", deal_name="Deal - Title",
                account="Organization - Name", contact_id="Person - Name",
                body="Note - Content", date="Note - Add time", owner="Note - User",
            ),
            required=("id", "body"),
            markers=("Note - Content", "Note - Add time"),
            defaults={"kind": "note"},
        ),
    ),
    html_bodies=True,
)  # fmt: skip

BUILTIN: tuple[Format, ...] = (SALESFORCE_API, SALESFORCE_REPORT, HUBSPOT, PIPEDRIVE)
FORMAT_NAMES: tuple[str, ...] = (*(f.name for f in BUILTIN), "mapping")
