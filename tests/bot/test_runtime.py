"""Export refresh: a changed export is swapped in whole; a broken one is rejected, the admins
are told once, and the last good export keeps serving (through a day change too)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from support.slack_harness import ADMIN, NOON, running_app, shown

from bot.delivery.scheduler import start_scheduler
from bot.tools.demo import demo_export_dir


def copy_demo(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(demo_export_dir(), folder)
    return folder


def break_opportunities(folder: Path) -> None:
    path = folder / "Opportunity.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    # drop the Id column's header: the file is no longer an Opportunity export
    path.write_text("Nope," + lines[0].split(",", 1)[1] + "\n" + "\n".join(lines[1:]) + "\n")


# Analysing in serve's child process is the slow kind (see pyproject's markers).
OFFLOAD = [
    pytest.param(False, id="in-process"),
    pytest.param(True, id="child-process", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("offload", OFFLOAD)
def test_a_broken_export_keeps_the_last_good_one_and_tells_admins_once(
    tmp_path: Path, offload: bool
) -> None:
    folder = copy_demo(tmp_path)
    clock = {"now": NOON}
    with running_app(tmp_path, source=folder, clock=lambda: clock["now"], offload=offload) as app:
        good = app.deps.snapshots.current
        assert good is not None and good.cards
        break_opportunities(folder)
        assert app.runtime.refresh() is False
        assert app.deps.snapshots.current is good
        assert "Opportunity.csv" in app.deps.snapshots.last_error
        alert = app.last("chat.postMessage")
        assert alert.params["channel"] == ADMIN and "Opportunity.csv" in shown(alert)
        assert app.runtime.refresh() is False  # the same failure: no second alert
        assert len(app.fake.calls_to("chat.postMessage")) == 1
        base = app.url.rsplit("/slack/events", 1)[0]
        health = requests.get(base + "/healthz", timeout=5).json()
        assert health["ok"] is True and "Opportunity.csv" in health["last_error"]
        # the next day the last good export is re-analysed, the error still shown
        clock["now"] = NOON + timedelta(days=1)
        assert app.runtime.refresh() is True
        current = app.deps.snapshots.current
        assert current is not None and current.as_of == clock["now"].date()
        assert current.pipeline.deals == good.pipeline.deals and app.deps.snapshots.last_error
        # a fixed export is picked up and clears the error
        shutil.copy(demo_export_dir() / "Opportunity.csv", folder / "Opportunity.csv")
        assert app.runtime.refresh() is True
        assert app.deps.snapshots.last_error == ""
        assert app.deps.snapshots.current is not None


@pytest.mark.parametrize("offload", OFFLOAD)
def test_an_unchanged_export_is_not_reread_the_same_day(tmp_path: Path, offload: bool) -> None:
    with running_app(tmp_path, source=copy_demo(tmp_path), offload=offload) as app:
        before = app.deps.snapshots.current
        assert app.runtime.refresh() is False
        assert app.deps.snapshots.current is before


def test_a_missing_export_at_start_serves_nothing_yet_and_says_why(tmp_path: Path) -> None:
    with running_app(tmp_path, source=tmp_path / "nowhere") as app:
        assert app.deps.snapshots.current is None
        assert "nowhere" in app.deps.snapshots.last_error
        base = app.url.rsplit("/slack/events", 1)[0]
        assert requests.get(base + "/healthz", timeout=5).status_code == 503


def test_the_scheduler_registers_each_job_once_with_explicit_ids(tmp_path: Path) -> None:
    with running_app(tmp_path) as app:
        scheduler = start_scheduler(app.runtime, start=False)
        scheduler.start(paused=True)
        jobs = {job.id: job for job in scheduler.get_jobs()}
        scheduler.shutdown(wait=False)
        assert set(jobs) == {
            "refresh",
            "nudges",
            "digests",
            "writeback",
            "people",
            "prune",
            "feedback",
        }
        assert all(j.coalesce and j.max_instances == 1 for j in jobs.values())
        assert all(j.misfire_grace_time for j in jobs.values())
