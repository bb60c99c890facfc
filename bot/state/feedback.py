"""Feedback that changes behaviour: snoozes, "not accurate" tuning, question ranking.

Pure logic over the store's records: no Slack, no clock (``now`` and ``today`` are passed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.state import Adjustment, Snooze, Store
from rules.patterns import REGISTRY

if TYPE_CHECKING:
    from rules.base import Finding
    from rules.config import Config

DEFAULT_SHARE = 0.4
DEFAULT_MIN_MARKS = 5
SUCCESS_WINDOW = timedelta(days=14)
WEIGHT_BASE, WEIGHT_STEP, WEIGHT_CAP = 1.0, 0.5, 3.0


# --- snoozes ---


def snoozed_patterns(store: Store, today: date) -> dict[str, set[str]]:
    """deal id -> the patterns snoozed on ``today`` (``"*"``: every pattern)."""
    snoozed: dict[str, set[str]] = {}
    for s in store.active_snoozes(today):
        snoozed.setdefault(s.deal_id, set()).add(s.pattern)
    return snoozed


def quiet(findings: Iterable[Finding], store: Store, today: date) -> list[Finding]:
    """The findings whose deal and pattern are not snoozed on ``today``."""
    snoozed = snoozed_patterns(store, today)
    return [f for f in findings if not ({"*", f.pattern} & snoozed.get(f.deal.id, set()))]


def wake(store: Store, today: date) -> list[Snooze]:
    """Snoozes that ran out: each is returned exactly once, to tell the rep it is back."""
    return store.woken_snoozes(today)


# --- "not accurate" -> thresholds ---


def not_accurate_counts(store: Store, since: Mapping[tuple[str, str], datetime] | None = None
                        ) -> Counter[tuple[str, str]]:  # fmt: skip
    """ "Not accurate" marks per (team, pattern), counting only marks after ``since[key]``."""
    counts: Counter[tuple[str, str]] = Counter()
    cutoff = since or {}
    for r in store.feedback(kind="not_accurate"):
        key = (r.team, r.pattern)
        if key in cutoff and not _after(r.at, cutoff[key]):
            continue
        counts[key] += 1
    return counts


def review_feedback(
    store: Store,
    findings_count: Mapping[tuple[str, str], int],
    current_params: Callable[[str, str], object],
    now: datetime,
    *,
    share: float = DEFAULT_SHARE,
    min_marks: int = DEFAULT_MIN_MARKS,
) -> list[Adjustment]:
    """Move a pattern one step less sensitive for a team that marks it "not accurate" in
    more than ``share`` of its findings (and at least ``min_marks`` times).

    Marks count from the last adjustment or reset of that team and pattern, so the same
    marks never move a threshold twice. ``current_params(team, pattern)`` gives the
    pattern's params object (``None`` when it is disabled); an active adjustment's value
    wins over it. Returns the adjustments made (also recorded in the store).
    """
    last: dict[tuple[str, str], datetime] = {}
    active: dict[tuple[str, str, str], Adjustment] = {}
    for a in store.adjustments():
        key = (a.team, a.pattern)
        for when in (a.at, a.reset_at):
            if when is not None and (key not in last or _after(when, last[key])):
                last[key] = when
        if a.active:
            active[(a.team, a.pattern, a.param)] = a
    marks = not_accurate_counts(store, last)
    made: list[Adjustment] = []
    for (team, pattern), n in sorted(marks.items()):
        found = findings_count.get((team, pattern), 0)
        tuning = REGISTRY[pattern].tuning if pattern in REGISTRY else None
        if tuning is None or n < min_marks or found <= 0 or n / found <= share:
            continue
        param, step, bound = tuning.param, tuning.step, tuning.bound
        adj = active.get((team, pattern, param))
        if adj is not None:
            current: Any = adj.new
        else:
            params = current_params(team, pattern)
            if params is None or not hasattr(params, param):
                continue
            current = getattr(params, param)
        new = _step(current, step, bound)
        if new is None:
            continue
        reason = (
            f'marked "not accurate" {n} times for {found} findings ({n / found:.0%}, limit '
            f"{share:.0%}): {param} {current} -> {new}"
        )
        made.append(store.adjust_threshold(team, pattern, param, current, new, reason, now))
    return made


def findings_per_team(
    findings: Iterable[Finding], team_of: Callable[[Finding], str]
) -> Counter[tuple[str, str]]:
    """How many findings each (team, pattern) has now: what the marks are weighed against."""
    return Counter((team_of(f), f.pattern) for f in findings)


def overrides(store: Store) -> dict[str, dict[str, dict[str, Any]]]:
    """Active learned thresholds as team -> pattern -> {param: value} (team "" = everyone)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for a in store.active_adjustments():
        out.setdefault(a.team, {}).setdefault(a.pattern, {})[a.param] = a.new
    return out


def apply_overrides(config: Config, store: Store) -> Config:
    """The config with learned thresholds layered on (``Config.with_adjustments``)."""
    learned = overrides(store)
    return config.with_adjustments(learned) if learned else config


def _step(current: Any, step: float, bound: float) -> Any | None:
    """One step towards ``bound``, never past it; None when already there."""
    if isinstance(current, bool) or not isinstance(current, int | float):
        return None
    moved = current + step
    moved = min(moved, bound) if step > 0 else max(moved, bound)
    if (step > 0 and current >= bound) or (step < 0 and current <= bound) or moved == current:
        return None
    if isinstance(current, int) and float(moved).is_integer():
        return int(moved)
    return moved


# --- question ranking ---


def question_weights(store: Store, pattern: str) -> dict[str, float]:
    """question id -> weight for ``pattern``: 1.0, +0.5 for each deal that moved forward
    (stage advanced in the exports, or a meeting happened) within 14 days after the rep
    marked the question "asked", capped at 3.0. Questions never asked are absent (1.0)."""
    asked = store.feedback(pattern=pattern, kind="asked")
    if not asked:
        return {}
    weights: dict[str, float] = {}
    progress_by_deal: dict[str, list[date]] = {}
    counted: set[tuple[str, str]] = set()
    for r in asked:
        if not r.question_id:
            continue
        weights.setdefault(r.question_id, WEIGHT_BASE)
        if (r.deal_id, r.question_id) in counted:
            continue
        if r.deal_id not in progress_by_deal:
            progress_by_deal[r.deal_id] = progress_days(store, r.deal_id)
        start = r.at.date()
        end = start + SUCCESS_WINDOW
        if any(start < d <= end for d in progress_by_deal[r.deal_id]):
            counted.add((r.deal_id, r.question_id))
            weights[r.question_id] = min(WEIGHT_CAP, weights[r.question_id] + WEIGHT_STEP)
    return weights


def progress_days(store: Store, deal_id: str) -> list[date]:
    """Days the deal moved forward in the exports: its stage changed (not to lost), or a
    meeting showed up for the first time (dated with the meeting's day)."""
    days: list[date] = []
    for c in store.deal_changes(deal_id):
        if c.stage_moved:
            days.append(c.as_of)
        if c.kind == "changed" and c.met is not None:
            days.append(c.met)
    return days


def _after(a: datetime, b: datetime) -> bool:
    if (a.tzinfo is None) != (b.tzinfo is None):
        return a.replace(tzinfo=None) > b.replace(tzinfo=None)
    return a > b


__all__ = [
    "apply_overrides",
    "findings_per_team",
    "not_accurate_counts",
    "overrides",
    "progress_days",
    "question_weights",
    "quiet",
    "review_feedback",
    "snoozed_patterns",
    "wake",
]
