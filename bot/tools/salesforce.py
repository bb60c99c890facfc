"""Salesforce CSV as every writer here produces it: the files and their columns, how a value
is spelled (ids, timestamps, flags, amounts) and the one CSV writer.

Two writers build their rows on it: ``scenario`` (scenario files: the bundled demo, the
labelled corpus, the cross-format scenarios) and ``synth`` (large random exports, whose hot
loops produce rows as tuples, so they share the columns, the spelling and the writer rather
than a row builder).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final

# Every column a writer here can fill, per file (the object's API name), in the order a
# full export lists them.
FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "User": (
        "Id", "Name", "FirstName", "LastName", "Email", "ManagerId", "Title", "IsActive",
        "TimeZoneSidKey",
    ),
    "Account": ("Id", "Name", "Industry", "NumberOfEmployees"),
    "Contact": ("Id", "AccountId", "FirstName", "LastName", "Name", "Title", "Email"),
    "Opportunity": (
        "Id", "AccountId", "Name", "StageName", "Amount", "CurrencyIsoCode", "Probability",
        "CloseDate", "Type", "NextStep", "LeadSource", "IsClosed", "IsWon", "OwnerId",
        "CreatedDate", "LastModifiedDate", "LastActivityDate",
    ),
    "OpportunityContactRole": ("Id", "OpportunityId", "ContactId", "Role", "IsPrimary"),
    "OpportunityHistory": (
        "Id", "OpportunityId", "CreatedDate", "StageName", "Amount", "CloseDate", "Probability",
    ),
    "Task": (
        "Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "Priority", "OwnerId",
        "Description", "IsClosed", "CreatedDate", "TaskSubtype", "CallType", "CallDisposition",
        "CallDurationInSeconds",
    ),
    "Event": (
        "Id", "WhoId", "WhatId", "Subject", "ActivityDate", "StartDateTime", "EndDateTime",
        "DurationInMinutes", "OwnerId", "Description", "Location", "EventSubtype",
    ),
}  # fmt: skip
FILES: Final = tuple(FIELDS)
# Key prefixes of the ids (the first three characters say the object).
PREFIX: Final[Mapping[str, str]] = {
    "User": "005",
    "Account": "001",
    "Contact": "003",
    "Opportunity": "006",
    "OpportunityContactRole": "00k",
    "OpportunityHistory": "008",
    "Task": "00T",
    "Event": "00U",
}

# Which columns an export has, per file, in its order; a file left out is not written.
Columns = Mapping[str, tuple[str, ...]]

# A scenario file's export unless the file names its own columns.
SCENARIO_COLUMNS: Final[Columns] = {
    "User": ("Id", "Name", "Email", "ManagerId", "IsActive"),
    "Account": ("Id", "Name"),
    "Opportunity": (
        "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "CurrencyIsoCode",
        "CloseDate", "CreatedDate", "NextStep", "IsClosed", "IsWon",
    ),
    "Contact": ("Id", "FirstName", "LastName", "Name", "Title", "Email", "AccountId"),
    "OpportunityContactRole": ("Id", "OpportunityId", "ContactId", "Role", "IsPrimary"),
    "OpportunityHistory": (
        "Id", "OpportunityId", "CreatedDate", "StageName", "Amount", "CloseDate",
    ),
    "Task": (
        "Id", "WhatId", "WhoId", "Subject", "Description", "ActivityDate", "OwnerId", "Status",
        "IsClosed", "TaskSubtype", "CallType", "CallDisposition",
    ),
    "Event": (
        "Id", "WhatId", "WhoId", "Subject", "Description", "ActivityDate", "OwnerId",
        "StartDateTime", "EventSubtype",
    ),
}  # fmt: skip

# A plain Data Loader pull: the columns ``synth`` writes.
PLAIN_COLUMNS: Final[Columns] = {
    "User": ("Id", "Name", "Email", "ManagerId", "IsActive"),
    "Account": ("Id", "Name"),
    "Contact": FIELDS["Contact"],
    "Opportunity": (
        "Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "NextStep", "IsClosed",
        "IsWon", "OwnerId", "CreatedDate",
    ),
    "OpportunityContactRole": FIELDS["OpportunityContactRole"],
    "OpportunityHistory": FIELDS["OpportunityHistory"][:-1],
    "Task": (
        "Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "OwnerId", "Description",
        "IsClosed", "TaskSubtype", "CallType",
    ),
    "Event": (
        "Id", "WhoId", "WhatId", "Subject", "ActivityDate", "StartDateTime", "OwnerId",
        "Description",
    ),
}  # fmt: skip

TRUE: Final = "true"
FALSE: Final = "false"


@dataclass(frozen=True)
class Style:
    """How the CSV text is spelled: a byte-order mark, every field quoted or only where
    needed, and the line end."""

    bom: bool = False
    quote_all: bool = False
    newline: str = "\r\n"


def unknown_columns(columns: Columns) -> list[str]:
    """``File.Column`` for each file or column no writer here fills (empty when all known)."""
    bad = []
    for name, cols in columns.items():
        known = FIELDS.get(name, ())
        bad += [f"{name}.{c}" for c in cols if c not in known] if known else [name]
    return bad


def write_csv(
    path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]], style: Style = Style()
) -> int:
    """Write ``rows`` (values in ``columns`` order) under a header; return the row count."""
    encoding = "utf-8-sig" if style.bom else "utf-8"
    with path.open("w", encoding=encoding, newline="", buffering=1 << 20) as fh:
        writer = csv.writer(
            fh,
            quoting=csv.QUOTE_ALL if style.quote_all else csv.QUOTE_MINIMAL,
            lineterminator=style.newline,
        )
        writer.writerow(columns)
        count = 0
        batch: list[Sequence[str]] = []
        append = batch.append
        for row in rows:
            append(row)
            if len(batch) >= 20_000:
                writer.writerows(batch)
                count += len(batch)
                batch.clear()
        writer.writerows(batch)
        count += len(batch)
    return count


def flag(value: bool) -> str:
    return TRUE if value else FALSE


def clock(at: time) -> str:
    """The time part of a timestamp: ``T16:14:25.000+0000``."""
    return f"T{at:%H:%M:%S}.000+0000"


def stamp(day: date, at: timedelta) -> str:
    """A timestamp ``at`` after midnight of ``day`` (past 24 hours: the next day)."""
    moment = datetime.combine(day, time()) + at
    return moment.date().isoformat() + clock(moment.time())


def amount(value: float | None, decimals: int | None = None) -> str:
    """An amount as written (``48000``, ``48000.0``) or with ``decimals`` places; none: ""."""
    if value is None:
        return ""
    return str(value) if decimals is None else f"{value:.{decimals}f}"


def id_format(template: str, prefix: str) -> Callable[[int], str]:
    """The n-th id of an object from a template like ``{prefix}{n:015d}``, as a fast
    callable: ``str.format`` of the template with the prefix filled in, n positional."""
    return template.replace("{prefix}", prefix).replace("{n", "{0").format
