#!/usr/bin/env python3
"""Write the bundled demo (Northwind Analytics) from its scenario file.

    python scripts/make_demo_export.py

Reads bot/tools/scenarios/demo.toml (the deals, their activities and their labels; format:
tests/corpus/SCENARIOS.md) and writes the Salesforce export bot/tools/demo_data/*.csv and
the expected patterns tests/fixtures/demo_expected.toml. Edit the scenario, not the output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.tools.scenario import Scenario, load_scenario, write_salesforce  # noqa: E402

SCENARIO = ROOT / "bot" / "tools" / "scenarios" / "demo.toml"
OUT = ROOT / "bot" / "tools" / "demo_data"
EXPECTED = ROOT / "tests" / "fixtures" / "demo_expected.toml"
HEADER = """\
# Expected hanging-around patterns for the bundled demo export (bot/tools/demo_data/*.csv),
# hand-written in bot/tools/scenarios/demo.toml (not from a detector); written from it by
# scripts/make_demo_export.py: edit the scenario, not this file.
# as_of is the date every pattern is evaluated at. Closed deals must never be flagged.
# Conventions the labels assume: "stalled-in-stage" = current stage entered >= 120 days ago
# (completed stages in the export last 11-35 days, median ~21); every unlabelled open deal
# has been in its current stage <= 42 days.
"""
GROUPS = (
    "problem deals (open)",
    "healthy open deals, including near misses",
    "closed deals: never flagged (several are full of lunches/golf)",
)


def expected(s: Scenario, ids: dict[str, str]) -> str:
    """The labels by Opportunity Id, grouped as problem, healthy and closed deals."""
    lines = [HEADER, f'as_of = "{s.as_of.isoformat()}"', "", "[deals]"]
    group = -1
    for d in s.deals:
        g = 2 if not s.is_open(d) else 0 if d.labels else 1
        if g != group:
            group = g
            lines.append(f"# --- {GROUPS[g]} ---")
        labels = ", ".join(json.dumps(label) for label in d.labels)
        lines.append(f'"{ids[d.key]}" = [{labels}]  # {d.why}')
    return "\n".join(lines) + "\n"


def main() -> None:
    scenario = load_scenario(SCENARIO)
    ids = write_salesforce(scenario, OUT)
    EXPECTED.write_text(expected(scenario, ids), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}/*.csv and {EXPECTED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
