"""PostgreSQL for tests: the developers' and CI's server at 127.0.0.1:5432 (trust auth,
database ``test``), one throwaway schema per test.

Where no server answers, tests of the postgres backend are skipped, saying so; with
``DEALNUDGE_REQUIRE_PG=1`` (set by ``.ci/run``) they fail instead, so CI never passes
without exercising it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

URL = os.environ.get("DEALNUDGE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
_reachable: bool | None = None


def reachable() -> bool:
    global _reachable
    if _reachable is None:
        import psycopg

        try:
            psycopg.connect(URL, connect_timeout=3).close()
            _reachable = True
        except psycopg.Error:
            _reachable = False
    return _reachable


def require() -> None:
    """Skip (or, on CI, fail) a test that needs PostgreSQL when none answers."""
    if reachable():
        return
    message = f"PostgreSQL is not reachable at {URL}: the postgres backend is not tested here"
    if os.environ.get("DEALNUDGE_REQUIRE_PG") == "1":
        pytest.fail(message + " (DEALNUDGE_REQUIRE_PG=1)")
    pytest.skip(message)


@contextmanager
def schema() -> Iterator[str]:
    """A fresh schema name, dropped afterwards."""
    import psycopg

    require()
    name = "t_" + uuid.uuid4().hex[:12]
    try:
        yield name
    finally:
        with psycopg.connect(URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
