"""End-to-end ingest of each fixture export, with counts checked by hand against the files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.ingest.loader import LoadResult, activity_kind, direction, is_done, load_export
from bot.ingest.report import ExportError, FileReport
from rules.model import ActivityKind, DealStatus, Direction

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"


def _load(name: str, **kw: object) -> LoadResult:
    return load_export([FIXTURES / name], **kw)  # type: ignore[arg-type]


def _file(r: LoadResult, name: str) -> FileReport:
    return next(f for f in r.report.files if Path(f.path).name == name)


def _counts(f: FileReport) -> tuple[int, int, int, int]:
    return f.rows, f.loaded, f.rejected, f.unlinked


@pytest.fixture(scope="module")
def sf() -> LoadResult:
    return _load("salesforce_api")


def test_sf_api_file_counts(sf: LoadResult) -> None:
    """Every Salesforce object file reconciles to the rows written in the fixture."""
    assert _counts(_file(sf, "Opportunity.csv")) == (5, 5, 0, 0)
    assert _counts(_file(sf, "Task.csv")) == (7, 4, 2, 1)
    assert _counts(_file(sf, "Event.csv")) == (2, 2, 0, 0)
    assert _counts(_file(sf, "OpportunityHistory.csv")) == (4, 3, 0, 1)
    assert _counts(_file(sf, "OpportunityContactRole.csv")) == (3, 2, 0, 1)
    assert _counts(_file(sf, "User.csv")) == (2, 2, 0, 0)


def test_sf_api_totals(sf: LoadResult) -> None:
    """5 deals (3 open), 6 activities, 3 contacts + 1 unknown WhoId, 2 users + 1 unknown owner."""
    p = sf.pipeline
    assert (len(p.deals), sum(d.is_open for d in p.deals)) == (5, 3)
    assert len(p.activities) == 6
    assert len(p.contacts) == 4
    assert len(p.owners) == 3
    assert len(p.history) == 3
    assert len(p.contact_roles) == 2


def test_sf_api_currency_amount_and_datetime(sf: LoadResult) -> None:
    """$1,200.50 loads as 1200.5 USD; CreatedDate with +0000 keeps its day."""
    d = sf.pipeline.deal_index["006O1"]
    assert (d.amount, d.currency) == (1200.5, "USD")
    assert d.created == date(2025, 9, 1)
    assert d.close_date is None


def test_sf_api_account_name_resolved(sf: LoadResult) -> None:
    """AccountId resolves to the account's name."""
    assert sf.pipeline.deal_index["006O2"].account == "Globex"


def test_sf_api_owner_and_manager_resolved(sf: LoadResult) -> None:
    """OwnerId resolves to the User; ManagerId is kept."""
    owner = sf.pipeline.owner_index[sf.pipeline.deal_index["006O4"].owner_id]
    assert (owner.name, owner.email, owner.manager_id) == ("Sam Patel", "sam@example.com", "005A1")


def test_sf_api_status_from_flags(sf: LoadResult) -> None:
    """IsWon/IsClosed decide won, lost and open; empty flags fall back to the stage."""
    idx = sf.pipeline.deal_index
    assert idx["006O2"].status is DealStatus.WON
    assert idx["006O3"].status is DealStatus.LOST
    assert idx["006O4"].status is DealStatus.OPEN
    assert idx["006O5"].status is DealStatus.OPEN


def test_sf_api_bad_close_date_warns_and_blanks(sf: LoadResult) -> None:
    """A bad CloseDate keeps the deal, empties the date and warns with file and line."""
    assert sf.pipeline.deal_index["006O4"].close_date is None
    w = [p for p in sf.report.problems if p.status == "warning" and p.field == "close_date"]
    assert [(Path(p.file).name, p.line) for p in w] == [("Opportunity.csv", 7)]


def test_sf_api_multiline_description_line_numbers(sf: LoadResult) -> None:
    """Rows after a multi-line Description are reported at their own physical line."""
    owner_warning = next(p for p in sf.report.problems if p.field == "owner")
    assert (owner_warning.line, owner_warning.reason) == (
        8,
        "owner '005A9' is not in the users file",
    )


def test_sf_api_duplicate_task_rejected(sf: LoadResult) -> None:
    """The repeated Task row is rejected as a duplicate of the first."""
    dup = [p for p in sf.report.problems if p.reason.startswith("duplicate")]
    assert [(Path(p.file).name, p.line, p.reason) for p in dup] == [
        ("Task.csv", 5, "duplicate of line 4")
    ]


def test_sf_api_bad_task_date_rejected(sf: LoadResult) -> None:
    """A Task whose ActivityDate is unreadable is rejected, not re-dated from CreatedDate."""
    bad = [p for p in sf.report.problems if p.status == "rejected" and p.field == "date"]
    assert [(p.line, p.reason) for p in bad] == [
        (7, "'2025-13-01' is not a real calendar date (month must be in 1..12)")
    ]
    assert "00T4" not in {a.id for a in sf.pipeline.activities}


def test_sf_api_unknown_whatid_unlinked(sf: LoadResult) -> None:
    """A Task for opportunity 006ZZ is unlinked, not guessed from its account."""
    un = [
        p for p in sf.report.problems if p.status == "unlinked" and Path(p.file).name == "Task.csv"
    ]
    assert [(p.line, p.reason) for p in un] == [(6, "'006ZZ' is not a deal in this export")]


def test_sf_api_task_on_account_links_to_its_single_open_deal(sf: LoadResult) -> None:
    """WhatId = Initech's account links to Initech's only open deal."""
    acts = {a.id: a for a in sf.pipeline.activities}
    assert acts["00T6"].deal_id == "006O5"


def test_sf_api_activity_fields(sf: LoadResult) -> None:
    """The first task is an outbound call with the contact, owner and CRLF-normalised body."""
    a = next(a for a in sf.pipeline.activities if a.id == "00T1")
    assert (a.kind, a.direction, a.deal_id, a.contact_id, a.owner_id, a.done) == (
        ActivityKind.CALL, Direction.OUTBOUND, "006O1", "003C1", "005A1", True,
    )  # fmt: skip
    assert a.body == "She said they are fine for now.\nCall back in Q1."


def test_sf_api_events_are_meetings_dated_from_start(sf: LoadResult) -> None:
    """An Event without ActivityDate takes its day from ActivityDateTime."""
    e = next(a for a in sf.pipeline.activities if a.id == "00U2")
    assert (e.kind, e.date, e.deal_id) == (ActivityKind.MEETING, date(2025, 12, 18), "006O2")


def test_sf_api_unknown_whoid_warns(sf: LoadResult) -> None:
    """A WhoId missing from Contact.csv is a warning on its line."""
    w = [p for p in sf.report.problems if p.field == "contact_id" and p.status == "warning"]
    assert [(Path(p.file).name, p.line) for p in w] == [("Task.csv", 8)]


def test_sf_api_roles_and_history(sf: LoadResult) -> None:
    """Contact roles keep role and primary flag; history is grouped per deal in date order."""
    roles = sf.pipeline.roles_by_deal["006O2"]
    assert [(r.contact_id, r.role, r.is_primary) for r in roles] == [
        ("003C2", "Economic Buyer", True)
    ]
    stages = [h.stage for h in sf.pipeline.history_by_deal["006O1"]]
    assert stages == ["Prospecting", "Qualification"]


def test_sf_report_counts_and_dates() -> None:
    """The report export loads 4 deals from M/D/YYYY and MM/DD/YY dates; the footer is ignored."""
    r = _load("salesforce_report")
    assert _counts(_file(r, "Opportunity Pipeline Report.csv")) == (4, 4, 0, 0)
    assert _counts(_file(r, "Activities with Opportunities.csv")) == (5, 4, 0, 1)
    deals = {d.name: d for d in r.pipeline.deals}
    assert deals["Acme - Line 4 retrofit"].close_date == date(2026, 1, 31)
    assert deals["Globex - Fleet telemetry"].close_date == date(2025, 12, 15)
    assert deals["Globex - Fleet telemetry"].status is DealStatus.WON
    assert deals["Initech - Licences"].amount is None


def test_sf_report_activities_link_by_related_to() -> None:
    """'Related To' (an opportunity name) links activities; an unknown name is unlinked."""
    r = _load("salesforce_report")
    by_deal = {d.name: d.id for d in r.pipeline.deals}
    acme = r.pipeline.activities_by_deal[by_deal["Acme - Line 4 retrofit"]]
    assert [(a.subject, a.date) for a in acme] == [
        ("Call with Priya", date(2025, 10, 2)),
        ("Sent brochure", date(2025, 10, 20)),
    ]
    pricing = next(a for a in r.pipeline.activities if a.subject == "Pricing follow-up")
    assert pricing.done is False
    un = [p for p in r.report.problems if p.status == "unlinked"]
    assert [p.reason for p in un] == ["'Umbrella - Pilot' is not a deal in this export"]


def test_hubspot_counts() -> None:
    """HubSpot: 6 deal rows (1 duplicate), 5 activity rows (1 no date, 1 unknown deal)."""
    r = _load("hubspot")
    assert _counts(_file(r, "hubspot-crm-exports-all-deals-2026-01-15.csv")) == (6, 5, 1, 0)
    assert _counts(_file(r, "hubspot-crm-exports-all-activities-2026-01-15.csv")) == (5, 3, 1, 1)


def test_hubspot_stage_labels_and_internal_values() -> None:
    """closedwon and 'Closed Lost' close deals; qualifiedtobuy stays open."""
    idx = _load("hubspot").pipeline.deal_index
    assert idx["9002"].status is DealStatus.WON
    assert idx["9003"].status is DealStatus.LOST
    assert idx["9004"].status is DealStatus.OPEN
    assert idx["9005"].amount == 22500.0


def test_hubspot_multiple_deal_ids_take_first_known() -> None:
    """'9002;9004' in Associated Deal IDs links to 9002."""
    r = _load("hubspot")
    a = next(a for a in r.pipeline.activities if a.id == "7003")
    assert (a.deal_id, a.kind) == ("9002", ActivityKind.MEETING)


def test_pipedrive_counts_status_and_values() -> None:
    """Pipedrive: Deal - Status decides open/won/lost (deleted = lost); 1.200,50 € parses."""
    r = _load("pipedrive")
    assert _counts(_file(r, "deals.csv")) == (5, 5, 0, 0)
    assert _counts(_file(r, "activities.csv")) == (6, 4, 1, 1)
    idx = r.pipeline.deal_index
    assert [idx[i].status for i in ("101", "102", "103", "104", "105")] == [
        DealStatus.OPEN, DealStatus.WON, DealStatus.LOST, DealStatus.OPEN, DealStatus.LOST,
    ]  # fmt: skip
    assert (idx["101"].amount, idx["101"].currency) == (1200.5, "EUR")
    assert idx["101"].stage_changed == date(2025, 10, 3)


def test_pipedrive_short_row_padded_with_warning() -> None:
    """A deal row two fields short still loads, with a warning on its line."""
    r = _load("pipedrive")
    w = [p for p in r.report.problems if "fields, the header has" in p.reason]
    assert [(p.status, p.line) for p in w] == [("warning", 5)]
    assert r.pipeline.deal_index["104"].amount == 15000.0


def test_pipedrive_to_do_activity_not_done() -> None:
    """Activity - Done = 'To do' means not done."""
    r = _load("pipedrive")
    a = next(a for a in r.pipeline.activities if a.id == "504")
    assert (a.done, a.kind, a.deal_id) == (False, ActivityKind.TASK, "104")


def test_pipedrive_contact_person_becomes_primary_role() -> None:
    """Deal - Contact person becomes the deal's primary contact."""
    r = _load("pipedrive")
    roles = r.pipeline.roles_by_deal["102"]
    assert [(r.contact_id, r.is_primary) for r in roles] == [("Tom Becker", True)]


def test_mapping_with_dmy_dates() -> None:
    """The mapping fixture reads day-first dates and won/lost stages."""
    folder = FIXTURES / "mapping"
    r = load_export([folder], mapping=folder / "mapping.toml")
    assert _counts(_file(r, "pipeline_q1.csv")) == (3, 3, 0, 0)
    assert _counts(_file(r, "touches.csv")) == (3, 2, 0, 1)
    d = r.pipeline.deal_index["OPP-1"]
    assert (d.created, d.close_date, d.amount) == (date(2025, 9, 3), date(2026, 1, 31), 1200.5)
    assert r.pipeline.deal_index["OPP-2"].status is DealStatus.WON
    first = r.pipeline.activities_by_deal["OPP-1"][0]
    assert (first.date, first.kind) == (date(2025, 10, 2), ActivityKind.CALL)


def test_mapping_file_missing_bound_column(tmp_path: Path) -> None:
    """A file bound by glob that lacks a mapped required column fails, naming the column,
    the file and the closest real one."""
    (tmp_path / "pipeline.csv").write_text("Opp,Phase\n1,Won\n")
    m = tmp_path / "m.toml"
    m.write_text('[deals]\nfile = "pipeline*.csv"\nid = "Opp #"\nstage = "Phase"\n')
    with pytest.raises(
        ExportError, match=r"id = 'Opp #': no such column in pipeline.csv; closest column: 'Opp'"
    ):
        load_export([tmp_path], mapping=m)


def test_cp1252_export_loads_names() -> None:
    """A cp1252 file loads with accents and € intact and a warning about the encoding."""
    r = _load("cp1252")
    d = r.pipeline.deal_index["006E1"]
    assert (d.name, d.amount, d.currency) == ("Café Zürich – Renewal", 1500.0, "EUR")
    assert _file(r, "Opportunity.csv").encoding == "cp1252"


def test_every_fixture_reconciles() -> None:
    """rows = loaded + rejected + unlinked for every file of every fixture export."""
    for name in ("salesforce_api", "salesforce_report", "hubspot", "pipedrive", "cp1252"):
        for f in _load(name).report.files:
            assert f.reconciles, f


def test_forced_format_wins(tmp_path: Path) -> None:
    """--format pipedrive on a Salesforce folder finds no deals and says so."""
    with pytest.raises(ExportError, match="no deals file found"):
        _load("salesforce_api", format_name="pipedrive")


def test_unknown_format_name() -> None:
    """An unknown --format lists the choices."""
    with pytest.raises(ExportError, match="unknown format 'zoho'; choose one of"):
        _load("salesforce_api", format_name="zoho")


def test_no_such_path(tmp_path: Path) -> None:
    """A path that does not exist is an ExportError naming it."""
    with pytest.raises(ExportError, match="no such file or folder"):
        load_export([tmp_path / "missing"])


def test_empty_side_file_skipped(tmp_path: Path) -> None:
    """An empty Event.csv next to a good Opportunity.csv is skipped, not fatal."""
    (tmp_path / "Opportunity.csv").write_text("Id,Name,StageName\n006A,Deal,Prospecting\n")
    (tmp_path / "Event.csv").write_text("")
    r = load_export([tmp_path])
    assert len(r.pipeline.deals) == 1
    assert r.report.skipped == [
        (str(tmp_path / "Event.csv"), "the file is empty (expected a header row)")
    ]


def test_all_deal_rows_bad_is_unusable(tmp_path: Path) -> None:
    """A deals file whose every row is rejected makes the export unusable."""
    (tmp_path / "Opportunity.csv").write_text("Id,Name,StageName\n,Deal,Prospecting\n")
    with pytest.raises(
        ExportError, match=r"no deal rows could be loaded; first problem: .*Opportunity\.csv:2"
    ):
        load_export([tmp_path])


def test_short_row_missing_required_rejected(tmp_path: Path) -> None:
    """A row cut before a required column is rejected naming that column."""
    (tmp_path / "Opportunity.csv").write_text(
        "Id,Name,CloseDate,StageName\n006A,Deal,2026-01-02,Prospecting\n006B,Other\n"
    )
    r = load_export([tmp_path])
    [p] = [p for p in r.report.problems if p.status == "rejected"]
    assert (p.line, p.reason) == (
        3,
        "row has 2 fields, the header has 4: no value for required column 'StageName'",
    )


def test_far_future_and_old_dates_warn(tmp_path: Path) -> None:
    """Close dates after 2100 or before 1970 load but warn."""
    (tmp_path / "Opportunity.csv").write_text(
        "Id,Name,StageName,CloseDate\n006A,A,Prospecting,2999-01-01\n006B,B,Prospecting,1/1/1901\n"
    )
    r = load_export([tmp_path])
    reasons = [(p.line, p.reason) for p in r.report.problems if p.status == "warning"]
    assert reasons == [
        (2, "2999-01-01 is after 2100; check the date format"),
        (3, "1901-01-01 is before 1970; check the date format"),
    ]
    assert r.pipeline.deal_index["006A"].close_date == date(2999, 1, 1)


def test_nul_bytes_reported_as_warning(tmp_path: Path) -> None:
    """NUL bytes in a file become a file-level warning."""
    (tmp_path / "Opportunity.csv").write_bytes(b"Id,Name,StageName\n006A,De\x00al,Prospecting\n")
    r = load_export([tmp_path])
    assert r.pipeline.deals[0].name == "Deal"
    assert any("NUL byte" in p.reason and p.status == "warning" for p in r.report.problems)


def test_ambiguous_deal_name_unlinked(tmp_path: Path) -> None:
    """An activity naming a deal name two deals share is unlinked, not given to the first."""
    (tmp_path / "deals.csv").write_text(
        "Record ID,Deal Name,Deal Stage\n1,Renewal,appointmentscheduled\n2,Renewal,closedwon\n"
    )
    (tmp_path / "acts.csv").write_text(
        "Record ID,Activity date,Associated Deal,Subject\n7,2026-01-02,Renewal,Call\n"
    )
    r = load_export([tmp_path])
    [p] = [p for p in r.report.problems if p.status != "warning"]
    assert (p.status, p.reason) == ("unlinked", "2 deals are named 'Renewal'; not tied to one")


@pytest.mark.parametrize(
    ("kind", "subject", "expected"),
    [
        ("Call", "", ActivityKind.CALL),
        ("Other", "Email follow-up", ActivityKind.EMAIL),
        ("Other", "Prep notes", ActivityKind.NOTE),
        ("", "Lunch with CFO", ActivityKind.MEETING),
        ("Prep", "Quarterly", ActivityKind.OTHER),
    ],
)
def test_activity_kind(kind: str, subject: str, expected: ActivityKind) -> None:
    """The type column decides; else the subject's first words; else other."""
    assert activity_kind(kind, subject) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inbound", Direction.INBOUND), ("INCOMING_EMAIL", Direction.INBOUND),
        ("Outbound", Direction.OUTBOUND), ("EMAIL", Direction.OUTBOUND),
        ("Internal", Direction.UNKNOWN), ("pending", Direction.UNKNOWN), ("", Direction.UNKNOWN),
    ],
)  # fmt: skip
def test_direction(text: str, expected: Direction) -> None:
    """Call types and HubSpot email directions map to a direction; 'Internal' is not inbound."""
    assert direction(text) is expected


def test_is_done_handles_hubspot_statuses() -> None:
    """NOT_STARTED and Not Started are open; Completed is done."""
    assert (is_done("NOT_STARTED"), is_done("Not Started"), is_done("Completed")) == (
        False,
        False,
        True,
    )
