"""From a loaded export to a snapshot: cards per flagged deal, ranked advice, questions.

The demo export is analysed once per module; what each card should hold is read here from
the demo's CSV files and its hand-written labels (tests/fixtures/demo_expected.toml), never
from the code under test. Question rotation runs on small hand-written banks.
"""

from __future__ import annotations

import csv
import dataclasses
import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.analysis.analyse import (
    QUESTIONS_PER_FINDING,
    Advice,
    Snapshot,
    analyse,
    pick_questions,
    read_config,
)
from bot.ingest.loader import LoadResult, load_export
from bot.tools.demo import DEMO_AS_OF, demo_export_dir
from rules.base import Finding
from rules.model import Deal
from rules.questions import PATTERNS, Question, QuestionBank, QuestionContext, load_questions

AS_OF = DEMO_AS_OF
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_expected.toml"
LABELS: dict[str, list[str]] = tomllib.loads(FIXTURE.read_text(encoding="utf-8"))["deals"]
FLAGGED = {deal_id for deal_id, patterns in LABELS.items() if patterns}


def demo_rows(name: str) -> list[dict[str, str]]:
    with (demo_export_dir() / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


OPPS = {r["Id"]: r for r in demo_rows("Opportunity.csv")}
ACCOUNTS = {r["Id"]: r["Name"] for r in demo_rows("Account.csv")}
USERS = {r["Id"]: r["Name"] for r in demo_rows("User.csv")}
CONTACT_FIRST = {r["Id"]: r["FirstName"] for r in demo_rows("Contact.csv")}
PRIMARY_FIRST = {
    r["OpportunityId"]: CONTACT_FIRST[r["ContactId"]]
    for r in demo_rows("OpportunityContactRole.csv")
    if r["IsPrimary"] == "true"
}


def created(deal_id: str) -> date:
    return date.fromisoformat(OPPS[deal_id]["CreatedDate"][:10])


@pytest.fixture(scope="module")
def load() -> LoadResult:
    return load_export([demo_export_dir()])


@pytest.fixture(scope="module")
def snap(load: LoadResult) -> Snapshot:
    return analyse(load, read_config(None), AS_OF)


@pytest.fixture(scope="module")
def few(load: LoadResult) -> LoadResult:
    """The demo cut down to four flagged deals, for the tests that analyse again."""
    keep = {"006DEMO00000000001", "006DEMO00000000003", "006DEMO00000000010", "006DEMO00000000015"}
    deals = tuple(d for d in load.pipeline.deals if d.id in keep)
    return LoadResult(dataclasses.replace(load.pipeline, deals=deals), load.report)


# One question per pattern, using every placeholder, so rendering can be checked exactly.
ONE_PER_PATTERN = "\n".join(
    f"""
[[question]]
id = "t-{n:02d}"
pattern = "{code}"
step = "people"
text = "{{first_name}}, after {{months_open}}, who at {{account}} owns {{deal}}?"
why = "test"
fallback = "{{first_name}}, who owns this decision?"
"""
    for n, code in enumerate(PATTERNS)
)


# --- cards ---


def test_there_is_one_card_per_flagged_deal(snap: Snapshot) -> None:
    """Exactly the labelled deals get a card, each keyed by its own deal id."""
    assert set(snap.cards) == FLAGGED
    for deal_id, card in snap.cards.items():
        assert card.deal.id == deal_id
        assert card.deal.is_open
        assert {a.finding.pattern for a in card.advice} == set(LABELS[deal_id])


def test_every_finding_is_on_its_deals_card_once(snap: Snapshot) -> None:
    """The cards partition the advice: each finding on its own deal's card, none twice."""
    on_cards = [
        (a.finding.deal.id, a.finding.pattern) for c in snap.cards.values() for a in c.advice
    ]
    assert len(on_cards) == len(set(on_cards)) == len(snap.advice)
    assert set(on_cards) == {(a.finding.deal.id, a.finding.pattern) for a in snap.advice}
    assert len(snap.advice) == sum(len(p) for p in LABELS.values())


def test_advice_is_most_urgent_first(snap: Snapshot) -> None:
    """Advice is ordered by value at stake (severity x amount), then severity, id, pattern."""

    def urgency(a: Advice) -> tuple[float, float, str, str]:
        f = a.finding
        return (-(f.severity * max(f.deal.amount or 0.0, 1.0)), -f.severity, f.deal.id, f.pattern)

    keys = [urgency(a) for a in snap.advice]
    assert keys == sorted(keys)
    assert keys[0][0] < keys[-1][0]  # not all equal: the order says something


def test_a_cards_advice_and_the_flagged_deals_keep_that_order(snap: Snapshot) -> None:
    """A card lists its findings in snapshot order; deals come in order of their top finding."""
    for deal_id, card in snap.cards.items():
        in_order = [a for a in snap.advice if a.finding.deal.id == deal_id]
        assert list(card.advice) == in_order
    first_seen: list[str] = []
    for a in snap.advice:
        if a.finding.deal.id not in first_seen:
            first_seen.append(a.finding.deal.id)
    assert [d.id for d in snap.flagged_deals()] == first_seen


def test_a_cards_facts_come_from_the_export(snap: Snapshot) -> None:
    """Owner name from User.csv, days open since CreatedDate, NextStep from the deal."""
    for deal_id, card in snap.cards.items():
        opp = OPPS[deal_id]
        assert card.facts.owner_name == USERS[opp["OwnerId"]]
        assert card.facts.days_open == (AS_OF - created(deal_id)).days
        if opp["NextStep"]:
            assert card.facts.next_step == opp["NextStep"]
        if "no-next-step" in LABELS[deal_id]:
            assert card.facts.next_step == ""
        last = card.facts.last_buyer_response
        assert last is None or last <= AS_OF


def test_a_planned_activity_stands_in_for_a_missing_next_step(snap: Snapshot) -> None:
    """Lakeshore CU has no NextStep but a lunch booked on 2026-11-12 (Event.csv)."""
    assert OPPS["006DEMO00000000003"]["NextStep"] == ""
    facts = snap.cards["006DEMO00000000003"].facts
    assert facts.next_step == "Lunch w/ Renee + Tom (2026-11-12)"


def test_a_cards_context_is_the_deal_and_its_primary_contact(snap: Snapshot) -> None:
    """Account and deal names, the primary contact's first name, whole months open (if 2+)."""
    with_primary = 0
    for deal_id, card in snap.cards.items():
        opp = OPPS[deal_id]
        ctx = card.context
        assert ctx.account == ACCOUNTS[opp["AccountId"]]
        assert ctx.deal == opp["Name"]
        days = (AS_OF - created(deal_id)).days
        assert ctx.months_open == (days // 30 if days >= 60 else None)
        if deal_id in PRIMARY_FIRST:
            with_primary += 1
            assert ctx.first_name == PRIMARY_FIRST[deal_id]
    assert with_primary >= 10
    bellweather = snap.cards["006DEMO00000000001"].context  # created 2026-02-10: 265 days
    name = OPPS["006DEMO00000000001"]["Name"]
    assert bellweather == QuestionContext("Dana", "Bellweather Foods", name, 8)


# --- questions chosen by analyse ---


def test_each_finding_gets_two_distinct_questions_of_its_pattern(snap: Snapshot) -> None:
    """QUESTIONS_PER_FINDING (2) questions per finding, of the finding's pattern, rendered."""
    assert QUESTIONS_PER_FINDING == 2
    for a in snap.advice:
        ids = [q.id for q, _ in a.questions]
        assert len(ids) == 2 and len(set(ids)) == 2
        for q, text in a.questions:
            assert q.pattern == a.finding.pattern
            assert text and "{" not in text and "}" not in text and "None" not in text


def test_questions_shown_before_are_rotated_out(few: LoadResult, snap: Snapshot) -> None:
    """Passing what each deal was shown makes analyse pick questions it has not shown."""
    shown = {
        deal_id: [q.id for a in card.advice for q, _ in a.questions]
        for deal_id, card in snap.cards.items()
    }
    again = analyse(few, read_config(None), AS_OF, shown=shown)
    assert len(again.cards) == 4
    for a in again.advice:
        picked = {q.id for q, _ in a.questions}
        assert len(picked) == 2
        assert not picked & set(shown[a.finding.deal.id])


def test_placeholders_are_filled_from_the_cards_context(few: LoadResult) -> None:
    """With a given bank, every rendered question carries the card's own names and months."""
    bank = load_questions(ONE_PER_PATTERN)
    snap = analyse(few, read_config(None), AS_OF, bank=bank)
    assert len(snap.cards) == 4
    bellweather = snap.cards["006DEMO00000000001"]
    texts = {text for a in bellweather.advice for _, text in a.questions}
    assert texts == {
        "Dana, after 8 months, who at Bellweather Foods owns "
        "Bellweather Foods - Workforce Analytics?"
    }
    for deal_id, card in snap.cards.items():
        opp = OPPS[deal_id]
        for a in card.advice:
            ((q, text),) = a.questions  # the bank has one per pattern
            assert q.pattern == a.finding.pattern
            assert f"who at {ACCOUNTS[opp['AccountId']]} owns {opp['Name']}?" in text


# --- pick_questions on a small bank ---

ST = "single-threaded"
SMALL_BANK = load_questions(
    "\n".join(
        f"""
[[question]]
id = "st-{n}"
pattern = "{ST}"
step = "people"
text = "{{first_name}}, question {n} about {{account}}?"
why = "test"
fallback = "{{first_name}}, question {n}?"
"""
        for n in range(1, 5)
    )
    + """
[[question]]
id = "gq-1"
pattern = "gone-quiet"
step = "notice"
text = "A gone-quiet question?"
why = "test"
"""
)
CTX = QuestionContext(first_name="Dana", account="Bellweather", deal="Renewal", months_open=8)


def advice_for(deal_id: str, pattern: str = ST) -> Advice:
    finding = Finding(Deal(deal_id, f"Deal {deal_id}"), pattern, 0.5, "test", ())
    return Advice(finding, ())


def ids(picked: tuple[tuple[Question, str], ...]) -> list[str]:
    return [q.id for q, _ in picked]


def pick(
    bank: QuestionBank = SMALL_BANK,
    deal_id: str = "D1",
    shown: list[str] | set[str] | None = None,
    count: int = 2,
    weights: dict[str, float] | None = None,
) -> list[str]:
    return ids(pick_questions(bank, advice_for(deal_id), CTX, shown or (), count, weights))


def test_pick_prefers_questions_not_shown_yet() -> None:
    """st-1 and st-2 were shown: the next two are st-3 and st-4, in some order."""
    assert set(pick(shown={"st-1", "st-2"})) == {"st-3", "st-4"}
    assert set(pick(shown={"st-1", "st-2", "st-3"}, count=1)) == {"st-4"}


def test_pick_only_uses_the_findings_pattern() -> None:
    """All four single-threaded questions, never the gone-quiet one."""
    assert sorted(pick(count=10)) == ["st-1", "st-2", "st-3", "st-4"]
    gq = pick_questions(SMALL_BANK, advice_for("D1", "gone-quiet"), CTX, (), 2)
    assert ids(gq) == ["gq-1"]


def test_when_all_were_shown_the_least_recently_shown_come_back_first() -> None:
    """Shown oldest first as st-3, st-1, st-4, st-2: st-3 then st-1 are asked again."""
    assert pick(shown=["st-3", "st-1", "st-4", "st-2"]) == ["st-3", "st-1"]


def test_pick_is_deterministic_per_deal_and_varies_across_deals() -> None:
    """The same deal always gets the same order; across deals the first question rotates."""
    for deal_id in ("D1", "006A", "zz"):
        assert pick(deal_id=deal_id, count=4) == pick(deal_id=deal_id, count=4)
    firsts = {pick(deal_id=f"deal-{n}", count=1)[0] for n in range(40)}
    assert len(firsts) >= 3


def test_weights_rank_proven_questions_first() -> None:
    """Weights above 1 (worked before) come first, highest first, for every deal."""
    weights = {"st-4": 3.0, "st-2": 2.0}
    for n in range(20):
        assert pick(deal_id=f"deal-{n}", weights=weights) == ["st-4", "st-2"]


def test_weights_below_one_rank_a_question_last() -> None:
    """A question that did not work (weight 0.2) is picked last, for every deal."""
    for n in range(20):
        assert pick(deal_id=f"deal-{n}", count=4, weights={"st-1": 0.2})[-1] == "st-1"


def test_an_unseen_question_beats_a_proven_one_already_shown() -> None:
    """A heavily weighted question already shown waits until the unseen ones are used."""
    assert "st-4" not in pick(shown={"st-4"}, weights={"st-4": 10.0}, count=3)


def test_picked_questions_are_rendered_with_the_context() -> None:
    """Placeholders are filled from the context; without names the fallback is used."""
    picked = pick_questions(SMALL_BANK, advice_for("D1"), CTX, {"st-1", "st-2", "st-3"}, 1)
    assert [text for _, text in picked] == ["Dana, question 4 about Bellweather?"]
    bare = pick_questions(SMALL_BANK, advice_for("D1"), QuestionContext(), {"st-1", "st-2"}, 2)
    assert sorted(text for _, text in bare) == ["Question 3?", "Question 4?"]


def test_pick_zero_questions() -> None:
    """count=0 picks nothing."""
    assert pick(count=0) == []
