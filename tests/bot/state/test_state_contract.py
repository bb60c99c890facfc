"""The store's contract, run unchanged against both backends (tinydb file, PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from conftest import T0, Clock, Opener

from bot.state import Person
from rules.model import Deal, DealStatus, Pipeline


def test_people_link_update_and_unlink(opener: Opener) -> None:
    store = opener()
    store.link_person("005A", "U1", tz="Europe/Berlin")
    store.link_person("005A", "U2", source="override")
    store.link_person("005B", "")
    assert store.person("005A") == Person("005A", "U2", "", "override", T0)
    assert store.person_by_slack_id("U2") == store.person("005A")
    assert [p.owner_id for p in store.people()] == ["005A", "005B"]
    assert store.unlink_person("005A") and store.person("005A") is None
    assert not store.unlink_person("005A")


def test_writes_survive_reopening(opener: Opener) -> None:
    store = opener()
    store.link_person("005A", "U1", tz="UTC")
    store.snooze("D1", "single-threaded", date(2026, 12, 1), "on leave", "U1")
    store.close()
    again = opener()
    assert again.person("005A") is not None
    assert again.is_snoozed("D1", "single-threaded", date(2026, 11, 5))


def test_snooze_holds_before_its_date_and_star_covers_every_pattern(opener: Opener) -> None:
    store = opener()
    store.snooze("D1", "*", date(2026, 11, 10), "budget freeze", "U1")
    assert store.is_snoozed("D1", "no-next-step", date(2026, 11, 9))
    assert not store.is_snoozed("D1", "no-next-step", date(2026, 11, 10))
    assert not store.is_snoozed("D2", "no-next-step", date(2026, 11, 9))
    store.snooze("D1", "*", date(2026, 11, 20), "longer", "U1")  # replaces the open one
    assert [s.reason for s in store.active_snoozes(date(2026, 11, 3))] == ["longer"]
    assert store.unsnooze("D1") and store.active_snoozes(date(2026, 11, 3)) == []


def test_snooze_wakes_exactly_once(opener: Opener) -> None:
    store = opener()
    store.snooze("D1", "single-threaded", date(2026, 11, 10), "waiting", "U1")
    store.snooze("D2", "*", date(2026, 12, 1), "later", "U1")
    assert store.woken_snoozes(date(2026, 11, 9)) == []
    assert [s.deal_id for s in store.expired_snoozes(date(2026, 11, 10))] == ["D1"]
    woke = store.woken_snoozes(date(2026, 11, 10))
    assert [(s.deal_id, s.pattern) for s in woke] == [("D1", "single-threaded")]
    assert store.woken_snoozes(date(2026, 11, 11)) == []
    store.close()
    again = opener()
    assert again.woken_snoozes(date(2026, 11, 20)) == []
    assert [s.deal_id for s in again.woken_snoozes(date(2026, 12, 1))] == ["D2"]


def test_a_send_key_is_claimed_once_and_retried_until_sent(opener: Opener) -> None:
    store = opener()
    key = "nudge:005A:2026-11-02"
    assert store.begin_nudge(key, "U1", ["D1"], ["no-next-step"], ["q1"])
    store.fail_nudge(key, "ratelimited")
    assert not store.was_nudged(key)
    assert store.begin_nudge(key, "U1", ["D1"], ["no-next-step"], ["q1"])
    store.finish_nudge(key, "1700.1", "D0U1")
    assert store.was_nudged(key)
    assert not store.begin_nudge(key, "U1", ["D1"], ["no-next-step"], ["q1"])
    [record] = store.nudges_for("U1")
    assert (record.status, record.attempts, record.ts, record.channel) == (
        "sent", 2, "1700.1", "D0U1",
    )  # fmt: skip
    assert store.last_nudged("D1", "no-next-step") == T0.date()
    assert store.last_nudged("D1", "single-threaded") is None
    with pytest.raises(KeyError):
        store.finish_nudge("never-begun", "1.1", "C1")


def test_digests_are_sent_once_and_the_last_one_is_found(opener: Opener) -> None:
    store = opener()
    assert store.begin_digest("digest:M1:2026-10-26", "M1", "2026-10-26")
    store.finish_digest("digest:M1:2026-10-26", "1700.2", {"single-threaded": 3})
    assert not store.begin_digest("digest:M1:2026-10-26", "M1", "2026-10-26")
    assert store.begin_digest("digest:M1:2026-11-02", "M1", "2026-11-02")
    last = store.last_digest("M1", "2026-11-02")
    assert (
        last is not None and last.period == "2026-10-26" and last.counts == {"single-threaded": 3}
    )
    assert store.last_digest("M1", "2026-10-26") is None


def test_questions_shown_least_recent_first_each_once(opener: Opener) -> None:
    store = opener()
    for minutes, qid in enumerate(["q1", "q2", "q1", "q3"]):
        store.record_question_shown("D1", "p", qid, T0 + timedelta(minutes=minutes))
    store.note_questions_shown([("D2", "x", "q9"), ("D1", "other", "q4")], T0)
    assert store.questions_shown("D1") == ["q4", "q2", "q1", "q3"]
    assert store.questions_shown("D1", "p") == ["q2", "q1", "q3"]
    assert store.questions_shown("D3") == []


def test_feedback_filters_by_team_pattern_kind_and_time(opener: Opener) -> None:
    clock = Clock()
    store = opener(clock)
    store.record_feedback("D1", "single-threaded", "q1", "east", "asked", who="U1")
    clock.now = T0 + timedelta(days=2)
    store.record_feedback("D2", "no-next-step", "q2", "west", "not_accurate", "has a step")
    assert [r.deal_id for r in store.feedback(team="east")] == ["D1"]
    assert [r.deal_id for r in store.feedback(pattern="no-next-step")] == ["D2"]
    assert [r.deal_id for r in store.feedback(kind="asked")] == ["D1"]
    assert [r.deal_id for r in store.feedback(since=date(2026, 11, 3))] == ["D2"]
    with pytest.raises(ValueError, match="kind"):
        store.record_feedback("D1", "p", "q", "", "liked")


def test_adjustments_replace_and_reset(opener: Opener) -> None:
    store = opener()
    store.adjust_threshold("east", "single-threaded", "min_activities", 4, 5, "noisy")
    store.adjust_threshold("east", "single-threaded", "min_activities", 5, 6, "still noisy")
    store.adjust_threshold("west", "no-next-step", "min_age_days", 21, 35, "noisy")
    assert [(a.team, a.new) for a in store.active_adjustments()] == [("east", 6), ("west", 35)]
    assert store.reset_adjustments("east", "single-threaded") == 1
    assert [a.team for a in store.active_adjustments()] == ["west"]
    assert len(store.adjustments()) == 3


def test_a_channel_is_one_deals_room(opener: Opener) -> None:
    store = opener()
    store.link_room("D1", "C1", "U1")
    store.link_room("D2", "C1", "U1")  # the channel moves to D2
    store.link_room("D2", "C2", "U1")  # and D2 moves to C2
    assert store.room_for("D1") is None and store.room_for("D2") == "C2"
    assert [(r.deal_id, r.channel_id) for r in store.rooms()] == [("D2", "C2")]
    assert store.room("C2") is not None and store.room("C1") is None
    assert store.unlink_room("C2") and not store.unlink_room("C2")


def test_a_batch_is_one_transaction(opener: Opener) -> None:
    store = opener()
    store.link_person("005A", "U1")
    with pytest.raises(RuntimeError), store.batch():
        store.link_person("005B", "U2")
        store.snooze("D1", "*", date(2027, 1, 1), "x", "U1")
        raise RuntimeError("boom")
    assert store.person("005B") is None and store.active_snoozes(date(2026, 11, 2)) == []
    with store.batch("questions_shown"):
        for i in range(100):
            store.record_question_shown(f"D{i}", "p", "q1", T0)
    store.close()
    again = opener()
    assert again.person("005B") is None and again.person("005A") is not None
    assert again.counts()["questions_shown"] == 100


def test_eight_threads_writing_at_once_lose_nothing(opener: Opener) -> None:
    store = opener()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(25):
                store.record_feedback(f"D{n}-{i}", "p", "q", f"team{n}", "asked")
                if i % 5 == 0:
                    with store.batch("nudges"):
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
    assert errors == []
    store.close()
    again = opener()
    assert len(again.feedback()) == 8 * 25
    assert all(again.was_nudged(f"{n}-{i}") for n in range(8) for i in range(0, 25, 5))


def test_generation_moves_with_writes(opener: Opener) -> None:
    store = opener()
    before = store.generation("feedback", "deal_changes")
    assert store.generation("feedback", "deal_changes") == before
    store.record_feedback("D1", "p", "q", "", "asked")
    assert store.generation("feedback", "deal_changes") != before


def test_prune_forgets_old_records_and_keeps_recent_ones(opener: Opener) -> None:
    old, new = T0.replace(year=2025), T0
    clock = Clock(old)
    store = opener(clock)
    store.record_feedback("d1", "single-threaded", "q1", "", "asked", who="U1")
    store.begin_nudge("nudge:o1:2025-11-02", "o1", ["d1"], ["single-threaded"], ["q1"])
    store.record_question_shown("d1", "single-threaded", "q1")
    clock.now = new
    store.record_feedback("d1", "single-threaded", "q2", "", "asked", who="U1")
    store.begin_nudge("nudge:o1:2026-11-02", "o1", ["d1"], ["single-threaded"], ["q2"])
    store.record_question_shown("d1", "single-threaded", "q2")
    removed = store.prune(date(2027, 1, 1), keep={"nudges": 365})
    assert (removed["feedback"], removed["nudges"], removed["questions_shown"]) == (1, 1, 1)
    assert [f.question_id for f in store.feedback()] == ["q2"]
    assert store.nudge("nudge:o1:2025-11-02") is None
    assert store.questions_shown("d1") == ["q2"]
    store.close()
    assert len(opener().feedback()) == 1


def test_a_read_only_store_never_writes(opener: Opener) -> None:
    writer = opener()
    writer.link_person("005A", "U1")
    reader = opener(read_only=True)
    assert reader.read_only and reader.person("005A") is not None
    reader.snooze("D1", "*", date(2027, 1, 1), "preview", "U1")
    reader.close()
    writer.close()
    assert not opener().is_snoozed("D1", "p", date(2026, 12, 1))


# ---------------------------------------------------------------- recovery


def test_a_state_that_starts_empty_checks_slack_for_todays_sends(opener: Opener) -> None:
    store = opener()
    assert store.recovered_at == T0
    today = T0.date()
    assert store.check_slack_since(today) is not None
    assert store.check_slack_since(today + timedelta(days=2)) is None
    store.close()
    assert opener(Clock(T0 + timedelta(days=5))).recovered_at == T0  # not marked again


# ---------------------------------------------------------------- export history


def _pipeline(*deals: tuple[str, str, date | None]) -> Pipeline:
    return Pipeline(
        deals=tuple(
            Deal(id=i, name=i, owner_id="O", stage=stage, amount=1000.0, close_date=close,
                 status=DealStatus.OPEN)
            for i, stage, close in deals
        )
    )  # fmt: skip


def test_export_history_records_changes_per_source(opener: Opener) -> None:
    store = opener()
    d1, d2 = date(2026, 11, 1), date(2026, 11, 8)
    first = store.record_export(d1, "crm.csv", _pipeline(("A", "Discovery", d2), ("B", "Demo", d2)))
    assert sorted(first.new) == ["A", "B"] and first.previous_as_of is None
    again = store.record_export(d1, "crm.csv", _pipeline(("A", "Discovery", d2), ("B", "Demo", d2)))
    assert not again.changes  # the same export (a restart, another process): nothing new
    later = store.record_export(d2, "crm.csv", _pipeline(("A", "Proposal", d2)))
    assert later.changed == ("A",) and later.gone == ("B",) and later.previous_as_of == d1
    older = store.record_export(d1, "crm.csv", _pipeline(("A", "Lost", d2)))
    assert not older.changes  # an older export never rewrites history
    assert [e.stage for e in store.deal_history("A")] == ["Discovery", "Proposal"]
    assert len(store.exports()) == 2
    store.close()
    reopened = opener()
    assert [c.kind for c in reopened.deal_changes("A")] == ["new", "changed"]
    nxt = reopened.record_export(
        d2 + timedelta(days=7), "crm.csv", _pipeline(("A", "Proposal", d2))
    )
    assert not nxt.changes  # compared with the states the log adds up to
    other = reopened.record_export(d2, "elsewhere.csv", _pipeline(("Z", "Demo", None)))
    assert other.new == ("Z",)  # a new source starts its own history
    assert [c.deal_id for c in reopened.deal_changes()] == ["Z"]


def test_pruning_history_keeps_what_the_next_export_is_compared_with(opener: Opener) -> None:
    store = opener()
    days = [date(2025, 1, 1) + timedelta(days=30 * n) for n in range(4)]
    stages = ["Discovery", "Demo", "Proposal", "Proposal"]
    for day, stage in zip(days, stages, strict=True):
        store.record_export(day, "crm.csv", _pipeline(("A", stage, None), ("B", "Demo", None)))
    folded = store.prune(days[2], keep={"export_history": 0})["export_history"]
    assert folded == 2
    assert [e.stage for e in store.deal_history("A")] == ["Proposal"]
    store.close()
    reopened = opener()
    same = _pipeline(("A", "Proposal", None), ("B", "Demo", None))
    diff = reopened.record_export(days[3] + timedelta(days=30), "crm.csv", same)
    assert not diff.changes  # B was not seen anew: its state survived the pruning


def test_send_records_are_kept_90_days_and_feedback_a_year(opener: Opener) -> None:
    store = opener()  # everything written at T0
    store.begin_nudge("k", "o", ["d"], ["p"], ["q"])
    store.record_feedback("d", "p", "q", "", "asked")
    assert store.prune(T0.date() + timedelta(days=90)) == {
        "nudges": 0, "feedback": 0, "snoozes": 0, "writebacks": 0, "questions_shown": 0,
        "export_history": 0,
    }  # fmt: skip
    assert store.prune(T0.date() + timedelta(days=91))["nudges"] == 1
    assert store.feedback() and store.prune(T0.date() + timedelta(days=366))["feedback"] == 1
