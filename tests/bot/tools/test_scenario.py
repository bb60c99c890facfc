"""Scenario files: the committed exports are what their scenario files write, the format's
optional keys reach the Salesforce columns, and a file that breaks the format is refused
with the place named."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from corpus.build_corpus import STALLED, labels_toml, stalled_problems

from bot.tools.demo import demo_export_dir
from bot.tools.scenario import (
    SPARSE,
    ScenarioError,
    load_scenario,
    write_export,
    write_salesforce,
)

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus"
COMMITTED = {
    "demo": (ROOT / "bot" / "tools" / "scenarios" / "demo.toml", demo_export_dir()),
    "acme": (CORPUS / "scenarios" / "acme.toml", CORPUS / "acme"),
    "globex": (CORPUS / "scenarios" / "globex.toml", CORPUS / "globex"),
}


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_committed_export_is_what_its_scenario_writes(name: str, tmp_path: Path) -> None:
    """Each committed Salesforce export (the demo, the corpus) is byte for byte what its
    scenario file writes: edit the scenario and rerun its script, never the CSVs."""
    scenario, folder = COMMITTED[name]
    write_salesforce(load_scenario(scenario), tmp_path)
    written = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert written == sorted(p.name for p in folder.glob("*.csv"))
    for file in written:
        assert (tmp_path / file).read_bytes() == (folder / file).read_bytes(), file


@pytest.mark.parametrize("name", ["acme", "globex"])
def test_corpus_labels_are_the_scenario_labels(name: str, tmp_path: Path) -> None:
    scenario_file, folder = COMMITTED[name]
    scenario = load_scenario(scenario_file)
    ids = write_salesforce(scenario, tmp_path)
    assert (folder / "labels.toml").read_text(encoding="utf-8") == labels_toml(scenario, name, ids)


def test_demo_fixture_labels_are_the_scenario_labels(tmp_path: Path) -> None:
    scenario = load_scenario(COMMITTED["demo"][0])
    ids = write_salesforce(scenario, tmp_path)
    fixture = ROOT / "tests" / "fixtures" / "demo_expected.toml"
    labels = tomllib.loads(fixture.read_text(encoding="utf-8"))
    assert labels["as_of"] == scenario.as_of.isoformat()
    assert labels["deals"] == {ids[d.key]: list(d.labels) for d in scenario.deals}


def test_acme_stalled_labels_keep_clear_of_the_export_medians() -> None:
    """stalled-in-stage is labelled exactly where the export's medians say so, with a
    margin; dropping one such label is caught."""
    scenario = load_scenario(COMMITTED["acme"][0])
    assert stalled_problems(scenario) == []
    stalled = next(d for d in scenario.deals if "stalled-in-stage" in d.labels)
    unlabelled = replace(stalled, labels=tuple(x for x in stalled.labels if x != STALLED))
    deals = tuple(unlabelled if d is stalled else d for d in scenario.deals)
    problems = stalled_problems(replace(scenario, deals=deals))
    assert problems == [f"{stalled.key} {stalled.name}: {problems[0].split(': ', 1)[1]}"]
    assert problems[0].endswith(f"stalled, not labelled {STALLED}")


SMALL = """\
as_of = "2026-03-02"
stages = ["Discovery", "Proposal"]
{top}
[[owners]]
key = "ana"
name = "Ana Lima"
email = "ana@example.com"
title = "Account Executive"
timezone = "Europe/Lisbon"

[[accounts]]
name = "Porto Tiles"
industry = "Manufacturing"
employees = 120
domain = "portotiles.example"

[[accounts.contacts]]
key = "rui"
name = "Rui Costa"
title = "COO"

[[deals]]
key = "D1"
name = "Porto Tiles - Planning"
account = "Porto Tiles"
owner = "ana"
stage = "Proposal"
amount = 12000
created = 40
created_at = 08:15:00
close = -20
type = "New Customer"
source = "Web"
labels = ["single-threaded"]
{deal}
[[deals.contacts]]
key = "rui"
role = "Economic Buyer"
primary = true

[[deals.contacts]]
key = "eva"
name = "Dr. Eva Sousa"
first = "Dr. Eva"
email = "eva.sousa@portotiles.example"

[[deals.history]]
ago = 40
at = 08:15:00
stage = "Discovery"
amount = 15000

[[deals.history]]
ago = 10
stage = "Proposal"

[[deals.activities]]
ago = 3
type = "call"
direction = "in"
with = "rui"
seconds = 300
at = 16:00:00
{activity}
[[deals.activities]]
ago = 5
type = "meeting"
with = "eva"
at = "23:30:00"
minutes = 90
location = "Their office"

[[deals.activities]]
ago = -2
type = "task"
status = "planned"
logged = 6
at = 11:00:00
priority = "High"
on_account = true
"""
SEQUENTIAL = """\
[probabilities]
Discovery = 10
Proposal = 60

[salesforce]
ids = "{prefix}T{n:014d}"
bom = true
quote_all = true
decimals = 2
activities = "as-logged"

[salesforce.columns]
User = ["Id", "FirstName", "LastName", "Title", "TimeZoneSidKey"]
Account = ["Id", "Industry", "NumberOfEmployees"]
Contact = ["Id", "AccountId", "FirstName", "LastName", "Email"]
Opportunity = [
    "Id", "Amount", "Probability", "Type", "LeadSource", "CreatedDate", "LastModifiedDate",
    "LastActivityDate",
]
OpportunityContactRole = ["Id", "ContactId", "IsPrimary"]
OpportunityHistory = ["Id", "CreatedDate", "Amount", "Probability"]
Task = [
    "Id", "WhoId", "WhatId", "Status", "Priority", "CreatedDate", "CallType",
    "CallDurationInSeconds",
]
Event = ["Id", "WhoId", "StartDateTime", "EndDateTime", "DurationInMinutes", "Location"]
"""


def small(tmp_path: Path, top: str = "", deal: str = "", activity: str = "") -> Path:
    path = tmp_path / "small.toml"
    text = SMALL.replace("{top}", top).replace("{deal}", deal).replace("{activity}", activity)
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_optional_keys_reach_their_salesforce_columns(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ids = write_salesforce(load_scenario(small(tmp_path, top=SEQUENTIAL)), out)
    assert ids == {"D1": "006T00000000000001"}
    assert (out / "User.csv").read_bytes().startswith(b'\xef\xbb\xbf"Id","FirstName"')
    assert rows(out / "User.csv") == [
        {
            "Id": "005T00000000000001",
            "FirstName": "Ana",
            "LastName": "Lima",
            "Title": "Account Executive",
            "TimeZoneSidKey": "Europe/Lisbon",
        }
    ]
    assert rows(out / "Account.csv") == [
        {"Id": "001T00000000000001", "Industry": "Manufacturing", "NumberOfEmployees": "120"}
    ]
    rui, eva = rows(out / "Contact.csv")  # the account's people first, then the deal's own
    assert rui["Email"] == "rui.costa@portotiles.example"
    assert (eva["FirstName"], eva["LastName"]) == ("Dr. Eva", "Sousa")
    assert eva["Email"] == "eva.sousa@portotiles.example"
    assert rows(out / "OpportunityContactRole.csv") == [
        {"Id": "00kT00000000000001", "ContactId": rui["Id"], "IsPrimary": "true"}
    ]  # eva has no role
    (opp,) = rows(out / "Opportunity.csv")
    assert opp == {
        "Id": "006T00000000000001",
        "Amount": "12000.00",
        "Probability": "60",
        "Type": "New Customer",
        "LeadSource": "Web",
        "CreatedDate": "2026-01-21T08:15:00.000+0000",
        "LastModifiedDate": "2026-02-20T10:00:00.000+0000",
        "LastActivityDate": "2026-02-27",
    }
    assert [(h["Amount"], h["Probability"]) for h in rows(out / "OpportunityHistory.csv")] == [
        ("15000.00", "10"),
        ("12000.00", "60"),
    ]
    # as-logged: the planned task, logged 6 days ago, comes before the call of 3 days ago
    task, call = rows(out / "Task.csv")
    assert task == {
        "Id": "00TT00000000000001",
        "WhoId": "",
        "WhatId": "001T00000000000001",  # on the account
        "Status": "Not Started",
        "Priority": "High",
        "CreatedDate": "2026-02-24T11:00:00.000+0000",
        "CallType": "",
        "CallDurationInSeconds": "",
    }
    assert (call["Id"], call["WhoId"]) == ("00TT00000000000002", rui["Id"])
    assert (call["CallType"], call["CallDurationInSeconds"]) == ("Inbound", "300")
    (event,) = rows(out / "Event.csv")
    assert event == {
        "Id": "00UT00000000000001",
        "WhoId": eva["Id"],
        "StartDateTime": "2026-02-25T23:30:00.000+0000",
        "EndDateTime": "2026-02-26T01:00:00.000+0000",
        "DurationInMinutes": "90",
        "Location": "Their office",
    }


def test_a_time_past_midnight_is_the_next_day(tmp_path: Path) -> None:
    path = small(tmp_path, top=SEQUENTIAL)
    path.write_text(path.read_text().replace('at = "23:30:00"', 'at = "24:30:00"'))
    write_salesforce(load_scenario(path), tmp_path / "out")
    (event,) = rows(tmp_path / "out" / "Event.csv")
    assert event["StartDateTime"] == "2026-02-26T00:30:00.000+0000"


def test_without_a_salesforce_table_the_default_export(tmp_path: Path) -> None:
    """Ids from the keys, no BOM, the default columns; sparse drops what it says."""
    scenario = load_scenario(small(tmp_path))
    out = tmp_path / "out"
    ids = write_export(scenario, "salesforce", out)
    assert ids["D1"].startswith("006") and len(ids["D1"]) == 18
    assert (out / "Opportunity.csv").read_bytes().startswith(b"Id,Name,AccountId,OwnerId")
    (opp,) = rows(out / "Opportunity.csv")
    assert (opp["Amount"], opp["CreatedDate"]) == ("12000", "2026-01-21T08:15:00.000+0000")
    sparse = tmp_path / "sparse"
    write_export(scenario, SPARSE, sparse)
    files = sorted(p.name for p in sparse.iterdir())
    assert files == ["Account.csv", "Event.csv", "Opportunity.csv", "Task.csv"]
    assert "NextStep" not in rows(sparse / "Opportunity.csv")[0]
    assert "WhoId" not in rows(sparse / "Task.csv")[0]


BROKEN = [  # (where, text replaced or "", the new text, what the message says)
    ("activity", "", "secnds = 3", "deal D1: activity 1: unknown key 'secnds'"),
    ("activity", "", 'minutes = "90"', "deal D1: activity 1: minutes must be a whole"),
    ("deal", "", 'modified_at = "25:61"', "deal D1: modified_at must be a time of day"),
    ("deal", "", "modified = 2.5", "deal D1: modified must be a whole number"),
    ("deal", "", 'why = ["x"]', "deal D1: why must be text"),
    ("file", '["single-threaded"]', '["lonely"]', "deal D1: unknown pattern 'lonely'"),
    ("file", 'stage = "Proposal"', 'stage = "Closed Won"', "deal D1: a closed deal carries no"),
    ("file", 'key = "rui"\nrole', 'key = "bob"\nrole', "contact bob: no name, and the account"),
    ("file", 'title = "Account Executive"', 'manager = "zed"', "owner ana: unknown manager"),
    ("top", "", '[salesforce]\nids = "{prefix}{n}"', "salesforce: ids '{prefix}{n}' does not"),
    ("top", "", '[salesforce]\nactivities = "random"', "salesforce: activities must be one"),
    ("top", "", '[salesforce.columns]\nTask = ["Id", "Mood"]', "no writer fills Task.Mood"),
    ("top", "", '[salesforce.columns]\nLead = ["Id"]', "salesforce.columns: unknown key 'Lead'"),
    ("top", "", "[probabilities]\nWon = 100", "probabilities: 'Won' = 100 is not"),
    ("file", '"2026-03-02"', '"soon"', "as_of must be a date like 2026-11-02, not 'soon'"),
]


@pytest.mark.parametrize(("where", "old", "new", "message"), BROKEN)
def test_a_broken_scenario_is_refused_naming_the_place(
    tmp_path: Path, where: str, old: str, new: str, message: str
) -> None:
    if where == "file":
        path = small(tmp_path)
        path.write_text(path.read_text().replace(old, new, 1))
    else:
        path = small(tmp_path, **{where: new})
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_hubspot_date_entered_current_stage_is_the_last_entry_into_it(tmp_path: Path) -> None:
    # As HubSpot keeps it: the per-stage column of the current stage, not the created date.
    scenario = load_scenario(COMMITTED["acme"][0])
    write_export(scenario, "hubspot", tmp_path)
    (deals,) = tmp_path.glob("*deals*.csv")
    with deals.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    moved = [r for r in rows if r["Date entered current stage"] != r["Create Date"].replace(
        " 09:00", " 10:00")]  # fmt: skip
    assert moved, "some deals entered their stage after they were created"
    for r in rows:
        column = r.get(f'Date entered "{r["Deal Stage"]} (Sales Pipeline)"')
        if column:
            assert r["Date entered current stage"] == column, r["Record ID"]
