"""Feedback that tunes, end to end: enough "Not accurate" marks on a pattern move the team's
threshold one bounded step on the scheduled review, the export is re-analysed with it, the
digest shows it, and `dealnudge state reset` undoes it."""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from support.slack_harness import NOON, running_app

from bot.cli import main
from bot.delivery.jobs import digest_preview, plan_digests
from bot.delivery.scheduler import feedback_job
from rules.patterns import REGISTRY

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_expected.toml"
LABELS: dict[str, list[str]] = tomllib.loads(FIXTURE.read_text())["deals"]
PATTERN = "single-threaded"


def flagged(app: object, pattern: str) -> set[str]:
    snap = app.deps.snapshots.current  # type: ignore[attr-defined]
    return {a.finding.deal.id for a in snap.advice if a.finding.pattern == pattern}


def test_not_accurate_marks_move_the_threshold_and_reset_undoes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = {"now": NOON}
    with running_app(tmp_path, clock=lambda: clock["now"]) as app:
        before = flagged(app, PATTERN)
        # the demo's hand labels: these deals are single-threaded
        assert before == {d for d, labels in LABELS.items() if PATTERN in labels}
        # fewer marks than the minimum: the review changes nothing
        deals = sorted(before)
        for deal in deals[:2]:
            app.deps.store.record_feedback(deal, PATTERN, "", "", "not_accurate", reason="x")
        feedback_job(app.runtime)
        assert app.deps.store.active_adjustments() == []
        # more than 40% of the findings marked (and at least 5 marks): one step less sensitive
        for deal in (deals * 3)[: 5 - 2]:
            app.deps.store.record_feedback(deal, PATTERN, "", "", "not_accurate", reason="x")
        feedback_job(app.runtime)
        (adj,) = app.deps.store.active_adjustments()
        tuning = REGISTRY[PATTERN].tuning
        assert tuning is not None
        param, step, bound = tuning.param, tuning.step, tuning.bound
        assert (adj.team, adj.pattern, adj.param) == ("", PATTERN, param)
        assert adj.old == 4 and adj.new == 4 + step <= bound
        # the same marks never move it twice
        feedback_job(app.runtime)
        assert app.deps.store.active_adjustments() == [adj]
        # more marks keep moving it, one step per review, and the re-analysis applies it:
        # the single-threaded deal with the fewest activities is the first to drop out
        for _ in range(bound - adj.new):
            if flagged(app, PATTERN) != before:
                break
            clock["now"] += timedelta(minutes=1)  # marks after the last adjustment count
            for deal in deals[:5]:
                app.deps.store.record_feedback(deal, PATTERN, "", "", "not_accurate")
            feedback_job(app.runtime)
            (adj,) = app.deps.store.active_adjustments()
            assert adj.new <= bound
        assert flagged(app, PATTERN) < before
        # the manager's digest shows the change
        snap = app.deps.snapshots.current
        plans, _ = plan_digests(app.deps, snap, NOON, require_slack=False)
        preview = digest_preview(plans)
        assert "Thresholds tuned" in preview
        (adj,) = app.deps.store.active_adjustments()
        assert re.search(rf"min.activities {adj.old} -. {adj.new}", preview)  # "_", "->" made safe
        app.deps.store.close()
    db = tmp_path / "state" / "state.json"
    monkeypatch.setenv("DEALNUDGE_DB", str(db))
    assert main(["state", "adjustments"]) == 0
    assert "single-threaded" in capsys.readouterr().out
    assert main(["state", "reset", PATTERN]) == 0
    assert "reset 1 learned threshold" in capsys.readouterr().out
    assert main(["state", "adjustments"]) == 0
    assert "dealnudge.toml applies" in capsys.readouterr().out


def test_every_tunable_step_stays_within_its_documented_bound() -> None:
    """Each pattern's step moves towards its bound (less sensitive), and every registered
    pattern can be tuned."""
    for pattern in REGISTRY:
        t = pattern.tuning
        assert t is not None, pattern.code
        default = getattr(pattern.params_type(), t.param)
        assert (t.bound - default) * t.step > 0, pattern.code
