"""The README's generated sections match what the code says today."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_patterns_doc.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def test_readme_generated_sections_are_current() -> None:
    """Patterns and mapping fields in the README equal a fresh generation (run
    `python scripts/gen_patterns_doc.py` after changing patterns or formats.py)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _generator().generated(readme) == readme


def test_shipped_config_documents_each_threshold_as_its_pattern_does() -> None:
    """The [patterns.*] tables of the shipped dealnudge.toml equal a fresh generation from
    the patterns' Params: every threshold with its default and its meaning."""
    config = (ROOT / "rules" / "dealnudge.toml").read_text(encoding="utf-8")
    gen = _generator()
    assert gen.generated_config(config) == config
    assert "# deal open at least this long" in gen.config_section()


def test_env_example_documents_every_variable_the_code_reads() -> None:
    """Every DEALNUDGE_/SLACK_ variable (bot/settings.py) and every CRM connector's
    SALESFORCE_/HUBSPOT_/PIPEDRIVE_ variable is in .env.example."""
    import re

    sources = [ROOT / "bot" / "settings.py", *(ROOT / "bot" / "ingest" / "crm").glob("*.py")]
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    pattern = r'"((?:DEALNUDGE|SLACK|SALESFORCE|HUBSPOT|PIPEDRIVE)_[A-Z_]+)"'
    names = {n for p in sources for n in re.findall(pattern, p.read_text(encoding="utf-8"))}
    names.discard("HUBSPOT_DEFINED")  # HubSpot's association category, not a variable
    assert {"DEALNUDGE_PULL_DEADLINE", "PIPEDRIVE_API_TOKEN"} <= names
    missing = sorted(n for n in names if f"{n}=" not in documented)
    assert not missing, missing
