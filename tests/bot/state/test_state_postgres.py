"""What only the PostgreSQL backend has to show: several processes on one database."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from support import pg

from bot.state import StoreError, open_store
from bot.state.postgres import Leadership, PostgresBackend, redact

ROOT = Path(__file__).resolve().parents[3]
SQL = ROOT / "bot" / "state" / "sql"


@pytest.fixture
def schema() -> Iterator[str]:
    with pg.schema() as name:
        yield name


def test_processes_starting_together_apply_each_migration_once(schema: str) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            PostgresBackend(pg.URL, schema=schema).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with psycopg.connect(pg.URL) as conn:
        rows = conn.execute(f'SELECT version FROM "{schema}".schema_migrations').fetchall()
    shipped = sorted(int(f.name.split("_")[0]) for f in SQL.glob("*.sql"))
    assert len(shipped) >= 2 and rows == [(n,) for n in shipped]  # each applied once


def test_two_processes_claiming_one_send_key_make_one_record(schema: str, tmp_path: Path) -> None:
    """Concurrent claims of the same key never fail on the unique key and keep one row."""
    stores = [open_store(tmp_path, database_url=pg.URL, schema=schema) for _ in range(4)]
    start = threading.Barrier(len(stores))
    results: list[bool] = []

    def claim(store: object) -> None:
        start.wait()
        for i in range(30):
            results.append(store.begin_nudge(f"k{i}", "o", ["d"], ["p"], ["q"]))  # type: ignore[attr-defined]

    threads = [threading.Thread(target=claim, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 * 30
    for i in range(30):
        record = stores[0].nudge(f"k{i}")
        assert record is not None and record.attempts == 4
    assert stores[0].counts()["nudges"] == 30
    stores[0].finish_nudge("k0", "1.1", "D1")
    assert not stores[1].begin_nudge("k0", "o", ["d"], ["p"], ["q"])  # seen by the others
    for s in stores:
        s.close()


def test_one_scheduler_leads_and_a_standby_takes_over_when_it_dies(schema: str) -> None:
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[3]);"
        "from bot.state.postgres import Leadership;"
        "l = Leadership(sys.argv[1], sys.argv[2]); print(l.try_lead(), flush=True);"
        "time.sleep(60)"
    )
    leader = subprocess.Popen(
        [sys.executable, "-c", code, pg.URL, schema, str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    standby = Leadership(pg.URL, schema)
    try:
        assert leader.stdout is not None and leader.stdout.readline().strip() == "True"
        assert not standby.try_lead()
        leader.kill()  # kill -9: no goodbye to the server
        leader.wait()
        deadline = time.monotonic() + 10
        while not standby.try_lead():
            assert time.monotonic() < deadline, "the lock outlived its dead holder"
            time.sleep(0.1)
        assert standby.try_lead()  # and keeps it
        other = Leadership(pg.URL, schema)
        assert not other.try_lead()
        other.release()
    finally:
        leader.kill()
        standby.release()


def test_a_second_sender_is_refused_while_a_scheduler_leads(
    schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.runtime import build_runtime
    from bot.service import sending_alone
    from bot.settings import Settings

    settings = Settings.from_env(
        {"DATABASE_URL": pg.URL, "DEALNUDGE_PG_SCHEMA": schema, "DEALNUDGE_DB": str(tmp_path)}
    )
    scheduler = Leadership(pg.URL, schema)
    assert scheduler.try_lead()
    runtime = build_runtime(settings)
    try:
        with pytest.raises(StoreError, match="scheduler is running"), sending_alone(runtime):
            pass
        scheduler.release()
        with sending_alone(runtime):  # alone now: it leads while it sends
            assert not Leadership(pg.URL, schema).try_lead()
    finally:
        runtime.close()


def test_an_unreachable_database_is_a_clear_error_without_the_password() -> None:
    url = "postgresql://dealnudge:s3cret@127.0.0.1:1/nowhere"
    with pytest.raises(StoreError) as caught:
        PostgresBackend(url)
    assert "cannot use PostgreSQL at postgresql://dealnudge@127.0.0.1:1/nowhere" in str(
        caught.value
    )
    assert "s3cret" not in str(caught.value) and "s3cret" not in redact(url)
