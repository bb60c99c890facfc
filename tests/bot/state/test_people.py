"""CRM owners <-> Slack users: by email through the Web API, [people] overrides, the cache.

A real store on a tmp file and the fake Slack Web API over HTTP with a real WebClient; a
hand-set clock moves the cache's week along.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient
from support.fake_slack import FakeSlack

from bot.state import Store, open_store
from bot.state.people import NeedsSlack, PeopleDirectory, people_report, people_text
from rules.model import Deal, DealStatus, Owner, Pipeline

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

ANN = Owner("005ANN", "Ann Rep", "ann@acme.example")
BEN = Owner("005BEN", "Ben Rep", "Ben@Acme.example")  # CRM email in mixed case
NOE = Owner("005NOE", "Noe Contractor", "noe@contractor.example")  # no Slack account
PIPELINE = Pipeline(owners=(ANN, BEN, NOE))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        f.add_user("U0ANN", "ann@acme.example", "Ann Rep", tz="Europe/Berlin")
        f.add_user("U0BEN", "ben@acme.example", "Ben Rep", tz="America/Chicago")
        f.add_user("U0GUEST", "guest@elsewhere.example", "Gus Guest", tz="Asia/Tokyo")
        yield f


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    with open_store(tmp_path / "state.json", clock=clock) as s:
        yield s


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    fake.reset()
    return WebClient(base_url=fake.url, token="xoxb-test", timeout=5)


def directory(
    store: Store, client: WebClient | None, clock: Clock, overrides: dict[str, str] | None = None
) -> PeopleDirectory:
    return PeopleDirectory(store, client, overrides or {}, clock)


def lookups(fake: FakeSlack) -> list[str]:
    return [str(c.params["email"]) for c in fake.calls_to("users.lookupByEmail")]


# --- owner -> Slack ---


def test_an_owner_is_matched_by_email_and_the_link_is_stored(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """users.lookupByEmail finds Ann's Slack id; the store keeps it with her Slack tz."""
    people = directory(store, client, clock)
    assert people.slack_id(ANN) == "U0ANN"
    assert lookups(fake) == ["ann@acme.example"]
    person = store.person("005ANN")
    assert person is not None
    assert (person.slack_user_id, person.tz, person.source) == ("U0ANN", "Europe/Berlin", "email")
    assert person.cached_at == T0


def test_a_stored_link_is_trusted_for_a_week_then_looked_up_again(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """Within 7 days of the lookup no Slack call is made; after that Slack is asked again."""
    directory(store, client, clock).slack_id(ANN)
    clock.now = T0 + timedelta(days=6, hours=23)
    fresh = directory(store, client, clock)  # nothing in memory: the store answers
    assert fresh.slack_id(ANN) == "U0ANN"
    assert len(lookups(fake)) == 1
    clock.now = T0 + timedelta(days=7, hours=1)
    assert fresh.slack_id(ANN) == "U0ANN"
    assert len(lookups(fake)) == 2
    person = store.person("005ANN")
    assert person is not None and person.cached_at == clock.now


def test_an_owner_without_a_slack_account_is_remembered_as_unmapped(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """users_not_found: None, stored as not_found, and not asked again within the week."""
    people = directory(store, client, clock)
    assert people.slack_id(NOE) is None
    person = store.person("005NOE")
    assert person is not None
    assert (person.slack_user_id, person.source) == ("", "not_found")
    clock.now = T0 + timedelta(days=3)
    assert people.slack_id(NOE) is None
    assert lookups(fake) == ["noe@contractor.example"]


def test_an_override_by_owner_id_wins_without_asking_slack(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """[people] "005ANN" = "U0OTHER": that id, whatever Slack or the store would say."""
    store.link_person("005ANN", "U0ANN")
    people = directory(store, client, clock, {"005ANN": "U0OTHER"})
    assert people.slack_id(ANN) == "U0OTHER"
    assert people.slack_id(BEN) == "U0BEN"  # only Ann is overridden
    assert lookups(fake) == ["Ben@Acme.example"]


def test_an_override_by_email_matches_in_any_case(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """[people] keys are emails too, compared without case."""
    people = directory(store, client, clock, {"NOE@Contractor.Example": "U0NOE"})
    assert people.slack_id(NOE) == "U0NOE"
    assert lookups(fake) == []
    assert store.person("005NOE") is None  # an override is config, not a cached lookup


def test_a_slack_failure_keeps_the_last_known_link(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """When the week is up and Slack answers 500, the stale link is still used."""
    people = directory(store, client, clock)
    people.slack_id(ANN)
    clock.now = T0 + timedelta(days=8)
    fake.fail_next("users.lookupByEmail", status=500)
    assert people.slack_id(ANN) == "U0ANN"
    person = store.person("005ANN")
    assert person is not None and person.cached_at == T0  # not refreshed by the failure


def test_a_slack_failure_with_nothing_cached_is_not_remembered(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """A failed lookup is not "not found": None now, and the next call asks Slack again."""
    people = directory(store, client, clock)
    fake.fail_next("users.lookupByEmail", status=500)
    assert people.slack_id(ANN) is None
    assert store.person("005ANN") is None
    assert people.slack_id(ANN) == "U0ANN"
    assert len(lookups(fake)) == 2


def test_without_a_client_only_local_answers_are_given(store: Store, clock: Clock) -> None:
    """No Web API client: overrides and stored links work, everything else is None."""
    store.link_person("005BEN", "U0BEN", tz="America/Chicago")
    people = directory(store, None, clock, {"noe@contractor.example": "U0NOE"})
    assert people.slack_id(ANN) is None
    assert people.slack_id(BEN) == "U0BEN"
    assert people.slack_id(NOE) == "U0NOE"
    assert people.lookup_email("ann@acme.example") is None
    assert people.owner_of("U0ANN", PIPELINE) is None


def test_lookup_email_answers_the_slack_id_or_none(
    store: Store, client: WebClient, clock: Clock
) -> None:
    """lookup_email: the id for a known email, None for an unknown one (users_not_found)."""
    people = directory(store, client, clock)
    assert people.lookup_email("guest@elsewhere.example") == "U0GUEST"
    assert people.lookup_email("nobody@nowhere.example") is None


def test_tz_comes_from_the_store_else_from_slack(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """A stored tz is used without Slack; otherwise the matched user's Slack tz."""
    store.link_person("005ANN", "U0ANN", tz="Pacific/Auckland")
    people = directory(store, client, clock)
    assert people.tz(ANN) == "Pacific/Auckland"
    assert fake.calls == []
    assert people.tz(BEN) == "America/Chicago"
    assert people.tz(NOE) == ""


# --- Slack -> owner ---


def test_a_slack_user_is_matched_to_the_owner_with_their_email(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """users.info's email finds Ben (any case); the stored link answers later without Slack."""
    assert directory(store, client, clock).owner_of("U0BEN", PIPELINE) == BEN
    person = store.person_by_slack_id("U0BEN")
    assert person is not None and person.owner_id == "005BEN"
    assert person.tz == "America/Chicago"
    calls = len(fake.calls)
    assert directory(store, client, clock).owner_of("U0BEN", PIPELINE, remote=False) == BEN
    assert len(fake.calls) == calls


def test_a_slack_user_with_no_matching_owner_is_no_one(
    store: Store, client: WebClient, clock: Clock
) -> None:
    """A Slack member whose email no CRM owner has, and an unknown user id: both None."""
    people = directory(store, client, clock)
    assert people.owner_of("U0GUEST", PIPELINE) is None
    assert people.owner_of("U0MISSING", PIPELINE) is None
    assert store.people() == []


def test_local_only_owner_of_raises_needs_slack(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """remote=False for a user not known locally raises NeedsSlack and makes no call."""
    with pytest.raises(NeedsSlack):
        directory(store, client, clock).owner_of("U0ANN", PIPELINE, remote=False)
    assert fake.calls == []


def test_an_email_override_maps_the_slack_user_back_to_the_owner(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """[people] "ann@acme.example" = "U0ANNIE": U0ANNIE is Ann, without asking Slack."""
    people = directory(store, client, clock, {"ann@acme.example": "U0ANNIE"})
    assert people.owner_of("U0ANNIE", PIPELINE, remote=False) == ANN
    assert fake.calls == []


def test_an_owner_id_override_maps_the_slack_user_back_to_the_owner(
    store: Store, client: WebClient, clock: Clock
) -> None:
    """[people] "005ANN" = "U0ANNIE": U0ANNIE is Ann (Salesforce ids are mixed case)."""
    people = directory(store, client, clock, {"005ANN": "U0ANNIE"})
    assert people.slack_id(ANN) == "U0ANNIE"  # this direction works
    assert people.owner_of("U0ANNIE", PIPELINE) == ANN


def test_a_user_slack_does_not_know_is_not_asked_about_again(
    store: Store, client: WebClient, clock: Clock, fake: FakeSlack
) -> None:
    """users.info user_not_found is cached: a second profile() makes no call."""
    people = directory(store, client, clock)
    assert people.profile("U0MISSING") is None
    assert people.profile("U0MISSING") is None
    assert len(fake.calls_to("users.info")) == 1
    profile = people.profile("U0GUEST")
    assert profile is not None
    assert (profile.email, profile.name, profile.tz) == (
        "guest@elsewhere.example",
        "Gus Guest",
        "Asia/Tokyo",
    )


# --- the report ---


def test_people_report_splits_owners_of_open_deals(
    store: Store, client: WebClient, clock: Clock
) -> None:
    """Owners of open deals only, matched or not; the text names the unmatched and [people]."""
    gone = Owner("005OLD", "Olga Old", "olga@acme.example")
    pipeline = Pipeline(
        deals=(
            Deal("D1", "Ann's deal", owner_id="005ANN"),
            Deal("D2", "Noe's deal", owner_id="005NOE"),
            Deal("D3", "Olga's lost deal", owner_id="005OLD", status=DealStatus.LOST),
        ),
        owners=(ANN, BEN, NOE, gone),
    )
    report = people_report(directory(store, client, clock), pipeline)
    assert report["mapped"] == [
        {"owner_id": "005ANN", "name": "Ann Rep", "email": "ann@acme.example",
         "slack_user_id": "U0ANN"}
    ]  # fmt: skip
    assert report["unmapped"] == [
        {"owner_id": "005NOE", "name": "Noe Contractor", "email": "noe@contractor.example"}
    ]
    text = people_text(report)
    assert "1 owner(s) of open deals matched, 1 not matched" in text
    assert "unmatched: Noe Contractor <noe@contractor.example> (CRM id 005NOE)" in text
    assert "[people]" in text
