"""The HubSpot connector over real HTTP against the fake HubSpot API (tests/support/
fake_hubspot.py): the pulled export reads as the CSV export does, incremental pulls search
for what changed, faults become the right ``CrmError``, and write-back writes once."""

from __future__ import annotations

import csv
import functools
import logging
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.fake_hubspot import TOKEN, FakeHubSpot, seed, serving

from bot.ingest.crm.base import ATTEMPTS, Activity, CrmError, Deadline, no_progress
from bot.ingest.crm.hubspot import ACTIVITIES_FILE, DEALS_FILE, HubSpot, from_env
from bot.ingest.crm.merge import merge
from bot.ingest.loader import load_export
from bot.tools.scenario import Scenario, load_scenario, write_export
from rules.config import load_config
from rules.engine import evaluate

# A whole connector suite against its fake server: `make test-slow` (the end-to-end
# pull, failures and write-back through the bot are in tests/bot/test_live_crm.py).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[4]


@functools.cache
def scenario() -> Scenario:
    return load_scenario(ROOT / "tests" / "corpus" / "scenarios" / "dev_terse.toml")


@pytest.fixture
def fake() -> Iterator[FakeHubSpot]:
    with serving() as server:
        yield server
        assert server.errors == []  # the fake understood every call


def connect(fake: FakeHubSpot, *, seconds: float = 30.0, backoff: float = 0.001) -> HubSpot:
    return HubSpot(TOKEN, fake.base, Deadline(seconds), backoff=backoff)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def findings(folder: Path, s: Scenario) -> set[tuple[str, str]]:
    return {(f.deal.id, f.pattern) for f in evaluate(load_export([folder]).pipeline,
                                                     load_config(), s.as_of)}  # fmt: skip


def pulled(fake: FakeHubSpot, dest: Path, since: datetime | None = None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    connector = connect(fake)
    try:
        connector.pull(dest, since, no_progress)
    finally:
        connector.close()
    return dest


# ------------------------------------------------------------------ the export


def test_full_pull_finds_what_the_csv_export_finds(fake: FakeHubSpot, tmp_path: Path) -> None:
    """The pulled files are read as HubSpot deals and activities, load the same deals and
    activities as the scenario's CSV export, and give the same findings."""
    s = scenario()
    ids = write_export(s, "hubspot", tmp_path / "csv")
    seed(fake, s, ids)
    seen: list[tuple[str, int]] = []
    connector = from_env({"HUBSPOT_TOKEN": TOKEN, "HUBSPOT_API_URL": fake.base}, Deadline())
    (tmp_path / "api").mkdir()
    result = connector.pull(tmp_path / "api", None, lambda what, n: seen.append((what, n)))
    assert result.full and set(result.files) == {DEALS_FILE, ACTIVITIES_FILE}
    assert {f.key for f in result.files.values()} == {"Record ID"}
    csv_load, api_load = load_export([tmp_path / "csv"]), load_export([tmp_path / "api"])
    assert {(f.format, f.kind) for f in api_load.report.files} == {
        ("hubspot", "deals"),
        ("hubspot", "tasks"),
    }
    assert (
        len(api_load.pipeline.deals)
        == len(csv_load.pipeline.deals)
        == result.files[DEALS_FILE].rows
    )
    assert len(api_load.pipeline.activities) == len(csv_load.pipeline.activities)
    assert result.files[ACTIVITIES_FILE].rows == len(api_load.pipeline.activities)
    assert findings(tmp_path / "api", s) == findings(tmp_path / "csv", s) != set()
    assert seen[-1] == ("activities", result.files[ACTIVITIES_FILE].rows)


def test_values_are_spelled_as_the_export_spells_them(fake: FakeHubSpot, tmp_path: Path) -> None:
    """Stage and pipeline labels, owner names, company names, times in the account's time
    zone, activity types, directions, outcomes and statuses read as in the CSV export."""
    s = scenario()
    ids = write_export(s, "hubspot", tmp_path / "csv")
    seed(fake, s, ids)
    api = pulled(fake, tmp_path / "api")
    exported = {r["Record ID"]: r for r in rows(next((tmp_path / "csv").glob("*deals*")))}
    same = ("Deal Name", "Deal Stage", "Pipeline", "Amount", "Deal owner",
            "Associated Company", "Next step", "Create Date")  # fmt: skip
    for row in rows(api / DEALS_FILE):
        want = exported[row["Record ID"]]
        assert {c: row[c] for c in same} == {c: want[c] for c in same}
        assert row["Close Date"][:10] == want["Close Date"]
        assert row["Is closed"] in ("true", "false")
    columns = ("Associated Deal IDs", "Activity type", "Activity date", "Activity assigned to",
               "Call title", "Call direction", "Call outcome", "Email subject", "Email body",
               "Email direction", "Meeting name", "Meeting outcome", "Task title",
               "Task status")  # fmt: skip

    def shape(found: list[dict[str, str]]) -> Counter[tuple[str, ...]]:
        return Counter(tuple(r[c] for c in columns) for r in found)

    assert shape(rows(api / ACTIVITIES_FILE)) == shape(
        rows(next((tmp_path / "csv").glob("*activities*")))
    )
    contact = next(r for r in rows(api / ACTIVITIES_FILE) if r["Associated Contact"])
    assert contact["Associated Contact"].endswith(")")  # "Name (email)", as the export has it


# ------------------------------------------------------------------ incremental


def test_incremental_pull_fetches_only_what_changed(fake: FakeHubSpot, tmp_path: Path) -> None:
    """After a change on the server, an incremental pull searches each object for
    hs_lastmodifieddate after ``since``, writes only the changed records, and merges into
    the last full pull."""
    s = scenario()
    ids = seed(fake, s)
    full = pulled(fake, tmp_path / "full")
    since = datetime.combine(s.as_of, datetime.min.time(), UTC)
    deal = ids[s.deals[0].key]
    fake.update("deals", deal, dealstage="closedwon", hs_is_closed="true", hs_is_closed_won="true")
    logged = {"hs_timestamp": "2026-09-01T08:00:00.000Z", "hs_call_title": "Kickoff",
              "hs_call_direction": "OUTBOUND"}  # fmt: skip
    call = fake.add("calls", logged)
    fake.associate("calls", call, "deals", ids[s.deals[1].key])
    listed = len(fake.requests_to("GET", "/crm/v3/objects/deals"))
    (tmp_path / "new").mkdir()
    result = connect(fake).pull(tmp_path / "new", since, no_progress)
    assert not result.full
    searches = fake.requests_to("POST", "/crm/v3/objects/deals/search")
    assert len(searches) == 1
    wanted = {"propertyName": "hs_lastmodifieddate", "operator": "GT",
              "value": str(int(since.timestamp() * 1000))}  # fmt: skip
    assert searches[0].body["filterGroups"] == [{"filters": [wanted]}]
    for kind in ("calls", "emails", "meetings", "notes", "tasks"):
        assert fake.requests_to("POST", f"/crm/v3/objects/{kind}/search")
    assert len(fake.requests_to("GET", "/crm/v3/objects/deals")) == listed  # no listing
    changed = rows(tmp_path / "new" / DEALS_FILE)
    assert [(r["Record ID"], r["Deal Stage"]) for r in changed] == [(deal, s.won_stage)]
    new = rows(tmp_path / "new" / ACTIVITIES_FILE)
    assert [(r["Record ID"], r["Associated Deal IDs"], r["Call direction"]) for r in new] == [
        (call, ids[s.deals[1].key], "Outbound")
    ]
    assert result.files[DEALS_FILE].rows == 1 and result.files[ACTIVITIES_FILE].rows == 1
    merged = merge(full, tmp_path / "new", result, tmp_path / "merged")
    assert merged[DEALS_FILE] == len(s.deals)
    loaded = load_export([tmp_path / "merged"]).pipeline
    assert next(d for d in loaded.deals if d.id == deal).status.name == "WON"
    assert call in {a.id for a in loaded.activities}


@pytest.mark.slow
def test_search_past_its_cap_lists_the_object_whole(
    fake: FakeHubSpot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A huge change (more than the search API's 10,000 results) is pulled by listing every
    deal, page by page, and the log says so."""
    stage = {"id": "s1", "label": "Open", "displayOrder": 0}
    fake.pipelines.append({"id": "default", "label": "Sales", "displayOrder": 0, "stages": [stage]})
    fake.clock = datetime(2026, 9, 1, tzinfo=UTC)
    for n in range(10_050):
        fake.add("deals", {"dealname": f"Deal {n}", "dealstage": "s1", "pipeline": "default"})
    caplog.set_level(logging.WARNING)
    (tmp_path / "new").mkdir()
    result = connect(fake).pull(tmp_path / "new", datetime(2026, 8, 1, tzinfo=UTC), no_progress)
    assert result.files[DEALS_FILE].rows == 10_050 and not result.full
    assert len(fake.requests_to("GET", "/crm/v3/objects/deals")) == 101
    assert "past the search API's 10000-result cap; listing all deals" in caplog.text
    assert len({r["Record ID"] for r in rows(tmp_path / "new" / DEALS_FILE)}) == 10_050


# ------------------------------------------------------------------ paging and faults


def test_every_page_is_read(fake: FakeHubSpot, tmp_path: Path) -> None:
    """With 7 deals a page the deals come in 7 pages, each asked with the last page's
    ``paging.next.after``, and none is lost or repeated."""
    s = scenario()
    seed(fake, s)
    fake.page_size = 7
    api = pulled(fake, tmp_path / "api")
    asked = fake.requests_to("GET", "/crm/v3/objects/deals")
    assert len(asked) == 7
    assert "after" not in asked[0].query and all("after" in r.query for r in asked[1:])
    assert all(r.query["limit"] == ["100"] for r in asked)
    found = [r["Record ID"] for r in rows(api / DEALS_FILE)]
    assert len(found) == len(set(found)) == len(s.deals)


def test_rate_limit_waits_as_retry_after_says(fake: FakeHubSpot, tmp_path: Path) -> None:
    """A 429 with Retry-After is waited out for that long (a back-off of 30 s would not
    fit the 5 s deadline), then the pull goes on."""
    seed(fake, scenario())
    fake.rate_limit(2, "/crm/v3/objects/deals", retry_after=0.05)
    connector = HubSpot(TOKEN, fake.base, Deadline(5.0), backoff=30.0)
    started = time.monotonic()
    (tmp_path / "api").mkdir()
    result = connector.pull(tmp_path / "api", None, no_progress)
    assert time.monotonic() - started >= 0.1
    assert result.files[DEALS_FILE].rows == len(scenario().deals)


def test_short_429_storm_is_survived_and_a_long_one_is_a_rate_error(
    fake: FakeHubSpot, tmp_path: Path
) -> None:
    """HubSpot's 429s carry no Retry-After: a few are waited out with the back-off (the
    search API's secondly limit too); one lasting past every try is a "rate" CrmError."""
    s = scenario()
    seed(fake, s)
    fake.rate_limit(ATTEMPTS - 1, "/crm/v3/objects/calls")
    fake.rate_limit(ATTEMPTS - 1, "/crm/v3/objects/deals/search")
    assert pulled(fake, tmp_path / "full").joinpath(DEALS_FILE).is_file()
    assert pulled(fake, tmp_path / "since", datetime(2026, 1, 1, tzinfo=UTC))
    assert fake.faults[0].times == fake.faults[1].times == 0  # both storms happened
    fake.rate_limit(ATTEMPTS, "/crm/v3/objects/emails")
    with pytest.raises(CrmError) as caught:
        pulled(fake, tmp_path / "stormy")
    assert caught.value.kind == "rate" and "429" in str(caught.value)


def test_rotated_token_is_an_auth_error_naming_the_variable(
    fake: FakeHubSpot, tmp_path: Path
) -> None:
    seed(fake, scenario())
    fake.rotate_token()
    with pytest.raises(CrmError) as caught:
        pulled(fake, tmp_path / "api")
    assert caught.value.kind == "auth"
    assert "HUBSPOT_TOKEN" in str(caught.value) and "rotated or deleted" in str(caught.value)
    with pytest.raises(CrmError) as writing:
        connect(fake).record(Activity("m-1", "1", "s", "b", datetime(2026, 9, 1, tzinfo=UTC)))
    assert writing.value.kind == "auth"


def test_missing_scope_is_a_permission_error_naming_it(fake: FakeHubSpot, tmp_path: Path) -> None:
    """A 403 MISSING_SCOPES names the scope from errors[].context.requiredGranularScopes."""
    seed(fake, scenario())
    fake.revoke("sales-email-read")
    with pytest.raises(CrmError) as caught:
        pulled(fake, tmp_path / "api")
    assert caught.value.kind == "permission"
    assert "sales-email-read" in str(caught.value) and "Private Apps" in str(caught.value)
    fake.revoke("crm.objects.deals.read")
    with pytest.raises(CrmError, match=r"crm\.objects\.deals\.read") as again:
        pulled(fake, tmp_path / "again")
    assert again.value.kind == "permission"


def test_server_error_mid_pull_raises_after_retries(fake: FakeHubSpot, tmp_path: Path) -> None:
    """A 500 once in a while is retried; one that lasts, after the deals were written, is a
    "server" CrmError: the pull raises instead of returning half an export."""
    s = scenario()
    seed(fake, s)
    fake.fail_next("/crm/v3/objects/meetings", 500, times=ATTEMPTS - 1)
    assert pulled(fake, tmp_path / "ok").joinpath(ACTIVITIES_FILE).is_file()
    fake.fail_next("/crm/v3/objects/meetings", 500, times=ATTEMPTS)
    with pytest.raises(CrmError) as caught:
        pulled(fake, tmp_path / "broken")
    assert caught.value.kind == "server"
    assert len(rows(tmp_path / "broken" / DEALS_FILE)) == len(s.deals)  # it was mid-pull


# ------------------------------------------------------------------ write-back


def test_record_twice_creates_one_completed_task(fake: FakeHubSpot) -> None:
    s = scenario()
    deal = seed(fake, s)[s.deals[0].key]
    connector = connect(fake)
    before = len(fake.objects["tasks"])
    activity = Activity("dn-7f3a", deal, "Asked: who else decides?", "Lena will ask Jonas.\n"
                        "— via dealnudge", datetime(2026, 9, 1, 9, 30, tzinfo=UTC))  # fmt: skip
    first = connector.record(activity)
    assert connector.record(activity) == first
    creates = fake.requests_to("POST", "/crm/v3/objects/tasks")
    assert len(creates) == 1
    sent = creates[0].body
    assert sent["associations"] == [{"to": {"id": deal}, "types": [
        {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 216}]}]  # fmt: skip
    task = fake.objects["tasks"][first].properties
    assert task["hs_task_status"] == "COMPLETED" and task["hs_task_subject"] == activity.subject
    assert "dn-7f3a" in (task["hs_task_body"] or "") and "Lena will ask Jonas." in (
        task["hs_task_body"] or ""
    )
    assert task["hs_timestamp"] == "2026-09-01T09:30:00.000Z"
    assert list(fake.linked("deals", deal, "tasks")) == [first]
    other = connector.record(Activity("dn-other", deal, "x", "y", activity.when))
    assert other != first and len(fake.objects["tasks"]) == before + 2


def test_lost_reply_then_retry_creates_one_task(fake: FakeHubSpot) -> None:
    """The fake creates the task and hangs up: the connector finds it by its marker instead
    of creating it again, in this call and in a later one."""
    s = scenario()
    deal = seed(fake, s)[s.deals[1].key]
    before = len(fake.objects["tasks"])
    fake.drop_after("POST", "/crm/v3/objects/tasks")
    activity = Activity("dn-lost", deal, "Asked", "body", datetime(2026, 9, 1, tzinfo=UTC))
    found = connect(fake).record(activity)
    assert connect(fake).record(activity) == found
    assert len(fake.requests_to("POST", "/crm/v3/objects/tasks")) == 1
    assert len(fake.objects["tasks"]) == before + 1


# ------------------------------------------------------------------ settings and secrets


def test_settings_come_from_the_environment_only() -> None:
    with pytest.raises(CrmError, match="set HUBSPOT_TOKEN") as caught:
        from_env({}, Deadline())
    assert caught.value.kind == "settings"
    with pytest.raises(CrmError, match="HUBSPOT_API_URL"):
        from_env({"HUBSPOT_TOKEN": TOKEN, "HUBSPOT_API_URL": "http://example.com"}, Deadline())
    assert from_env({"HUBSPOT_TOKEN": TOKEN}, Deadline()).api.base_url == "https://api.hubapi.com"


def test_no_secret_in_repr_messages_or_logs(
    fake: FakeHubSpot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seed(fake, scenario())
    connector = from_env({"HUBSPOT_TOKEN": TOKEN, "HUBSPOT_API_URL": fake.base}, Deadline())
    assert TOKEN not in repr(connector) and TOKEN not in repr(connector.api)
    connector.close()
    messages = []
    fake.rate_limit(1, "/crm/v3/objects/deals")
    fake.fail_next("/crm/v3/owners", 502, times=1)
    messages.append(str(connect(fake).pull(tmp_path, None, no_progress)))
    for fault in ("scope", "token"):
        fake.revoke("crm.objects.owners.read") if fault == "scope" else fake.rotate_token()
        with pytest.raises(CrmError) as caught:
            connect(fake).pull(tmp_path, None, no_progress)
        messages.append(str(caught.value))
    assert all(TOKEN not in m for m in messages)
    assert "HubSpot" in caplog.text and TOKEN not in caplog.text
    assert fake.received[0].headers["Authorization"] == f"Bearer {TOKEN}"  # it was sent


def test_scope_message_falls_back_to_the_error_message(fake: FakeHubSpot, tmp_path: Path) -> None:
    """A MISSING_SCOPES body without a scope list still says what HubSpot said."""
    seed(fake, scenario())
    said = "This app hasn't been granted all required scopes (crm.schemas.deals.read)"
    body = {"status": "error", "category": "MISSING_SCOPES", "correlationId": "c", "message": said}
    fake.fail_next("/crm/v3/pipelines/deals", 403, body=body)
    with pytest.raises(CrmError, match=r"crm\.schemas\.deals\.read") as caught:
        pulled(fake, tmp_path)
    assert caught.value.kind == "permission"


def test_times_are_written_in_the_account_time_zone(fake: FakeHubSpot, tmp_path: Path) -> None:
    """HubSpot answers UTC; the export (and so the pull) writes the account's local time."""
    fake.timezone = "America/Los_Angeles"
    s = scenario()
    deal = seed(fake, s)[s.deals[0].key]
    created = s.on(s.deals[0].created)
    utc = datetime.combine(created, clock(9), ZoneInfo("America/Los_Angeles")).astimezone(UTC)
    assert fake.objects["deals"][deal].properties["createdate"] == f"{utc:%Y-%m-%dT%H:%M}:00.000Z"
    api = pulled(fake, tmp_path)
    first = rows(api / DEALS_FILE)[0]
    assert first["Record ID"] == deal and first["Create Date"] == f"{created} 09:00"
    assert {r["Activity date"][11:] for r in rows(api / ACTIVITIES_FILE)} == {"14:00"}
