"""The bundled demo export: findings asserted deal by deal, and `dealnudge demo` runs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.analysis.analyse import analyse, read_config
from bot.cli import main
from bot.ingest.loader import load_export
from bot.tools.demo import DEMO_AS_OF, demo_export_dir

EXPECTED = tomllib.loads(
    (Path(__file__).parent / "fixtures" / "demo_expected.toml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def found() -> dict[str, set[str]]:
    snap = analyse(load_export([demo_export_dir()]), read_config(None), DEMO_AS_OF)
    out: dict[str, set[str]] = {d: set() for d in EXPECTED["deals"]}
    for a in snap.advice:
        out.setdefault(a.finding.deal.id, set()).add(a.finding.pattern)
    return out


def test_demo_as_of_matches_the_labels() -> None:
    """The demo runs at the date its export was written for."""
    assert DEMO_AS_OF.isoformat() == EXPECTED["as_of"]


@pytest.mark.parametrize("deal_id", sorted(EXPECTED["deals"]))
def test_demo_deal_shows_exactly_its_intended_patterns(
    deal_id: str, found: dict[str, set[str]]
) -> None:
    """Each demo deal is flagged with exactly the patterns it was written to show."""
    assert found[deal_id] == set(EXPECTED["deals"][deal_id])


def test_demo_command_previews_a_nudge_and_a_digest(capsys: pytest.CaptureFixture[str]) -> None:
    """`dealnudge demo` prints the scan table, one rep's nudge and one manager's digest."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Morning nudge for" in out and "Weekly digest for" in out
    assert "A facilitation question to ask:" in out
