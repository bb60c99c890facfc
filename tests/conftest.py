import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import pytest


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Delivery retries wait milliseconds, not seconds, in tests (Retry-After is honoured)."""
    import bot.delivery

    monkeypatch.setattr(bot.delivery, "BACKOFF", 0.01)
