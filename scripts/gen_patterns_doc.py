"""Regenerate the README's generated sections: python scripts/gen_patterns_doc.py.

- Patterns, from the pattern registry;
- the fields each mapping-file section understands, from ``bot/ingest/formats.py``.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ingest.formats import CANONICAL, FIELD_HELP  # noqa: E402
from rules.patterns import REGISTRY  # noqa: E402
from rules.questions import QuestionContext, load_questions, render  # noqa: E402

START, END = "<!-- patterns:start -->", "<!-- patterns:end -->"
FIELDS_START, FIELDS_END = "<!-- mapping-fields:start -->", "<!-- mapping-fields:end -->"


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
        thresholds = ", ".join(
            f"`{f.name}` = {f.default}" for f in dataclasses.fields(p.params_type)
        )
        timing = "" if p.needs_time else " Applies to new deals too."
        out.append(f"*Thresholds:* {thresholds}.{timing}")
        out.append("")
        out.append(f'*A question it suggests:* "{render(bank.for_pattern(p.code)[0], ctx)}"')
        out.append("")
    out.append(END)
    return "\n".join(out)


def fields_section() -> str:
    """The canonical fields of each mapping-file section, with what each one means."""
    out = [FIELDS_START, "", "| section | field | meaning |", "| --- | --- | --- |"]
    for kind, fields in CANONICAL.items():
        section = "activities" if kind == "tasks" else kind
        for name in fields:
            out.append(f"| `[{section}]` | `{name}` | {FIELD_HELP[kind][name]} |")
    out += ["", FIELDS_END]
    return "\n".join(out)


def generated(text: str) -> str:
    """``text`` (the README) with both generated sections rewritten."""
    for start, end, body in ((START, END, section()), (FIELDS_START, FIELDS_END, fields_section())):
        if start not in text:
            raise SystemExit(f"README.md has no {start} marker")
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: body, text, flags=re.S)
    return text


def main() -> None:
    readme = ROOT / "README.md"
    readme.write_text(generated(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
