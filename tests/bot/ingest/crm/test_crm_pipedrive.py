"""The Pipedrive connector, over real HTTP, against the fake in tests/support/fake_pipedrive.py."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.fake_pipedrive import (
    NEXT_STEP_FIELD,
    TOKEN,
    FakePipedrive,
    bulk_seed,
    scenario_seed,
    serving,
)

from bot.ingest.crm.base import Activity, CrmError, Deadline, Pulled
from bot.ingest.crm.merge import merge
from bot.ingest.crm.pipedrive import Pipedrive, from_env
from bot.ingest.loader import LoadResult, load_export
from bot.tools.scenario import Scenario, load_scenario, write_export
from rules.config import load_config
from rules.engine import evaluate

# A whole connector suite against its fake server: `make test-slow` (the end-to-end
# pull, failures and write-back through the bot are in tests/bot/test_live_crm.py).
pytestmark = pytest.mark.slow

SCENARIO = Path("tests/corpus/scenarios/dev_terse.toml")
SINCE = datetime(2026, 9, 2, tzinfo=UTC)  # after every seeded change, before fake.now


@dataclass
class Recorded(Deadline):
    """A deadline that remembers every wait it was asked for."""

    waits: list[float] = field(default_factory=list)

    def wait(self, name: str, seconds: float) -> None:
        self.waits.append(seconds)  # the wait is asked for, not slept: the test stays fast
        self.left(name)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(SCENARIO)


@pytest.fixture
def exported(scenario: Scenario, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "csv"
    return folder, write_export(scenario, "pipedrive", folder)


@pytest.fixture
def fake(scenario: Scenario, exported: tuple[Path, dict[str, str]]) -> Iterator[FakePipedrive]:
    with serving(scenario_seed(scenario, exported[1])) as srv:
        yield srv


def connect(fake: FakePipedrive, **kw: object) -> Pipedrive:
    return Pipedrive(fake.base, TOKEN, backoff=0.001, **kw)  # type: ignore[arg-type]


def pull(pd: Pipedrive, dest: Path, since: datetime | None = None) -> tuple[Path, Pulled]:
    dest.mkdir(parents=True, exist_ok=True)
    return dest, pd.pull(dest, since, lambda what, rows: None)


def findings(result: LoadResult, scenario: Scenario) -> set[tuple[str, str]]:
    return {
        (f.deal.id, f.pattern) for f in evaluate(result.pipeline, load_config(), scenario.as_of)
    }


def rows(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


# ------------------------------------------------------------------ pulls


def test_full_pull_finds_what_the_csv_export_finds(
    scenario: Scenario, exported: tuple[Path, dict[str, str]], fake: FakePipedrive,
    tmp_path: Path,
) -> None:  # fmt: skip
    folder, pulled = pull(connect(fake), tmp_path / "pulled")
    from_csv, from_api = load_export([exported[0]]), load_export([folder])
    assert findings(from_api, scenario) == findings(from_csv, scenario)
    assert findings(from_api, scenario)  # the scenario does flag deals
    assert len(from_api.pipeline.deals) == len(from_csv.pipeline.deals) == len(scenario.deals)
    assert from_api.pipeline.activity_count == from_csv.pipeline.activity_count
    assert not [p for p in from_api.report.problems if p.status != "warning"]
    # Deal by deal the same record, but the last activity date: Pipedrive's is the last
    # done activity (a note is not one), the scenario writer counts notes too.
    csv_deals = {d.id: d for d in from_csv.pipeline.deals}
    for deal in from_api.pipeline.deals:
        expected = csv_deals[deal.id]
        assert replace(deal, last_activity=None) == replace(expected, last_activity=None)
    assert sorted(p.name for p in folder.iterdir()) == ["activities.csv", "deals.csv", "notes.csv"]
    assert pulled.full and pulled.files["deals.csv"].key == "Deal - ID"
    assert pulled.files["notes.csv"].key == "Note - ID"


def test_incremental_pull_fetches_only_what_changed(
    scenario: Scenario, fake: FakePipedrive, tmp_path: Path
) -> None:
    pd = connect(fake)
    before, _ = pull(pd, tmp_path / "before")
    fake.seen.clear()
    fake.change("deals", 1000, stage_id=14, custom_fields={NEXT_STEP_FIELD: "demo for the CFO"})
    fake.change("deals", 1003, is_deleted=True)
    fake.add("activities", {"subject": "Called the CFO", "type": "call", "owner_id": 101,
                            "deal_id": 1001, "person_id": None, "org_id": None,
                            "due_date": "2026-09-03", "done": True, "note": None})  # fmt: skip
    fake.add("notes", {"content": "<p>budget approved</p>", "deal_id": 1002, "user_id": 102,
                       "person_id": None, "org_id": None, "active_flag": True})  # fmt: skip
    changes, pulled = pull(pd, tmp_path / "changes", SINCE)

    for path in ("/api/v2/deals", "/api/v2/activities", "/api/v1/notes"):
        assert fake.requests_to(path)[0].query["updated_since"] == "2026-09-02T00:00:00Z"
    assert fake.requests_to("/api/v2/deals")[0].query["status"] == "open,won,lost,deleted"
    listed = [s.query for s in fake.requests_to("/api/v2/persons")]
    assert listed and all(
        "ids" in q for q in listed
    )  # names looked up by id, not every person again
    assert {n: f.rows for n, f in pulled.files.items()} == {
        "deals.csv": 2, "activities.csv": 1, "notes.csv": 1
    }  # fmt: skip
    deals = {r[0]: r for r in rows(changes / "deals.csv")[1:]}
    header = rows(changes / "deals.csv")[0]
    assert deals["1000"][header.index("Deal - Stage")] == scenario.stages[3]
    assert deals["1000"][header.index("Deal - Next step")] == "demo for the CFO"
    assert deals["1003"][header.index("Deal - Status")] == "Deleted"
    dates = [header.index(f"Deal - {w} activity date") for w in ("Next", "Last")]
    earlier = next(r for r in rows(before / "deals.csv") if r[0] == "1000")
    assert [deals["1000"][i] for i in dates] == [earlier[i] for i in dates] != ["", ""]
    assert fake.requests_to("/api/v2/activities")[-1].query["ids"]  # unchanged: by id
    (activity,) = rows(changes / "activities.csv")[1:]
    assert activity[1] == "Called the CFO" and activity[-2:] == ["1001", scenario.deals[1].name]

    merged = tmp_path / "merged"
    merge(before, changes, pulled, merged)
    result = load_export([merged])
    deal = {d.id: d for d in result.pipeline.deals}
    assert deal["1000"].stage == scenario.stages[3] and not deal["1003"].is_open
    assert result.pipeline.activity_count == load_export([before]).pipeline.activity_count + 2


def test_pages_through_every_list(fake: FakePipedrive, tmp_path: Path) -> None:
    whole, _ = pull(connect(fake), tmp_path / "whole")
    fake.seen.clear()
    paged, _ = pull(connect(fake, page_size=7), tmp_path / "paged")
    for name in ("deals.csv", "activities.csv", "notes.csv"):
        assert rows(paged / name) == rows(whole / name)
    deals = fake.requests_to("/api/v2/deals")
    assert len(deals) == 7  # 45 deals, 7 a page
    assert "cursor" not in deals[0].query and all(q.query["cursor"] for q in deals[1:])
    assert len({q.query["cursor"] for q in deals[1:]}) == 6
    assert [s.query["start"] for s in fake.requests_to("/api/v1/notes")] == ["0", "7"]
    assert all(s.query["limit"] == "7" for s in fake.seen if "limit" in s.query)


def test_a_huge_account(tmp_path: Path) -> None:
    with serving(bulk_seed(1600, 2)) as fake:
        seen: list[tuple[str, int]] = []
        dest = tmp_path / "pulled"
        dest.mkdir()
        pulled = connect(fake).pull(dest, None, lambda what, n: seen.append((what, n)))
        assert pulled.files["deals.csv"].rows == 1600
        assert pulled.files["activities.csv"].rows == 3200
        assert len(fake.requests_to("/api/v2/deals")) == 4  # 500 a page
        assert len(fake.requests_to("/api/v2/activities")) == 7
        assert ("activities.csv", 500) in seen and ("activities.csv", 3200) in seen
        assert len(load_export([dest]).pipeline.deals) == 1600


# ------------------------------------------------------------------ faults


def test_429_waits_as_long_as_retry_after_says(fake: FakePipedrive, tmp_path: Path) -> None:
    deadline = Recorded()
    pd = Pipedrive(fake.base, TOKEN, deadline=deadline, backoff=0.001)
    fake.fail_next("/api/v2/deals", 429, 2, retry_after="0.02")
    _, pulled = pull(pd, tmp_path / "pulled")
    assert pulled.files["deals.csv"].rows == 45
    assert deadline.waits == [0.02, 0.02]
    limited = [s for s in fake.requests_to("/api/v2/deals") if s.status == 429]
    assert len(limited) == 2


def test_429_without_retry_after_waits_for_the_window_to_reset(
    fake: FakePipedrive, tmp_path: Path
) -> None:
    deadline = Recorded()
    pd = Pipedrive(fake.base, TOKEN, deadline=deadline, backoff=0.001)
    fake.fail_next("/api/v2/activities", 429, 2)
    pull(pd, tmp_path / "pulled")
    assert deadline.waits == [2.0, 2.0]  # x-ratelimit-reset: seconds until the window resets


def test_a_429_storm_gives_up_with_a_rate_error(fake: FakePipedrive, tmp_path: Path) -> None:
    fake.fail_next("/api/v2/stages", 429, 50, retry_after="0")
    with pytest.raises(CrmError) as err:
        pull(connect(fake), tmp_path / "pulled")
    assert err.value.kind == "rate"


def test_a_refused_token_names_the_variable(fake: FakePipedrive, tmp_path: Path) -> None:
    fake.token = "regenerated-in-the-pipedrive-app"
    with pytest.raises(CrmError) as err:
        pull(connect(fake), tmp_path / "pulled")
    assert err.value.kind == "auth" and "PIPEDRIVE_API_TOKEN" in str(err.value)
    with pytest.raises(CrmError) as err:
        connect(fake).record(Activity("m-1", "1000", "Asked", "text", datetime.now(UTC)))
    assert err.value.kind == "auth"


def test_403_names_the_missing_permission(fake: FakePipedrive, tmp_path: Path) -> None:
    fake.forbid("/api/v2/deals", "You do not have permission to view other users' deals")
    with pytest.raises(CrmError) as err:
        pull(connect(fake), tmp_path / "pulled")
    message = str(err.value)
    assert err.value.kind == "permission"
    assert "other users' deals" in message and "PIPEDRIVE_API_TOKEN" in message
    assert "visibility group that let it see every user's deals" in message
    assert not list((tmp_path / "pulled").iterdir())


def test_a_server_error_mid_pull_raises_and_leaves_nothing(
    fake: FakePipedrive, tmp_path: Path
) -> None:
    fake.fail_next("/api/v2/activities", 500, 10, after=2)  # the third page on
    dest = tmp_path / "pulled"
    dest.mkdir()
    with pytest.raises(CrmError) as err:
        connect(fake, page_size=50).pull(dest, None, lambda what, rows: None)
    assert err.value.kind == "server"
    assert len(fake.requests_to("/api/v2/activities")) == 2 + 5  # Api's five tries
    assert not list(dest.iterdir())


def test_a_server_error_once_is_retried(fake: FakePipedrive, tmp_path: Path) -> None:
    fake.fail_next("/api/v1/notes", 503)
    _, pulled = pull(connect(fake), tmp_path / "pulled")
    assert pulled.files["notes.csv"].rows == 10


# ------------------------------------------------------------------ write-back


def click(marker: str = "dn-7f3a", deal: str = "1000") -> Activity:
    return Activity(marker, deal, "Asked: who else is involved?",
                    "Question: who else is involved?\nRep: Lena Vogel",
                    datetime(2026, 9, 3, 9, 30, tzinfo=UTC))  # fmt: skip


def marked(fake: FakePipedrive, marker: str) -> list[dict[str, object]]:
    return [a for a in fake.data.activities if marker in str(a.get("note") or "")]


def test_record_twice_creates_one_activity(fake: FakePipedrive) -> None:
    pd = connect(fake)
    first = pd.record(click())
    assert pd.record(click()) == first
    (created,) = marked(fake, "dn-7f3a")
    assert str(created["id"]) == first
    posted = fake.requests_to("/api/v2/activities", "POST")
    assert len(posted) == 1
    assert posted[0].body == {
        "subject": "Asked: who else is involved?", "type": "task", "deal_id": 1000,
        "due_date": "2026-09-03", "due_time": "09:30", "done": True,
        "note": "<p>Question: who else is involved?</p><p>Rep: Lena Vogel</p>"
                "<p>dealnudge ref: dn-7f3a</p>",
    }  # fmt: skip
    searched = fake.requests_to("/api/v2/activities")
    assert all(s.query["deal_id"] == "1000" for s in searched)


def test_a_lost_reply_then_a_retry_still_creates_one(fake: FakePipedrive) -> None:
    fake.drop_reply("/api/v2/activities")
    ident = connect(fake).record(click("dn-lost"))
    (created,) = marked(fake, "dn-lost")
    assert str(created["id"]) == ident
    assert [s.status for s in fake.requests_to("/api/v2/activities", "POST")] == [-1]


def test_a_server_error_on_create_is_retried_once_checked(fake: FakePipedrive) -> None:
    fake.fail_next("/api/v2/activities", 500, method="POST")
    connect(fake).record(click("dn-500"))
    assert len(marked(fake, "dn-500")) == 1
    assert [s.status for s in fake.requests_to("/api/v2/activities", "POST")] == [500, 200]


def test_the_marker_is_found_on_any_page(fake: FakePipedrive) -> None:
    connect(fake).record(click("dn-paged"))
    fake.seen.clear()
    again = connect(fake, page_size=2)
    again.record(click("dn-paged"))
    assert not fake.requests_to("/api/v2/activities", "POST")
    assert len(fake.requests_to("/api/v2/activities")) > 1  # the deal has 6 activities now


def test_record_refuses_a_deal_id_that_is_not_pipedrives(fake: FakePipedrive) -> None:
    with pytest.raises(CrmError) as err:
        connect(fake).record(click(deal="006A000000"))
    assert err.value.kind == "data"
    fake.forbid("/api/v2/activities", "You are not allowed to add activities", method="POST")
    with pytest.raises(CrmError) as err:
        connect(fake).record(click("dn-403"))
    assert err.value.kind == "permission" and "add activities to every user's deals" in str(
        err.value
    )


# ------------------------------------------------------------------ settings and secrets


def test_from_env() -> None:
    deadline = Deadline()
    with pytest.raises(CrmError) as err:
        from_env({}, deadline)
    assert err.value.kind == "settings" and "PIPEDRIVE_API_TOKEN" in str(err.value)
    pd = from_env({"PIPEDRIVE_API_TOKEN": TOKEN}, deadline)
    assert pd.base_url == "https://api.pipedrive.com" and pd._v1 == "/v1"
    pd = from_env({"PIPEDRIVE_API_TOKEN": TOKEN, "PIPEDRIVE_API_URL": "https://acme.pipedrive.com/",
                   "PIPEDRIVE_ACTIVITY_TYPE": "call"}, deadline)  # fmt: skip
    assert (pd.base_url, pd._v1, pd.activity_type) == ("https://acme.pipedrive.com", "/api/v1",
                                                       "call")  # fmt: skip
    with pytest.raises(CrmError):
        from_env({"PIPEDRIVE_API_TOKEN": TOKEN, "PIPEDRIVE_API_URL": "http://acme.example"},
                 deadline)  # fmt: skip
    with pytest.raises(CrmError) as err:
        from_env({"PIPEDRIVE_API_TOKEN": TOKEN, "PIPEDRIVE_ACTIVITY_TYPE": "Call; drop"}, deadline)
    assert err.value.kind == "settings"


def test_the_token_shows_nowhere(
    fake: FakePipedrive, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pd = from_env({"PIPEDRIVE_API_TOKEN": TOKEN, "PIPEDRIVE_API_URL": fake.base}, Deadline())
    fake.fail_next("/api/v2/deals", 429, retry_after="0")
    pull(pd, tmp_path / "ok")
    pd.record(click("dn-secret"))
    fake.forbid("/api/v2/stages", "forbidden", times=1)
    with pytest.raises(CrmError) as denied:
        pull(pd, tmp_path / "denied")
    fake.token = "regenerated"
    with pytest.raises(CrmError) as refused:
        pull(pd, tmp_path / "refused")
    messages = [str(denied.value), str(refused.value)]
    assert all(s.headers.get("x-api-token") == TOKEN for s in fake.seen)
    assert not [s for s in fake.seen if "api_token" in s.query]
    assert TOKEN not in repr(pd) and TOKEN not in " ".join(messages)
    assert TOKEN not in caplog.text and "127.0.0.1" in caplog.text  # urllib3 did log the URLs
