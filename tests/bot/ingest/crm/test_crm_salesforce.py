"""The Salesforce connector over real HTTP against the fake (tests/support/fake_salesforce.py):
the pulled export reads like the CSV export, incremental pulls ask for changes only, paging,
waits, expired sessions, refusals and write-back behave as Salesforce documents them."""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import jwt
import pytest
from support.fake_salesforce import (
    CLIENT_SECRET,
    REFRESH_TOKEN,
    FakeSalesforce,
    instant,
    key_pair,
    serving,
)

from bot.ingest.crm import salesforce
from bot.ingest.crm.base import ATTEMPTS, Activity, CrmError, Deadline
from bot.ingest.crm.salesforce import Salesforce, from_env
from bot.ingest.loader import LoadResult, load_export
from bot.tools.scenario import load_scenario, write_export
from rules.config import load_config
from rules.engine import evaluate

# A whole connector suite against its fake server: `make test-slow` (the end-to-end
# pull, failures and write-back through the bot are in tests/bot/test_live_crm.py).
pytestmark = pytest.mark.slow

SCENARIO = Path("tests/corpus/scenarios/dev_terse.toml")
OBJECTS = [o.name for o in salesforce.OBJECTS]


@cache
def keys() -> tuple[str, str]:
    return key_pair()


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scenario as a Salesforce CSV export, written by the scenario writer."""
    out = tmp_path_factory.mktemp("csv")
    write_export(load_scenario(SCENARIO), "salesforce", out)
    return out


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(salesforce, "POLL", 0.001)
    monkeypatch.setattr(salesforce, "BACKOFF", 0.001)


@pytest.fixture
def fake(export_dir: Path) -> Iterator[FakeSalesforce]:
    with serving(keys()[1]) as srv:
        srv.seed_csv(export_dir)
        yield srv


@pytest.fixture
def env(fake: FakeSalesforce) -> dict[str, str]:
    return {
        "SALESFORCE_LOGIN_URL": fake.base,
        "SALESFORCE_CLIENT_ID": fake.client_id,
        "SALESFORCE_USERNAME": fake.username,
        "SALESFORCE_PRIVATE_KEY": keys()[0],
    }


@pytest.fixture
def sf(env: dict[str, str]) -> Iterator[Salesforce]:
    conn = from_env(env, Deadline(30))
    yield conn
    conn.close()


class Seen:
    """A ``Progress`` that remembers what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def __call__(self, what: str, rows: int) -> None:
        self.calls.append((what, rows))


def findings(result: LoadResult) -> set[tuple[str, str]]:
    scenario = load_scenario(SCENARIO)
    return {
        (f.deal.id, f.pattern) for f in evaluate(result.pipeline, load_config(), scenario.as_of)
    }


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


# -- pulling -----------------------------------------------------------------------------


def test_a_full_pull_reads_like_the_csv_export(
    sf: Salesforce, fake: FakeSalesforce, export_dir: Path, tmp_path: Path
) -> None:
    """The same deals, activities and findings as the export the scenario writer wrote."""
    pulled = sf.pull(tmp_path, None, Seen())
    assert pulled.full
    assert set(pulled.files) == {f"{name}.csv" for name in OBJECTS}
    for name, f in pulled.files.items():
        assert f.rows == len(csv_rows(export_dir / name)), name
        assert f.key == (None if name == "User.csv" else "Id")
        assert set(header(tmp_path / name)) <= set(header(export_dir / name))
    expected, got = load_export([export_dir]), load_export([tmp_path])
    assert len(got.pipeline.deals) == len(expected.pipeline.deals) > 20
    assert len(got.pipeline.activities) == len(expected.pipeline.activities) > 100
    assert findings(got) == findings(expected)
    assert len(findings(got)) > 10
    assert all(q.startswith("SELECT Id, ") and " WHERE " not in q for q in fake.queries)


def test_the_jwt_names_the_app_the_user_and_the_login_url(
    sf: Salesforce, fake: FakeSalesforce, env: dict[str, str], tmp_path: Path
) -> None:
    sf.pull(tmp_path, None, Seen())
    (sign_in,) = fake.requests_to("/services/oauth2/token")
    form = dict(part.split("=", 1) for part in sign_in.body.decode().split("&"))
    assert form["grant_type"] == "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
    claims = jwt.decode(form["assertion"], options={"verify_signature": False})
    assert claims["aud"] == env["SALESFORCE_LOGIN_URL"]
    assert (claims["iss"], claims["sub"]) == (fake.client_id, fake.username)
    assert 0 < claims["exp"] - time.time() <= 180


def test_an_incremental_pull_asks_for_changes_only(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    sf.pull(tmp_path / "full", None, Seen())
    deal = fake.rows("Opportunity")[0]
    later = datetime(2026, 2, 1, 12, tzinfo=UTC)
    fake.update("Opportunity", deal["Id"], later, StageName="Negotiation")
    task = fake.insert("Task", later, WhatId=deal["Id"], Subject="Call back", Status="Completed")
    fake.received.clear()
    since = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)

    pulled = sf.pull(tmp_path / "delta", since, Seen())

    assert not pulled.full
    where = {q.split(" FROM ")[1] for q in fake.queries}
    assert "Opportunity WHERE SystemModstamp > 2026-01-15T09:30:00Z" in where
    assert "OpportunityHistory WHERE CreatedDate > 2026-01-15T09:30:00Z" in where
    assert "User" in where  # whole
    history = [r for r in fake.rows("OpportunityHistory") if instant(r["CreatedDate"]) > since]
    rows = {name: f.rows for name, f in pulled.files.items()}
    assert rows == {
        "Opportunity.csv": 1,
        "Task.csv": 1,
        "User.csv": len(fake.rows("User")),
        "OpportunityHistory.csv": len(history),
    } | {f"{n}.csv": 0 for n in ("Event", "Contact", "Account", "OpportunityContactRole")}
    assert 0 < len(history) < len(fake.rows("OpportunityHistory"))
    (opp,) = csv_rows(tmp_path / "delta" / "Opportunity.csv")
    assert (opp["Id"], opp["StageName"]) == (deal["Id"], "Negotiation")
    assert csv_rows(tmp_path / "delta" / "Task.csv")[0]["Id"] == task
    assert pulled.files["User.csv"].key is None and pulled.files["Task.csv"].key == "Id"


def test_results_are_read_page_by_page_with_the_locator(
    sf: Salesforce,
    fake: FakeSalesforce,
    export_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(salesforce, "PAGE_SIZE", 20)
    for n in range(1500):  # a huge result: many pages
        fake.insert("Task", Subject=f"Logged call {n}", Status="Completed", WhatId="")
    seen = Seen()
    pulled = sf.pull(tmp_path, None, seen)
    tasks = len(fake.rows("Task"))
    assert pulled.files["Task.csv"].rows == tasks > 1500
    pages = [r for r in fake.requests_to("/results") if r.status == 200]
    assert all(r.query["maxRecords"] == ["20"] for r in pages)
    assert len(pages) == sum(-(-max(len(fake.rows(o)), 1) // 20) for o in OBJECTS)
    assert [rows for what, rows in seen.calls if what == "Task"] == [
        min(20 * n, tasks) for n in range(1, -(-tasks // 20) + 1)
    ]
    written = (tmp_path / "Task.csv").read_text(encoding="utf-8")
    assert written.count("WhatId") == 1  # one header across pages
    assert [r["Id"] for r in csv_rows(tmp_path / "Task.csv")] == [
        r["Id"] for r in fake.rows("Task")
    ]
    assert pages[-1].query["locator"] != ["null"]
    assert "gzip" in pages[0].headers["accept-encoding"]


def test_a_job_is_polled_until_it_completes(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    fake.polls_to_complete = 4
    sf.pull(tmp_path, None, Seen())
    job_polls = [r for r in fake.requests_to("/jobs/query/", "GET") if "/results" not in r.path]
    assert len(job_polls) == 4 * len(OBJECTS)
    refused = [r for r in fake.requests_to("/results") if r.status != 200]
    assert not refused  # results are only asked for once JobComplete


def test_fields_the_user_cannot_read_are_left_out(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    """An org without multiple currencies has no CurrencyIsoCode; field-level security can
    hide NextStep: the query leaves them out instead of failing."""
    fake.hidden_fields |= {("Opportunity", "CurrencyIsoCode"), ("Opportunity", "NextStep")}
    sf.pull(tmp_path, None, Seen())
    (query,) = [q for q in fake.queries if q.endswith("FROM Opportunity")]
    assert "CurrencyIsoCode" not in query and "NextStep" not in query and "StageName" in query
    assert "NextStep" not in header(tmp_path / "Opportunity.csv")
    assert load_export([tmp_path]).pipeline.deals


# -- waits, retries and refusals ---------------------------------------------------------


def test_a_429_is_retried_after_the_wait_it_asks_for(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    fake.fail_next("/jobs/query", 429, method="POST", headers={"Retry-After": "0.05"})
    sf.pull(tmp_path, None, Seen())
    first, second = fake.requests_to("/jobs/query", "POST")[:2]
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.05


def test_a_503_then_success(sf: Salesforce, fake: FakeSalesforce, tmp_path: Path) -> None:
    fake.fail_next("/describe", 503, times=2)
    pulled = sf.pull(tmp_path, None, Seen())
    assert [r.status for r in fake.requests_to("/describe")][:3] == [503, 503, 200]
    assert pulled.files["Opportunity.csv"].rows == len(fake.rows("Opportunity"))


def test_an_expired_session_signs_in_again_once(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    fake.expire_next("/results", after=2)  # in the middle of the pull
    pulled = sf.pull(tmp_path, None, Seen())
    assert len(fake.requests_to("/services/oauth2/token")) == 2
    assert [r.status for r in fake.requests_to("/results")].count(401) == 1
    assert pulled.rows == sum(len(fake.rows(o)) for o in OBJECTS)


def test_a_session_refused_twice_is_an_auth_error(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    fake.fail_next(
        "/describe",
        401,
        times=2,
        body=[{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}],
    )
    with pytest.raises(CrmError) as caught:
        sf.pull(tmp_path, None, Seen())
    assert caught.value.kind == "auth"
    assert "INVALID_SESSION_ID" in str(caught.value)


def test_the_api_limit_is_a_rate_error_not_a_permission_error(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    fake.exceed_limit("/jobs/query")
    with pytest.raises(CrmError) as caught:
        sf.pull(tmp_path, None, Seen())
    assert caught.value.kind == "rate"
    assert "REQUEST_LIMIT_EXCEEDED" in str(caught.value)
    assert "api-usage=15001/15000" in str(caught.value)
    assert len(fake.requests_to("/jobs/query", "POST")) == 1  # a daily limit: no retry


def test_an_object_the_user_cannot_read_names_the_permission(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    fake.hidden_objects.add("Opportunity")
    with pytest.raises(CrmError) as caught:
        sf.pull(tmp_path, None, Seen())
    assert caught.value.kind == "permission"
    assert "cannot read Opportunity" in str(caught.value)
    assert "Read on Opportunities" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (403, "INSUFFICIENT_ACCESS", "insufficient access rights on object id"),
        (400, "INVALID_TYPE", "sObject type 'Task' is not supported."),
    ],
)
def test_a_refused_query_names_the_object_and_permission(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path, status: int, code: str, message: str
) -> None:
    body = [{"message": message, "errorCode": code}]
    fake.fail_next("/jobs/query", status, method="POST", after=1, body=body)  # the Task job
    with pytest.raises(CrmError) as caught:
        sf.pull(tmp_path, None, Seen())
    assert caught.value.kind == "permission"
    assert f"cannot read Task ({code}" in str(caught.value)
    assert "read access to Tasks" in str(caught.value)
    assert not (tmp_path / "Task.csv").exists()


@pytest.mark.parametrize("hidden", ["OpportunityHistory", "OpportunityContactRole"])
def test_optional_objects_are_left_out_with_a_warning(
    sf: Salesforce,
    fake: FakeSalesforce,
    tmp_path: Path,
    hidden: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake.hidden_objects.add(hidden)
    with caplog.at_level(logging.WARNING):
        pulled = sf.pull(tmp_path, None, Seen())
    assert f"{hidden}.csv" not in pulled.files
    assert not (tmp_path / f"{hidden}.csv").exists()
    assert f"cannot read {hidden}" in caplog.text and "left out" in caplog.text
    assert load_export([tmp_path]).pipeline.deals


def test_a_server_error_mid_pull_raises_and_writes_no_half_file(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(salesforce, "PAGE_SIZE", 10)
    fake.fail_next("/results", 500, times=ATTEMPTS, after=2)  # Opportunity's 3rd page
    with pytest.raises(CrmError) as caught:
        sf.pull(tmp_path, None, Seen())
    assert caught.value.kind == "server"
    assert [r.status for r in fake.requests_to("/results")][-ATTEMPTS:] == [500] * ATTEMPTS
    assert len(fake.rows("Opportunity")) > 30
    assert not list(tmp_path.iterdir())


def test_a_failed_job_reports_its_error_message(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    fake.failed_jobs["Event"] = "Query timed out: apply a filter and try again"
    with pytest.raises(CrmError) as caught:
        sf.pull(tmp_path, None, Seen())
    assert "Event query job failed: Query timed out" in str(caught.value)
    assert not (tmp_path / "Event.csv").exists()


# -- signing in --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "kind", "names"),
    [
        ({"client_id": "3MVG9someoneElse"}, "auth", "SALESFORCE_CLIENT_ID"),
        ({"approved": False}, "auth", "pre-authorized"),
        ({"audience": "https://login.salesforce.com"}, "auth", "SALESFORCE_LOGIN_URL"),
        ({"public_key": key_pair()[1]}, "auth", "SALESFORCE_PRIVATE_KEY"),
    ],
)
def test_a_refused_jwt_sign_in_says_what_to_fix(
    sf: Salesforce,
    fake: FakeSalesforce,
    tmp_path: Path,
    change: dict[str, object],
    kind: str,
    names: str,
) -> None:
    for attr, value in change.items():
        setattr(fake, attr, value)
    with pytest.raises(CrmError) as caught:
        sf.pull(tmp_path, None, Seen())
    assert caught.value.kind == kind
    assert names in str(caught.value)
    assert "sign-in refused" in str(caught.value)


def test_the_refresh_token_flow(fake: FakeSalesforce, tmp_path: Path) -> None:
    env = {
        "SALESFORCE_LOGIN_URL": fake.base,
        "SALESFORCE_CLIENT_ID": fake.client_id,
        "SALESFORCE_CLIENT_SECRET": CLIENT_SECRET,
        "SALESFORCE_REFRESH_TOKEN": REFRESH_TOKEN,
    }
    conn = from_env(env, Deadline(30))
    assert conn.pull(tmp_path, None, Seen()).rows > 100
    fake.refresh_token = "revoked"
    fake.expire_tokens()
    with pytest.raises(CrmError) as caught:
        conn.pull(tmp_path, None, Seen())
    assert caught.value.kind == "auth"
    assert "SALESFORCE_REFRESH_TOKEN" in str(caught.value)
    assert "expired access/refresh token" in str(caught.value)


@pytest.mark.parametrize(
    ("drop", "names"),
    [
        ("SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_ID"),
        ("SALESFORCE_USERNAME", "SALESFORCE_USERNAME"),
        ("SALESFORCE_PRIVATE_KEY", "SALESFORCE_PRIVATE_KEY"),
    ],
)
def test_a_missing_setting_is_named(env: dict[str, str], drop: str, names: str) -> None:
    with pytest.raises(CrmError) as caught:
        from_env({k: v for k, v in env.items() if k != drop}, Deadline(30))
    assert caught.value.kind == "settings"
    assert names in str(caught.value)


def test_bad_settings_are_named(env: dict[str, str], tmp_path: Path) -> None:
    cases = {
        "SALESFORCE_PRIVATE_KEY": "not a key",
        "SALESFORCE_API_VERSION": "45.0",
        "SALESFORCE_WRITEBACK_FIELD": "Key; DROP",
    }
    for name, value in cases.items():
        with pytest.raises(CrmError) as caught:
            from_env(env | {name: value}, Deadline(30))
        assert name in str(caught.value) and caught.value.kind == "settings"
    missing = {k: v for k, v in env.items() if k != "SALESFORCE_PRIVATE_KEY"}
    with pytest.raises(CrmError, match="SALESFORCE_PRIVATE_KEY_FILE"):
        from_env(missing | {"SALESFORCE_PRIVATE_KEY_FILE": str(tmp_path / "none.pem")}, Deadline())
    (tmp_path / "key.pem").write_text(keys()[0], encoding="utf-8")
    assert from_env(
        missing | {"SALESFORCE_PRIVATE_KEY_FILE": str(tmp_path / "key.pem")}, Deadline()
    )
    with pytest.raises(CrmError, match="SALESFORCE_LOGIN_URL"):
        from_env(env | {"SALESFORCE_LOGIN_URL": "http://login.salesforce.com"}, Deadline())


def test_the_instance_url_can_be_set(
    fake: FakeSalesforce, env: dict[str, str], tmp_path: Path
) -> None:
    """Signed in at the login URL, the data calls go to SALESFORCE_INSTANCE_URL."""
    with serving(keys()[1]) as login:
        fake.tokens = login.tokens  # one org behind two addresses
        conn = from_env(
            env | {"SALESFORCE_LOGIN_URL": login.base, "SALESFORCE_INSTANCE_URL": fake.base + "/"},
            Deadline(30),
        )
        assert conn.pull(tmp_path, None, Seen()).files["Opportunity.csv"].rows > 20
        assert {r.path for r in login.received} == {"/services/oauth2/token"}
        assert not fake.requests_to("/services/oauth2/token")


# -- write-back --------------------------------------------------------------------------


def activity(fake: FakeSalesforce, marker: str = "dn-7f3a9c") -> Activity:
    deal = fake.rows("Opportunity")[0]["Id"]
    when = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    return Activity(marker, deal, "Asked: who else is involved?", "Dana chose this question.", when)


def test_recording_twice_creates_one_task(sf: Salesforce, fake: FakeSalesforce) -> None:
    first = sf.record(activity(fake))
    second = sf.record(activity(fake))
    assert first == second
    (task,) = fake.tasks_with("Dealnudge_Key__c", "dn-7f3a9c")
    assert task["Id"] == first
    assert task["Status"] == "Completed" and task["ActivityDate"] == "2026-03-02"
    assert task["WhatId"] == activity(fake).deal_id
    assert task["Subject"] == "Asked: who else is involved?"
    calls = fake.requests_to("/sobjects/Task/Dealnudge_Key__c/dn-7f3a9c", "PATCH")
    assert [c.status for c in calls] == [201, 200]
    assert sf.record(activity(fake, "dn-other")) != first


def test_an_update_answered_without_a_body_is_looked_up(
    sf: Salesforce, fake: FakeSalesforce
) -> None:
    fake.update_status = 204
    assert sf.record(activity(fake)) == sf.record(activity(fake))
    assert len(fake.tasks_with("Dealnudge_Key__c", "dn-7f3a9c")) == 1
    (lookup,) = fake.requests_to("/sobjects/Task/Dealnudge_Key__c/", "GET")
    assert lookup.query == {"fields": ["Id"]}


def test_a_lost_reply_then_a_retry_still_creates_one_task(
    sf: Salesforce, fake: FakeSalesforce
) -> None:
    fake.drop_next("/sobjects/Task/", method="PATCH", acted=True)
    task_id = sf.record(activity(fake))
    (task,) = fake.tasks_with("Dealnudge_Key__c", "dn-7f3a9c")
    assert task["Id"] == task_id
    assert [c.status for c in fake.requests_to("/sobjects/Task/", "PATCH")] == [0, 200]


def test_a_marker_with_odd_characters_is_one_path_segment(
    sf: Salesforce, fake: FakeSalesforce
) -> None:
    sf.record(activity(fake, "dn/2026 03?x"))
    assert fake.tasks_with("Dealnudge_Key__c", "dn/2026 03?x")


def test_write_back_without_the_external_id_field_names_it(
    sf: Salesforce, fake: FakeSalesforce
) -> None:
    fake.external_ids["Task"] = set()
    with pytest.raises(CrmError) as caught:
        sf.record(activity(fake))
    assert caught.value.kind == "permission"
    assert "Dealnudge_Key__c" in str(caught.value) and "External ID" in str(caught.value)
    assert not fake.tasks_with("Dealnudge_Key__c", "dn-7f3a9c")


def test_write_back_signs_in_again_when_the_session_expired(
    sf: Salesforce, fake: FakeSalesforce
) -> None:
    sf.record(activity(fake))
    fake.expire_tokens()
    sf.record(activity(fake, "dn-second"))
    assert len(fake.requests_to("/services/oauth2/token")) == 2
    assert len(fake.tasks_with("Dealnudge_Key__c", "dn-second")) == 1


# -- secrets -----------------------------------------------------------------------------


def test_no_secret_is_shown(
    fake: FakeSalesforce, env: dict[str, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    refresh_env = {
        "SALESFORCE_LOGIN_URL": fake.base,
        "SALESFORCE_CLIENT_ID": fake.client_id,
        "SALESFORCE_CLIENT_SECRET": CLIENT_SECRET,
        "SALESFORCE_REFRESH_TOKEN": REFRESH_TOKEN,
    }
    messages: list[str] = []
    shown: list[str] = []
    for e in (env, refresh_env):
        conn = from_env(e, Deadline(30))
        shown.append(repr(conn))
        fake.expire_next("/results", after=3)
        conn.pull(tmp_path / str(len(shown)), None, Seen())
        conn.record(activity(fake))
        fake.approved = False
        fake.refresh_token = "revoked"
        fake.expire_tokens()
        with pytest.raises(CrmError) as caught:
            conn.pull(tmp_path / "again", None, Seen())
        messages.append(str(caught.value))
        fake.approved, fake.refresh_token = True, REFRESH_TOKEN
        conn.close()
    assertions = [
        dict(p.split("=", 1) for p in r.body.decode().split("&")).get("assertion", "")
        for r in fake.requests_to("/services/oauth2/token")
    ]
    key_body = "".join(keys()[0].splitlines()[1:-1])[:40]
    secrets = [CLIENT_SECRET, REFRESH_TOKEN, key_body, *fake.issued, *filter(None, assertions)]
    assert len(fake.issued) >= 4
    text = "\n".join([caplog.text, *messages, *shown])
    for secret in secrets:
        assert secret not in text
    assert "Salesforce(" in shown[0] and "flow='jwt'" in shown[0]


def test_a_naive_since_is_taken_as_utc(
    sf: Salesforce, fake: FakeSalesforce, tmp_path: Path
) -> None:
    sf.pull(tmp_path, datetime(2026, 1, 15) + timedelta(hours=1), Seen())
    assert "Account WHERE SystemModstamp > 2026-01-15T01:00:00Z" in {
        q.split(" FROM ")[1] for q in fake.queries
    }
