"""Issue 19's "done when", end to end: the bot pulling Salesforce (the fake, over real HTTP)
finds what it finds in the same data exported to CSV; each way the CRM fails leaves the last
good export serving with one admin alert; a click's write-back lands exactly once through
lost replies and restarts; `dealnudge pull` and `dealnudge check salesforce:` work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from support.fake_hubspot import TOKEN as HUBSPOT_TOKEN
from support.fake_hubspot import FakeHubSpot
from support.fake_hubspot import seed as hubspot_seed
from support.fake_hubspot import serving as hubspot_serving
from support.fake_pipedrive import TOKEN as PIPEDRIVE_TOKEN
from support.fake_pipedrive import scenario_seed
from support.fake_pipedrive import serving as pipedrive_serving
from support.fake_salesforce import FakeSalesforce, key_pair, serving
from support.fake_slack import FakeSlack
from support.slack_harness import (
    ADMIN,
    SECRET,
    Harness,
    add_people,
    button,
    make_runtime,
    running_app,
    user,
)
from support.slack_requests import block_actions_payload, post_action

from bot.analysis.analyse import Snapshot, analyse
from bot.cli import main
from bot.delivery.scheduler import writeback_job
from bot.ingest.crm import salesforce
from bot.ingest.crm.base import activity_marker
from bot.ingest.loader import load_export
from bot.runtime import Runtime
from bot.tools.demo import DEMO_AS_OF, demo_export_dir
from bot.tools.scenario import Scenario, load_scenario
from rules.config import load_config

SCENARIO = Path(__file__).resolve().parents[1] / "corpus" / "scenarios" / "dev_terse.toml"
SCENARIO_NOON = datetime.combine(load_scenario(SCENARIO).as_of, time(12), UTC)
WRITE_BACK = f'[slack]\nadmins = ["{ADMIN}"]\n[crm]\nwrite_back = true\n'
FIELD = "Dealnudge_Key__c"


@cache
def keys() -> tuple[str, str]:
    return key_pair()


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(salesforce, "POLL", 0.001)
    monkeypatch.setattr(salesforce, "BACKOFF", 0.001)


@pytest.fixture
def crm() -> Iterator[FakeSalesforce]:
    with serving(keys()[1]) as fake:
        fake.seed_csv(demo_export_dir())
        yield fake


def env_for(fake: FakeSalesforce) -> dict[str, str]:
    return {
        "SALESFORCE_LOGIN_URL": fake.base,
        "SALESFORCE_CLIENT_ID": fake.client_id,
        "SALESFORCE_USERNAME": fake.username,
        "SALESFORCE_PRIVATE_KEY": keys()[0],
    }


def pairs(runtime: Runtime) -> set[tuple[str, str]]:
    snap = runtime.deps.snapshots.current
    assert snap is not None
    return pairs_of(snap)


def pairs_of(snap: Snapshot) -> set[tuple[str, str]]:
    return {(a.finding.deal.id, a.finding.pattern) for a in snap.advice}


def admin_alerts(fake: FakeSlack) -> list[str]:
    return [str(c.params) for c in fake.calls_to("chat.postMessage")
            if c.params.get("channel") == ADMIN]  # fmt: skip


def test_a_pull_finds_what_the_csv_export_finds(tmp_path: Path, crm: FakeSalesforce) -> None:
    expected = analyse(load_export([demo_export_dir()]), load_config(), DEMO_AS_OF)
    with FakeSlack() as slack:
        add_people(slack)
        runtime = make_runtime(tmp_path, slack, source="salesforce:", env=env_for(crm))
        try:
            want = {(a.finding.deal.id, a.finding.pattern) for a in expected.advice}
            assert want and pairs(runtime) == want
            assert runtime.source is not None and runtime.source.location == "salesforce:"
        finally:
            runtime.close()


def _revoked(fake: FakeSalesforce) -> None:
    fake.approved = False  # the admin removed the user from the connected app
    fake.expire_tokens()


def _hidden(fake: FakeSalesforce) -> None:
    fake.hidden_objects.add("Task")  # the integration user lost read on Task


def _storm(fake: FakeSalesforce) -> None:
    fake.fail_next("/jobs/query", 429, 500, headers={"Retry-After": "0"})


def _mid_pull(fake: FakeSalesforce) -> None:
    fake.fail_next("/results", 500, 500, after=2)  # two objects in, then the server fails


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (_revoked, "approved"),
        (_hidden, "Task"),
        (_storm, "429"),
        (_mid_pull, "500"),
    ],
)
def test_each_failure_keeps_the_last_good_export_with_one_alert(
    tmp_path: Path, crm: FakeSalesforce, fault: Callable[[FakeSalesforce], None], said: str
) -> None:
    with FakeSlack() as slack:
        add_people(slack)
        runtime = make_runtime(tmp_path, slack, source="salesforce:", env=env_for(crm))
        try:
            good = runtime.deps.snapshots.current
            before = len(admin_alerts(slack))
            fault(crm)
            for _ in range(2):  # the next refresh fails the same way: no second alert
                assert runtime.refresh() is False
                assert runtime.deps.snapshots.current is good
            alerts = admin_alerts(slack)[before:]
            assert len(alerts) == 1, alerts
            assert said in alerts[0] and "keeps serving the last good one" in alerts[0]
            assert keys()[0][40:80] not in alerts[0]  # no credential in what admins see
        finally:
            runtime.close()


def test_a_restart_while_salesforce_is_down_serves_the_kept_pull(
    tmp_path: Path, crm: FakeSalesforce
) -> None:
    with FakeSlack() as slack:
        add_people(slack)
        first = make_runtime(tmp_path, slack, source="salesforce:", env=env_for(crm))
        served = pairs(first)
        first.close()
        crm.fail_next("/services/", 503, 10_000)
        second = make_runtime(tmp_path, slack, source="salesforce:", env=env_for(crm))
        try:
            assert pairs(second) == served
            assert "pulled from Salesforce" in second.deps.snapshots.last_error
        finally:
            second.close()


def test_an_incremental_pull_picks_up_a_change(tmp_path: Path, crm: FakeSalesforce) -> None:
    with FakeSlack() as slack:
        add_people(slack)
        runtime = make_runtime(tmp_path, slack, source="salesforce:", env=env_for(crm))
        try:
            deal = sorted(pairs(runtime))[0][0]
            crm.update(
                "Opportunity", deal, at=datetime.now(UTC), StageName="Closed Lost", IsClosed="true"
            )
            assert runtime.refresh(force=True)
            assert deal not in {d for d, _ in pairs(runtime)}  # closed: no longer flagged
            assert any("FROM Opportunity WHERE SystemModstamp >" in q for q in crm.queries[-8:])
        finally:
            runtime.close()


def click_ask(harness: Harness) -> None:
    message = harness.command(user("jordan"), "bellweather")["blocks"]
    value, block_id = button(message, "nudge_ask")
    _, reply_url = harness.reply_url()
    payload = block_actions_payload(
        user("jordan"), "nudge_ask", value, block_id=block_id, response_url=reply_url,
        message={"type": "message", "ts": "1700000000.000100", "blocks": message},
    )  # fmt: skip
    assert post_action(harness.url, SECRET, payload).status_code == 200


def test_write_back_creates_one_task_per_click_through_lost_replies_and_restarts(
    tmp_path: Path, crm: FakeSalesforce
) -> None:
    env = env_for(crm)
    with running_app(tmp_path, config_text=WRITE_BACK, source="salesforce:", env=env) as app:
        click_ask(app)
        click_ask(app)
        first, second = app.deps.store.pending_writebacks()
        # Salesforce saves the first Task and the reply is lost; the upsert on the marker is
        # tried again and lands on the same Task.
        crm.drop_next(f"/sobjects/Task/{FIELD}/{first.marker}", acted=True)
        # The second stays down through every try of this tick: it waits, queued.
        crm.fail_next(f"/sobjects/Task/{FIELD}/{second.marker}", 503, 100)
        writeback_job(app.runtime)
        assert [w.marker for w in app.deps.store.pending_writebacks()] == [second.marker]
        assert len(admin_alerts(app.fake)) == 1
    crm.faults.clear()
    with running_app(tmp_path, config_text=WRITE_BACK, source="salesforce:", env=env) as app:
        writeback_job(app.runtime)  # after a restart
        writeback_job(app.runtime)
        assert app.deps.store.pending_writebacks() == []
    for item in (first, second):
        (task,) = crm.tasks_with(FIELD, item.marker)
        assert task["WhatId"] == item.deal_id and task["Status"] == "Completed"
        assert "will ask the buyer" in task["Description"]


def test_pull_keeps_what_check_only_shows(
    tmp_path: Path, crm: FakeSalesforce, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for name, value in env_for(crm).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DEALNUDGE_DB", str(tmp_path / "state" / "state.json"))
    monkeypatch.setenv("DEALNUDGE_SOURCE", "salesforce:")
    assert main(["check", "salesforce:"]) == 0
    out = capsys.readouterr().out
    assert "What this export lets dealnudge check:" in out and "Opportunity.csv" in out
    assert not (tmp_path / "state").exists()  # check writes nothing
    assert main(["pull"]) == 0
    out = capsys.readouterr().out
    assert "Salesforce full pull" in out and "Kept as the export" in out
    assert (tmp_path / "state" / "export-cache" / "salesforce" / "current").is_dir()
    assert main(["pull"]) == 0
    assert "Salesforce changes" in capsys.readouterr().out


# ------------------------------------------- HubSpot and Pipedrive through the bot as well


@dataclass(frozen=True)
class Vendor:
    scheme: str
    variable: str  # the credential an admin fixes when it is refused
    serve: Callable[[Scenario], AbstractContextManager[Any]]  # a seeded fake
    env: Callable[[Any], dict[str, str]]
    rotate: Callable[[Any], None]  # the token is rotated in the CRM
    lose_reply: Callable[[Any], None]  # the next create is saved, its reply lost
    written: Callable[[Any, str], int]  # activities carrying a marker


@contextmanager
def _hubspot(s: Scenario) -> Iterator[FakeHubSpot]:
    with hubspot_serving() as fake:
        hubspot_seed(fake, s)
        yield fake


def _hubspot_tasks(fake: FakeHubSpot, marker: str) -> int:
    return sum(marker in (t.properties.get("hs_task_body") or "")
               for t in fake.objects["tasks"].values())  # fmt: skip


VENDORS = [
    Vendor(
        "hubspot",
        "HUBSPOT_TOKEN",
        _hubspot,
        lambda f: {"HUBSPOT_TOKEN": HUBSPOT_TOKEN, "HUBSPOT_API_URL": f.base},
        lambda f: f.rotate_token(),
        lambda f: f.drop_after("POST", "/crm/v3/objects/tasks"),
        _hubspot_tasks,
    ),
    Vendor(
        "pipedrive",
        "PIPEDRIVE_API_TOKEN",
        lambda s: pipedrive_serving(scenario_seed(s)),
        lambda f: {"PIPEDRIVE_API_TOKEN": PIPEDRIVE_TOKEN, "PIPEDRIVE_API_URL": f.base},
        lambda f: setattr(f, "token", "regenerated-in-pipedrive"),
        lambda f: f.drop_reply("/api/v2/activities"),
        lambda f, marker: sum(marker in str(a.get("note") or "") for a in f.data.activities),
    ),
]


@pytest.mark.parametrize("vendor", VENDORS, ids=lambda v: v.scheme)
def test_each_crm_serves_keeps_its_last_pull_and_writes_each_click_once(
    tmp_path: Path, vendor: Vendor
) -> None:
    scenario = load_scenario(SCENARIO)
    with vendor.serve(scenario) as crm, FakeSlack() as slack:
        add_people(slack)
        config = WRITE_BACK  # the scenario's reps are not in Slack: the click is queued here

        def start() -> Runtime:
            return make_runtime(tmp_path, slack, config_text=config, source=f"{vendor.scheme}:",
                                env=vendor.env(crm), clock=lambda: SCENARIO_NOON)  # fmt: skip

        runtime = start()
        try:
            good = runtime.deps.snapshots.current
            assert good is not None and len(good.pipeline.deals) == len(scenario.deals)
            assert pairs(runtime)  # the scenario's hanging-around deals are found
            deal = sorted(pairs(runtime))[0][0]
            marker = activity_marker("U1", deal, "gone-quiet", "q1", "1700000000.1")
            runtime.deps.store.queue_writeback(marker, deal, "Facilitation question", marker)
            vendor.lose_reply(crm)
            writeback_job(runtime)
            writeback_job(runtime)
            vendor.rotate(crm)
            before = len(admin_alerts(slack))
            for _ in range(2):
                assert runtime.refresh() is False
                assert runtime.deps.snapshots.current is good
            (alert,) = admin_alerts(slack)[before:]
            assert vendor.variable in runtime.deps.snapshots.last_error
            assert vendor.variable in alert  # as typed: an admin copies it from the alert
        finally:
            runtime.close()
        runtime = start()  # a restart while the token is refused: the kept pull serves
        try:
            assert pairs(runtime) == {(d, p) for d, p in pairs_of(good)}
            writeback_job(runtime)
        finally:
            runtime.close()
        assert vendor.written(crm, marker) == 1
