"""The manager digest's content: what is hanging around, how it moved, what the reps did.

``build_digest`` reads a findings snapshot and the store and returns a frozen ``Digest``; it
never talks to Slack and never reads the clock (``as_of`` and ``since`` are parameters).
Rendering lives in ``bot.slack.blocks.digest`` (Block Kit and plain text) and ``bot.reports.chart``.

The trend compares with the previous digest's ``Digest.counts``: the caller stores them
with the digest it sent and passes them back as ``previous`` next time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

from bot.analysis.analyse import Advice, Snapshot
from bot.state import FeedbackRecord, Store
from bot.state.feedback import SUCCESS_WINDOW, progress_days
from rules.config import Config
from rules.engine import rank_key
from rules.model import Deal, Pipeline
from rules.patterns import REGISTRY
from rules.questions import QuestionBank, QuestionContext, default_questions, render

TOP_DEALS = 5
_Known = Callable[[str], Deal | None]  # the visible deal with this id, or None
# The key of ``Digest.counts`` that holds the number of flagged deals (not a pattern code).
TOTAL_KEY = "*"

__all__ = [
    "TOP_DEALS",
    "TOTAL_KEY",
    "AdjustmentLine",
    "AtRisk",
    "Digest",
    "Engagement",
    "Outcome",
    "PatternLine",
    "QuestionResult",
    "RepRow",
    "build_digest",
    "pattern_title",
]


pattern_title = REGISTRY.title


@dataclass(frozen=True)
class PatternLine:
    """One pattern across the scope: deals showing it now, their value, the trend."""

    code: str
    title: str
    deals: int
    value: float
    previous: int | None  # deals in the previous digest; None when there was none

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.deals - self.previous


@dataclass(frozen=True)
class AtRisk:
    """A flagged deal among the top ones (most severe × amount first)."""

    deal_id: str
    name: str
    account: str
    stage: str
    amount: float | None
    currency: str
    owner_id: str
    owner_name: str
    patterns: tuple[str, ...]  # codes, most severe × amount first
    severity: float
    summary: str  # the top finding's summary


@dataclass(frozen=True)
class Engagement:
    """What reps did with their nudges.

    ``nudged`` counts distinct deal + pattern items that sent nudges carried in the period;
    ``ignored`` those with no feedback of any kind from the day they were last nudged on.
    The other counts are feedback records (a button pressed twice counts twice).
    """

    nudged: int = 0
    asked: int = 0
    another: int = 0
    snoozed: int = 0
    not_accurate: int = 0
    ignored: int = 0

    @property
    def responded(self) -> int:
        return self.nudged - self.ignored


@dataclass(frozen=True)
class RepRow:
    owner_id: str
    name: str
    flagged: int  # flagged deals
    value: float  # their amount
    open_deals: int
    engagement: Engagement


@dataclass(frozen=True)
class AdjustmentLine:
    """A threshold learned from "not accurate" feedback and still in force."""

    team: str  # "" = everyone
    pattern: str
    title: str
    param: str
    old: float
    new: float
    reason: str
    at: datetime


@dataclass(frozen=True)
class Outcome:
    """A deal that moved forward within 14 days after its rep chose "I'll ask this"."""

    deal_id: str
    name: str
    account: str
    amount: float | None
    currency: str
    owner_id: str
    owner_name: str
    pattern: str
    question_id: str
    question: str  # the question's generic wording (no CRM text)
    asked_on: date
    moved_on: date


@dataclass(frozen=True)
class QuestionResult:
    """A question and how many deals moved within 14 days of a rep choosing to ask it."""

    question_id: str
    pattern: str
    question: str
    deals: int


@dataclass(frozen=True)
class Digest:
    manager_name: str
    as_of: date
    since: date | None
    scoped: bool  # False: every owner (owner_ids was None)
    currency: str  # the one currency of the scope's open deals, else ""
    open_deals: int
    open_value: float
    flagged_deals: int
    flagged_value: float
    snoozed_deals: int  # flagged deals with an active snooze on any of their patterns
    patterns: tuple[PatternLine, ...]
    top: tuple[AtRisk, ...]
    reps: tuple[RepRow, ...]
    engagement: Engagement
    adjustments: tuple[AdjustmentLine, ...]
    outcomes: tuple[Outcome, ...]
    questions_that_worked: tuple[QuestionResult, ...]
    has_previous: bool
    previous_flagged: int | None
    counts: Mapping[str, int] = field(default_factory=dict)
    coverage_note: str = ""  # what the export does not let dealnudge check
    """Per pattern code, deals now, plus ``TOTAL_KEY``: store these for the next trend."""

    @property
    def value_share(self) -> float | None:
        return self.flagged_value / self.open_value if self.open_value > 0 else None

    @property
    def count_share(self) -> float | None:
        return self.flagged_deals / self.open_deals if self.open_deals else None

    @property
    def flagged_change(self) -> int | None:
        return None if self.previous_flagged is None else self.flagged_deals - self.previous_flagged

    @property
    def empty(self) -> bool:
        """Nothing to report: no open deals, nothing flagged, no engagement or outcomes."""
        return not (
            self.open_deals
            or self.flagged_deals
            or self.engagement.nudged
            or self.engagement.asked + self.engagement.another
            or self.engagement.snoozed + self.engagement.not_accurate
            or self.outcomes
            or any(p.deals or p.previous for p in self.patterns)
        )


# --------------------------------------------------------------------------- building


def build_digest(
    snap: Snapshot,
    store: Store,
    owner_ids: Collection[str] | None,
    manager_name: str,
    since: date | None,
    as_of: date,
    rules: Config,
    *,
    previous: Mapping[str, int] | None = None,
    bank: QuestionBank | None = None,
) -> Digest:
    """The digest for the deals of ``owner_ids`` (None: every owner).

    ``since`` starts the period for engagement and outcomes (None: all recorded history);
    ``previous`` is the last digest's ``Digest.counts`` (None: no trend). Feedback and
    nudges about deals missing from the snapshot's export are not counted: their owner is
    unknown, so they cannot be scoped.
    """
    p = snap.pipeline
    allowed = None if owner_ids is None else frozenset(owner_ids)

    def visible(deal: Deal) -> bool:
        return allowed is None or deal.owner_id in allowed

    open_deals = [d for d in p.deals if d.is_open and visible(d)]
    groups = [c.advice for c in snap.cards.values() if visible(c.deal)]
    groups.sort(key=_group_rank)
    flagged = [g[0].finding.deal for g in groups]
    currencies = {d.currency for d in open_deals if d.currency} | {
        d.currency for d in flagged if d.currency
    }
    currency = next(iter(currencies)) if len(currencies) == 1 else ""

    # --- per pattern, and the counts the next digest compares with
    per_pattern: Counter[str] = Counter()
    value_by_pattern: defaultdict[str, float] = defaultdict(float)
    for g in groups:
        for code in dict.fromkeys(a.finding.pattern for a in g):
            per_pattern[code] += 1
            value_by_pattern[code] += g[0].finding.deal.amount or 0.0
    counts = {**per_pattern, TOTAL_KEY: len(groups)}
    codes = set(per_pattern) | {c for c in (previous or {}) if c != TOTAL_KEY}
    order = {c: i for i, c in enumerate(REGISTRY.codes())}
    patterns = tuple(
        PatternLine(
            code,
            pattern_title(code),
            per_pattern.get(code, 0),
            value_by_pattern.get(code, 0.0),
            None if previous is None else int(previous.get(code, 0)),
        )
        for code in sorted(
            codes, key=lambda c: (-per_pattern.get(c, 0), order.get(c, len(order)), c)
        )
    )

    # --- top deals at risk
    top = tuple(_at_risk(g, p) for g in groups[:TOP_DEALS])

    # --- snoozes (a deal counts when any of its patterns, or all, is quiet)
    quiet = {(s.deal_id, s.pattern) for s in store.active_snoozes(as_of)}
    snoozed_deals = sum(
        1
        for g in groups
        if any((g[0].finding.deal.id, c) in quiet for c in ("*", *(a.finding.pattern for a in g)))
    )

    # --- engagement: feedback and nudges in the period, attributed to the deal's owner
    def known(deal_id: str) -> Deal | None:
        deal = p.deal_index.get(deal_id)
        return deal if deal is not None and visible(deal) else None

    feedback = [r for r in store.feedback(since=since) if known(r.deal_id) is not None]
    items = _nudged_items(store, since, known)
    totals, by_owner = _engagement(feedback, items, p)

    # --- per rep
    rep_ids: set[str] = {d.owner_id for d in open_deals} | set(by_owner)
    flagged_by_owner: Counter[str] = Counter(d.owner_id for d in flagged)
    value_by_owner: defaultdict[str, float] = defaultdict(float)
    for d in flagged:
        value_by_owner[d.owner_id] += d.amount or 0.0
    open_by_owner = Counter(d.owner_id for d in open_deals)
    reps = tuple(
        sorted(
            (
                RepRow(
                    oid,
                    _owner_name(p, oid),
                    flagged_by_owner.get(oid, 0),
                    value_by_owner.get(oid, 0.0),
                    open_by_owner.get(oid, 0),
                    by_owner.get(oid, Engagement()),
                )
                for oid in rep_ids
            ),
            key=lambda r: (-r.value, -r.flagged, r.name.lower(), r.owner_id),
        )
    )

    # --- thresholds learned from feedback
    adjustments = _adjustments(store, p, rules, allowed)

    # --- outcomes
    outcomes, worked = _outcomes(store, p, since, as_of, known, bank)

    return Digest(
        manager_name=manager_name,
        as_of=as_of,
        since=since,
        scoped=allowed is not None,
        currency=currency,
        open_deals=len(open_deals),
        open_value=sum(d.amount or 0.0 for d in open_deals),
        flagged_deals=len(flagged),
        flagged_value=sum(d.amount or 0.0 for d in flagged),
        snoozed_deals=snoozed_deals,
        patterns=patterns,
        top=top,
        reps=reps,
        engagement=totals,
        adjustments=adjustments,
        outcomes=outcomes,
        questions_that_worked=worked,
        has_previous=previous is not None,
        previous_flagged=(
            None if previous is None or TOTAL_KEY not in previous else int(previous[TOTAL_KEY])
        ),
        counts=MappingProxyType(counts),
        coverage_note=snap.coverage_note,
    )


def _group_rank(group: tuple[Advice, ...]) -> tuple[float, float, str, str]:
    return min(rank_key(a.finding) for a in group)


def _owner_name(p: Pipeline, owner_id: str) -> str:
    owner = p.owner_index.get(owner_id)
    if owner is None:
        return owner_id or "(no owner)"
    return owner.name or owner.email or owner.id


def _at_risk(group: tuple[Advice, ...], p: Pipeline) -> AtRisk:
    ranked = sorted(group, key=lambda a: rank_key(a.finding))
    top = ranked[0].finding
    d = top.deal
    return AtRisk(
        deal_id=d.id,
        name=d.name,
        account=d.account,
        stage=d.stage,
        amount=d.amount,
        currency=d.currency,
        owner_id=d.owner_id,
        owner_name=_owner_name(p, d.owner_id),
        patterns=tuple(dict.fromkeys(a.finding.pattern for a in ranked)),
        severity=top.severity,
        summary=top.summary,
    )


@dataclass(frozen=True)
class _Item:
    deal_id: str
    pattern: str
    owner_id: str
    last: date  # the day a sent nudge last carried it


def _nudged_items(store: Store, since: date | None, known: _Known) -> list[_Item]:
    """Deal + pattern items that sent nudges carried in the period, on visible deals."""
    items = []
    for (deal_id, pattern), day in store.last_nudged_all().items():
        deal = known(deal_id)
        if deal is not None and (since is None or day >= since):
            items.append(_Item(deal_id, pattern, deal.owner_id, day))
    return items


def _engagement(
    feedback: list[FeedbackRecord], items: list[_Item], p: Pipeline
) -> tuple[Engagement, dict[str, Engagement]]:
    kinds: dict[str, Counter[str]] = defaultdict(Counter)  # owner -> kind -> n
    responses: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    for r in feedback:
        deal = p.deal_index[r.deal_id]
        kinds[deal.owner_id][r.kind] += 1
        responses[(r.deal_id, r.pattern)].append(r.at)
    nudged: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    for item in items:
        nudged[item.owner_id] += 1
        # Feedback on the item (or on the deal, no pattern) from the day it was last nudged.
        ats = responses.get((item.deal_id, item.pattern), []) + responses.get(
            (item.deal_id, ""), []
        )
        if not any(at.date() >= item.last for at in ats):
            ignored[item.owner_id] += 1
    by_owner = {
        oid: Engagement(
            nudged=nudged[oid],
            asked=kinds[oid]["asked"],
            another=kinds[oid]["another"],
            snoozed=kinds[oid]["snoozed"],
            not_accurate=kinds[oid]["not_accurate"],
            ignored=ignored[oid],
        )
        for oid in set(kinds) | set(nudged)
    }
    totals = Engagement(
        nudged=sum(e.nudged for e in by_owner.values()),
        asked=sum(e.asked for e in by_owner.values()),
        another=sum(e.another for e in by_owner.values()),
        snoozed=sum(e.snoozed for e in by_owner.values()),
        not_accurate=sum(e.not_accurate for e in by_owner.values()),
        ignored=sum(e.ignored for e in by_owner.values()),
    )
    return totals, by_owner


def _adjustments(
    store: Store, p: Pipeline, rules: Config, allowed: frozenset[str] | None
) -> tuple[AdjustmentLine, ...]:
    """Active learned thresholds for everyone and for the teams of the scope's owners."""
    if allowed is None:
        teams = None
    else:
        teams = {""} | {rules.team_of(p.owner_index.get(oid)) for oid in allowed}
    lines = [
        AdjustmentLine(
            a.team, a.pattern, pattern_title(a.pattern), a.param, a.old, a.new, a.reason, a.at
        )
        for a in store.active_adjustments()
        if teams is None or a.team in teams
    ]
    lines.sort(key=lambda a: (_naive(a.at), a.team, a.pattern, a.param), reverse=True)
    return tuple(lines)


def _outcomes(
    store: Store,
    p: Pipeline,
    since: date | None,
    as_of: date,
    known: _Known,
    bank: QuestionBank | None,
) -> tuple[tuple[Outcome, ...], tuple[QuestionResult, ...]]:
    """Deals that moved forward in the period within 14 days after an "I'll ask this"."""
    window = SUCCESS_WINDOW.days
    asked_since = since - timedelta(days=window) if since is not None else None
    asked = [r for r in store.feedback(kind="asked", since=asked_since) if known(r.deal_id)]
    if not asked:
        return (), ()
    progress: dict[str, list[date]] = {}
    best: dict[str, tuple[date, date, FeedbackRecord]] = {}  # deal -> (moved, asked, record)
    worked: dict[tuple[str, str], set[str]] = defaultdict(set)  # (pattern, qid) -> deals
    for r in asked:
        if r.deal_id not in progress:
            progress[r.deal_id] = sorted(progress_days(store, r.deal_id))
        start = r.at.date()
        moved = [
            d
            for d in progress[r.deal_id]
            if start < d <= start + SUCCESS_WINDOW and d <= as_of and (since is None or d >= since)
        ]
        if not moved:
            continue
        if r.question_id:
            worked[(r.pattern, r.question_id)].add(r.deal_id)
        candidate = (moved[0], start, r)
        held = best.get(r.deal_id)
        if held is None or candidate[:2] < held[:2]:
            best[r.deal_id] = candidate
    texts = _question_texts(
        bank, {qid for _, qid in worked} | {r.question_id for *_, r in best.values()}
    )
    outcomes = []
    for moved_on, asked_on, r in best.values():
        deal = p.deal_index[r.deal_id]
        outcomes.append(
            Outcome(
                deal_id=deal.id,
                name=deal.name,
                account=deal.account,
                amount=deal.amount,
                currency=deal.currency,
                owner_id=deal.owner_id,
                owner_name=_owner_name(p, deal.owner_id),
                pattern=r.pattern,
                question_id=r.question_id,
                question=texts.get(r.question_id, ""),
                asked_on=asked_on,
                moved_on=moved_on,
            )
        )
    outcomes.sort(key=lambda o: (-(o.amount or 0.0), o.moved_on, o.deal_id))
    results = sorted(
        (
            QuestionResult(qid, pattern, texts.get(qid, ""), len(deals))
            for (pattern, qid), deals in worked.items()
        ),
        key=lambda q: (-q.deals, q.pattern, q.question_id),
    )
    return tuple(outcomes), tuple(results)


def _question_texts(bank: QuestionBank | None, ids: set[str]) -> dict[str, str]:
    """Generic wording (rendered with no buyer details) of the questions with these ids."""
    ids.discard("")
    if not ids:
        return {}
    questions = bank or default_questions()
    return {q.id: render(q, QuestionContext()) for q in questions.questions if q.id in ids}


def _naive(at: datetime) -> datetime:
    return at.replace(tzinfo=None) if at.tzinfo is not None else at
