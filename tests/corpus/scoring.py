"""Scoring the pattern labels of the labelled corpus, by part and by CRM format.

Two parts, never mixed:
- **development** (tuned on): ``acme/`` and ``globex/`` (Salesforce exports written by the
  first team, written out from ``scenarios/acme.toml`` and ``scenarios/globex.toml`` by
  ``build_corpus.py``) and ``scenarios/dev_*.toml`` (terse, multilingual, pasted-thread
  logging; ``dev_central`` in Italian, Polish, Czech and the Nordic languages, which the
  language files for them were tuned on), written by helpers who had not read ``rules/``,
  each written out in every format;
- **held-out** (never tuned on, never looked at deal by deal): ``scenarios/holdout.toml``,
  ``fresh_sync.toml`` (machine-logged email, calendar and sequence activity, North
  America) and ``fresh_mobile.toml`` (terse phone logging in seven European languages),
  each written independently by someone who had not read ``rules/``, in every format.

Only the ten original pattern codes are labelled; other codes are not scored here.
"""

from __future__ import annotations

import functools
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.ingest.loader import load_export
from bot.tools.scenario import FORMATS, load_scenario, write_export
from rules.config import load_config
from rules.engine import evaluate, export_coverage

CORPUS = Path(__file__).resolve().parent
SCENARIOS = CORPUS / "scenarios"
DEV_FOLDERS = ("acme", "globex")
DEV_SCENARIOS = ("dev_terse", "dev_mixed", "dev_third", "dev_central")
HELD_OUT_SCENARIOS = ("holdout", "fresh_sync", "fresh_mobile")
LABELLED = frozenset(
    {
        "relationship-without-progress", "no-recognized-need", "waiting-on-someone-else",
        "single-threaded", "close-date-slipping", "stalled-in-stage", "one-way-chasing",
        "no-next-step", "convincing-mode", "dropped-when-not-ready",
    }
)  # fmt: skip

Pair = tuple[str, str]  # (deal, pattern)


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)  # "FP name deal pattern" lines

    def add(self, name: str, expected: set[Pair], found: set[Pair]) -> None:
        for _, p in expected & found:
            self.tp[p] += 1
        for d, p in sorted(found - expected):
            self.fp[p] += 1
            self.misses.append(f"FP {name} {d} {p}")
        for d, p in sorted(expected - found):
            self.fn[p] += 1
            self.misses.append(f"FN {name} {d} {p}")

    @property
    def precision(self) -> float:
        t, f = sum(self.tp.values()), sum(self.fp.values())
        return t / (t + f) if t + f else 1.0

    @property
    def recall(self) -> float:
        t, n = sum(self.tp.values()), sum(self.fn.values())
        return t / (t + n) if t + n else 1.0

    def table(self) -> str:
        lines = [f"{'pattern':32} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6}"]
        for p in sorted(set(self.tp) | set(self.fp) | set(self.fn)):
            tp, fp, fn = self.tp[p], self.fp[p], self.fn[p]
            prec = tp / (tp + fp) if tp + fp else 1.0
            rec = tp / (tp + fn) if tp + fn else 1.0
            lines.append(f"{p:32} {tp:4} {fp:4} {fn:4} {prec:6.2f} {rec:6.2f}")
        t, f, n = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        lines.append(f"{'ALL':32} {t:4} {f:4} {n:4} {self.precision:6.2f} {self.recall:6.2f}")
        return "\n".join(lines)


def found_pairs(folder: Path, as_of: date) -> tuple[set[Pair], frozenset[str]]:
    """(deal, pattern) found, and the patterns this export cannot evaluate at all."""
    result = load_export([folder])
    findings = evaluate(result.pipeline, load_config(), as_of)
    blind = frozenset(
        c.pattern for c in export_coverage(result.pipeline.inputs) if c.evaluated == "no"
    )
    return {(f.deal.id, f.pattern) for f in findings if f.pattern in LABELLED}, blind


def score_folder(folder: Path, adjusted: bool = False) -> tuple[set[Pair], set[Pair]]:
    """(expected, found) for a labelled Salesforce folder (``labels.toml`` beside it)."""
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    expected = {(deal, p) for deal, pats in labels["deals"].items() for p in pats}
    found, blind = found_pairs(folder, date.fromisoformat(labels["as_of"]))
    return _drop(expected, blind if adjusted else frozenset()), found


# Scenarios are immutable, and several scores read the same file in each format.
scenario_at = functools.cache(load_scenario)


def score_scenario(path: Path, fmt: str, adjusted: bool = False) -> tuple[set[Pair], set[Pair]]:
    """(expected, found) for a scenario written out as ``fmt``, keyed by scenario deal key.
    ``adjusted``: labels of patterns the format cannot evaluate at all are left out."""
    scenario = scenario_at(path)
    with tempfile.TemporaryDirectory() as tmp:
        ids = write_export(scenario, fmt, Path(tmp))
        found, blind = found_pairs(Path(tmp), scenario.as_of)
    key_of = {v: k for k, v in ids.items()}
    expected = {(d, p) for d, pats in scenario.labels.items() for p in pats}
    expected = _drop(expected, blind if adjusted else frozenset())
    return expected, {(key_of[d], p) for d, p in found}


def _drop(pairs: set[Pair], patterns: frozenset[str]) -> set[Pair]:
    return {(d, p) for d, p in pairs if p not in patterns}


def part(name: str, adjusted: bool = False) -> Iterator[tuple[str, set[Pair], set[Pair]]]:
    """(label, expected, found) for each export of a corpus part ("dev" or "held-out")."""
    if name == "dev":
        for folder in DEV_FOLDERS:
            yield (folder, *score_folder(CORPUS / folder, adjusted))
        scenarios = DEV_SCENARIOS
    elif name == "held-out":
        scenarios = HELD_OUT_SCENARIOS
    else:
        raise ValueError(f"unknown corpus part {name!r}")
    for stem in scenarios:
        for fmt in FORMATS:
            yield (f"{stem}/{fmt}", *score_scenario(SCENARIOS / f"{stem}.toml", fmt, adjusted))


def scores(name: str, adjusted: bool = False) -> dict[str, Score]:
    """A score per format ("salesforce" covers the Salesforce folders too) and "all".
    ``adjusted``: only labels of patterns each format can evaluate at all."""
    out: dict[str, Score] = {"all": Score()}
    for label, expected, found in part(name, adjusted):
        fmt = label.split("/")[1] if "/" in label else "salesforce"
        for key in (fmt, "all"):
            out.setdefault(key, Score()).add(label, expected, found)
    return out
