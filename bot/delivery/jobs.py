"""Rep nudges and manager digests: who gets what, and sending each exactly once.

The same functions serve the scheduler (``dealnudge serve``) and the command line
(``dealnudge nudge [--dry-run]``), so a preview is exactly what would be sent.

Policy: one message per rep per local day with at most ``[nudges] max_deals`` deals, most
severe × amount first, one finding and one question each; a deal+pattern is not nudged
again within ``cooldown_days`` unless something new happened since (evidence dated after
the last nudge); snoozed deals and patterns stay quiet; weekends and configured holidays
are quiet; a rep who marked everything "not accurate" for the past week gets one deal.

Digests: one per manager per period (the date their digest cron fired), to their DM, scoped
to their reports' deals, with the trend since their previous digest; optionally one
org-wide digest to ``[slack] digest_channel`` (aggregates only unless
``[privacy] deal_details_in_channels``). The chart goes in the digest's thread.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.analysis.analyse import Advice, Snapshot
from bot.analysis.digest import Digest, build_digest
from bot.delivery.host import Host
from bot.delivery.once import DeliveryError, Sent, post_once
from bot.delivery.timing import due_at, local_now, quiet_day
from bot.reports.chart import digest_chart
from bot.services import Services
from bot.slack import blocks
from bot.slack.blocks.digest import digest_blocks, digest_text
from bot.state.access import reports_of
from bot.state.feedback import snoozed_patterns
from rules.model import Owner

log = logging.getLogger(__name__)
# Messages in flight at once: Slack's latency (not our CPU) bounds a sequential fan-out;
# four hide it while staying far below the workspace's chat.postMessage limit.
SEND_WORKERS = 4
DIGEST_PERIOD = timedelta(days=7)
QUIET_WINDOW = timedelta(days=7)
QUIET_MIN_MARKS = 3


@dataclass(frozen=True)
class NudgePlan:
    owner: Owner
    user_id: str  # Slack user id, "" when the owner is not matched (dry run only)
    day: date  # the rep's local day
    key: str
    items: tuple[blocks.NudgeItem, ...]
    total_flagged: int

    @property
    def text(self) -> str:
        return blocks.nudge_text(self.owner.name, self.items, self.total_flagged)

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return blocks.nudge_blocks(self.owner.name, self.items, self.total_flagged)


@dataclass
class RunReport:
    """What a nudge or digest run did; every recipient is in exactly one list."""

    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.sent)} sent, {len(self.already_sent)} already sent, "
            f"{len(self.failed)} failed, {len(self.skipped)} skipped"
        )


def nudge_key(owner_id: str, day: date) -> str:
    return f"nudge:{owner_id}:{day.isoformat()}"


def plan_nudges(
    deps: Services,
    snap: Snapshot,
    now: datetime,
    *,
    default_tz: str = "UTC",
    owners: Sequence[str] | None = None,
    due: Callable[[Owner, datetime], bool] | None = None,
    require_slack: bool = True,
) -> tuple[list[NudgePlan], RunReport]:
    """Today's nudge for every rep with flagged deals (``owners`` narrows by id or email).

    ``due(owner, local_now)`` lets the scheduler skip reps whose morning has not come.
    """
    report = RunReport()
    store, config = deps.store, deps.config
    by_owner: dict[str, list[tuple[Advice, ...]]] = defaultdict(list)
    for card in snap.cards.values():
        by_owner[card.deal.owner_id].append(card.advice)
    wanted = {o.lower() for o in owners} if owners else None
    last = store.last_nudged_all()
    recent: dict[str, list[str]] = defaultdict(list)  # Slack user -> feedback kinds this week
    for f in store.feedback(since=now - QUIET_WINDOW):
        recent[f.who].append(f.kind)
    snoozed = snoozed_patterns(store, now.date())
    woke = {(z.deal_id, z.pattern): z for z in store.expired_snoozes(now.date())}
    plans: list[NudgePlan] = []
    for owner_id, deals in by_owner.items():
        owner = snap.pipeline.owner_index.get(owner_id) or Owner(owner_id, owner_id)
        label = owner.name or owner.id
        if wanted is not None and not wanted & {owner.id.lower(), owner.email.lower()}:
            continue
        user_id = deps.people.slack_id(owner) or ""
        if not user_id and require_slack:
            report.skipped.append((label, "no Slack user matches this CRM owner"))
            continue
        tz = deps.people.tz(owner) if user_id else ""
        here = local_now(now, tz, default_tz)
        day = here.date()
        if due is not None and not due(owner, here):
            continue
        why = quiet_day(day, config)
        if why:
            report.skipped.append((label, why))
            continue
        limit = config.nudges.max_deals
        marks = recent.get(user_id, []) if user_id else []
        if len(marks) >= QUIET_MIN_MARKS and all(k == "not_accurate" for k in marks):
            limit = 1
        items: list[blocks.NudgeItem] = []
        back = [d for d in deals if any((d[0].finding.deal.id, p) in woke for p in _patterns(d))]
        for advice_list in back + [d for d in deals if d not in back]:
            advice = next(
                (
                    a
                    for a in advice_list
                    if not ({"*", a.finding.pattern} & snoozed.get(a.finding.deal.id, set()))
                    and _fresh(a, last, day, config.nudges.cooldown_days)
                ),
                None,
            )
            if advice is None:
                continue
            if len(items) < limit:
                picked = deps.questions(snap, advice, 1)
                if picked:
                    z = woke.get((advice.finding.deal.id, "*")) or woke.get(
                        (advice.finding.deal.id, advice.finding.pattern)
                    )
                    note = f"Back from your snooze ({z.reason})" if z else ""
                    items.append(blocks.NudgeItem(advice, picked[0], note))
        if not items:
            report.skipped.append((label, "nothing new to nudge about"))
            continue
        plans.append(
            NudgePlan(owner, user_id, day, nudge_key(owner.id, day), tuple(items), len(deals))
        )
    return plans, report


def _patterns(advice_list: Sequence[Advice]) -> list[str]:
    return ["*", *(a.finding.pattern for a in advice_list)]


def _fresh(advice: Advice, last: dict[tuple[str, str], date], day: date, cooldown: int) -> bool:
    """Not nudged within the cool-down, or something new happened since the last nudge."""
    f = advice.finding
    when = last.get((f.deal.id, f.pattern))
    if when is None or (day - when).days >= cooldown:
        return True
    return any(e.date is not None and e.date > when for e in f.evidence)


def send_nudges(deps: Services, sender: WebClient, plans: Sequence[NudgePlan]) -> RunReport:
    """Send each plan once; one failing recipient never stops the batch."""
    return _send_each(
        plans,
        lambda p: (p.owner.name or p.owner.id, p.key),
        lambda p: _send_one(deps, sender, p),
        deps.store.fail_nudge,
        deps.stopping,
    )


def _send_each(
    plans: Sequence[Any],
    label_key: Callable[[Any], tuple[str, str]],
    send_one: Callable[[Any], bool],
    fail: Callable[[str, str], None],
    stopping: threading.Event,
) -> RunReport:
    """Send every plan, ``SEND_WORKERS`` at a time (each to its own DM, so Slack's
    per-channel limit is never shared; 429s are waited out per request). The report lists
    them in plan order."""

    def attempt(plan: Any) -> tuple[str, bool | str | None]:
        label, key = label_key(plan)
        if stopping.is_set():
            return label, None  # shutting down: the next run sends it
        try:
            return label, send_one(plan)
        except DeliveryError as exc:
            fail(key, str(exc))
            log.warning("%s failed (retried next run): %s", key, exc)
            return label, str(exc)

    report = RunReport()
    with ThreadPoolExecutor(max_workers=SEND_WORKERS, thread_name_prefix="send") as pool:
        for label, outcome in pool.map(attempt, plans):
            if outcome is None:
                report.skipped.append((label, "not sent yet: stopping (the next run sends it)"))
            elif outcome is True:
                report.sent.append(label)
            elif outcome is False:
                report.already_sent.append(label)
            else:
                report.failed.append((label, str(outcome)))
    return report


def _day_before(day: date) -> datetime:
    """Where an earlier attempt for ``day`` is looked for in Slack: from the start of the day
    before (the key names the day; a clock set with --as-of says nothing of when it ran)."""
    return datetime.combine(day - timedelta(days=1), datetime.min.time(), UTC)


def _send_one(deps: Services, sender: WebClient, plan: NudgePlan) -> bool:
    store = deps.store
    previous = store.nudge(plan.key)
    if previous is not None and previous.status == "sent":
        return False
    deal_ids = [i.advice.finding.deal.id for i in plan.items]
    patterns = [i.advice.finding.pattern for i in plan.items]
    question_ids = [i.question[0].id for i in plan.items]
    if not store.begin_nudge(plan.key, plan.owner.id, deal_ids, patterns, question_ids):
        return False
    sent = post_once(
        sender,
        plan.user_id,  # their DM with the app
        plan.key,
        text=plan.text,
        blocks=plan.blocks,
        previous_attempt=_day_before(plan.day) if previous else store.check_slack_since(plan.day),
    )
    with store.batch():
        store.finish_nudge(plan.key, sent.ts, sent.channel)
        for item in plan.items:
            f = item.advice.finding
            store.record_question_shown(f.deal.id, f.pattern, item.question[0].id, deps.clock())
            if item.note:
                store.mark_woke(f.deal.id, "*")
                store.mark_woke(f.deal.id, f.pattern)
    return True


# ------------------------------------------------------------------ digests


@dataclass(frozen=True)
class DigestPlan:
    label: str  # the manager's name, or the channel
    manager_id: str  # CRM owner id, or "channel:<id>"
    user_id: str  # DM recipient ("" for a channel or an unmatched manager)
    channel: str  # a channel id, or "" for the manager's DM
    period: str
    digest: Digest
    aggregate_only: bool

    @property
    def key(self) -> str:
        return f"digest:{self.manager_id}:{self.period}"

    @property
    def text(self) -> str:
        return digest_text(self.digest, aggregate_only=self.aggregate_only)

    def blocks(self) -> list[dict[str, Any]]:
        return digest_blocks(self.digest, aggregate_only=self.aggregate_only)


DueAt = Callable[[Owner | None, datetime], "datetime | None"]


def plan_digests(
    deps: Services,
    snap: Snapshot,
    now: datetime,
    *,
    default_tz: str = "UTC",
    managers: Sequence[str] | None = None,
    due: DueAt | None = None,
    require_slack: bool = True,
) -> tuple[list[DigestPlan], RunReport]:
    """The digest for every manager (owners with reports) whose period is due.

    ``due(owner, local_now)`` returns when their digest cron fired (None: not due); without
    it the period is the manager's local date (the command line).
    """
    report = RunReport()
    config, pipeline = deps.config, snap.pipeline
    wanted = {m.lower() for m in managers} if managers else None
    plans: list[DigestPlan] = []
    for owner in pipeline.owners:
        reports = reports_of(owner, pipeline, config)
        if not reports:
            continue
        if wanted is not None and not wanted & {owner.id.lower(), owner.email.lower()}:
            continue
        label = owner.name or owner.id
        user_id = deps.people.slack_id(owner) or ""
        if not user_id and require_slack:
            report.skipped.append((label, "no Slack user matches this CRM owner"))
            continue
        here = local_now(now, deps.people.tz(owner) if user_id else "", default_tz)
        fired = due(owner, here) if due is not None else here
        if fired is None:
            continue
        period = fired.date().isoformat()
        scope = {owner.id, *reports}
        digest = _digest(deps, snap, owner.id, scope, owner.name or owner.id, period, here)
        plans.append(DigestPlan(label, owner.id, user_id, "", period, digest, False))
    channel = config.slack.digest_channel
    if channel and wanted is None:
        here = local_now(now, "", default_tz)
        fired = due(None, here) if due is not None else here
        if fired is not None:
            period = fired.date().isoformat()
            manager_id = f"channel:{channel}"
            digest = _digest(deps, snap, manager_id, None, "everyone", period, here)
            aggregate = not config.privacy.deal_details_in_channels
            plans.append(DigestPlan(channel, manager_id, "", channel, period, digest, aggregate))
    return plans, report


def _digest(
    deps: Services,
    snap: Snapshot,
    manager_id: str,
    scope: set[str] | None,
    name: str,
    period: str,
    here: datetime,
) -> Digest:
    previous = deps.store.last_digest(manager_id, period)
    since = previous.created.date() if previous and previous.created else None
    return build_digest(
        snap,
        deps.store,
        scope,
        name,
        since or here.date() - DIGEST_PERIOD,
        here.date(),
        deps.config.rules,
        previous=previous.counts if previous else None,
        bank=deps.bank,
    )


def send_digests(deps: Services, sender: WebClient, plans: Sequence[DigestPlan]) -> RunReport:
    """Send each digest once (chart in its thread); one failure never stops the batch."""
    return _send_each(
        plans,
        lambda p: (p.label, p.key),
        lambda p: _send_digest(deps, sender, p),
        deps.store.fail_digest,
        deps.stopping,
    )


def _send_digest(deps: Services, sender: WebClient, plan: DigestPlan) -> bool:
    store = deps.store
    previous = store.digest(plan.key)
    if previous is not None and previous.status == "sent":
        return False
    if not store.begin_digest(plan.key, plan.manager_id, plan.period):
        return False
    sent = post_once(
        sender,
        plan.channel or plan.user_id,  # a configured channel, else their DM
        plan.key,
        text=plan.text,
        blocks=plan.blocks(),
        previous_attempt=(
            _day_before(date.fromisoformat(plan.period))
            if previous
            else store.check_slack_since(date.fromisoformat(plan.period))
        ),
    )
    store.finish_digest(plan.key, sent.ts, plan.digest.counts)
    if not sent.found_existing:
        _upload_chart(sender, sent, plan)
    return True


def _upload_chart(sender: WebClient, sent: Sent, plan: DigestPlan) -> None:
    """The chart in the digest's thread; a failed upload is logged, the digest stands."""
    try:
        png = digest_chart(plan.digest)
        if png is None:
            return
        sender.files_upload_v2(
            channel=sent.channel,
            thread_ts=sent.ts,
            content=png,
            filename=f"dealnudge-digest-{plan.period}.png",
            title=f"Hanging-around deals by pattern, {plan.period}",
        )
    except Exception as exc:
        log.warning("digest chart upload failed for %s: %s", plan.key, type(exc).__name__)


def run_digests(runtime: Host, *, scheduled: bool) -> RunReport:
    """The scheduler's digest tick: plan whoever is due, send once."""
    deps, config = runtime.deps, runtime.config
    snap = deps.snapshots.current
    if snap is None:
        return RunReport()
    grace = timedelta(hours=config.schedules.digest_grace_hours)

    def due(owner: Owner | None, here: datetime) -> datetime | None:
        team = config.rules.team_of(owner) if owner else ""
        return due_at(config.schedules.digest_cron_for(team), here, grace)

    plans, planning = plan_digests(
        deps,
        snap,
        deps.clock(),
        default_tz=runtime.settings.timezone,
        due=due if scheduled else None,
    )
    report = send_digests(deps, runtime.sender, plans)
    report.skipped += planning.skipped
    if plans or report.failed:
        log.info("digests: %s", report.summary())
    return report


def digest_preview(plans: Sequence[DigestPlan]) -> str:
    if not plans:
        return "No digests would be sent."
    out = []
    for plan in plans:
        target = (
            f"channel {plan.channel}"
            if plan.channel
            else (f"DM to Slack {plan.user_id}" if plan.user_id else "not matched to Slack")
        )
        out.append(
            f"--- Weekly digest for {plan.label} ({target}), period {plan.period} [{plan.key}] ---"
        )
        out.append(
            digest_text(
                plan.digest,
                aggregate_only=plan.aggregate_only,
                max_reps=None,
                limit=None,
                clean=blocks.plain,
            )
        )
        out.append("")
    return "\n".join(out).rstrip()


def preview(plans: Sequence[NudgePlan]) -> str:
    """Exactly what would be sent to whom, as text."""
    if not plans:
        return "No nudges would be sent."
    out = []
    for plan in plans:
        who = f"{plan.owner.name} <{plan.owner.email}>" if plan.owner.email else plan.owner.name
        target = f"Slack {plan.user_id}" if plan.user_id else "not matched to a Slack user"
        out.append(
            f"--- Morning nudge for {who} ({target}), DM, {plan.day.isoformat()} [{plan.key}] ---"
        )
        out.append(blocks_text(plan.blocks))
        out.append("")
    return "\n".join(out).rstrip()


def blocks_text(message: Sequence[dict[str, Any]]) -> str:
    """A message's blocks as plain lines: sections, fields, context and button labels."""
    lines: list[str] = []
    for b in message:
        kind = b.get("type")
        if kind in ("section", "header"):
            text = (b.get("text") or {}).get("text")
            if text:
                lines.append(text)
            lines += [f.get("text", "") for f in b.get("fields") or []]
        elif kind == "context":
            for e in b.get("elements") or []:
                lines += ["  " + line for line in str(e.get("text") or "").splitlines()]
        elif kind == "actions":
            labels = [(e.get("text") or {}).get("text", "") for e in b.get("elements") or []]
            lines.append("  " + " ".join(f"[{x}]" for x in labels if x))
        elif kind == "divider":
            lines.append("")
    return "\n".join(lines)
