"""Regenerate the generated documentation: python scripts/gen_patterns_doc.py.

- The README's patterns, from the pattern registry;
- the README's fields of each mapping-file section, from ``bot/ingest/formats.py``;
- the ``[patterns.*]`` tables of the shipped ``rules/dealnudge.toml``, each threshold with
  its default and its meaning, from the patterns' ``Params``.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ingest.formats import CANONICAL, FIELD_HELP  # noqa: E402
from rules.base import threshold_doc  # noqa: E402
from rules.patterns import REGISTRY  # noqa: E402
from rules.questions import QuestionContext, load_questions, render  # noqa: E402

START, END = "<!-- patterns:start -->", "<!-- patterns:end -->"
TOML_START = "# <patterns: generated from rules/patterns/*.py by scripts/gen_patterns_doc.py>"
TOML_END = "# </patterns>"
COMMENT_AT = 27  # the column the shipped file's comments start at
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
        timing = " (it applies to new deals too)" if not p.needs_time else ""
        out.append(f"*Thresholds{timing}:*")
        out.append("")
        for f in dataclasses.fields(p.params_type):
            out.append(f"- `{f.name}` = {f.default}: {threshold_doc(f)}")
        if p.tuning is not None:
            t = p.tuning
            out.append(
                f'- "Not accurate" marks move `{t.param}` by {t.step:g} per adjustment, '
                f"never past {t.bound:g}."
            )
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


def config_section() -> str:
    """The shipped config's table per pattern: enabled, then each threshold and its doc."""
    out = [TOML_START]
    for p in REGISTRY:
        out += ["", f"[patterns.{p.code}]", "enabled = true"]
        for f in dataclasses.fields(p.params_type):
            setting = f"{f.name} = {f.default!r}"
            out.append(f"{setting.ljust(COMMENT_AT - 1)} # {threshold_doc(f)}".rstrip())
    out.append(TOML_END)
    return "\n".join(out)


def generated_config(text: str) -> str:
    """``text`` (the shipped dealnudge.toml) with its patterns' tables rewritten."""
    if TOML_START not in text:
        raise SystemExit(f"rules/dealnudge.toml has no {TOML_START!r} line")
    pattern = re.escape(TOML_START) + ".*?" + re.escape(TOML_END)
    return re.sub(pattern, lambda _: config_section(), text, flags=re.S)


def generated(text: str) -> str:
    """``text`` (the README) with both generated sections rewritten."""
    for start, end, body in ((START, END, section()), (FIELDS_START, FIELDS_END, fields_section())):
        if start not in text:
            raise SystemExit(f"README.md has no {start} marker")
        text = re.sub(
            re.escape(start) + ".*?" + re.escape(end), lambda _, b=body: b, text, flags=re.S
        )  # type: ignore[misc]
    return text


def main() -> None:
    readme = ROOT / "README.md"
    readme.write_text(generated(readme.read_text(encoding="utf-8")), encoding="utf-8")
    config = ROOT / "rules" / "dealnudge.toml"
    config.write_text(generated_config(config.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
