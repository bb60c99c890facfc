"""Feedback that changes behaviour: snoozes, learned thresholds, question ranking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.state import Store, open_store
from bot.state.feedback import (
    apply_overrides,
    overrides,
    question_weights,
    quiet,
    review_feedback,
    wake,
)
from rules.base import Finding
from rules.config import load_config
from rules.model import Activity, ActivityKind, Deal, Pipeline
from rules.patterns import REGISTRY

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "state.json", clock=lambda: NOW)


def mark(store: Store, n: int, team: str = "east", pattern: str = "single-threaded") -> None:
    for i in range(n):
        store.record_feedback(f"D{i}", pattern, "q1", team, "not_accurate", "wrong", "U1")


def params(**values: object) -> SimpleNamespace:
    return SimpleNamespace(**values)


def test_tuning_names_a_real_parameter() -> None:
    """Each pattern's tuning names one of its own parameters."""
    for pattern in REGISTRY:
        assert pattern.tuning is not None
        assert hasattr(pattern.params_type(), pattern.tuning.param), pattern.code


def test_snoozed_findings_stay_quiet_until_their_date(store: Store) -> None:
    """quiet() drops snoozed deal/patterns before the date and lets them through on it."""
    findings = [
        Finding(Deal("D1", "x"), p, 0.5, "", ()) for p in ("no-next-step", "single-threaded")
    ]
    findings.append(Finding(Deal("D2", "y"), "no-next-step", 0.5, "", ()))
    store.snooze("D1", "no-next-step", TODAY + timedelta(days=7), "travelling", "U1")
    store.snooze("D2", "*", TODAY + timedelta(days=3), "reorg", "U1")
    kept = quiet(findings, store, TODAY)
    assert [(f.deal.id, f.pattern) for f in kept] == [("D1", "single-threaded")]
    assert len(quiet(findings, store, TODAY + timedelta(days=7))) == 3
    assert [s.deal_id for s in wake(store, TODAY + timedelta(days=7))] == ["D2", "D1"]
    assert wake(store, TODAY + timedelta(days=8)) == []


def test_threshold_moves_one_step_after_more_than_40_percent_not_accurate(store: Store) -> None:
    """5 marks on 10 findings (50%) move min_activities 4 -> 5, with the reason recorded."""
    mark(store, 5)
    made = review_feedback(
        store, {("east", "single-threaded"): 10}, lambda team, p: params(min_activities=4), NOW
    )
    assert [(a.team, a.pattern, a.param, a.old, a.new) for a in made] == [
        ("east", "single-threaded", "min_activities", 4, 5)
    ]
    assert "5 times for 10 findings" in made[0].reason
    assert overrides(store) == {"east": {"single-threaded": {"min_activities": 5}}}


def test_the_same_marks_never_move_a_threshold_twice(store: Store) -> None:
    """A second review with no new marks changes nothing; new marks move it again."""
    mark(store, 5)
    counts = {("east", "single-threaded"): 10}
    review_feedback(store, counts, lambda team, p: params(min_activities=4), NOW)
    assert review_feedback(store, counts, lambda team, p: params(min_activities=4), NOW) == []
    later = NOW + timedelta(days=1)
    for i in range(5):
        store.record_feedback(f"E{i}", "single-threaded", "q", "east", "not_accurate", at=later)
    [again] = review_feedback(store, counts, lambda team, p: params(min_activities=4), later)
    assert (again.old, again.new) == (5, 6)  # continues from the active adjustment


@pytest.mark.parametrize(
    ("marks", "findings"),
    [(4, 5), (5, 20), (5, 0)],
    ids=["too-few-marks", "share-at-25%", "no-findings"],
)
def test_no_adjustment_below_the_limits(store: Store, marks: int, findings: int) -> None:
    """Fewer than 5 marks, a share of 40% or less, or no findings: thresholds stay."""
    mark(store, marks)
    counts = {("east", "single-threaded"): findings}
    assert review_feedback(store, counts, lambda t, p: params(min_activities=4), NOW) == []


def test_adjustments_stay_within_bounds(store: Store) -> None:
    """A step never passes its bound (both directions) and a threshold at its bound stays."""
    mark(store, 5, pattern="no-recognized-need")
    mark(store, 5, pattern="one-way-chasing")
    mark(store, 5, team="west", pattern="stalled-in-stage")
    counts = {
        ("east", "no-recognized-need"): 5,
        ("east", "one-way-chasing"): 5,
        ("west", "stalled-in-stage"): 5,
    }
    current = {
        "no-recognized-need": params(window_days=75),
        "one-way-chasing": params(min_chasers=8),
        "stalled-in-stage": params(factor=4.75),
    }
    made = review_feedback(store, counts, lambda t, p: current[p], NOW)
    assert {(a.pattern, a.new) for a in made} == {
        ("no-recognized-need", 60),
        ("stalled-in-stage", 5.0),
    }


def test_reset_restores_the_configured_threshold(store: Store) -> None:
    """After an admin reset the override is gone and the config's value applies again."""
    mark(store, 6)
    config = load_config()
    default = config.params("single-threaded", team="east").min_activities
    review_feedback(
        store, {("east", "single-threaded"): 10}, lambda t, p: config.params(p, team=t), NOW
    )
    tuned = apply_overrides(config, store)
    assert tuned.params("single-threaded", team="east").min_activities == default + 1
    assert tuned.params("single-threaded", team="west").min_activities == default
    assert store.reset_adjustments("east", "single-threaded") == 1
    assert (
        apply_overrides(config, store).params("single-threaded", team="east").min_activities
        == default
    )
    assert (
        review_feedback(
            store, {("east", "single-threaded"): 10}, lambda t, p: config.params(p, team=t), NOW
        )
        == []
    )


def _export(store: Store, as_of: date, stage: str, meeting: date | None = None) -> None:
    acts = (Activity("M1", "D1", ActivityKind.MEETING, date=meeting),) if meeting else ()
    pipeline = Pipeline(deals=(Deal("D1", "x", stage=stage),), activities=acts)
    store.record_export(as_of, "sf", pipeline)


def test_question_that_preceded_a_stage_move_ranks_higher(store: Store) -> None:
    """A stage move within 14 days after "asked" adds 0.5; a later one does not."""
    _export(store, TODAY, "Proposal")
    store.record_feedback("D1", "no-next-step", "q1", "east", "asked", at=NOW)
    store.record_feedback("D1", "no-next-step", "q2", "east", "asked", at=NOW - timedelta(days=30))
    _export(store, TODAY + timedelta(days=10), "Negotiation")
    assert question_weights(store, "no-next-step") == {"q1": 1.5, "q2": 1.0}
    assert question_weights(store, "single-threaded") == {}


def test_a_buyer_meeting_after_asking_counts_as_success(store: Store) -> None:
    """A meeting that first shows up in an export, dated within 14 days after asking, counts."""
    _export(store, TODAY, "Proposal")
    store.record_feedback("D1", "single-threaded", "q7", "east", "asked", at=NOW)
    _export(store, TODAY + timedelta(days=6), "Proposal", meeting=TODAY + timedelta(days=5))
    assert question_weights(store, "single-threaded") == {"q7": 1.5}


def test_question_weight_is_capped_at_three(store: Store) -> None:
    """Many successes never lift a question above 3.0."""
    deals = tuple(Deal(f"D{i}", "x", stage="Proposal") for i in range(6))
    store.record_export(TODAY, "sf", Pipeline(deals=deals))
    for d in deals:
        store.record_feedback(d.id, "no-next-step", "q1", "east", "asked", at=NOW)
    moved = tuple(Deal(d.id, "x", stage="Negotiation") for d in deals)
    store.record_export(TODAY + timedelta(days=3), "sf", Pipeline(deals=moved))
    assert question_weights(store, "no-next-step") == {"q1": 3.0}
