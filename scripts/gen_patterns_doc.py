"""Regenerate the README's Patterns section from the registry: python scripts/gen_patterns_doc.py."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rules.patterns import REGISTRY  # noqa: E402
from rules.questions import QuestionContext, load_questions, render  # noqa: E402

START, END = "<!-- patterns:start -->", "<!-- patterns:end -->"


def section() -> str:
    bank = load_questions()
    ctx = QuestionContext(first_name="Dana", account="Acme", deal="Acme - Analytics", months_open=6)
    out = [START, ""]
    for p in REGISTRY:
        out.append(f"### `{p.code}`: {p.title}")
        out.append("")
        out.append(p.why)
        out.append("")
        out.append(f"*Example:* {p.example}")
        out.append("")
        thresholds = ", ".join(f"`{f.name}` = {f.default}" for f in dataclasses.fields(p.params_type))
        timing = "" if p.needs_time else " Applies to new deals too."
        out.append(f"*Thresholds:* {thresholds}.{timing}")
        out.append("")
        out.append(f'*A question it suggests:* "{render(bank.for_pattern(p.code)[0], ctx)}"')
        out.append("")
    out.append(END)
    return "\n".join(out)


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), section(), text, flags=re.S)
    if START not in text:
        raise SystemExit("README.md has no patterns markers")
    readme.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
