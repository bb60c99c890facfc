"""History derived from successive exports: snapshots, diffs, merging, and the patterns."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.state import open_store
from bot.state.history import (
    DealState,
    diff_states,
    merge_history,
    snapshot_state,
    with_history,
)
from rules.config import load_config
from rules.engine import evaluate
from rules.model import Activity, ActivityKind, Deal, DealStatus, HistoryEntry, Owner, Pipeline

DAY1 = date(2026, 10, 1)
OWNER = Owner("005A", "Ann Rep", "ann@example.com")


def day(n: int) -> date:
    return DAY1 + timedelta(days=n - 1)


def export_on(n: int) -> Pipeline:
    """Day n's export: D1 moves to Negotiation on day 10, its close date on days 5, 15, 25."""
    stage = "Proposal" if n < 10 else "Negotiation"
    close = date(2026, 12, 1)
    for pushed_on, to in (
        (5, date(2026, 12, 15)),
        (15, date(2027, 1, 15)),
        (25, date(2027, 2, 28)),
    ):
        if n >= pushed_on:
            close = to
    deals = [
        Deal(
            "D1", "Acme renewal", "Acme", OWNER.id, stage, 50_000.0, "USD", date(2026, 8, 1), close
        ),
        Deal(
            "D2",
            "Beta pilot",
            "Beta",
            OWNER.id,
            "Qualification",
            8_000.0,
            "USD",
            date(2026, 9, 1),
            date(2027, 3, 1),
        ),
    ]
    if n < 12:
        deals.append(
            Deal("D3", "Gamma", "Gamma", OWNER.id, "Proposal", 1.0, "USD", date(2026, 9, 1))
        )
    return Pipeline(deals=tuple(deals), owners=(OWNER,))


def test_snapshot_state_keeps_the_tracked_fields() -> None:
    """A snapshot holds stage, close date, amount, owner, status and the latest past meeting."""
    deal = Deal(
        "D1",
        "x",
        owner_id="005A",
        stage="Proposal",
        amount=10.0,
        close_date=day(30),
        status=DealStatus.OPEN,
    )
    meetings = (
        Activity("A1", "D1", ActivityKind.MEETING, date=day(3)),
        Activity("A2", "D1", ActivityKind.MEETING, date=day(20)),  # planned: after as_of
    )
    state = snapshot_state(Pipeline(deals=(deal,), activities=meetings), as_of=day(10))
    assert state == {"D1": DealState("Proposal", day(30), 10.0, "005A", "open", day(3))}


def test_diff_states_reports_new_changed_and_gone() -> None:
    """diff_states names new deals, changed fields and deals that left the export."""
    old = {"D1": DealState("Proposal", day(30), 10.0, "A"), "D2": DealState("Won")}
    new = {"D1": DealState("Negotiation", day(30), 12.0, "B"), "D3": DealState("Proposal")}
    diff = diff_states(old, new, day(5), day(4))
    assert (diff.new, diff.changed, diff.gone) == (("D3",), ("D1",), ("D2",))
    [change] = diff.for_deal("D1")
    assert change.fields == ("stage", "amount", "owner") and change.as_of == day(5)
    assert change.stage_moved


def test_a_month_of_daily_exports_derives_the_history(tmp_path: Path) -> None:
    """30 daily exports give one entry per change of D1, dated the day the export showed it."""
    with open_store(tmp_path / "state.json") as store:
        for n in range(1, 31):
            diff = store.record_export(day(n), "sf", export_on(n))
            if n == 12:
                assert diff.gone == ("D3",)
        history = store.deal_history("D1")
        assert [(h.date, h.stage, h.close_date) for h in history] == [
            (day(1), "Proposal", date(2026, 12, 1)),
            (day(5), "Proposal", date(2026, 12, 15)),
            (day(10), "Negotiation", date(2026, 12, 15)),
            (day(15), "Negotiation", date(2027, 1, 15)),
            (day(25), "Negotiation", date(2027, 2, 28)),
        ]
        assert {h.source for h in history} == {"snapshots"}
        assert [h.date for h in store.deal_history("D2")] == [day(1)]
        assert len(store.exports()) == 30


def test_derived_history_lets_close_date_slipping_fire(tmp_path: Path) -> None:
    """With snapshot history the pattern flags D1 (two pushes since the stage move)."""
    with open_store(tmp_path / "state.json") as store:
        for n in range(1, 31):
            store.record_export(day(n), "sf", export_on(n))
        derived = store.history_entries()
    config = load_config()
    last = export_on(30)
    before = {(f.deal.id, f.pattern) for f in evaluate(last, config, day(30))}
    after = {(f.deal.id, f.pattern) for f in evaluate(with_history(last, derived), config, day(30))}
    assert ("D1", "close-date-slipping") not in before
    assert ("D1", "close-date-slipping") in after
    assert ("D2", "close-date-slipping") not in after


def test_merge_prefers_the_export_history_and_adds_later_changes() -> None:
    """Export entries win for the dates they span; later derived changes are added once."""
    exported = (
        HistoryEntry("D1", day(1), "Prospecting", day(60)),
        HistoryEntry("D1", day(8), "Proposal", day(60)),
    )
    derived = [
        HistoryEntry("D1", day(3), "Proposal", day(90), source="snapshots"),  # covered: dropped
        HistoryEntry("D1", day(9), "Proposal", day(60), source="snapshots"),  # same state: dropped
        HistoryEntry("D1", day(20), "Proposal", day(75), source="snapshots"),
        HistoryEntry("D2", day(2), "Proposal", day(40), source="snapshots"),  # no export history
    ]
    merged = merge_history(exported, derived)
    assert merged == (*exported, derived[2], derived[3])
    assert merge_history(merged, derived) == merged  # no duplicates on a second merge


def test_with_history_keeps_only_entries_for_the_pipelines_deals() -> None:
    """with_history returns a new Pipeline; entries for unknown deals are ignored."""
    pipeline = export_on(1)
    derived = [
        HistoryEntry("D1", day(1), "Proposal", source="snapshots"),
        HistoryEntry("ZZ", day(1), "Proposal", source="snapshots"),
    ]
    out = with_history(pipeline, derived)
    assert out is not pipeline and pipeline.history == ()
    assert [h.deal_id for h in out.history] == ["D1"]
