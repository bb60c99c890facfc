"""Real public exports read in place (not copied): every row reconciles, nothing escapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.crm.loader import load_export
from bot.crm.report import ExportError

PUBLIC = Path("/work/shared/data/public-exports")
MAVEN = Path(__file__).resolve().parents[3] / "examples" / "maven_mapping.toml"


def _folder(name: str) -> Path:
    folder = PUBLIC / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is not available")
    return folder


@pytest.mark.parametrize(
    ("name", "deals"),
    [
        ("salesforce_tdx2025_hackathon", 155),
        ("salesforce_data_cloud_workshop", 50),
        ("salesforce_powerbi_demo", 36),
    ],
)
def test_salesforce_public_export_reconciles(name: str, deals: int) -> None:
    """Each Salesforce public export loads all its opportunities and every file reconciles."""
    result = load_export([_folder(name)])
    assert len(result.pipeline.deals) == deals
    for f in result.report.files:
        assert f.reconciles, f
    assert not [p for p in result.report.problems if "could not read this row" in p.reason]


def test_tdx_tasks_all_linked() -> None:
    """All 83 hackathon tasks link to opportunities by WhatId."""
    result = load_export([_folder("salesforce_tdx2025_hackathon")])
    assert len(result.pipeline.activities) == 83


def test_powerbi_history_loaded() -> None:
    """The Power BI demo's 48 OpportunityHistory rows load (MM/DD/YY datetimes)."""
    result = load_export([_folder("salesforce_powerbi_demo")])
    assert len(result.pipeline.history) == 48


@pytest.mark.parametrize(
    "name", ["maven_crm_sales_opportunities", "maven_derived_with_interactions"]
)
def test_maven_with_mapping_reconciles(name: str) -> None:
    """The Maven sets load 8,800 deals through examples/maven_mapping.toml and reconcile."""
    result = load_export([_folder(name)], mapping=MAVEN)
    assert len(result.pipeline.deals) == 8800
    for f in result.report.files:
        assert f.reconciles, f


def test_maven_without_mapping_is_a_clear_error() -> None:
    """Without a mapping the Maven set fails with a message naming the file and its columns."""
    with pytest.raises(
        ExportError,
        match=r"no file matches a built-in export.*sales_pipeline\.csv has the columns opportunity_id",
    ):
        load_export([_folder("maven_crm_sales_opportunities")])


def test_synthetic_export_fails_cleanly_or_reconciles() -> None:
    """The synthetic set either loads and reconciles or raises ExportError; nothing else escapes."""
    try:
        result = load_export([_folder("synthetic_crm_basudev")])
    except ExportError as exc:
        assert "Opportunity.csv" in str(exc)
        return
    for f in result.report.files:  # pragma: no cover - depends on future format support
        assert f.reconciles, f
