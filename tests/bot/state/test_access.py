"""Who may see which deals: a rep their own, a manager their reports', an admin all.

A hand-built org (who reports to whom is written out below) on a real store, with Slack
users served by the fake Slack Web API over HTTP; the expected deal sets are read off the
org chart here, never from the code under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk import WebClient
from support.fake_slack import FakeSlack

from bot.appconfig import AppConfig, app_config_from_dict
from bot.state import Store, open_store
from bot.state.access import Viewer, reports_of, resolve_viewer
from bot.state.people import NeedsSlack, PeopleDirectory
from rules.model import Deal, Owner, Pipeline

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

# The org chart:
#   Vera (VP) <- Max (manager) <- Ann, Ben   (CRM manager field)
#   Lee leads team "east" (config [teams]), whose member is Cat; Cat has no CRM manager.
VERA = Owner("005VP", "Vera Vice", "vera@acme.example")
MAX = Owner("005MGR", "Max Manager", "max@acme.example", manager_id="005VP")
ANN = Owner("005ANN", "Ann Rep", "ann@acme.example", manager_id="005MGR")
BEN = Owner("005BEN", "Ben Rep", "ben@acme.example", manager_id="005MGR")
CAT = Owner("005CAT", "Cat Rep", "cat@acme.example")
LEE = Owner("005LEE", "Lee Lead", "lee@acme.example")
OWNERS = (VERA, MAX, ANN, BEN, CAT, LEE)

# One deal per owner, named after them, plus one whose owner left the CRM.
DEALS = {o.id: Deal(f"D-{o.name.split()[0]}", f"{o.name}'s deal", owner_id=o.id) for o in OWNERS}
ORPHAN = Deal("D-orphan", "Nobody's deal", owner_id="005GONE")
PIPELINE = Pipeline(deals=(*DEALS.values(), ORPHAN), owners=OWNERS)
ALL_DEAL_IDS = {d.id for d in PIPELINE.deals}

SLACK_ID = {o.id: f"U0{o.name.split()[0].upper()}" for o in OWNERS}  # e.g. U0ANN
ADMIN = "U0ADMIN"  # an admin by Slack user id
BOSS = "U0BOSS"  # an admin by email, owns no deals
GUEST = "U0GUEST"  # in Slack, but no CRM owner has their email
STRANGER = "U0STRANGER"  # not in this Slack workspace at all


def config(**extra: object) -> AppConfig:
    data: dict[str, object] = {
        "slack": {"admins": [ADMIN, "Boss@Acme.example"]},
        "teams": {"east": {"members": ["cat@acme.example"], "managers": ["lee@acme.example"]}},
    }
    data.update(extra)
    return app_config_from_dict(data, "test.toml")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        for o in OWNERS:
            f.add_user(SLACK_ID[o.id], o.email, o.name)
        f.add_user(ADMIN, "admin@acme.example", "Ada Admin")
        f.add_user(BOSS, "boss@acme.example", "Bo Boss")
        f.add_user(GUEST, "guest@elsewhere.example", "Gus Guest")
        yield f


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "state.json", clock=lambda: NOW) as s:
        yield s


@pytest.fixture
def people(fake: FakeSlack, store: Store) -> PeopleDirectory:
    fake.reset()
    client = WebClient(base_url=fake.url, token="xoxb-test", timeout=5)
    return PeopleDirectory(store, client, {}, lambda: NOW)


def visible(viewer: Viewer) -> set[str]:
    return {d.id for d in PIPELINE.deals if viewer.can_see(d)}


def deals_of(*owners: Owner) -> set[str]:
    return {DEALS[o.id].id for o in owners}


def test_a_rep_sees_only_their_own_deals(people: PeopleDirectory) -> None:
    """A rep with no reports is a "rep" and sees their own deal and no one else's."""
    viewer = resolve_viewer(SLACK_ID[ANN.id], PIPELINE, people, config())
    assert viewer.role == "rep"
    assert viewer.owner == ANN and viewer.name == "Ann Rep"
    assert visible(viewer) == {"D-Ann"}


def test_a_manager_sees_their_direct_reports_deals(people: PeopleDirectory) -> None:
    """Max manages Ann and Ben in the CRM: he sees their deals and his own, not Cat's."""
    viewer = resolve_viewer(SLACK_ID[MAX.id], PIPELINE, people, config())
    assert viewer.role == "manager"
    assert visible(viewer) == deals_of(MAX, ANN, BEN)


def test_a_manager_sees_indirect_reports_deals(people: PeopleDirectory) -> None:
    """Vera manages Max who manages Ann and Ben: she sees all four deals, not Cat's or Lee's."""
    viewer = resolve_viewer(SLACK_ID[VERA.id], PIPELINE, people, config())
    assert viewer.role == "manager"
    assert visible(viewer) == deals_of(VERA, MAX, ANN, BEN)


def test_a_team_manager_from_config_sees_the_teams_deals(people: PeopleDirectory) -> None:
    """Lee is listed as a manager of team "east" in the config: he sees Cat's deal."""
    viewer = resolve_viewer(SLACK_ID[LEE.id], PIPELINE, people, config())
    assert viewer.role == "manager"
    assert visible(viewer) == deals_of(LEE, CAT)


def test_without_the_team_config_the_team_manager_is_a_rep(people: PeopleDirectory) -> None:
    """The same Lee, with no [teams] in the config, manages no one."""
    bare = app_config_from_dict({"slack": {"admins": [ADMIN]}}, "test.toml")
    viewer = resolve_viewer(SLACK_ID[LEE.id], PIPELINE, people, bare)
    assert viewer.role == "rep"
    assert visible(viewer) == deals_of(LEE)


def test_an_admin_by_slack_id_sees_every_deal(people: PeopleDirectory) -> None:
    """An admin listed by Slack user id sees every deal, including one whose owner left."""
    viewer = resolve_viewer(ADMIN, PIPELINE, people, config())
    assert viewer.role == "admin" and viewer.owner_ids is None
    assert visible(viewer) == ALL_DEAL_IDS
    assert viewer.can_see(Deal("D-new", "A deal not in this export", owner_id="005NEW"))


def test_an_admin_by_email_sees_every_deal(people: PeopleDirectory, fake: FakeSlack) -> None:
    """An admin listed by email (any case), who owns no deals, is found via users.info."""
    viewer = resolve_viewer(BOSS, PIPELINE, people, config())
    assert viewer.role == "admin" and viewer.owner is None
    assert visible(viewer) == ALL_DEAL_IDS
    assert [c.params["user"] for c in fake.calls_to("users.info")] == [BOSS]


def test_an_owner_who_is_also_an_admin_sees_every_deal(people: PeopleDirectory) -> None:
    """Admin wins over rep: Ann listed as an admin by email sees everything."""
    cfg = config(slack={"admins": ["ann@acme.example"]})
    viewer = resolve_viewer(SLACK_ID[ANN.id], PIPELINE, people, cfg)
    assert viewer.role == "admin" and viewer.owner == ANN
    assert visible(viewer) == ALL_DEAL_IDS


def test_a_slack_user_who_is_no_crm_owner_sees_nothing(people: PeopleDirectory) -> None:
    """A workspace member whose email matches no owner gets role "none" and no deals."""
    viewer = resolve_viewer(GUEST, PIPELINE, people, config())
    assert viewer.role == "none" and viewer.owner is None and viewer.name == ""
    assert visible(viewer) == set()


def test_an_unknown_slack_user_sees_nothing(people: PeopleDirectory) -> None:
    """A user id Slack does not know (users.info: user_not_found) sees no deal at all."""
    viewer = resolve_viewer(STRANGER, PIPELINE, people, config())
    assert viewer.role == "none"
    assert visible(viewer) == set()
    assert not viewer.can_see(ORPHAN)


def test_local_only_resolution_needs_slack_for_a_new_user(
    people: PeopleDirectory, store: Store, fake: FakeSlack
) -> None:
    """remote=False needs Slack for a new user; once looked up, the stored link suffices."""
    with pytest.raises(NeedsSlack):
        resolve_viewer(SLACK_ID[BEN.id], PIPELINE, people, config(), remote=False)
    assert not fake.calls

    resolve_viewer(SLACK_ID[BEN.id], PIPELINE, people, config())
    calls_before = len(fake.calls)
    fresh = PeopleDirectory(store, people.client, {}, lambda: NOW)
    viewer = resolve_viewer(SLACK_ID[BEN.id], PIPELINE, fresh, config(), remote=False)
    assert viewer.owner == BEN and visible(viewer) == {"D-Ben"}
    assert len(fake.calls) == calls_before


def test_reports_of_walks_the_crm_chain_and_ignores_cycles() -> None:
    """reports_of follows the manager field down every level and stops on a loop."""
    x = Owner("X", "Xena", manager_id="Z")
    y = Owner("Y", "Yuri", manager_id="X")
    z = Owner("Z", "Zack", manager_id="Y")  # X -> Y -> Z -> X: a loop in bad CRM data
    w = Owner("W", "Walt", manager_id="Z")
    pipeline = Pipeline(owners=(x, y, z, w))
    bare = app_config_from_dict({}, "test.toml")
    assert reports_of(x, pipeline, bare) == {"Y", "Z", "W"}
    assert reports_of(w, pipeline, bare) == set()
