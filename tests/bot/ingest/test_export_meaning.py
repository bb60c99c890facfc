"""Reading exports as they really are: what the columns mean, not only that rows parse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.ingest.loader import load_export
from bot.ingest.report import ExportError
from bot.reports.check import check_json, check_text, owner_gaps
from rules.base import build_view
from rules.config import load_config
from rules.engine import evaluate
from rules.lexicon import load_lexicon
from rules.model import ActivityKind, Direction, Input

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"
HUBSPOT = FIXTURES / "hubspot_activities"


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# ------------------------------------------------------------------ HubSpot


@pytest.fixture(scope="module")
def hubspot():  # type: ignore[no-untyped-def]
    return load_export([HUBSPOT])


def test_hubspot_activities_keep_their_text_per_type(hubspot) -> None:  # type: ignore[no-untyped-def]
    """Call notes, email subject/body, meeting name/description, note and task text are read."""
    acts = {a.id: a for a in hubspot.pipeline.activities}
    assert acts["880001"].subject == "Call with Anke"
    assert "fine for now" in acts["880001"].body
    assert acts["880002"].subject == "RE: pricing" and "steering group" in acts["880002"].body
    assert acts["880004"].subject == "Site walk"
    assert acts["880006"].body.startswith("Tom says the budget is set for Q1.")
    assert acts["880007"].subject == "Prepare demo" and acts["880007"].body
    kinds = {a.id: a.kind for a in hubspot.pipeline.activities}
    assert kinds["880006"] is ActivityKind.NOTE and kinds["880101"] is ActivityKind.CALL


def test_hubspot_html_notes_read_as_plain_text(hubspot) -> None:  # type: ignore[no-untyped-def]
    """<p>, <br/> and entities in HubSpot notes become the plain text the rep wrote."""
    acts = {a.id: a for a in hubspot.pipeline.activities}
    assert acts["880001"].body == (
        "Anke: current site planning is fine for now.\nCall back after the fair."
    )
    assert acts["880004"].body == "Walked the yard with Tom & Anke"
    assert "<" not in "".join(a.body for a in hubspot.pipeline.activities)


def test_hubspot_direction_and_outcome(hubspot) -> None:  # type: ignore[no-untyped-def]
    """Call direction, email direction (as HubSpot labels it) and call outcomes (labels or
    HubSpot's GUIDs) are read; a meeting that was a no-show did not take place."""
    acts = {a.id: a for a in hubspot.pipeline.activities}
    assert acts["880001"].direction is Direction.OUTBOUND
    assert acts["880002"].direction is Direction.INBOUND  # "Email reply from contact"
    assert acts["880003"].direction is Direction.OUTBOUND  # "Email sent to contact"
    assert acts["880008"].outcome == "connected"  # a GUID
    assert acts["880101"].outcome == "left voicemail"
    assert not acts["880005"].done  # "No show"
    assert not acts["880007"].done  # "Not started"


def test_hubspot_multi_association_cells_split(hubspot) -> None:  # type: ignore[no-untyped-def]
    """ "301;302" is two contacts (named from the parallel name column), not one made-up one."""
    a = next(a for a in hubspot.pipeline.activities if a.id == "880002")
    assert a.contacts == ("301", "302")
    names = {c.id: c.name for c in hubspot.pipeline.contacts}
    assert names == {"301": "Anke Brenner", "302": "Tom Kraus", "303": "Marta Ortega"}
    roles = [r for r in hubspot.pipeline.contact_roles if r.deal_id == "14501"]
    assert [r.contact_id for r in roles] == ["301", "302"] and roles[0].is_primary


def test_hubspot_stage_entry_dates(hubspot) -> None:  # type: ignore[no-untyped-def]
    """ "Date entered current stage" dates the stage; per-stage columns give its history."""
    deal = hubspot.pipeline.deal_index["14501"]
    assert deal.stage_changed == date(2026, 6, 20)
    assert [(h.date, h.stage) for h in hubspot.pipeline.history_by_deal["14501"]] == [
        (date(2026, 5, 4), "Discovery"),
        (date(2026, 6, 20), "Proposal"),
    ]
    assert Input.STAGE_HISTORY in hubspot.pipeline.inputs


def test_hubspot_next_activity_date_is_a_next_step(hubspot) -> None:  # type: ignore[no-untyped-def]
    """A deal whose Next Activity Date is ahead is never flagged for having no next step."""
    found = evaluate(hubspot.pipeline, load_config(), date(2026, 10, 15))
    assert not [f for f in found if f.deal.id == "14502" and f.pattern == "no-next-step"]


# ------------------------------------------------------------------ Salesforce

SF_OPPS = (
    "Id,Name,AccountId,StageName,CloseDate,CreatedDate,IsClosed,IsWon\n"
    "006A,Alpha renewal,001A,Qualification,2026-12-01,2026-01-10T09:00:00.000+0000,false,false\n"
    "006B,Beta expansion,001B,Negotiation,2026-11-01,2026-02-01T09:00:00.000+0000,false,false\n"
    "006C,Beta pilot,001B,Closed Won,2026-03-01,2025-10-01T09:00:00.000+0000,true,true\n"
    "006D,Gamma one,001G,Qualification,2026-12-01,2026-01-10T09:00:00.000+0000,false,false\n"
    "006E,Gamma two,001G,Discovery,2026-12-01,2026-01-12T09:00:00.000+0000,false,false\n"
)
SF_CONTACTS = (
    "Id,LastName,FirstName,Title,AccountId\n"
    "003A,Alder,Ann,Ops Lead,001A\n003B,Birch,Ben,Buyer,001B\n003G,Gale,Gil,Analyst,001G\n"
    "003X,Xu,Xia,Consultant,001Z\n"
)
SF_ROLES = "Id,OpportunityId,ContactId,Role,IsPrimary\n00K1,006A,003A,Influencer,true\n"


def test_salesforce_contact_only_tasks_link_through_the_contact(tmp_path: Path) -> None:
    """A Task with a WhoId and no WhatId links through OpportunityContactRole, or the
    contact's account's deal open on the task's date; it is reported as linked by contact,
    and an ambiguous or unknown one stays unlinked with the reason (never rejected)."""
    tasks = (
        "Id,WhoId,WhatId,Subject,ActivityDate,Status\n"
        "00T1,003A,,Call,2026-05-02,Completed\n"  # by contact role -> 006A
        "00T2,003B,,Email,2026-02-20,Completed\n"  # 006C closed 03-01, 006B created 02-01
        "00T3,003B,,Email,2026-04-20,Completed\n"  # only 006B open then
        "00T4,003G,,Call,2026-05-02,Completed\n"  # 006D and 006E both open: ambiguous
        "00T5,003X,,Call,2026-05-02,Completed\n"  # an account with no deal
    )
    folder = write(
        tmp_path / "sf",
        {
            "Opportunity.csv": SF_OPPS,
            "Contact.csv": SF_CONTACTS,
            "OpportunityContactRole.csv": SF_ROLES,
            "Task.csv": tasks,
        },
    )
    result = load_export([folder])
    linked = {a.id: a.deal_id for a in result.pipeline.activities}
    assert linked == {"00T1": "006A", "00T3": "006B"}
    task_file = next(f for f in result.report.files if f.kind == "tasks")
    assert (task_file.by_contact, task_file.rejected, task_file.unlinked) == (2, 0, 3)
    reasons = {p.line: p.reason for p in result.report.problems if p.status == "unlinked"}
    assert "2 deals open on 2026-02-20" in reasons[3]
    assert "2 deals open on 2026-05-02" in reasons[5]
    assert "no deal" in reasons[6]
    assert "2 activities linked to their deal by contact" in check_text(result)


def test_account_level_activities_go_to_the_deal_open_on_their_date(tmp_path: Path) -> None:
    """An activity on an account attaches to the account's deal open on its date, not to
    whichever deal happens to be open today; ambiguous ones stay unlinked."""
    tasks = (
        "Id,WhatId,Subject,ActivityDate,Status\n"
        "00T1,001B,Old pilot review,2025-11-15,Completed\n"  # only 006C open then
        "00T2,001B,Expansion call,2026-05-02,Completed\n"  # only 006B open then
        "00T3,001G,Gamma call,2026-05-02,Completed\n"  # two open: ambiguous
    )
    folder = write(
        tmp_path / "sf",
        {
            "Opportunity.csv": SF_OPPS,
            "Task.csv": tasks,
            "Account.csv": "Id,Name\n001B,Beta\n001G,Gamma\n",
        },
    )
    result = load_export([folder])
    assert {a.id: a.deal_id for a in result.pipeline.activities} == {
        "00T1": "006C",
        "00T2": "006B",
    }
    unlinked = [p for p in result.report.problems if p.status == "unlinked"]
    assert len(unlinked) == 1 and "not tied to one" in unlinked[0].reason


def test_planned_tasks_are_never_the_last_activity(tmp_path: Path) -> None:
    """A not-started task dated in the past is neither a touch nor a scheduled step."""
    tasks = (
        "Id,WhatId,Subject,ActivityDate,Status,IsClosed\n"
        "00T1,006A,Lunch with Ann,2026-03-01,Completed,true\n"
        "00T2,006A,Call Ann,2026-05-20,Not Started,false\n"
    )
    folder = write(tmp_path / "sf", {"Opportunity.csv": SF_OPPS, "Task.csv": tasks})
    pipeline = load_export([folder]).pipeline
    view = build_view(pipeline, pipeline.deal_index["006A"], date(2026, 6, 1), load_lexicon())
    assert [t.activity.id for t in view.past] == ["00T1"] and not view.planned


def test_check_date_range_covers_every_row_read(tmp_path: Path) -> None:
    """Dates of unlinked rows count in the file's date range too."""
    tasks = (
        "Id,WhatId,Subject,ActivityDate,Status\n"
        "00T1,006A,Call,2026-05-02,Completed\n"
        "00T2,006Q,Call,2024-01-09,Completed\n"  # names a deal the export does not have
    )
    folder = write(tmp_path / "sf", {"Opportunity.csv": SF_OPPS, "Task.csv": tasks})
    report = check_json(load_export([folder]))
    task_file = next(f for f in report["files"] if f["kind"] == "tasks")
    assert task_file["unlinked"] == 1
    assert (task_file["first_date"], task_file["last_date"]) == ("2024-01-09", "2026-05-02")


def test_deal_age_falls_back_to_the_earliest_known_date(tmp_path: Path) -> None:
    """Without CreatedDate a deal is as old as its first activity or history entry, so
    long-neglected deals still age; with none known the age is unknown, and check says
    that created dates are missing."""
    opps = (
        "Id,Name,StageName,CloseDate\n006A,Alpha,Qualification,2026-12-01\n"
        "006B,Beta,Qualification,2026-12-01\n"
    )
    tasks = "Id,WhatId,Subject,ActivityDate,Status\n00T1,006A,Lunch,2025-01-10,Completed\n"
    folder = write(tmp_path / "sf", {"Opportunity.csv": opps, "Task.csv": tasks})
    result = load_export([folder])
    lex, as_of = load_lexicon(), date(2026, 6, 1)
    p = result.pipeline
    assert build_view(p, p.deal_index["006A"], as_of, lex).age(as_of) == 507
    assert build_view(p, p.deal_index["006B"], as_of, lex).age(as_of) is None
    assert Input.CREATED not in p.inputs
    assert "deal created dates" in check_text(result)


# ------------------------------------------------------------------ owners


def test_check_counts_open_deals_nobody_can_be_nudged_about(tmp_path: Path) -> None:
    """Open deals with no owner, or an owner known only by id, are counted with the fix."""
    opps = (
        "Id,Name,StageName,OwnerId\n006A,Alpha,Qualification,\n"
        "006B,Beta,Qualification,005Ec000004oBPNIA2\n006C,Gamma,Closed Won,\n"
    )
    result = load_export([write(tmp_path / "sf", {"Opportunity.csv": opps})])
    assert owner_gaps(result.pipeline) == {"no_owner": 1, "no_email": 1}
    text = check_text(result)
    assert "1 open deals have no owner and 1 an owner with no email" in text
    assert "[people]" in text
    owner = result.pipeline.owner_index["005Ec000004oBPNIA2"]
    assert owner.name == ""  # a bare id is never a name to greet


# ------------------------------------------------------------------ no built-in format


def test_a_csv_no_format_reads_points_to_mapping_files(tmp_path: Path) -> None:
    """No built-in match: the message says so, shows the file's columns and names
    --mapping, DEALNUDGE_MAPPING and the examples, not a built-in's missing column."""
    folder = write(tmp_path / "x", {"deals_2026.csv": "DealRef,Phase,Value\nD1,Won,10\n"})
    with pytest.raises(ExportError) as info:
        load_export([folder])
    message = str(info.value)
    assert "no file matches a built-in export" in message
    assert "deals_2026.csv has the columns DealRef, Phase, Value" in message
    assert "--mapping FILE" in message and "DEALNUDGE_MAPPING" in message
    assert "examples/" in message and "missing required column" not in message
