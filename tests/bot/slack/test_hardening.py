"""Hostile and broken requests, who-sees-what across every surface, secrets in logs, faults.

All over real HTTP against the running app (waitress + Bolt) and the fake Slack Web API.
"""

from __future__ import annotations

import errno
import io
import json
import logging
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from support.slack_harness import (
    ADMIN,
    PEOPLE,
    SECRET,
    STRANGER,
    TOKEN,
    Harness,
    running_app,
    shown,
    texts,
    user,
)
from support.slack_requests import (
    FORM,
    JSON,
    block_actions_payload,
    command_body,
    post_action,
    post_command,
    signed_headers,
)

from bot.ingest.loader import load_export
from bot.slack import blocks
from bot.slack.actions import NOT_AVAILABLE
from bot.slack.errors import SAVE_FAILED
from bot.tools.demo import DEMO_AS_OF, demo_export_dir

PIPELINE = load_export([demo_export_dir()]).pipeline
FIRST_OF = {owner: first for first, (_u, owner, _e) in PEOPLE.items()}
# One flagged deal per rep (hand-picked from tests/fixtures/demo_expected.toml).
DEAL_OF_REP = {
    "jordan": "006DEMO00000000001",
    "hannah": "006DEMO00000000002",
    "diego": "006DEMO00000000004",
    "marcus": "006DEMO00000000005",
    "sam": "006DEMO00000000006",
    "tessa": "006DEMO00000000007",
}
TEAMS = {"luis": {"jordan", "tessa", "marcus"}, "priya": {"hannah", "diego", "sam"}}
ROLES = ["jordan", "tessa", "hannah", "luis", "priya", "margaret", "admin", "stranger"]


def may_see(role: str, rep: str) -> bool:
    """The rule, written out independently of bot/state/access.py."""
    if role in ("admin", "margaret"):
        return True
    if role == "stranger":
        return False
    return role == rep or rep in TEAMS.get(role, set())


def slack_id(role: str) -> str:
    return {"admin": ADMIN, "stranger": STRANGER}.get(role) or user(role)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with running_app(tmp_path_factory.mktemp("hardening")) as harness:
        yield harness


def base(app: Harness) -> str:
    return app.url.rsplit("/slack/events", 1)[0]


def still_serving(app: Harness) -> None:
    assert requests.get(base(app) + "/healthz", timeout=5).status_code == 200
    reply = app.command(user("jordan"), "help")
    assert "/deal" in texts(reply["blocks"])


# ---------------------------------------------------------------- authorization matrix


@pytest.mark.parametrize("role", ROLES)
def test_deal_command_matrix(app: Harness, role: str) -> None:
    for rep, deal_id in DEAL_OF_REP.items():
        deal = PIPELINE.deal_index[deal_id]
        reply = app.command(slack_id(role), deal.account)
        shown = deal_id in json.dumps(reply) or deal.name in texts(reply.get("blocks", []))
        assert shown is may_see(role, rep), (role, rep)


@pytest.mark.parametrize("role", ROLES)
def test_button_matrix(app: Harness, role: str) -> None:
    for rep, deal_id in DEAL_OF_REP.items():
        pattern = app.deps.snapshots.current.cards[deal_id].advice[0].finding.pattern
        value = blocks.encode_value(deal_id, pattern, "q-any")
        before = len(app.deps.store.feedback())
        message = [
            {
                "type": "actions",
                "block_id": "b1",
                "elements": [{"type": "button", "action_id": "nudge_ask", "value": value}],
            }
        ]
        reply = app.click_reply(slack_id(role), message, "nudge_ask")
        recorded = len(app.deps.store.feedback()) > before
        assert recorded is may_see(role, rep), (role, rep)
        assert (reply.get("text") == NOT_AVAILABLE) is not may_see(role, rep)


@pytest.mark.parametrize("role", ROLES)
def test_app_home_matrix(app: Harness, role: str) -> None:
    uid = slack_id(role)
    app.event({"type": "app_home_opened", "user": uid, "tab": "home"})
    call = app.fake.wait_for("views.publish", where=lambda c: c.params.get("user_id") == uid)[-1]
    body = json.dumps(call.params)
    for rep, deal_id in DEAL_OF_REP.items():
        if not may_see(role, rep):
            assert deal_id not in body and PIPELINE.deal_index[deal_id].name not in body


@pytest.mark.parametrize("manager", ["luis", "priya", "margaret"])
def test_digest_matrix(app: Harness, manager: str) -> None:
    from bot.delivery.jobs import plan_digests

    snap = app.deps.snapshots.current
    assert snap is not None
    plans, _ = plan_digests(app.deps, snap, app.deps.clock(), managers=[PEOPLE[manager][2]])
    (plan,) = plans
    shown = {a.deal_id for a in plan.digest.top} | {o.deal_id for o in plan.digest.outcomes}
    owners = {PIPELINE.deal_index[d].owner_id for d in shown}
    assert shown and all(may_see(manager, FIRST_OF[o]) for o in owners)
    body = json.dumps(plan.blocks())
    for rep, deal_id in DEAL_OF_REP.items():
        if not may_see(manager, rep):
            assert PIPELINE.deal_index[deal_id].name not in body


# ---------------------------------------------------------------- the HTTP endpoint


def post_raw(app: Harness, body: bytes, content_type: str, **kw: object) -> requests.Response:
    headers = signed_headers(SECRET, body, content_type, **kw)  # type: ignore[arg-type]
    return requests.post(app.url, data=body, headers=headers, timeout=10)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"%%%&&&==\xff\xfe", FORM),  # malformed form
        (b"payload=%7Bnot-json", FORM),  # a payload that is not JSON
        (b"payload=%5B1%2C2%5D", FORM),  # JSON, but not an object
        (urllib.parse.urlencode({"payload": json.dumps({"type": "block_actions"})}).encode(), FORM),
        (b"command=%2Fdeal", FORM),  # a command with no user, text or response_url
        (b"{not json", JSON),
        (b'{"type": "event_callback"}', JSON),  # an event with no event
        (b"hello", "text/plain"),
        (b"", FORM),
    ],
)
def test_malformed_requests_get_a_4xx_or_an_empty_ok_and_no_traceback(
    app: Harness, body: bytes, content_type: str
) -> None:
    resp = post_raw(app, body, content_type)
    assert resp.status_code in (200, 400, 401, 404, 415), resp.status_code
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    still_serving(app)


def test_unknown_command_and_action_are_refused_politely(app: Harness) -> None:
    resp = post_command(app.url, SECRET, command="/nope", user_id=user("jordan"))
    assert resp.status_code == 404 and "Traceback" not in resp.text
    payload = block_actions_payload(user("jordan"), "no_such_action", "x")
    resp = post_action(app.url, SECRET, payload)
    assert resp.status_code == 404
    still_serving(app)


def test_oversized_and_replayed_requests_are_refused(app: Harness) -> None:
    big = command_body(text="x" * (2 * 1024 * 1024), user_id=user("jordan"))
    assert post_raw(app, big, FORM).status_code == 413
    body = command_body(text="help", user_id=user("jordan"))
    stale = int(time.time()) - 6 * 60  # a captured request replayed after 6 minutes
    assert post_raw(app, body, FORM, timestamp=stale).status_code == 401
    forged = {**signed_headers(SECRET, body, FORM), "X-Slack-Signature": "v0=" + "0" * 64}
    assert requests.post(app.url, data=body, headers=forged, timeout=5).status_code == 401
    still_serving(app)


# ---------------------------------------------------------------- secrets and logs


def test_tokens_and_secrets_never_reach_the_logs_even_at_debug(tmp_path: Path) -> None:
    from bot.delivery.jobs import plan_nudges, send_nudges
    from bot.runtime import configure_logging

    note = "Talked about everything except the expansion"  # a demo activity note
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    info_stream = io.StringIO()
    info_handler = logging.StreamHandler(info_stream)
    info_handler.setLevel(logging.INFO)
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    configure_logging("DEBUG")
    root.addHandler(handler)
    root.addHandler(info_handler)
    try:
        with running_app(tmp_path) as app:
            app.command(user("hannah"), "lakeshore expansion")
            message = app.command(user("hannah"), "crestline plant")["blocks"]
            app.click_reply(user("hannah"), message, "nudge_ask")
            snap = app.deps.snapshots.current
            assert snap is not None
            plans, _ = plan_nudges(app.deps, snap, app.deps.clock())
            send_nudges(app.deps, app.runtime.sender, plans)
            post_command(app.url, "wrong-secret", text="help", user_id=user("hannah"))
            assert repr(app.runtime.settings).count("***") >= 2
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    logged = stream.getvalue()
    assert logged, "DEBUG logging produced nothing: the test would prove nothing"
    for secret in (TOKEN, SECRET):
        assert secret not in logged
    assert note not in info_stream.getvalue()


# ---------------------------------------------------------------- faults


def test_a_failing_response_url_does_not_stop_the_app(app: Harness) -> None:
    app.fake.fail_next("response_url", status=500)
    _name, url = app.reply_url()
    resp = post_command(
        app.url, SECRET, text="bellweather", user_id=user("jordan"), response_url=url
    )
    assert resp.status_code == 200
    still_serving(app)


def test_a_slow_slack_does_not_delay_the_ack(app: Harness) -> None:
    app.fake.hang("users.info", 3.0, times=1)
    started = time.monotonic()
    _name, url = app.reply_url()
    resp = post_command(app.url, SECRET, text="anything", user_id="U0NEWCOMER", response_url=url)
    assert resp.status_code == 200
    assert time.monotonic() - started < 2.5  # acknowledged before the lookup finishes
    app.fake.clear_faults()


def test_disk_full_tells_the_user_and_the_admin_and_loses_nothing_acknowledged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.state.tiny

    with running_app(tmp_path) as app:
        message = app.command(user("jordan"), "bellweather")["blocks"]
        before = app.deps.store.feedback()

        def full(*args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(bot.state.tiny, "write_atomic", full)
        resp, _ = app.click(user("jordan"), message, "nudge_ask")
        assert resp.status_code == 200
        sorry = app.fake.wait_for(
            "response_url", where=lambda c: c.params.get("text") == SAVE_FAILED
        )
        assert sorry
        alert = app.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == ADMIN)
        assert "cannot save its state" in shown(alert[0])
        assert "No space left on device" in shown(alert[0])
        assert app.deps.store.feedback() == before  # nothing half-written
        monkeypatch.undo()
        reply = app.click_reply(user("jordan"), message, "nudge_ask")
        assert "You'll ask this" in texts(reply["blocks"])
        assert len(app.deps.store.feedback()) == len(before) + 1
        on_disk, _ = bot.state.tiny.read_state_file(Path(app.runtime.settings.db_path))
        assert on_disk is not None
        assert len(on_disk["feedback"]) == len(before) + 1


# ---------------------------------------------------------------- saved before the ack


def _on_disk(app: Any) -> list[dict[str, Any]]:
    import bot.state.tiny

    tables, _ = bot.state.tiny.read_state_file(Path(app.runtime.settings.db_path))
    assert tables is not None
    return tables.get("feedback", [])


def test_a_click_is_on_disk_before_slack_gets_its_ack(tmp_path: Path) -> None:
    """The HTTP 200 is sent only once the click is saved: read straight from the file the
    moment the ack arrives, while what the click shows is still held up."""
    with running_app(tmp_path) as app:
        message = app.command(user("jordan"), "bellweather")["blocks"]
        app.fake.hang("response_url", 3)  # the in-place edit after the ack waits
        resp, _ = app.click(user("jordan"), message, "nudge_ask")
        assert resp.status_code == 200
        assert [d["kind"] for d in _on_disk(app)] == ["asked"]
        assert not app.fake.calls_to("response_url")[1:]  # the edit had not happened yet
        app.fake.clear_faults()


def test_a_snooze_that_cannot_be_saved_keeps_the_modal_open_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.state.tiny

    with running_app(tmp_path) as app:
        message = app.command(user("jordan"), "bellweather")["blocks"]
        app.click(user("jordan"), message, "nudge_snooze")
        modal = app.last("views.open").json_param("view")
        values = {
            "snooze_for": {"choice": {"type": "radio_buttons", "selected_option": {"value": "2w"}}},
            "snooze_until": {"date": {"type": "datepicker", "selected_date": None}},
            "snooze_reason": {
                "reason": {"type": "static_select", "selected_option": {"value": "away"}}
            },
        }

        def full(*args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(bot.state.tiny, "write_atomic", full)
        resp = app.submit(user("jordan"), modal, values)
        assert resp.status_code == 200
        answer = resp.json()
        assert answer["response_action"] == "errors"
        assert "could not save" in answer["errors"]["snooze_reason"]
        assert app.deps.store.active_snoozes(DEMO_AS_OF) == [] and app.deps.store.feedback() == []
        alert = app.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == ADMIN)
        assert "No space left on device" in shown(alert[0])
        monkeypatch.undo()
        assert app.submit(user("jordan"), modal, values).status_code == 200  # room again
        assert len(app.deps.store.active_snoozes(DEMO_AS_OF)) == 1
