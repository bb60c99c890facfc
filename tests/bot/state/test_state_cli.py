"""`dealnudge state`: export, import whatever the current state is like, recover, migrate."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import Clock
from support import pg

from bot.cli import main
from bot.state import open_store
from bot.state.tiny import backup_path


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "state" / "state.json"
    for name in ("DATABASE_URL", "DEALNUDGE_PG_SCHEMA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEALNUDGE_DB", str(path))
    return path


def _fill(path: Path) -> None:
    from test_state_contract import _pipeline

    with open_store(path, clock=Clock()) as store:
        store.link_person("005A", "U1")
        store.snooze("D1", "*", date(2027, 1, 1), "later", "U1")
        store.begin_nudge("k1", "005A", ["D1"], ["p"], ["q"])
        store.finish_nudge("k1", "1.1", "D1")
        store.record_export(date(2026, 10, 1), "crm", _pipeline(("D1", "Demo", None)))


def test_export_then_import_into_a_new_host(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db)
    out = tmp_path / "backup.json"
    assert main(["state", "export", str(out)]) == 0
    assert "exported 3 records" in capsys.readouterr().out
    other = tmp_path / "other" / "state.json"
    monkeypatch.setenv("DEALNUDGE_DB", str(other))
    assert main(["state", "import", str(out)]) == 0
    assert "imported 3 records" in capsys.readouterr().out
    with open_store(other) as store:
        assert store.was_nudged("k1") and store.person("005A") is not None
        assert [e.stage for e in store.deal_history("D1")] == ["Demo"]  # history came along
        assert store.recovered_at is not None  # sends of today are checked in Slack


@pytest.mark.parametrize(
    "current",
    ["missing", "damaged", "journal-only", "good"],
)
def test_import_works_whatever_the_current_state_is_and_keeps_it(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    current: str,
) -> None:
    """The state being replaced is kept in a file the message names, which really holds it."""
    source = tmp_path / "source" / "state.json"
    _fill(source)
    monkeypatch.setenv("DEALNUDGE_DB", str(source))
    assert main(["state", "export", str(tmp_path / "backup.json")]) == 0
    monkeypatch.setenv("DEALNUDGE_DB", str(db))
    capsys.readouterr()
    db.parent.mkdir(parents=True, exist_ok=True)
    previous = b""
    if current == "damaged":
        previous = b'{"people": {"1": {"owner_id": "OLD"'
        db.write_bytes(previous)
    elif current == "journal-only":  # a v2 deployment that only ever wrote its journal
        old = {"owner_id": "OLD", "slack_user_id": "U0", "cached_at": "2026-01-01T00:00:00Z"}
        line = {"seq": 1, "tables": {"people": {"1": old}}}
        previous = json.dumps(line).encode() + b"\n"
        db.with_name("state.json.journal").write_bytes(previous)
    elif current == "good":
        with open_store(db) as store:
            store.link_person("OLD", "U0")
        previous = db.read_bytes()
    assert main(["state", "import", str(tmp_path / "backup.json")]) == 0
    said = capsys.readouterr().out
    with open_store(db) as store:
        assert store.was_nudged("k1") and store.person("OLD") is None
    if current == "missing":
        assert "there was no state" in said
        return
    kept = [p for p in db.parent.iterdir() if ".before-import-" in p.name]
    assert kept and all(p.name in said for p in kept)
    assert any(p.read_bytes() == previous for p in kept)  # really the previous state


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "not a JSON object"),
        ("{oops", "not JSON"),
        ('{"format": "dealnudge-state", "schema_version": 99, "tables": {}}', "newer dealnudge"),
        ('{"people": {"1": {"owner": "x"}}, "meta": {}}', "lacks owner_id"),
    ],
)
def test_import_refuses_what_is_not_an_export_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    _fill(db)
    before = db.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["state", "import", str(bad)]) == 2
    assert message in capsys.readouterr().err
    assert db.read_bytes() == before
    assert not [p for p in db.parent.iterdir() if ".before-import-" in p.name]


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["import"], ["import", "MISSING"]])
def test_bad_state_commands_exit_2(db: Path, tmp_path: Path, argv: list[str]) -> None:
    argv = [str(tmp_path / a) if a == "MISSING" else a for a in argv]
    assert main(["state", *argv]) == 2


def test_recover_on_a_readable_state_changes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(db)
    before = db.read_bytes()
    assert main(["state", "recover"]) == 0
    assert "nothing to recover" in capsys.readouterr().out
    assert db.read_bytes() == before and backup_path(db).exists()


def test_migrate_moves_the_file_state_into_postgresql(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db)
    with pg.schema() as schema:
        monkeypatch.setenv("DEALNUDGE_PG_SCHEMA", schema)
        assert main(["state", "migrate", "--to", pg.URL]) == 0
        assert "copied 3 records and the export history of 1 source(s)" in capsys.readouterr().out
        assert main(["state", "migrate", "--to", pg.URL]) == 2  # not over existing state
        assert "--replace" in capsys.readouterr().err
        with open_store(db, database_url=pg.URL, schema=schema) as store:
            assert store.was_nudged("k1") and store.person("005A") is not None
            assert store.is_snoozed("D1", "p", date(2026, 12, 1))
            assert [e.stage for e in store.deal_history("D1")] == ["Demo"]
            assert store.recovered_at is not None  # as it was in the file


def test_export_of_postgresql_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pg.schema() as schema:
        monkeypatch.setenv("DATABASE_URL", pg.URL)
        monkeypatch.setenv("DEALNUDGE_PG_SCHEMA", schema)
        with open_store(tmp_path / "unused", database_url=pg.URL, schema=schema) as store:
            store.link_person("005A", "U1")
        out = tmp_path / "pg.json"
        assert main(["state", "export", str(out)]) == 0
        said = capsys.readouterr().out
        assert "exported 1 records" in said and "secret" not in said
        assert json.loads(out.read_text())["tables"]["people"][0]["owner_id"] == "005A"
