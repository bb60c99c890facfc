"""A deal as the surfaces show it: one card per flagged deal, no view built again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.analysis.analyse import Snapshot, analyse, deal_facts, read_config, view_context
from bot.analysis.snapshot import SnapshotHolder
from bot.appconfig import load_app_config
from bot.ingest.loader import load_export
from bot.slack import render
from bot.slack.context import Deps
from bot.state import open_store
from bot.state.people import PeopleDirectory
from bot.tools.demo import DEMO_AS_OF, demo_export_dir
from rules.base import build_view
from rules.lexicon import load_lexicon

NOW = datetime(DEMO_AS_OF.year, DEMO_AS_OF.month, DEMO_AS_OF.day, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    return analyse(load_export([demo_export_dir()]), read_config(None), DEMO_AS_OF)


class CountingHolder(SnapshotHolder):
    """Counts the deal views the app asks to be built."""

    built = 0

    def view(self, snapshot: Snapshot, deal_id: str, build):  # type: ignore[no-untyped-def]
        def counted():  # type: ignore[no-untyped-def]
            CountingHolder.built += 1
            return build()

        return super().view(snapshot, deal_id, counted)


@pytest.fixture
def deps(snap: Snapshot, tmp_path: Path) -> Iterator[Deps]:
    with open_store(tmp_path / "state.json", clock=lambda: NOW) as store:
        config = load_app_config(None)
        people = PeopleDirectory(store, None, config.people, lambda: NOW)
        CountingHolder.built = 0
        d = Deps(config, store, CountingHolder(snap), WebClient(), people, lambda: NOW)
        yield d
        d.workers.shutdown(wait=True)


def test_a_card_holds_what_a_fresh_view_of_its_deal_says(snap: Snapshot) -> None:
    """Each flagged deal's card: the facts and question context a new view gives, and its
    findings in rank order."""
    lexicon = load_lexicon()
    assert len(snap.cards) >= 10
    for deal_id, card in snap.cards.items():
        view = build_view(snap.pipeline, card.deal, snap.as_of, lexicon)
        assert card.deal.id == deal_id
        assert card.facts == deal_facts(view, snap.pipeline, snap.as_of)
        assert card.context == view_context(view, snap.as_of)
        assert [a for a in snap.advice if a.finding.deal.id == deal_id] == list(card.advice)


def test_deal_for_a_flagged_deal_builds_no_view(snap: Snapshot, deps: Deps) -> None:
    deal = next(iter(snap.cards.values())).deal
    message = render.deal_message(deps, snap, deal)
    assert CountingHolder.built == 0
    assert deal.name in str(message)
    assert render.question_context(deps, snap, deal) == snap.cards[deal.id].context
    assert CountingHolder.built == 0


def test_deal_without_findings_builds_its_view_once(snap: Snapshot, deps: Deps) -> None:
    deal = next(d for d in snap.pipeline.deals if d.is_open and d.id not in snap.cards)
    render.deal_message(deps, snap, deal)
    render.deal_message(deps, snap, deal)  # the next request reuses it
    assert CountingHolder.built == 1
    view = build_view(snap.pipeline, deal, snap.as_of, load_lexicon())
    assert render.facts(deps, snap, deal) == deal_facts(view, snap.pipeline, snap.as_of)
