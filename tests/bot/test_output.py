"""Output people can read: the scan table fits the terminal, limits are the documented
thresholds, missing amounts are unknown (not $0), and the morning nudge fits a phone."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from support.slack_harness import texts

from bot.analysis.analyse import analyse
from bot.ingest.loader import load_export
from bot.reports.scan import scan_text
from bot.slack import blocks
from bot.tools.demo import demo_export_dir
from rules.config import load_config
from rules.patterns import REGISTRY

AS_OF = date(2026, 11, 2)
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def snap():  # type: ignore[no-untyped-def]
    return analyse(load_export([demo_export_dir()]), load_config(), AS_OF)


@pytest.mark.parametrize("width", [80, 100, 160])
def test_the_scan_table_fits_the_terminal(snap, width: int) -> None:  # type: ignore[no-untyped-def]
    """Every line fits the width; from 100 columns on no summary or question is cut."""
    out = scan_text(snap, width=width)
    assert all(len(line) <= width for line in out.splitlines()), out
    if width >= 100:  # wrapped, never cut: each summary reads whole across its lines
        flowing = " ".join(line.strip() for line in out.splitlines())
        flowing = re.sub(r"\s+", " ", flowing)
        for g in (c.advice for c in snap.cards.values()):
            summary = " ".join(g[0].finding.summary.split())
            assert summary in flowing or _wrapped_in(summary, out), summary
    else:
        assert "…" in out  # cut, at a word boundary


def _wrapped_in(summary: str, out: str) -> bool:
    """The summary's words appear in order in the text column of the table."""
    words = iter(re.findall(r"\S+", out))
    return all(any(w == x for x in words) for w in summary.split())


def test_top_limits_the_table_and_says_so(snap) -> None:  # type: ignore[no-untyped-def]
    out = scan_text(snap, width=160, top=2)
    table = out.split("\n\n")[0].splitlines()
    rows = [line for line in table[1:] if not line.startswith(" ")]
    names = [c.deal.name[:20] for c in list(snap.cards.values())[:2]]
    assert len(rows) == 2 and all(n in r for n, r in zip(names, rows, strict=True))
    assert "showing the top 2" in out


def test_missing_amounts_are_unknown_never_zero(snap) -> None:  # type: ignore[no-untyped-def]
    deals = tuple(dataclasses.replace(d, amount=None) for d in snap.pipeline.deals)
    load = dataclasses.replace(snap.load, pipeline=dataclasses.replace(snap.pipeline, deals=deals))
    no_amounts = analyse(load, load_config(), AS_OF)
    out = scan_text(no_amounts, width=120)
    assert "$0" not in out and "value unknown" in out


def test_every_limit_in_a_finding_is_a_documented_threshold(snap) -> None:  # type: ignore[no-untyped-def]
    """Each "(limit N)" equals a default of that pattern's thresholds (stalled-in-stage
    states the limit it derived, with the basis)."""
    findings = [a.finding for a in snap.advice]
    for folder in ("acme", "globex"):
        findings += load_and_evaluate(CORPUS / folder)
    seen = set()
    for f in findings:
        params = REGISTRY[f.pattern].params_type()
        documented = {_fmt(getattr(params, fld.name)) for fld in dataclasses.fields(params)}
        for value in re.findall(r"limit ([\d.%]+)", f.summary):
            seen.add(f.pattern)
            if f.pattern == "stalled-in-stage":
                assert "median" in f.summary or value == str(params.fallback_days)
            else:
                assert value in documented, (f.pattern, f.summary)
    assert len(seen) >= 8


def _fmt(value: object) -> str:
    return f"{value:.0%}" if isinstance(value, float) and value < 1 else str(value)


def load_and_evaluate(folder: Path):  # type: ignore[no-untyped-def]
    import tomllib

    from rules.engine import evaluate

    as_of = date.fromisoformat(tomllib.loads((folder / "labels.toml").read_text())["as_of"])
    return evaluate(load_export([folder]).pipeline, load_config(), as_of)


def test_the_morning_nudge_fits_a_phone_screen(snap) -> None:  # type: ignore[no-untyped-def]
    """One deal in full, one line for each other, the rest behind /deal: at most about
    1,200 characters of text."""
    groups = [c.advice for c in snap.cards.values()]
    items = [blocks.NudgeItem(g[0], g[0].questions[0]) for g in groups[:5]]
    out = blocks.nudge_blocks("Hannah Cole", items, total_flagged=len(groups))
    text = texts(out)
    assert len(text) <= 1200, len(text)
    actions = [b for b in out if b.get("type") == "actions"]
    assert len(actions) == 1  # the first deal's buttons only
    rows = [b for b in out if str(b.get("block_id", "")).startswith("dn:row:")]
    assert len(rows) == 4 and all(b["accessory"]["action_id"] == "deal_show" for b in rows)
    assert "/deal" in text
