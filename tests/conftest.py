from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))


import pytest

if TYPE_CHECKING:
    from support.export_host import Server


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Delivery retries wait milliseconds, not seconds, in tests (Retry-After is honoured)."""
    import bot.delivery.once

    monkeypatch.setattr(bot.delivery.once, "BACKOFF", 0.01)


@pytest.fixture
def server() -> Iterator[Server]:
    """A local export host (tests/support/export_host.py)."""
    from support.export_host import serving

    with serving() as srv:
        yield srv
