"""Every store test runs on both backends: the tinydb file and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import pg

from bot.state import Store, open_store

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


Opener = Callable[..., Store]


@pytest.fixture(params=["tinydb", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def opener(backend: str, tmp_path: Path) -> Iterator[Opener]:
    """``opener(clock=None, read_only=False, name="a")``: the same state each call with the
    same name (a restart), a different one per name."""
    opened: list[Store] = []
    with pg.schema() if backend == "postgres" else _nothing() as schema:

        def open_(clock: Clock | None = None, read_only: bool = False, name: str = "a") -> Store:
            store = open_store(
                tmp_path / name / "state.json",
                database_url=pg.URL if backend == "postgres" else "",
                schema=f"{schema}{name}" if schema else "dealnudge",
                clock=clock or Clock(),
                read_only=read_only,
            )
            opened.append(store)
            return store

        yield open_
        for store in opened:
            store.close()
        if schema:
            import psycopg

            with psycopg.connect(pg.URL, autocommit=True) as conn:
                for suffix in ("a", "b", "c"):
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}{suffix}" CASCADE')


class _nothing:
    def __enter__(self) -> str:
        return ""

    def __exit__(self, *exc: object) -> None:
        return None
