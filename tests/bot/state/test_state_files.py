"""The tinydb file on a real disk: atomic writes, damage, older versions, odd paths, full
and read-only disks, one writer."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import T0, Clock
from support.disks import remount, small_disk

from bot.state import CorruptState, NewerSchema, StateInUse, Store, StoreError, open_store
from bot.state.tiny import backup_path, history_dir

ROOT = Path(__file__).resolve().parents[3]


def tiny(path: Path, **kw: object) -> Store:
    return open_store(path, clock=Clock(), **kw)  # type: ignore[arg-type]


def test_each_write_replaces_the_file_whole_and_its_copy(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    with tiny(path) as store:
        store.link_person("005A", "U1")
        assert path.read_bytes() == backup_path(path).read_bytes()
        store.snooze("D1", "*", date(2027, 1, 1), "x", "U1")
        on_disk = json.loads(path.read_text())
        assert len(on_disk["snoozes"]) == 1 and len(on_disk["people"]) == 1
        assert path.read_bytes() == backup_path(path).read_bytes()
    assert not list(tmp_path.glob(".state.json.*.tmp"))  # no temp file left behind


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda b: b[: len(b) // 2], "not valid JSON"),
        (lambda b: b"", "is empty"),
        (lambda b: b"\x00\xff" * 40, "not UTF-8"),
        (lambda b: b"[1, 2, 3]", "not a dealnudge state"),
        (lambda b: b'{"people": {"1": {"owner": "x"}}, "meta": {}}', "lacks owner_id"),
    ],
    ids=["torn", "empty", "garbage", "wrong-shape", "incomplete"],
)
def test_a_damaged_file_is_restored_from_its_copy_with_nothing_lost(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: object, said: str
) -> None:
    path = tmp_path / "state.json"
    with tiny(path) as store:
        store.link_person("005A", "U1")
        store.begin_nudge("k1", "005A", ["D1"], ["p"], ["q"])
        store.finish_nudge("k1", "1.1", "D1")  # the last acknowledged write
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    with (
        caplog.at_level(logging.WARNING),
        tiny(
            path,
        ) as store,
    ):
        assert store.was_nudged("k1") and store.person("005A") is not None
        assert store.recovered_at is not None  # today's sends are checked in Slack
    assert said in caplog.text and "using its copy state.json.bak" in caplog.text
    assert len(list(tmp_path.glob("state.json.damaged-*"))) == 1


def test_damage_to_the_file_and_its_copy_is_one_message_with_the_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import main

    path = tmp_path / "state.json"
    with tiny(path) as store:
        store.link_person("005A", "U1")
    path.write_bytes(b'{"people": {"1": ')
    backup_path(path).write_bytes(b"")
    before = path.read_bytes()
    with pytest.raises(CorruptState) as caught:
        tiny(path)
    message = str(caught.value)
    assert str(path) in message and "not valid JSON" in message
    assert "`dealnudge state recover`" in message and "`dealnudge state import FILE`" in message
    assert path.read_bytes() == before  # nothing changed until someone decides
    monkeypatch.setenv("DEALNUDGE_DB", str(path))
    assert main(["state", "recover"]) == 0
    out = capsys.readouterr().out
    assert "state.json.damaged-" in out and "looked for in Slack" in out
    with tiny(path) as store:
        assert store.people() == [] and store.recovered_at is not None


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    text = json.dumps({"meta": {"1": {"name": "schema", "version": 99}}})
    path.write_text(text)
    with pytest.raises(NewerSchema, match="newer dealnudge"):
        tiny(path)
    assert path.read_text() == text


def test_a_table_this_version_does_not_know_points_at_a_newer_dealnudge(tmp_path: Path) -> None:
    """A newer dealnudge may add a table without changing the version (it did with
    ``writebacks``): the message says what to do, and the file is left alone."""
    path = tmp_path / "state.json"
    text = json.dumps({"meta": {"1": {"name": "schema", "version": 3}}, "ledger": {}})
    path.write_text(text)
    with pytest.raises(CorruptState, match=r"unknown tables ledger .*newer dealnudge"):
        tiny(path)
    assert path.read_text() == text


def test_a_v0_file_is_upgraded_keeping_every_record(tmp_path: Path) -> None:
    v0 = {
        "people": {"1": {"owner_id": "005A", "slack_id": "U1", "tz": "Europe/Berlin"}},
        "snoozes": {"1": {"deal_id": "D1", "until": "2026-12-01", "reason": "on leave"}},
        "sent": {"1": {"key": "2026-10-01:U1", "rep": "U1", "deal_ids": ["D1"], "ts": "17.1",
                       "at": "2026-10-01T08:00:00+00:00"}},
    }  # fmt: skip
    path = tmp_path / "state.json"
    path.write_text(json.dumps(v0))
    with tiny(path) as store:
        person = store.person("005A")
        assert person is not None and person.slack_user_id == "U1"
        assert store.is_snoozed("D1", "any-pattern", date(2026, 11, 2))
        assert not store.begin_nudge("2026-10-01:U1", "U1", ["D1"], [""], [""])
        assert store.recovered_at is None  # an upgrade loses nothing
    assert "slack_id" in (tmp_path / "state.json.pre-v3").read_text()


def test_a_v2_file_and_its_journal_are_upgraded_with_their_export_history(
    tmp_path: Path,
) -> None:
    """v2 kept the journal beside the file and the export history inside it: both carry
    over (the journal's writes applied, the history moved to its own log)."""
    from test_state_contract import _pipeline

    path = tmp_path / "state.json"
    state = {"as_of": "2026-11-01", "source": "crm", "deals": {
        "A": {"stage": "Proposal", "close_date": None, "amount": 1000.0, "owner": "O",
              "status": "open", "last_meeting": None}}}  # fmt: skip
    change = {"deal_id": "A", "as_of": "2026-10-01", "kind": "new", "fields": [],
              "before": None, "after": {**state["deals"]["A"], "stage": "Demo"}}  # type: ignore[dict-item]  # fmt: skip
    v2 = {"format": "dealnudge-state", "schema_version": 2, "journal_seq": 1, "tables": {
        "people": {"1": {"owner_id": "005A", "slack_user_id": "U1",
                         "cached_at": T0.isoformat()}},
        "export_state": {"1": state}, "deal_changes": {"1": change},
        "questions_shown": {"1": {"deal_id": "A", "question_id": "q1", "pattern": "p",
                                  "shown_at": T0.isoformat()}}}}  # fmt: skip
    path.write_text(json.dumps(v2))
    journal = {"seq": 2, "tables": {"nudges": {"1": {
        "key": "k1", "rep": "005A", "status": "sent", "created": T0.isoformat()}}}}  # fmt: skip
    (tmp_path / "state.json.journal").write_text(json.dumps(journal) + "\n" + '{"seq": 3, "ta')
    with tiny(path) as store:
        assert store.person("005A") is not None and store.was_nudged("k1")
        assert store.questions_shown("A") == ["q1"]
        assert [e.stage for e in store.deal_history("A")] == ["Demo"]
        same = store.record_export(date(2026, 11, 8), "crm", _pipeline(("A", "Proposal", None)))
        assert not same.changes  # compared with the export state v2 had
    assert not (tmp_path / "state.json.journal").exists()
    assert (tmp_path / "state.json.journal.pre-v3").exists()


def test_a_journal_left_without_its_file_is_not_forgotten(tmp_path: Path) -> None:
    """A v2 deployment that never compacted had only a journal: its sends are kept."""
    line = {"seq": 1, "tables": {"nudges": {"1": {"key": "k1", "rep": "o", "status": "sent"}}}}
    (tmp_path / "state.json.journal").write_text(json.dumps(line) + "\n")
    with tiny(tmp_path / "state.json") as store:
        assert store.was_nudged("k1")


def test_a_symlinked_path_is_followed_and_the_real_file_locked(tmp_path: Path) -> None:
    real = tmp_path / "disk" / "state.json"
    real.parent.mkdir()
    link = tmp_path / "state.json"
    link.symlink_to(real)
    with tiny(link) as store:
        store.link_person("005A", "U1")
        assert (tmp_path / "disk" / "state.json.lock").exists()
        assert not (tmp_path / "state.json.lock").exists()
        with pytest.raises(StateInUse):
            tiny(real)  # the same state by its real name
    assert link.is_symlink() and json.loads(real.read_text())["people"]


def test_a_folder_where_the_file_should_be_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "state.json").mkdir()
    with pytest.raises(StoreError, match="is a folder; DEALNUDGE_DB must name a file"):
        tiny(tmp_path / "state.json")


def test_a_second_writer_in_another_process_is_refused_with_its_pid(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2]); from bot.state import open_store;"
        "s = open_store(__import__('pathlib').Path(sys.argv[1])); print('open', flush=True);"
        "time.sleep(30)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        with pytest.raises(StateInUse, match=f"pid {child.pid}"):
            tiny(path)
        with tiny(path, read_only=True) as reader:  # reading beside it is fine
            assert reader.people() == []
    finally:
        child.kill()
        child.wait()
    tiny(path).close()  # the dead process's lock went with it


def test_a_full_disk_refuses_the_write_and_keeps_the_last_good_state(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "128k") as disk:
        path = disk / "state.json"
        store = tiny(path)
        store.link_person("005A", "U1")
        with (disk / "filler").open("wb", buffering=0) as filler, pytest.raises(OSError):
            while True:
                filler.write(b"x" * 4096)
        with pytest.raises(StoreError, match="No space left on device"):
            store.record_feedback("D1", "p", "q", "", "asked")
        saved = len(store.feedback())
        assert saved == 0 and store.person("005A") is not None  # back to what is on disk
        store.close()
        (disk / "filler").unlink()
        with tiny(path) as again:
            assert len(again.feedback()) == saved and again.person("005A") is not None
            again.record_feedback("D-after", "p", "q", "", "asked")  # room again: it writes


def test_a_read_only_disk_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        path = disk / "state.json"
        with tiny(path) as store:
            store.link_person("005A", "U1")
        remount(disk, "ro")
        try:
            with pytest.raises(StoreError, match="Read-only file system"):
                tiny(path)
            with tiny(path, read_only=True) as reader:  # a dry run still reads it
                assert reader.person("005A") is not None
        finally:
            remount(disk, "rw")


# ---------------------------------------------------------------- the export history log


def _history_file(path: Path) -> Path:
    (found,) = history_dir(path).glob("*.jsonl")
    return found


def test_a_torn_or_damaged_history_line_costs_only_that_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from test_state_contract import _pipeline

    path = tmp_path / "state.json"
    d = [date(2026, 10, day) for day in (1, 8, 15, 22)]
    with tiny(path) as store:
        store.record_export(d[0], "crm", _pipeline(("A", "Demo", None), ("B", "Demo", None)))
        store.record_export(d[1], "crm", _pipeline(("A", "Proposal", None), ("B", "Demo", None)))
        store.record_export(d[2], "crm", _pipeline(("A", "Proposal", None), ("B", "Won", None)))
    log_file = _history_file(path)
    lines = log_file.read_bytes().split(b"\n")
    lines[1] = lines[1][:40]  # damaged in the middle
    log_file.write_bytes(b"\n".join(lines) + b'{"source": "crm", "as_of": "2026-1')  # torn tail
    with caplog.at_level(logging.WARNING), tiny(path) as store:
        assert [e.stage for e in store.deal_history("B")] == ["Demo", "Won"]
        same = _pipeline(("A", "Proposal", None), ("B", "Won", None))
        diff = store.record_export(d[3], "crm", same)
        assert diff.changed == ("A",)  # the lost line's change shows up again, nothing else
    assert f"{log_file}:2: skipped a damaged line" in caplog.text
    assert "Traceback" not in caplog.text
    assert log_file.read_bytes().count(b"\n") == 4  # the torn tail was cut, one line added


def test_a_click_never_rewrites_the_export_history(tmp_path: Path) -> None:
    from test_state_contract import _pipeline

    path = tmp_path / "state.json"
    with tiny(path) as store:
        store.record_export(date(2026, 10, 1), "crm", _pipeline(("A", "Demo", None)))
        before = _history_file(path).stat().st_mtime_ns, _history_file(path).read_bytes()
        store.record_feedback("A", "p", "q", "", "asked")
        assert (_history_file(path).stat().st_mtime_ns, _history_file(path).read_bytes()) == before
    assert os.path.getsize(path) < 2000  # the bot's state stays small


# ---------------------------------------------------------------- concurrent writers


def test_readers_never_wait_for_the_disk_and_every_returned_write_is_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow disk (each file write 50 ms): reads answer while writes are under way, and
    eight threads of writers each find every write that returned in the file afterwards
    (a write may be carried to disk by a later one)."""
    import threading
    import time

    import bot.state.tiny as tiny_module

    real = tiny_module.write_atomic

    def slow(path: Path, payload: bytes) -> None:
        time.sleep(0.05)
        real(path, payload)

    path = tmp_path / "state.json"
    store = tiny(path)
    store.link_person("005A", "U1")
    monkeypatch.setattr(tiny_module, "write_atomic", slow)
    done: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for i in range(5):
            store.snooze(f"D{n}-{i}", "*", date(2027, 1, 1), "x", "U1")
            with lock:
                done.append(f"D{n}-{i}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    waits = []
    while any(t.is_alive() for t in threads):
        started = time.perf_counter()
        assert store.person_by_slack_id("U1") is not None
        waits.append(time.perf_counter() - started)
        time.sleep(0.005)
    for t in threads:
        t.join()
    store.close()
    assert len(done) == 40 and max(waits) < 0.04, max(waits)  # a write holds the disk 100 ms
    with tiny(path) as again:
        assert {s.deal_id for s in again.active_snoozes(date(2026, 12, 1))} == set(done)


def test_a_failed_write_refuses_the_writes_behind_it_and_keeps_memory_as_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fails once while other writers wait behind: the failing write raises,
    each write either returned (and is on disk) or raised (and is nowhere), and memory
    matches the file."""
    import threading
    import time

    import bot.state.tiny as tiny_module

    real = tiny_module.write_atomic
    calls = {"n": 0}

    def flaky(path: Path, payload: bytes) -> None:
        time.sleep(0.02)
        calls["n"] += 1
        if calls["n"] == 3 and path.name == "state.json":
            raise OSError(28, "No space left on device")
        real(path, payload)

    path = tmp_path / "state.json"
    store = tiny(path)
    monkeypatch.setattr(tiny_module, "write_atomic", flaky)
    outcome: dict[str, bool] = {}

    def writer(n: int) -> None:
        for i in range(4):
            key = f"D{n}-{i}"
            try:
                store.snooze(key, "*", date(2027, 1, 1), "x", "U1")
                outcome[key] = True
            except StoreError:
                outcome[key] = False

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert False in outcome.values() and True in outcome.values()
    in_memory = {s.deal_id for s in store.active_snoozes(date(2026, 12, 1))}
    store.close()
    with tiny(path) as again:
        on_disk = {s.deal_id for s in again.active_snoozes(date(2026, 12, 1))}
    assert {k for k, ok in outcome.items() if ok} <= on_disk
    assert not {k for k, ok in outcome.items() if not ok} & on_disk
    assert on_disk == in_memory
