"""Precision and recall of the pattern labels on the hand-labelled corpus (tests/corpus)."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.crm.loader import load_export
from rules.config import load_config
from rules.engine import evaluate

CORPUS = Path(__file__).with_name("corpus")
EXPORTS = (
    sorted(p for p in CORPUS.iterdir() if (p / "labels.toml").exists()) if CORPUS.exists() else []
)
TARGET = 0.85


def score(folder: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(expected, found) sets of (deal id, pattern) for one labelled export."""
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    as_of = date.fromisoformat(labels["as_of"])
    expected = {(deal, p) for deal, pats in labels["deals"].items() for p in pats}
    findings = evaluate(load_export([folder]).pipeline, load_config(), as_of)
    found = {(f.deal.id, f.pattern) for f in findings}
    return expected, found


def breakdown(expected: set[tuple[str, str]], found: set[tuple[str, str]]) -> str:
    fp = Counter(p for _, p in found - expected)
    fn = Counter(p for _, p in expected - found)
    return f"false positives {dict(fp)}; missed {dict(fn)}"


@pytest.mark.skipif(not EXPORTS, reason="no labelled corpus")
def test_precision_and_recall_meet_target() -> None:
    """Across the corpus, precision and recall of (deal, pattern) labels are each >= 0.85."""
    expected: set[tuple[str, str]] = set()
    found: set[tuple[str, str]] = set()
    for folder in EXPORTS:
        e, f = score(folder)
        expected |= {(f"{folder.name}/{d}", p) for d, p in e}
        found |= {(f"{folder.name}/{d}", p) for d, p in f}
    hits = len(expected & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(expected) if expected else 1.0
    detail = breakdown(expected, found)
    assert precision >= TARGET, f"precision {precision:.2f}; {detail}"
    assert recall >= TARGET, f"recall {recall:.2f}; {detail}"
