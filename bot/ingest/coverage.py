"""What an export lets dealnudge check, per pattern, with where the missing inputs live.

``rules.coverage`` decides yes / partly / no from the inputs an export carries; this module
adds, for each missing input, the file or column (or mapping key) of the export's own
format that would provide it, so a RevOps admin knows what to add to the export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.ingest.report import IngestReport
from rules.coverage import Coverage
from rules.engine import export_coverage
from rules.model import Input, Pipeline

# What each input means to a person reading `dealnudge check`.
INPUT_LABELS: Mapping[Input, str] = {
    Input.CLOSE_DATE: "close dates",
    Input.CREATED: "deal created dates",
    Input.NEXT_STEP: "a next-step field",
    Input.ACTIVITIES: "activities linked to deals",
    Input.ACTIVITY_TEXT: "activity subjects or notes",
    Input.ACTIVITY_NOTES: "activity notes (beyond subjects)",
    Input.DIRECTION: "activity direction (inbound/outbound)",
    Input.ACTIVITY_CONTACTS: "the contact each activity was with",
    Input.CONTACT_TITLES: "contact titles or deal roles",
    Input.STAGE_HISTORY: "stage history (when each deal entered its stage)",
    Input.CLOSE_HISTORY: "close-date history",
    Input.OWNERS: "deal owners",
    Input.LAST_ACTIVITY: "last activity dates",
    Input.NEXT_ACTIVITY: "next activity dates",
}

_SALESFORCE: Mapping[Input, str] = {
    Input.CLOSE_DATE: "CloseDate in Opportunity.csv",
    Input.CREATED: "CreatedDate in Opportunity.csv",
    Input.NEXT_STEP: "NextStep in Opportunity.csv",
    Input.ACTIVITIES: "Task.csv / Event.csv with WhatId (or WhoId plus Contact.csv)",
    Input.ACTIVITY_TEXT: "Subject and Description in Task.csv / Event.csv",
    Input.ACTIVITY_NOTES: "Description in Task.csv / Event.csv",
    Input.DIRECTION: "CallType in Task.csv",
    Input.ACTIVITY_CONTACTS: "WhoId in Task.csv / Event.csv",
    Input.CONTACT_TITLES: "Title in Contact.csv, or OpportunityContactRole.csv",
    Input.STAGE_HISTORY: "OpportunityHistory.csv (or let `dealnudge serve` diff daily exports)",
    Input.CLOSE_HISTORY: "OpportunityHistory.csv (or let `dealnudge serve` diff daily exports)",
    Input.OWNERS: "OwnerId in Opportunity.csv and User.csv",
    Input.LAST_ACTIVITY: "Task.csv / Event.csv, or LastActivityDate in Opportunity.csv",
    Input.NEXT_ACTIVITY: "open Tasks / future Events in Task.csv / Event.csv",
}
_REPORT: Mapping[Input, str] = {
    Input.CLOSE_DATE: "the Close Date column",
    Input.CREATED: "the Created Date column",
    Input.NEXT_STEP: "the Next Step column",
    Input.ACTIVITIES: "an activities report with Related To / Opportunity",
    Input.ACTIVITY_TEXT: "Subject and Comments in the activities report",
    Input.ACTIVITY_NOTES: "Comments in the activities report",
    Input.DIRECTION: "Call Type in the activities report",
    Input.ACTIVITY_CONTACTS: "Name (the contact) in the activities report",
    Input.CONTACT_TITLES: "a contacts report with Title (Salesforce API export)",
    Input.STAGE_HISTORY: "an opportunity history report (or `dealnudge serve` diffing exports)",
    Input.CLOSE_HISTORY: "an opportunity history report (or `dealnudge serve` diffing exports)",
    Input.OWNERS: "the Opportunity Owner column",
    Input.LAST_ACTIVITY: "an activities report, or the Last Activity column",
    Input.NEXT_ACTIVITY: "open tasks in the activities report",
}
_HUBSPOT: Mapping[Input, str] = {
    Input.CLOSE_DATE: "the Close Date property in the deals view",
    Input.CREATED: "the Create Date property in the deals view",
    Input.NEXT_STEP: "the Next step property in the deals view",
    Input.ACTIVITIES: "an activities export (calls, emails, meetings, notes, tasks) with "
    "Associated Deal IDs",
    Input.ACTIVITY_TEXT: "Call notes, Email subject/body, Meeting name, Note body, Task title",
    Input.ACTIVITY_NOTES: "Call notes, Email body, Meeting description, Note body, Task notes",
    Input.DIRECTION: "Call direction and Email direction in the activities export",
    Input.ACTIVITY_CONTACTS: "Associated Contact IDs in the activities export",
    Input.CONTACT_TITLES: "a contacts export with Job Title (Associated Contact IDs to join)",
    Input.STAGE_HISTORY: 'Date entered current stage, or the Date entered "<stage>" columns',
    Input.CLOSE_HISTORY: "let `dealnudge serve` diff daily exports",
    Input.OWNERS: "the Deal owner property",
    Input.LAST_ACTIVITY: "an activities export, or Last Activity Date in the deals view",
    Input.NEXT_ACTIVITY: "Next Activity Date in the deals view",
}
_PIPEDRIVE: Mapping[Input, str] = {
    Input.CLOSE_DATE: "Deal - Expected close date",
    Input.CREATED: "Deal - Deal created",
    Input.NEXT_STEP: "a Deal - Next step custom field",
    Input.ACTIVITIES: "an activities export with Deal - ID",
    Input.ACTIVITY_TEXT: "Activity - Subject and Activity - Note",
    Input.ACTIVITY_NOTES: "Activity - Note (or a notes export)",
    Input.DIRECTION: "not exported by Pipedrive (the subject and notes are read instead)",
    Input.ACTIVITY_CONTACTS: "Activity - Contact person",
    Input.CONTACT_TITLES: "a persons export with Person - Job title",
    Input.STAGE_HISTORY: "Deal - Last stage change",
    Input.CLOSE_HISTORY: "let `dealnudge serve` diff daily exports",
    Input.OWNERS: "Deal - Owner",
    Input.LAST_ACTIVITY: "an activities export, or Deal - Last activity date",
    Input.NEXT_ACTIVITY: "Deal - Next activity date",
}
_MAPPING: Mapping[Input, str] = {
    Input.CLOSE_DATE: "[deals] close_date",
    Input.CREATED: "[deals] created",
    Input.NEXT_STEP: "[deals] next_step",
    Input.ACTIVITIES: "an [activities] section with deal_id (or account / contact_id)",
    Input.ACTIVITY_TEXT: "[activities] subject / body",
    Input.ACTIVITY_NOTES: "[activities] body",
    Input.DIRECTION: "[activities] direction or call_type",
    Input.ACTIVITY_CONTACTS: "[activities] contact_id",
    Input.CONTACT_TITLES: "[contacts] title, or a [roles] section",
    Input.STAGE_HISTORY: "a [history] section, or [deals] stage_changed",
    Input.CLOSE_HISTORY: "a [history] section with close_date",
    Input.OWNERS: "[deals] owner",
    Input.LAST_ACTIVITY: "an [activities] section, or [deals] last_activity",
    Input.NEXT_ACTIVITY: "[deals] next_activity",
}
HINTS: Mapping[str, Mapping[Input, str]] = {
    "salesforce": _SALESFORCE,
    "salesforce-report": _REPORT,
    "hubspot": _HUBSPOT,
    "pipedrive": _PIPEDRIVE,
    "mapping": _MAPPING,
}


@dataclass(frozen=True)
class CoverageLine:
    coverage: Coverage
    hint: str

    @property
    def limited(self) -> bool:
        return self.coverage.evaluated != "yes"

    def as_dict(self) -> dict[str, Any]:
        c = self.coverage
        return {
            "pattern": c.pattern,
            "evaluated": c.evaluated,
            "missing": [i.value for i in c.missing],
            "hint": self.hint,
        }


def deals_format(report: IngestReport) -> str:
    return next((f.format for f in report.files if f.kind == "deals"), "mapping")


def coverage_lines(pipeline: Pipeline, report: IngestReport) -> list[CoverageLine]:
    hints = HINTS.get(deals_format(report), _MAPPING)
    out = []
    for c in export_coverage(pipeline.inputs):
        hint = "; ".join(dict.fromkeys(hints[i] for i in c.missing))
        out.append(CoverageLine(c, f"add {hint}" if hint else ""))
    return out


def coverage_text(lines: list[CoverageLine]) -> list[str]:
    """The "What this export lets dealnudge check" section of ``dealnudge check``."""
    out = ["What this export lets dealnudge check:"]
    width = max((len(x.coverage.pattern) for x in lines), default=0)
    for x in lines:
        c = x.coverage
        row = f"  {c.pattern.ljust(width)}  {c.evaluated:<6}"
        if c.missing:
            row += "  missing " + ", ".join(INPUT_LABELS[i] for i in c.missing)
            row += f" ({x.hint})"
        out.append(row.rstrip())
    return out


def coverage_note(lines: list[CoverageLine]) -> str:
    """One line for the digest and App Home when the export limits what can be checked
    ("" when everything can be)."""
    no = [x.coverage.pattern for x in lines if x.coverage.evaluated == "no"]
    partly = [x.coverage.pattern for x in lines if x.coverage.evaluated == "partly"]
    if not no and not partly:
        return ""
    parts = []
    if no:
        parts.append(f"{len(no)} of {len(lines)} checks cannot run on this export")
    if partly:
        parts.append(f"{len(partly)} run only in part")
    return "; ".join(parts) + " (see `dealnudge check` for what the export lacks)."
