"""The schedules of one deployment (APScheduler 3.x, started by ``dealnudge serve``).

Nudges and digests are due per person, in their own time zone, so the jobs tick every few
minutes and ask, for each rep or manager, whether their cron time has passed within the
grace window. The idempotency keys in the store make each tick safe: a message is sent once
per rep per day (per manager per period), a run missed while the bot was down is caught up
once within the grace window, and a failed send is retried on the next tick.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery.host import Host
from bot.delivery.jobs import plan_nudges, run_digests, send_nudges
from bot.delivery.timing import due_at
from bot.delivery.writeback import write_back
from bot.slack.alerts import alert_admins
from bot.slack.blocks import escape
from bot.state.people import people_report

if TYPE_CHECKING:
    from rules.model import Owner

log = logging.getLogger(__name__)
TICK_MINUTES = 5


def refresh_job(runtime: Host) -> None:
    try:
        runtime.refresh()
    except Exception:  # never let a refresh take the scheduler down
        log.exception("export refresh crashed; still serving the last good export")


def nudge_job(runtime: Host) -> None:
    deps, config = runtime.deps, runtime.config
    snap = deps.snapshots.current
    if snap is None:
        _too_early(runtime, "nudges")
        return
    grace = timedelta(hours=config.schedules.nudge_grace_hours)

    def due(owner: Owner, local_now: datetime) -> bool:
        team = config.rules.team_of(owner)
        return due_at(config.schedules.nudge_cron_for(team), local_now, grace) is not None

    try:
        plans, _skipped = plan_nudges(
            deps, snap, deps.clock(), default_tz=runtime.settings.timezone, due=due
        )
        report = send_nudges(deps, runtime.sender, plans)
    except Exception:
        log.exception("nudge run crashed; unsent nudges are retried on the next run")
        return
    if plans or report.failed:
        log.info("nudges: %s", report.summary())


def _too_early(runtime: Host, what: str) -> None:
    """A send tick before the first export is in: noted, so the load runs the ticks again."""
    runtime.ticked_early = True
    log.info("%s: no export loaded yet", what)


def digest_job(runtime: Host) -> None:
    if runtime.deps.snapshots.current is None:
        _too_early(runtime, "digests")
        return
    try:
        run_digests(runtime, scheduled=True)
    except Exception:
        log.exception("digest run crashed; unsent digests are retried on the next run")


def people_job(runtime: Host) -> None:
    """Weekly: tell admins which owners of open deals have no Slack match."""
    snap = runtime.deps.snapshots.current
    if snap is None:
        return
    try:
        unmapped = people_report(runtime.deps.people, snap.pipeline)["unmapped"]
    except Exception:
        log.exception("people check crashed")
        return
    if unmapped:
        names = ", ".join(escape(r["name"] or r["owner_id"], 80) for r in unmapped[:20])
        more = f" and {len(unmapped) - 20} more" if len(unmapped) > 20 else ""
        summary = f"{len(unmapped)} CRM owner(s) of open deals have no Slack match"
        alert_admins(
            runtime.deps,
            runtime.config,
            summary,
            f"{summary}, so they get no nudges: {names}{more}. Map them in dealnudge.toml "
            "[people] (`dealnudge check --people` lists them).",
        )


def feedback_job(runtime: Host) -> None:
    """Daily: "not accurate" marks move a team's threshold one step (bounded, reversible
    with `dealnudge state reset`), and the export is re-analysed with it."""
    try:
        made = runtime.review_feedback()
    except Exception:
        log.exception("feedback review crashed")
        return
    for a in made:
        log.info("threshold adjusted: team %r %s: %s", a.team or "(everyone)", a.pattern, a.reason)


def prune_job(runtime: Host) -> None:
    """Daily: forget send records after 90 days, feedback and history after a year, so
    the state stays small (each write rewrites the state file)."""
    try:
        removed = runtime.deps.store.prune(runtime.deps.clock().date())
    except Exception:
        log.exception("pruning old state failed")
        return
    if any(removed.values()):
        log.info("pruned old state: %s", removed)


def writeback_job(runtime: Host) -> None:
    """Every tick: the reps' "I'll ask this" clicks written to the CRM ([crm] write_back)."""
    writer = runtime.crm_writer
    if writer is None or not runtime.config.crm.write_back:
        return
    try:
        report = write_back(runtime.deps, runtime.config, writer, runtime.writeback_alerted)
    except Exception:
        log.exception("write-back crashed; what was not written is retried on the next tick")
        return
    if report.written or report.failed:
        log.info("write-back: %d written, %d failed", report.written, len(report.failed))


SEND_JOBS = ("nudges", "digests", "writeback", "people", "feedback", "prune")


def start_scheduler(
    runtime: Host, *, sends: bool = True, start: bool = True
) -> BackgroundScheduler:
    """The refresh job, and with ``sends`` every job that sends or writes (explicit ids,
    coalesced, one instance each); started unless ``start`` is False."""
    s = runtime.config.schedules
    scheduler = BackgroundScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    scheduler.add_job(
        refresh_job, IntervalTrigger(minutes=s.refresh_minutes), args=[runtime], id="refresh"
    )
    if sends:
        add_send_jobs(scheduler, runtime, first_tick=timedelta(seconds=30))
    if start:
        scheduler.start()
        log.info(
            "scheduler started: refresh every %d min%s",
            s.refresh_minutes,
            f"; nudges {s.nudge_cron!r}, digests {s.digest_cron!r} (local time)" if sends else "",
        )
    return scheduler


def add_send_jobs(scheduler: BackgroundScheduler, runtime: Host, first_tick: timedelta) -> None:
    """Nudges and digests (ticking, first after ``first_tick``: catching up after a restart
    or a takeover), and the weekly and daily upkeep."""
    now = datetime.now(ZoneInfo("UTC"))
    ticking = ((nudge_job, "nudges"), (digest_job, "digests"), (writeback_job, "writeback"))
    for job, job_id in ticking:
        scheduler.add_job(
            job,
            IntervalTrigger(minutes=TICK_MINUTES),
            args=[runtime],
            id=job_id,
            next_run_time=now + first_tick,
            replace_existing=True,
        )
    upkeep = (
        (people_job, "people", CronTrigger(day_of_week="mon", hour=6, timezone="UTC")),
        (feedback_job, "feedback", CronTrigger(hour=4, minute=30, timezone="UTC")),
        (prune_job, "prune", CronTrigger(hour=5, timezone="UTC")),
    )
    for job, job_id, trigger in upkeep:
        scheduler.add_job(job, trigger, args=[runtime], id=job_id, replace_existing=True)


def tick_sends_now(scheduler: BackgroundScheduler) -> None:
    """Run the nudge and digest ticks at once (the export just loaded: a tick that found
    none catches up now, not a tick later)."""
    now = datetime.now(ZoneInfo("UTC"))
    for job_id in ("nudges", "digests"):
        with contextlib.suppress(JobLookupError, SchedulerNotRunningError):  # lead lost, stop
            scheduler.modify_job(job_id, next_run_time=now)


def remove_send_jobs(scheduler: BackgroundScheduler) -> None:
    for job_id in SEND_JOBS:
        if scheduler.get_job(job_id) is not None:
            scheduler.remove_job(job_id)
