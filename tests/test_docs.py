"""The README's generated sections match what the code says today."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_generated_sections_are_current() -> None:
    """Patterns and mapping fields in the README equal a fresh generation (run
    `python scripts/gen_patterns_doc.py` after changing patterns or formats.py)."""
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_patterns_doc.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert gen.generated(readme) == readme


def test_env_example_documents_every_variable_settings_reads() -> None:
    """Every DEALNUDGE_/SLACK_ variable read in bot/settings.py is in .env.example."""
    import re

    source = (ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in set(re.findall(r'"((?:DEALNUDGE|SLACK)_[A-Z_]+)"', source)):
        assert f"{name}=" in documented, name
