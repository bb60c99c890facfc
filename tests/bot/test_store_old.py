"""The state store: records by intent, idempotency, safety on disk, backup and migration."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import bot.store as store_mod
from bot.settings import default_db_path
from bot.store import (
    SCHEMA_VERSION,
    CorruptState,
    NewerSchema,
    Person,
    Store,
    StoreError,
    backup_path,
    encode,
    journal_path,
    main_state,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def open_store(tmp_path: Path, clock: Clock | None = None) -> Store:
    return Store.open(tmp_path / "state.json", clock=clock or Clock())


def test_people_link_update_and_unlink(tmp_path: Path) -> None:
    """A person link is stored, replaced on relink, listed, and removed by unlink."""
    with open_store(tmp_path) as store:
        store.link_person("005A", "U1", tz="Europe/Berlin")
        store.link_person("005A", "U2", source="override")
        store.link_person("005B", "")
        assert store.person("005A") == Person("005A", "U2", "", "override", T0)
        assert [p.owner_id for p in store.people()] == ["005A", "005B"]
        assert store.unlink_person("005A") and store.person("005A") is None


def test_writes_survive_reopening(tmp_path: Path) -> None:
    """What one Store wrote, the next one opened on the same file reads."""
    with open_store(tmp_path) as store:
        store.link_person("005A", "U1", tz="UTC")
        store.snooze("D1", "single-threaded", date(2026, 12, 1), "on leave", "U1")
    with open_store(tmp_path) as store:
        assert store.person("005A") is not None
        assert store.is_snoozed("D1", "single-threaded", date(2026, 11, 5))


def test_snooze_holds_before_its_date_and_covers_all_patterns_with_star(tmp_path: Path) -> None:
    """A snooze holds before its date; "*" covers every pattern; other deals are unaffected."""
    with open_store(tmp_path) as store:
        store.snooze("D1", "*", date(2026, 11, 10), "budget freeze", "U1")
        assert store.is_snoozed("D1", "no-next-step", date(2026, 11, 9))
        assert not store.is_snoozed("D1", "no-next-step", date(2026, 11, 10))
        assert not store.is_snoozed("D2", "no-next-step", date(2026, 11, 9))
        assert [s.deal_id for s in store.active_snoozes(date(2026, 11, 3))] == ["D1"]


def test_snooze_wakes_exactly_once(tmp_path: Path) -> None:
    """An expired snooze is reported by woken_snoozes once, then never again (also after reopen)."""
    with open_store(tmp_path) as store:
        store.snooze("D1", "single-threaded", date(2026, 11, 10), "waiting", "U1")
        store.snooze("D2", "*", date(2026, 12, 1), "later", "U1")
        assert store.woken_snoozes(date(2026, 11, 9)) == []
        woke = store.woken_snoozes(date(2026, 11, 10))
        assert [(s.deal_id, s.pattern) for s in woke] == [("D1", "single-threaded")]
        assert store.woken_snoozes(date(2026, 11, 11)) == []
    with open_store(tmp_path) as store:
        assert store.woken_snoozes(date(2026, 11, 20)) == []
        assert [s.deal_id for s in store.woken_snoozes(date(2026, 12, 1))] == ["D2"]


def test_begin_nudge_is_idempotent(tmp_path: Path) -> None:
    """A sent key is never begun again; a pending or failed one is retried with attempts counted."""
    with open_store(tmp_path) as store:
        assert store.begin_nudge("2026-11-02:U1", "U1", ["D1"], ["no-next-step"], ["q1"])
        store.fail_nudge("2026-11-02:U1", "ratelimited")
        assert not store.was_nudged("2026-11-02:U1")
        assert store.begin_nudge("2026-11-02:U1", "U1", ["D1"], ["no-next-step"], ["q1"])
        store.finish_nudge("2026-11-02:U1", "1700.1", "D0U1")
        assert store.was_nudged("2026-11-02:U1")
        assert not store.begin_nudge("2026-11-02:U1", "U1", ["D1"], ["no-next-step"], ["q1"])
        [record] = store.nudges_for("U1")
        assert (record.status, record.attempts, record.ts) == ("sent", 2, "1700.1")
        assert store.last_nudged("D1", "no-next-step") == T0.date()
        assert store.last_nudged("D1", "single-threaded") is None


def test_finish_unknown_nudge_fails_loudly(tmp_path: Path) -> None:
    """Finishing a nudge that was never begun is a programming error, not a silent no-op."""
    with open_store(tmp_path) as store, pytest.raises(KeyError):
        store.finish_nudge("nope", "1.1", "C1")


def test_questions_shown_oldest_first_each_once(tmp_path: Path) -> None:
    """questions_shown lists each id once, least recently shown first."""
    with open_store(tmp_path) as store:
        for minutes, qid in enumerate(["q1", "q2", "q1", "q3"]):
            store.record_question_shown("D1", "p", qid, T0 + timedelta(minutes=minutes))
        store.record_question_shown("D2", "p", "q9", T0)
        assert store.questions_shown("D1") == ["q2", "q1", "q3"]


def test_feedback_filters_by_team_pattern_and_time(tmp_path: Path) -> None:
    """Feedback is filtered by team, pattern and since; an unknown kind is refused."""
    clock = Clock()
    with open_store(tmp_path, clock) as store:
        store.record_feedback("D1", "single-threaded", "q1", "east", "asked", who="U1")
        clock.now = T0 + timedelta(days=2)
        store.record_feedback("D2", "no-next-step", "q2", "west", "not_accurate", "has a step")
        assert [r.deal_id for r in store.feedback(team="east")] == ["D1"]
        assert [r.deal_id for r in store.feedback(pattern="no-next-step")] == ["D2"]
        assert [r.deal_id for r in store.feedback(since=date(2026, 11, 3))] == ["D2"]
        with pytest.raises(ValueError, match="kind"):
            store.record_feedback("D1", "p", "q", "", "liked")


def test_digest_idempotency(tmp_path: Path) -> None:
    """A digest key, once sent, is not begun again."""
    with open_store(tmp_path) as store:
        assert store.begin_digest("2026-W45:M1", "M1", "2026-W45")
        assert not store.was_digest_sent("2026-W45:M1")
        store.finish_digest("2026-W45:M1", "1700.2")
        assert store.was_digest_sent("2026-W45:M1")
        assert not store.begin_digest("2026-W45:M1", "M1", "2026-W45")


def test_adjustments_replace_and_reset(tmp_path: Path) -> None:
    """A new adjustment replaces the active one for its param; reset deactivates them."""
    with open_store(tmp_path) as store:
        store.adjust_threshold("east", "single-threaded", "min_activities", 4, 5, "noisy")
        store.adjust_threshold("east", "single-threaded", "min_activities", 5, 6, "still noisy")
        store.adjust_threshold("west", "no-next-step", "min_age_days", 21, 35, "noisy")
        assert [(a.team, a.new) for a in store.active_adjustments()] == [("east", 6), ("west", 35)]
        assert store.reset_adjustments("east", "single-threaded") == 1
        assert [a.team for a in store.active_adjustments()] == ["west"]
        assert len(store.adjustments()) == 3


def test_deal_rooms(tmp_path: Path) -> None:
    """A channel is one deal's room; relinking moves it; unlink reports whether it was one."""
    with open_store(tmp_path) as store:
        store.link_room("D1", "C1", "U1")
        store.link_room("D2", "C1", "U1")
        assert store.room_for("D1") is None and store.room_for("D2") == "C1"
        assert store.unlink_room("C1") and not store.unlink_room("C1")


def test_batch_groups_writes_and_rolls_back_on_error(tmp_path: Path) -> None:
    """A batch that raises keeps none of its writes, in memory or on disk."""
    with open_store(tmp_path) as store:
        store.link_person("005A", "U1")
        with pytest.raises(RuntimeError), store.batch():
            store.link_person("005B", "U2")
            store.snooze("D1", "*", date(2027, 1, 1), "x", "U1")
            raise RuntimeError("boom")
        assert store.person("005B") is None and store.active_snoozes(date(2026, 11, 2)) == []
        with store.batch():
            for i in range(100):
                store.record_question_shown(f"D{i}", "p", "q1", T0)
    with open_store(tmp_path) as store:
        assert store.person("005B") is None
        assert store.counts()["questions_shown"] == 100


def test_concurrent_writers_from_eight_threads(tmp_path: Path) -> None:
    """Eight threads writing at once lose nothing and leave a readable file."""
    store = open_store(tmp_path)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(40):
                store.record_feedback(f"D{n}-{i}", "p", "q", f"team{n}", "asked")
                if i % 10 == 0:
                    with store.batch():
                        store.begin_nudge(f"{n}-{i}", f"U{n}", [f"D{n}"], ["p"], ["q"])
                        store.finish_nudge(f"{n}-{i}", "1.1", "C")
                store.questions_shown(f"D{n}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    assert errors == []
    with open_store(tmp_path) as again:
        assert len(again.feedback()) == 8 * 40
        assert all(again.was_nudged(f"{n}-{i}") for n in range(8) for i in range(0, 40, 10))


def test_corrupt_file_is_restored_from_backup(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged state file is detected at open, kept aside, and the last good copy restored."""
    path = tmp_path / "state.json"
    with open_store(tmp_path) as store:
        store.link_person("005A", "U1")
    with open_store(tmp_path) as store:
        store.link_person("005B", "U2")  # the file now holds A and B, the backup A
    path.write_bytes(b'{"format": "dealnudge-state", "schema_version": 1, "tables": {"people": 7}}')
    with caplog.at_level(logging.WARNING), open_store(tmp_path) as store:
        assert store.recovered is not None and "restored the last good copy" in store.recovered
        assert [p.owner_id for p in store.people()] == ["005A"]
    assert "is damaged" in caplog.text
    assert list(tmp_path.glob("state.json.damaged-*"))


def test_truncated_file_is_restored_from_backup(tmp_path: Path) -> None:
    """A file cut off mid-write (or empty) is reported as truncated and replaced by the backup."""
    path = tmp_path / "state.json"
    with open_store(tmp_path) as store:
        store.link_person("005A", "U1")
    with open_store(tmp_path) as store:
        store.link_person("005B", "U2")
    path.write_bytes(path.read_bytes()[:-20])
    with open_store(tmp_path) as store:
        assert store.recovered is not None and "truncated" in store.recovered
        assert store.person("005A") is not None
    path.write_bytes(b"")
    with open_store(tmp_path) as store:
        assert store.recovered is not None and "empty" in store.recovered


def test_damaged_file_without_backup_is_a_clear_error(tmp_path: Path) -> None:
    """No usable backup: opening fails and the message says what to do."""
    (tmp_path / "state.json").write_text("{not json")
    with pytest.raises(CorruptState, match="state import"):
        open_store(tmp_path)


def test_newer_schema_is_refused_not_overwritten(tmp_path: Path) -> None:
    """A file from a newer dealnudge is left alone and named in the error."""
    path = tmp_path / "state.json"
    text = json.dumps(
        {"format": "dealnudge-state", "schema_version": SCHEMA_VERSION + 1, "tables": {}}
    )
    path.write_text(text)
    with pytest.raises(NewerSchema, match="newer dealnudge"):
        open_store(tmp_path)
    assert path.read_text() == text


def test_each_state_file_keeps_the_previous_one_as_backup(tmp_path: Path) -> None:
    """Writing the state file (here at close) keeps the one before it as <file>.bak."""
    path = tmp_path / "state.json"
    with open_store(tmp_path) as store:
        store.link_person("005A", "U1")
    with open_store(tmp_path) as store:
        store.link_person("005B", "U2")
    bak = json.loads(backup_path(path).read_text())
    now = json.loads(path.read_text())
    assert len(bak["tables"]["people"]) == 1 and len(now["tables"]["people"]) == 2
    assert not journal_path(path).exists()  # folded into the file at close


def test_migrates_a_v0_file(tmp_path: Path) -> None:
    """A hand-written v0 (plain TinyDB) file opens, is upgraded, and keeps its records."""
    v0 = {
        "people": {"1": {"owner_id": "005A", "slack_id": "U1", "tz": "Europe/Berlin"}},
        "snoozes": {"1": {"deal_id": "D1", "until": "2026-12-01", "reason": "on leave"}},
        "sent": {
            "1": {
                "key": "2026-10-01:U1",
                "rep": "U1",
                "deal_ids": ["D1"],
                "ts": "17.1",
                "at": "2026-10-01T08:00:00+00:00",
            }
        },
    }
    path = tmp_path / "state.json"
    path.write_text(json.dumps(v0))
    with open_store(tmp_path) as store:
        assert store.migrated_from == 0
        person = store.person("005A")
        assert person is not None and person.slack_user_id == "U1"
        assert store.is_snoozed("D1", "any-pattern", date(2026, 11, 2))
        assert store.was_nudged("2026-10-01:U1")
        assert not store.begin_nudge("2026-10-01:U1", "U1", ["D1"], [""], [""])
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION
    assert "slack_id" in backup_path(path).read_text()  # the original is kept


def test_export_import_round_trip(tmp_path: Path) -> None:
    """Exporting one store and importing into another reproduces every record."""
    a = Store.open(tmp_path / "a" / "state.json", clock=Clock())
    a.link_person("005A", "U1", tz="UTC")
    a.snooze("D1", "*", date(2026, 12, 1), "later", "U1")
    a.record_feedback("D1", "p", "q1", "east", "not_accurate", "wrong")
    a.begin_nudge("k1", "U1", ["D1"], ["p"], ["q1"])
    a.adjust_threshold("east", "p", "x", 1, 2, "r")
    assert a.export_state(tmp_path / "backup.json") == 5
    b = Store.open(tmp_path / "b" / "state.json", clock=Clock())
    b.link_person("005Z", "U9")
    assert b.import_state(tmp_path / "backup.json") == 5
    assert b.people() == a.people() and b.feedback() == a.feedback()
    assert b.active_snoozes(date(2026, 11, 2)) == a.active_snoozes(date(2026, 11, 2))
    assert b.nudge("k1") == a.nudge("k1") and b.active_adjustments() == a.active_adjustments()
    b.close()
    with Store.open(tmp_path / "b" / "state.json") as again:
        assert again.person("005Z") is None and again.person("005A") is not None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "not an object|top level"),
        ('{"format": "other", "tables": {}}', "format is 'other'"),
        ('{"format": "dealnudge-state", "schema_version": 99, "tables": {}}', "newer dealnudge"),
        ('{"people": {"1": {"owner": "x"}}}', "lacks owner_id"),
        ('{"format": "dealnudge-state", "schema_version": 1', "truncated"),
    ],
)
def test_import_rejects_what_is_not_a_state_export(
    tmp_path: Path, content: str, message: str
) -> None:
    """Import validates the file and names the problem; the current state is untouched."""
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with open_store(tmp_path) as store:
        store.link_person("005A", "U1")
        with pytest.raises(StoreError, match=message):
            store.import_state(bad)
        assert store.person("005A") is not None


def test_main_state_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`state export FILE` then `state import FILE` into a fresh db exit 0 with messages."""
    db = tmp_path / "state.json"
    with Store.open(db) as store:
        store.link_person("005A", "U1")
    assert main_state(["export", str(tmp_path / "out.json")], db) == 0
    assert "exported 1 records" in capsys.readouterr().out
    other = tmp_path / "other" / "state.json"
    assert main_state(["import", str(tmp_path / "out.json")], other) == 0
    assert "imported 1 records" in capsys.readouterr().out
    with Store.open(other) as store:
        assert store.person("005A") is not None


@pytest.mark.parametrize(
    "argv", [[], ["frobnicate", "x"], ["import"], ["import", "MISSING"], ["import", "BAD"]]
)
def test_main_state_bad_input_exits_2(tmp_path: Path, argv: list[str]) -> None:
    """Unknown actions, missing files and invalid exports exit 2."""
    (tmp_path / "BAD").write_text("{oops")
    argv = [str(tmp_path / a) if a in ("MISSING", "BAD") else a for a in argv]
    assert main_state(argv, tmp_path / "state.json") == 2


def test_default_db_path_honours_env_and_xdg(tmp_path: Path) -> None:
    """DEALNUDGE_DB wins, then XDG_DATA_HOME, then ~/.local/share; never the working tree."""
    assert default_db_path({"DEALNUDGE_DB": "/srv/x.json", "XDG_DATA_HOME": "/d"}) == Path(
        "/srv/x.json"
    )
    assert default_db_path({"XDG_DATA_HOME": "/d"}) == Path("/d/dealnudge/state.json")
    assert default_db_path({"HOME": "/home/ann"}) == Path(
        "/home/ann/.local/share/dealnudge/state.json"
    )


def test_incremental_encoding_matches_a_full_encode(tmp_path: Path) -> None:
    """After inserts, in-place updates, removals and truncation, both what the journal
    replays and the state file written from the encoding cache equal a fresh dump."""
    path = tmp_path / "state.json"
    store = open_store(tmp_path)
    for i in range(5):
        store.begin_nudge(f"k{i}", "U1", ["D1"], ["p"], ["q"])
    with store._lock, store._snapshot_lock:
        store._write_snapshot()  # the cache is warm from here on
    store.finish_nudge("k2", "1.1", "C1")
    store.link_room("D1", "C1", "U1")
    store.link_room("D2", "C1", "U1")
    store.snooze("D1", "*", date(2027, 1, 1), "x", "U1")
    store.woken_snoozes(date(2027, 1, 2))
    store.unlink_person("nobody")
    expected = {k: v for k, v in json.loads(encode(store._storage.data))["tables"].items() if v}
    replayed = json.loads(encode(store_mod.load_state_file(path).tables))["tables"]
    assert {k: v for k, v in replayed.items() if v} == expected
    store.close()
    assert {k: v for k, v in json.loads(path.read_text())["tables"].items() if v} == expected


def test_prune_forgets_old_records_and_keeps_recent_ones(tmp_path: Path) -> None:
    from datetime import UTC, date, datetime

    old = datetime(2025, 1, 5, 9, tzinfo=UTC)
    new = datetime(2026, 6, 1, 9, tzinfo=UTC)
    with Store.open(tmp_path / "state.json", clock=lambda: old) as store:
        store.record_feedback("d1", "single-threaded", "q1", "", "asked", who="U1")
        store.begin_nudge("nudge:o1:2025-01-05", "o1", ["d1"], ["single-threaded"], ["q1"])
        store.record_question_shown("d1", "single-threaded", "q1")
        store.clock = lambda: new
        store.record_feedback("d1", "single-threaded", "q2", "", "asked", who="U1")
        store.begin_nudge("nudge:o1:2026-06-01", "o1", ["d1"], ["single-threaded"], ["q2"])
        removed = store.prune(date(2025, 6, 1))
        assert removed["feedback"] == 1 and removed["nudges"] == 1
        assert removed["questions_shown"] == 1
        assert [f.question_id for f in store.feedback()] == ["q2"]
        assert store.nudge("nudge:o1:2025-01-05") is None
        assert store.nudge("nudge:o1:2026-06-01") is not None
    with Store.open(tmp_path / "state.json") as again:  # what was pruned stays pruned
        assert len(again.feedback()) == 1


def test_key_lookups_follow_inserts_removals_and_imports(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.json") as store:
        for i in range(50):
            store.begin_nudge(f"k{i}", "o", ["d"], ["p"], ["q"])
        assert store.nudge("k7") is not None  # builds the index
        store.finish_nudge("k7", "1.0", "D1")
        assert store.was_nudged("k7") and not store.was_nudged("k8")
        store.begin_nudge("k50", "o", ["d"], ["p"], ["q"])  # inserted after the index
        assert store.nudge("k50") is not None
        store.export_state(tmp_path / "backup.json")
        store.begin_nudge("k51", "o", ["d"], ["p"], ["q"])
        store.import_state(tmp_path / "backup.json")  # replaces every table
        assert store.nudge("k51") is None and store.was_nudged("k7")
        with pytest.raises(RuntimeError), store.batch():  # a rolled-back write
            store.begin_nudge("k52", "o", ["d"], ["p"], ["q"])
            raise RuntimeError
        assert store.nudge("k52") is None


# ---------------------------------------------------------------- write-behind


def test_rotation_hints_are_written_behind_and_reach_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.store as store_mod

    monkeypatch.setattr(store_mod, "LAZY_FLUSH_SECONDS", 0.05)
    store = open_store(tmp_path)
    store.note_questions_shown([("D1", "p", "q1")])
    on_disk = store_mod.load_state_file(store.path).tables.get("questions_shown", {})
    assert list(on_disk.values()) == []  # not written yet: the caller did not wait
    deadline = time.monotonic() + 5
    while not store_mod.load_state_file(store.path).tables.get("questions_shown"):
        assert time.monotonic() < deadline, "the write-behind flush never came"
        time.sleep(0.01)
    store.close()
    assert open_store(tmp_path).questions_shown("D1") == ["q1"]


def test_a_write_costs_one_journal_line_whatever_the_size_of_the_state(tmp_path: Path) -> None:
    """A durable write appends the documents it changed, not the whole state; the state
    file is written at compaction and close."""
    path = tmp_path / "state.json"
    store = open_store(tmp_path)
    with store.batch():
        for i in range(2000):
            store.record_feedback(f"D{i}", "p", "q", "", "asked", who="U1")
    size = journal_path(path).stat().st_size
    store.snooze("D1", "p", date(2027, 1, 1), "on leave", "U1")
    line = journal_path(path).read_bytes()[size:]
    assert line.count(b"\n") == 1 and len(line) < 400 and b"on leave" in line
    assert not path.exists()  # nothing rewrote a state file
    store.close()
    with open_store(tmp_path) as again:
        assert len(again.feedback()) == 2000 and again.is_snoozed("D1", "p", date(2026, 12, 1))


def test_compaction_writes_in_the_background_without_blocking_reads_or_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the journal limit the state file is rewritten by a background thread; while it
    is on the disk, lookups and durable writes go on; the journal keeps only what the new
    file lacks, and a reopen sees everything."""
    monkeypatch.setattr(store_mod, "JOURNAL_COMPACT_BYTES", 2000)
    path = tmp_path / "state.json"
    store = open_store(tmp_path)
    store.link_person("005A", "U1")
    writing, release = threading.Event(), threading.Event()
    real_write = store_mod.write_atomic

    def slow_write(target: Path, payload: bytes | list[bytes], *, backup: bool = False) -> None:
        if threading.current_thread().name == "store-compact" and target == path:
            writing.set()
            assert release.wait(5)
        real_write(target, payload, backup=backup)

    monkeypatch.setattr(store_mod, "write_atomic", slow_write)
    for i in range(20):  # enough journal to pass the limit
        store.begin_nudge(f"k{i}", "U1", ["D1"], ["p"], ["q"])
    assert writing.wait(5), "no compaction started"
    started = time.monotonic()
    assert store.person_by_slack_id("U1") is not None
    store.link_person("005B", "U2")  # durable, while the state file is being written
    assert time.monotonic() - started < 0.5
    release.set()
    deadline = time.monotonic() + 5
    while store._compacting or not path.exists() or store._snapshot_lock.locked():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    in_file = json.loads(path.read_text())
    assert len(in_file["tables"]["nudges"]) >= 1  # the compaction's snapshot
    journal = journal_path(path).read_bytes() if journal_path(path).exists() else b""
    assert all(store_mod._entry_seq(ln) > in_file["journal_seq"] for ln in journal.splitlines())
    assert b"005B" in journal or "005B" in json.dumps(in_file)
    store._closed = True  # a crash: no final flush or compaction
    store._release_process_lock()
    reopened = open_store(tmp_path)
    assert reopened.person_by_slack_id("U2") is not None
    assert len(reopened.nudges_for("U1")) == 20


def test_a_torn_journal_line_is_skipped_and_the_next_write_is_kept(tmp_path: Path) -> None:
    """A crash mid-append leaves half a line; it was never acknowledged, so it is dropped,
    and writes after the reopen are read back."""
    path = tmp_path / "state.json"
    store = open_store(tmp_path)
    store.link_person("005A", "U1")
    store._closed = True  # crash
    store._release_process_lock()
    with journal_path(path).open("ab") as f:
        f.write(b'{"seq":2,"tables":{"people":{"2":{"owner_id":"005B"')
    store = open_store(tmp_path)
    assert store.person("005A") is not None and store.person("005B") is None
    store.link_person("005C", "U3")
    store._closed = True  # crash again
    store._release_process_lock()
    store = open_store(tmp_path)
    assert store.person("005C") is not None


# ---------------------------------------------------------------- one writer


def test_a_second_writer_is_refused_and_told_who_holds_the_state(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    first = open_store(tmp_path)
    with pytest.raises(store_mod.StateInUse, match=f"pid {os.getpid()}"):
        Store.open(path)
    first.close()
    with Store.open(path) as second:  # free again once the first is closed
        second.link_person("005A", "U1")


def test_a_writer_in_another_process_blocks_this_one(tmp_path: Path) -> None:
    """The lock is a real flock: a child process holding the state keeps us out."""
    import subprocess
    import sys

    path = tmp_path / "state.json"
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2]); from bot.store import Store;"
        "s = Store.open(sys.argv[1]); print('open', flush=True); time.sleep(30)"
    )
    root = str(Path(__file__).resolve().parents[2])
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path), root], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        with pytest.raises(store_mod.StateInUse, match=f"pid {child.pid}"):
            Store.open(path)
    finally:
        child.kill()
        child.wait()
    Store.open(path).close()  # the dead process's lock went with it


def test_read_only_sees_the_writers_state_and_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    writer = open_store(tmp_path)
    writer.link_person("005A", "U1")  # journal only so far
    files = lambda: {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix != ".lock"}  # noqa: E731
    before = files()
    reader = Store.open(path, read_only=True)
    assert reader.read_only and reader.person("005A") is not None
    reader.snooze("D1", "*", date(2027, 1, 1), "preview", "U1")  # kept in memory only
    assert reader.is_snoozed("D1", "p", date(2026, 12, 1))
    reader.note_questions_shown([("D1", "p", "q1")])
    reader.close()
    assert files() == before
    writer.link_person("005B", "U2")  # the writer goes on undisturbed
    writer.close()
    with open_store(tmp_path) as again:
        assert not again.is_snoozed("D1", "p", date(2026, 12, 1))
        assert again.person("005B") is not None
