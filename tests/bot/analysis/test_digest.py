"""The manager digest: its numbers, scoping, rendering, limits and chart.

Expected numbers are computed here from the demo export and the store's records, never by
calling the code under test a second way.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from support.slack_limits import check_limits, check_text

from bot.analysis.analyse import Advice, DealCard, DealFacts, Snapshot, analyse, read_config
from bot.analysis.digest import TOTAL_KEY, Digest, build_digest
from bot.ingest.loader import LoadResult, load_export
from bot.ingest.report import IngestReport
from bot.reports.chart import digest_chart
from bot.slack.blocks import escape, plain
from bot.slack.blocks.digest import digest_blocks, digest_text
from bot.state import Store, open_store
from bot.tools.demo import DEMO_AS_OF, demo_export_dir
from rules.base import Finding
from rules.config import Config, Team
from rules.model import Deal, Owner, Pipeline
from rules.questions import QuestionContext

AS_OF = DEMO_AS_OF
SINCE = AS_OF - timedelta(days=7)
NOON = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 12, tzinfo=UTC)
OWNER = "005DEMO0000000000"  # + digit: the demo's owners 1..9
HOSTILE = ("<!channel>", "<@U123>", "<https://evil|x>", "<!here>", "<!everyone>")


def owner(n: int) -> str:
    return f"{OWNER}{n}"


@dataclasses.dataclass(frozen=True)
class Demo:
    snap: Snapshot
    config: Config

    @property
    def pipeline(self) -> Pipeline:
        return self.snap.pipeline


@pytest.fixture(scope="module")
def demo() -> Demo:
    config = read_config(None)
    return Demo(analyse(load_export([demo_export_dir()]), config, AS_OF), config)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "state.json", clock=lambda: NOON) as s:
        yield s


def reports(manager_id: str) -> set[str]:
    """Direct and indirect reports, read from the demo's User.csv."""
    with (demo_export_dir() / "User.csv").open(encoding="utf-8-sig", newline="") as fh:
        users = list(csv.DictReader(fh))
    found: set[str] = set()
    frontier = {manager_id}
    while frontier:
        frontier = {u["Id"] for u in users if u["ManagerId"] in frontier} - found
        found |= frontier
    return found


def flagged_deals(demo: Demo, owners: set[str] | None = None) -> dict[str, Deal]:
    out = {}
    for a in demo.snap.advice:
        d = a.finding.deal
        if owners is None or d.owner_id in owners:
            out[d.id] = d
    return out


def digest(demo: Demo, store: Store, owners: set[str] | None = None, **kw: Any) -> Digest:
    since = kw.pop("since", SINCE)
    config = kw.pop("config", demo.config)
    return build_digest(demo.snap, store, owners, "Luis Fernandez", since, AS_OF, config, **kw)


def texts(blocks: Sequence[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


# ------------------------------------------------------------------ numbers


def test_pipeline_totals_match_the_export(demo: Demo, store: Store) -> None:
    """Flagged deals, their value and their shares of the open pipeline."""
    d = digest(demo, store)
    open_deals = [x for x in demo.pipeline.deals if x.is_open]
    flagged = flagged_deals(demo)
    value = sum(x.amount or 0 for x in flagged.values())
    open_value = sum(x.amount or 0 for x in open_deals)
    assert (d.flagged_deals, d.open_deals) == (len(flagged), len(open_deals)) == (17, 32)
    assert d.flagged_value == value and d.open_value == open_value
    assert d.value_share == pytest.approx(value / open_value)
    assert d.count_share == pytest.approx(17 / 32)
    assert d.currency == "USD"


def test_per_pattern_counts_and_values(demo: Demo, store: Store) -> None:
    """Each pattern: how many flagged deals show it, and their value."""
    d = digest(demo, store)
    counts: Counter[str] = Counter()
    values: defaultdict[str, float] = defaultdict(float)
    for a in demo.snap.advice:
        counts[a.finding.pattern] += 1
        values[a.finding.pattern] += a.finding.deal.amount or 0
    assert {p.code: p.deals for p in d.patterns} == dict(counts)
    assert {p.code: p.value for p in d.patterns} == dict(values)
    assert [p.deals for p in d.patterns] == sorted((p.deals for p in d.patterns), reverse=True)
    assert dict(d.counts) == {**counts, TOTAL_KEY: 17}


def test_trend_against_the_previous_digest(demo: Demo, store: Store) -> None:
    """The change per pattern is now minus the previous digest's stored count."""
    first = digest(demo, store)
    assert not first.has_previous and all(p.change is None for p in first.patterns)
    assert first.flagged_change is None
    same = digest(demo, store, previous=dict(first.counts))
    assert all(p.change == 0 for p in same.patterns) and same.flagged_change == 0
    previous = {"stalled-in-stage": 4, "no-next-step": 10, "not-a-pattern-any-more": 2, "*": 20}
    d = digest(demo, store, previous=previous)
    by_code = {p.code: p for p in d.patterns}
    stalled = sum(a.finding.pattern == "stalled-in-stage" for a in demo.snap.advice)
    assert by_code["stalled-in-stage"].change == stalled - 4
    assert by_code["no-next-step"].change < 0
    assert by_code["not-a-pattern-any-more"].deals == 0
    assert by_code["not-a-pattern-any-more"].change == -2
    assert by_code["single-threaded"].change == by_code["single-threaded"].deals
    assert d.flagged_change == 17 - 20
    text = texts(digest_blocks(d))
    assert f"▲{stalled - 4}" in text and "▼3" in text


def test_top_deals_are_most_severe_times_amount(demo: Demo, store: Store) -> None:
    """Five deals, ranked by their worst severity × amount, with owner and patterns."""
    score: dict[str, float] = defaultdict(float)
    patterns: defaultdict[str, set[str]] = defaultdict(set)
    for a in demo.snap.advice:
        f = a.finding
        score[f.deal.id] = max(score[f.deal.id], f.severity * max(f.deal.amount or 0, 1))
        patterns[f.deal.id].add(f.pattern)
    expected = sorted(score, key=lambda k: (-score[k], k))[:5]
    d = digest(demo, store)
    assert [t.deal_id for t in d.top] == expected
    names = {o.id: o.name for o in demo.pipeline.owners}
    for t in d.top:
        deal = demo.pipeline.deal_index[t.deal_id]
        assert t.owner_name == names[deal.owner_id]
        assert set(t.patterns) == patterns[t.deal_id]


def test_per_rep_table(demo: Demo, store: Store) -> None:
    """One row per owner with open deals: flagged deals and their value."""
    d = digest(demo, store)
    flagged = flagged_deals(demo)
    owners = {x.owner_id for x in demo.pipeline.deals if x.is_open}
    assert {r.owner_id for r in d.reps} == owners
    for r in d.reps:
        mine = [x for x in flagged.values() if x.owner_id == r.owner_id]
        assert (r.flagged, r.value) == (len(mine), sum(x.amount or 0 for x in mine))
    assert [r.value for r in d.reps] == sorted((r.value for r in d.reps), reverse=True)


# ------------------------------------------------------------------ scoping


@pytest.mark.parametrize("manager", [2, 3])
def test_a_manager_sees_only_their_reports(demo: Demo, store: Store, manager: int) -> None:
    """Luis (2) sees reps 4-6, Priya (3) reps 7-9; nothing of the other team."""
    team = reports(owner(manager))
    assert team == (
        {owner(n) for n in (4, 5, 6)} if manager == 2 else {owner(n) for n in (7, 8, 9)}
    )
    d = digest(demo, store, team)
    flagged = flagged_deals(demo, team)
    assert d.flagged_deals == len(flagged)
    assert d.flagged_value == sum(x.amount or 0 for x in flagged.values())
    assert d.open_deals == sum(x.is_open and x.owner_id in team for x in demo.pipeline.deals)
    assert {r.owner_id for r in d.reps} <= team
    assert {t.deal_id for t in d.top} <= set(flagged)
    others = set(flagged_deals(demo)) - set(flagged)
    text = texts(digest_blocks(d)) + digest_text(d, max_reps=None, limit=None)
    for deal_id in others:
        assert demo.pipeline.deal_index[deal_id].name not in text


def test_vp_sees_everyone(demo: Demo, store: Store) -> None:
    """Margaret's reports are every rep: the same numbers as no scope at all."""
    everyone = digest(demo, store, None)
    vp = digest(demo, store, reports(owner(1)))
    assert (vp.flagged_deals, vp.flagged_value) == (everyone.flagged_deals, everyone.flagged_value)
    assert vp.scoped and not everyone.scoped


# ------------------------------------------------------------------ engagement


def _nudge(
    store: Store, key: str, rep: str, items: Sequence[tuple[str, str]], at: datetime
) -> None:
    store.clock = lambda: at
    assert store.begin_nudge(
        key, rep, [i[0] for i in items], [i[1] for i in items], ["q"] * len(items)
    )
    store.finish_nudge(key, f"{at.timestamp()}", "D1")
    store.clock = lambda: NOON


def test_engagement_since_the_last_digest(demo: Demo, store: Store) -> None:
    """Feedback kinds are counted in the period; nudged items without feedback are ignored."""
    p = demo.pipeline
    mine = {owner(n) for n in (4, 5, 6)}
    deals = [x for x in flagged_deals(demo, mine).values()]
    other = next(iter(flagged_deals(demo, {owner(7)}).values()))
    a, b, c = deals[0], deals[1], deals[2]
    pat = {x.id: next(f.finding.pattern for f in demo.snap.cards[x.id].advice) for x in deals}
    day = lambda n: NOON - timedelta(days=n)  # noqa: E731
    # In the period: a nudge (rep = owner id) with a and c; a nudge (rep = Slack id) with b.
    _nudge(store, "k1", a.owner_id, [(a.id, pat[a.id]), (c.id, pat[c.id])], day(5))
    _nudge(store, "k2", "U-SLACK-B", [(b.id, pat[b.id])], day(4))
    _nudge(store, "old", a.owner_id, [(b.id, pat[b.id])], day(30))  # before the period
    _nudge(store, "k3", owner(7), [(other.id, "x")], day(3))  # another team
    store.begin_nudge("pending", a.owner_id, [c.id], ["zzz"], ["q"])  # never sent
    store.record_feedback(a.id, pat[a.id], "q", "", "asked", at=day(4))
    store.record_feedback(a.id, pat[a.id], "q", "", "another", at=day(4))
    store.record_feedback(b.id, pat[b.id], "q", "", "snoozed", at=day(2))
    store.record_feedback(b.id, pat[b.id], "q", "", "not_accurate", at=day(20))  # too old
    store.record_feedback(c.id, pat[c.id], "q", "", "not_accurate", at=day(6))  # before nudge
    store.record_feedback(other.id, "x", "q", "", "asked", at=day(1))  # another team
    store.record_feedback("006UNKNOWN", "x", "q", "", "asked", at=day(1))  # not in export

    d = digest(demo, store, mine)
    e = d.engagement
    assert (e.nudged, e.asked, e.another, e.snoozed, e.not_accurate) == (3, 1, 1, 1, 1)
    assert e.ignored == 1  # c: its only feedback came before it was nudged
    rows = {r.owner_id: r.engagement for r in d.reps}
    expect: dict[str, Counter[str]] = defaultdict(Counter)
    for deal, kind in ((a, "asked"), (b, "snoozed"), (c, "not_accurate"), (c, "ignored")):
        expect[deal.owner_id][kind] += 1
    for oid, kinds in expect.items():
        row = rows[oid]
        got = {"asked": row.asked, "snoozed": row.snoozed}
        got |= {"not_accurate": row.not_accurate, "ignored": row.ignored}
        assert got == {k: kinds[k] for k in got}, p.owner_index[oid].name
    everything = digest(demo, store, None, since=None)
    assert everything.engagement.asked == 2  # a and the other team's deal; unknown deal skipped
    assert everything.engagement.not_accurate == 2


def test_adjustments_are_listed_with_their_reason(demo: Demo, store: Store) -> None:
    """Active learned thresholds for everyone and for the manager's team, not others'."""
    store.adjust_threshold("", "single-threaded", "min_activities", 3, 4, "marked 6 of 9", NOON)
    store.adjust_threshold("east", "no-next-step", "min_age_days", 30, 44, "east marks", NOON)
    store.adjust_threshold("west", "stalled-in-stage", "factor", 2.0, 2.5, "west <!channel>", NOON)
    store.adjust_threshold("", "convincing-mode", "min_pitches", 3, 4, "reset later", NOON)
    store.reset_adjustments("", "convincing-mode")
    config = dataclasses.replace(
        demo.config,
        teams=(
            Team("east", frozenset(), frozenset({owner(2).lower()}), {}),
            Team("west", frozenset(), frozenset({owner(3).lower()}), {}),
        ),
        _cache={},
    )
    d = digest(demo, store, reports(owner(2)), config=config)
    assert {(a.team, a.pattern, a.reason) for a in d.adjustments} == {
        ("", "single-threaded", "marked 6 of 9"),
        ("east", "no-next-step", "east marks"),
    }
    assert {a.team for a in digest(demo, store, None, config=config).adjustments} == {
        "",
        "east",
        "west",
    }
    text = texts(digest_blocks(digest(demo, store, None, config=config)))
    assert escape("min_activities 3 → 4") in text and "marked 6 of 9" in text
    assert "<!channel>" not in text


def test_outcomes_deals_that_moved_within_14_days_of_asking(demo: Demo, store: Store) -> None:
    """A stage change 2-14 days after "I'll ask this" is an outcome; later or earlier is not."""
    p = demo.pipeline
    flagged = list(flagged_deals(demo).values())
    moved, late, before, stuck = flagged[:4]
    # The first export a day before the second, so that only the stage changes differ.
    store.record_export(AS_OF - timedelta(days=3), "demo", p)
    advanced = {moved.id: "Proposal/Price Quote", late.id: "Proposal/Price Quote"}
    again = dataclasses.replace(
        p,
        deals=tuple(
            dataclasses.replace(x, stage=advanced[x.id]) if x.id in advanced else x for x in p.deals
        ),
    )
    store.record_export(AS_OF - timedelta(days=2), "demo", again)
    at = lambda d: datetime(d.year, d.month, d.day, 9, tzinfo=UTC)  # noqa: E731
    asked = AS_OF - timedelta(days=10)
    q = demo.snap.cards[moved.id].advice[0]
    question_id = q.questions[0][0].id
    store.record_feedback(moved.id, q.finding.pattern, question_id, "", "asked", at=at(asked))
    store.record_feedback(late.id, "x", "", "", "asked", at=at(AS_OF - timedelta(days=19)))
    store.record_feedback(before.id, "x", "", "", "asked", at=at(AS_OF - timedelta(days=1)))
    store.record_feedback(stuck.id, "x", "", "", "asked", at=at(asked))
    d = digest(demo, store)
    assert [(o.deal_id, o.asked_on, o.moved_on) for o in d.outcomes] == [
        (moved.id, asked, AS_OF - timedelta(days=2))
    ]
    assert d.outcomes[0].question_id == question_id and d.outcomes[0].question
    assert [(q.question_id, q.deals) for q in d.questions_that_worked] == [(question_id, 1)]
    assert moved.name in texts(digest_blocks(d))
    # Out of the manager's scope: nothing.
    others = {owner(n) for n in range(4, 10)} - {moved.owner_id}
    assert digest(demo, store, others).outcomes == ()


# ------------------------------------------------------------------ rendering


def test_blocks_within_limits_and_show_the_sections(demo: Demo, store: Store) -> None:
    """Header, summary fields, patterns, top deals, per rep, engagement: all within limits."""
    d = digest(demo, store, previous={"stalled-in-stage": 1})
    blocks = digest_blocks(d, "https://example.com/chart.png")
    assert check_limits(blocks) == []
    assert blocks[0]["type"] == "header"
    assert any(b["type"] == "image" for b in blocks)
    text = texts(blocks)
    for needle in ("Top deals at risk", "Per rep", "Nudge engagement", "Moved forward", "▲"):
        assert needle in text
    for t in d.top:
        assert t.name in text
    assert check_text(digest_text(d)) == []


def test_aggregate_only_names_no_deal(demo: Demo, store: Store) -> None:
    """The channel variant has counts and values, never a deal, account or summary."""
    d = digest(demo, store, None)
    blocks = digest_blocks(d, aggregate_only=True)
    assert check_limits(blocks) == []
    rendered = texts(blocks) + digest_text(d, aggregate_only=True, max_reps=None, limit=None)
    for x in demo.pipeline.deals:
        assert x.name not in rendered and x.account not in rendered
    for a in demo.snap.advice:
        assert a.finding.summary not in rendered
    assert "Top deals" not in rendered
    assert f"{d.flagged_deals} of 32 open deals" in rendered


def test_dry_run_text_lists_everything(demo: Demo, store: Store) -> None:
    """Without limits the plain text holds every rep and the top deals, no mrkdwn."""
    d = digest(demo, store)
    text = digest_text(d, max_reps=None, limit=None, clean=plain)  # as --dry-run prints it
    for r in d.reps:
        assert r.name in text
    assert d.top[0].name in text
    assert "*" not in text and "&lt;" not in text


# ------------------------------------------------------------------ synthetic pipelines


def synthetic(
    reps: int, *, name: str = "Deal {i}", rep_name: str = "Rep {r}", currency: str = "USD"
) -> Snapshot:
    """``reps`` owners with three open deals each, two of them flagged."""
    owners = [Owner(f"O{r}", rep_name.format(r=r), f"r{r}@x.example", "M") for r in range(reps)]
    deals, findings = [], []
    for r in range(reps):
        for k in range(3):
            i = r * 3 + k
            deal = Deal(
                f"D{i}", name.format(i=i), name.format(i=i) + " Inc", f"O{r}", "Stage " + name,
                1000.0 * (i + 1), currency,
            )  # fmt: skip
            deals.append(deal)
            if k < 2:
                findings.append(Finding(deal, "no-next-step", 0.5 + k / 4, name.format(i=i), ()))
                findings.append(Finding(deal, "single-threaded", 0.4, "one contact", ()))
    return make_snapshot(Pipeline(deals=tuple(deals), owners=tuple(owners)), findings)


def make_snapshot(pipeline: Pipeline, findings: list[Finding]) -> Snapshot:
    from rules.engine import rank_key

    findings.sort(key=rank_key)
    advice = tuple(Advice(f, ()) for f in findings)
    grouped: dict[str, list[Advice]] = defaultdict(list)
    for a in advice:
        grouped[a.finding.deal.id].append(a)
    cards = {
        k: DealCard(tuple(v), QuestionContext(), DealFacts(v[0].finding.deal, "", None, None, ""))
        for k, v in grouped.items()
    }
    return Snapshot(AS_OF, LoadResult(pipeline, IngestReport()), advice, cards)


def test_limits_hold_with_300_reps(store: Store) -> None:
    """Hundreds of reps: the table is cut to fit, the rest summed, every limit kept."""
    escapes_long = "<&> " * 10 + "{r}"  # every character grows when escaped
    snap = synthetic(300, name="<&>" * 100 + "{i}", rep_name=escapes_long)
    d = build_digest(snap, store, None, "VP", SINCE, AS_OF, read_config(None))
    assert len(d.reps) == 300 and d.flagged_deals == 600
    for aggregate in (False, True):
        blocks = digest_blocks(d, "https://example.com/c.png", aggregate_only=aggregate)
        assert check_limits(blocks) == [], blocks
        assert "more rep" in texts(blocks)
        tables = [b["text"]["text"] for b in blocks if "```" in b.get("text", {}).get("text", "")]
        assert tables and all(t.count("```") == 2 and t.endswith("```") for t in tables)
    assert check_text(digest_text(d)) == []
    assert check_text(digest_text(d, aggregate_only=True)) == []
    assert len(digest_text(d, max_reps=None, limit=None).splitlines()) > 300


def test_hostile_crm_text_is_inert(store: Store) -> None:
    """Deal, account, stage, rep names and summaries never become mentions or links."""
    evil = " ".join(HOSTILE) + " *bold* _it_ `code` ~s~ {i}"
    snap = synthetic(3, name=evil, rep_name=evil.replace("{i}", "{r}"), currency="<!here>")
    d = build_digest(snap, store, None, "<!channel> boss", None, AS_OF, read_config(None))
    for aggregate in (False, True):
        blocks = digest_blocks(d, aggregate_only=aggregate)
        assert check_limits(blocks) == []
        rendered = texts(blocks) + digest_text(d, aggregate_only=aggregate, limit=None)
        for bad in HOSTILE:
            assert bad not in rendered
        assert "<" not in rendered.replace("&lt;", "")
    assert "&lt;!channel&gt;" in texts(digest_blocks(d))  # shown, escaped


def test_no_open_deals(store: Store) -> None:
    """An empty pipeline still renders a valid, short digest and no chart."""
    snap = make_snapshot(Pipeline(), [])
    d = build_digest(snap, store, set(), "M", SINCE, AS_OF, read_config(None))
    assert d.empty and d.flagged_deals == 0 and d.value_share is None
    blocks = digest_blocks(d, "https://example.com/c.png")
    assert check_limits(blocks) == [] and not any(b["type"] == "image" for b in blocks)
    assert check_text(digest_text(d)) == []
    assert digest_chart(d) is None


def test_chart_is_a_png(demo: Demo, store: Store) -> None:
    """A small PNG of deals and value per pattern, drawable from several threads."""
    from concurrent.futures import ThreadPoolExecutor

    d = digest(demo, store, previous={"stalled-in-stage": 3})
    with ThreadPoolExecutor(2) as pool:
        pngs = list(pool.map(lambda _: digest_chart(d), range(2)))
    for png in pngs:
        assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
        assert 5_000 < len(png) < 200_000
        assert int.from_bytes(png[16:20], "big") == 800  # IHDR width
        assert int.from_bytes(png[20:24], "big") == 400  # IHDR height


def test_chart_is_none_without_flagged_deals(demo: Demo, store: Store) -> None:
    """Nothing flagged in scope: no chart."""
    d = digest(demo, store, {owner(1)})
    assert d.flagged_deals == 0
    assert digest_chart(d) is None


def test_date_only_since(demo: Demo, store: Store) -> None:
    """``since`` is a day: feedback from its first second counts."""
    deal = next(iter(flagged_deals(demo).values()))
    start = datetime(SINCE.year, SINCE.month, SINCE.day, tzinfo=UTC)
    store.record_feedback(deal.id, "p", "q", "", "asked", at=start)
    store.record_feedback(deal.id, "p", "q", "", "asked", at=start - timedelta(seconds=1))
    assert digest(demo, store).engagement.asked == 1
