"""Recognising export family and record kind from headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.csvfile import open_table
from bot.ingest.detect import detect
from bot.ingest.formats import BUILTIN
from bot.ingest.report import ExportError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"


def _detected(rel: str) -> tuple[str, str]:
    path = FIXTURES / rel
    m = detect(path, open_table(path).header, BUILTIN)
    assert m is not None
    return m.format.name, m.kind.name


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("salesforce_api/Opportunity.csv", ("salesforce", "deals")),
        ("salesforce_api/Task.csv", ("salesforce", "tasks")),
        ("salesforce_api/Event.csv", ("salesforce", "events")),
        ("salesforce_api/User.csv", ("salesforce", "owners")),
        ("salesforce_api/Contact.csv", ("salesforce", "contacts")),
        ("salesforce_api/Account.csv", ("salesforce", "accounts")),
        ("salesforce_api/OpportunityHistory.csv", ("salesforce", "history")),
        ("salesforce_api/OpportunityContactRole.csv", ("salesforce", "roles")),
        ("salesforce_report/Opportunity Pipeline Report.csv", ("salesforce-report", "deals")),
        ("salesforce_report/Activities with Opportunities.csv", ("salesforce-report", "tasks")),
        ("hubspot/hubspot-crm-exports-all-deals-2026-01-15.csv", ("hubspot", "deals")),
        ("hubspot/hubspot-crm-exports-all-activities-2026-01-15.csv", ("hubspot", "tasks")),
        ("pipedrive/deals.csv", ("pipedrive", "deals")),
        ("pipedrive/activities.csv", ("pipedrive", "tasks")),
    ],
)
def test_fixture_detected(rel: str, expected: tuple[str, str]) -> None:
    """Each fixture file is recognised as its export family and record kind."""
    assert _detected(rel) == expected


def test_salesforce_objects_detected_by_headers_without_file_names(tmp_path: Path) -> None:
    """Task and Event look-alikes are told apart by their marker columns, not the file name."""
    for name in ("Task", "Event"):
        data = (FIXTURES / "salesforce_api" / f"{name}.csv").read_bytes()
        (tmp_path / f"export_{name.lower()}s_2026.csv").write_bytes(data)
    task = tmp_path / "export_tasks_2026.csv"
    event = tmp_path / "export_events_2026.csv"
    mt = detect(task, open_table(task).header, BUILTIN)
    me = detect(event, open_table(event).header, BUILTIN)
    assert mt is not None and mt.kind.name == "tasks"
    assert me is not None and me.kind.name == "events"


def test_unrelated_file_is_none(tmp_path: Path) -> None:
    """A CSV of products is not mistaken for any kind."""
    p = tmp_path / "products.csv"
    p.write_text("sku,price\nA1,3\n")
    assert detect(p, open_table(p).header, BUILTIN) is None


def test_missing_column_message(tmp_path: Path) -> None:
    """A Task.csv without WhatId names the file, the column, the columns found and the closest."""
    p = tmp_path / "Task.csv"
    p.write_text("Id,What_Id,Subject,ActivityDate\n00T1,006A,Call,2026-01-02\n")
    with pytest.raises(ExportError) as info:
        detect(p, open_table(p).header, BUILTIN)
    msg = str(info.value)
    assert msg.startswith(f"{p}: missing required column 'WhatId'")
    assert "columns found: Id, What_Id, Subject, ActivityDate" in msg
    assert msg.endswith("closest match: 'What_Id'")


def test_missing_column_without_similar_header_says_so(tmp_path: Path) -> None:
    """When nothing resembles the missing column the message says there is no close match."""
    p = tmp_path / "Opportunity.csv"
    p.write_text("Id,Name,Zzz\n006A,Deal,1\n")
    with pytest.raises(ExportError) as info:
        detect(p, open_table(p).header, BUILTIN)
    msg = str(info.value)
    assert "missing required column 'StageName'" in msg
    assert "columns found: Id, Name, Zzz" in msg
    assert "closest match: none" in msg
