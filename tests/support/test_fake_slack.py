"""The fake Slack server and request signer, exercised with the real slack_sdk / Bolt."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
import requests
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from support.fake_slack import FakeSlack
from support.slack_requests import (
    action_body,
    block_actions_payload,
    command_body,
    event_body,
    sign,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        f.add_user("U100", "ada@example.com", "Ada Lovelace", tz="Europe/London", is_admin=True)
        f.add_user("U200", "bob@example.com", "Bob Smith")
        yield f


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.url, token="xoxb-test", timeout=5)


def test_post_message_is_sent_as_json_and_recorded(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Acme* is stalled"}}]
    resp = client.chat_postMessage(channel="C1", text="hi", blocks=blocks)
    assert resp["ok"] and resp["channel"] == "C1"
    (call,) = fake.calls_to("chat.postMessage")
    assert call.headers["content-type"].startswith("application/json")
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert call.params == {"channel": "C1", "text": "hi", "blocks": blocks}
    assert call.status == 200 and call.ok
    assert fake.messages[("C1", resp["ts"])]["text"] == "hi"


def test_lookup_by_email_is_sent_as_form(fake: FakeSlack, client: WebClient) -> None:
    resp = client.users_lookupByEmail(email="ADA@example.com")
    user: Any = resp["user"]
    assert user["id"] == "U100" and user["tz"] == "Europe/London" and user["is_admin"]
    assert user["profile"]["email"] == "ada@example.com"
    (call,) = fake.calls_to("users.lookupByEmail")
    # slack_sdk declares http_verb="GET" but the sync client always POSTs a form body
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert call.params == {"email": "ADA@example.com"}
    with pytest.raises(SlackApiError) as err:
        client.users_lookupByEmail(email="nobody@example.com")
    assert err.value.response["error"] == "users_not_found"


def test_missing_token_is_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=fake.url).auth_test()
    assert err.value.response["error"] == "not_authed"
    assert WebClient(base_url=fake.url).auth_test(token="xoxb-param")["ok"]


def test_auth_test_users_info_and_dm_ids(fake: FakeSlack, client: WebClient) -> None:
    auth = client.auth_test()
    assert auth["bot_id"] and auth["user_id"] and auth["team_id"]
    assert "chat:write" in auth.headers["x-oauth-scopes"]
    assert client.users_info(user="U200")["user"]["real_name"] == "Bob Smith"
    first = client.conversations_open(users="U100")["channel"]["id"]
    again = client.conversations_open(users=["U100"])["channel"]["id"]
    other = client.conversations_open(users="U200")["channel"]["id"]
    assert first == again == fake.dm_channel("U100") and first.startswith("D")
    assert other != first
    # posting to a user id lands in that user's DM, as in Slack
    assert client.chat_postMessage(channel="U100", text="x")["channel"] == first


def test_update_ephemeral_delete_and_views(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="v1")
    client.chat_update(channel="C1", ts=posted["ts"], text="v2")
    assert fake.messages[("C1", posted["ts"])]["text"] == "v2"
    eph = client.chat_postEphemeral(channel="C1", user="U100", text="psst")
    assert eph["message_ts"] and fake.ephemeral_messages[0]["user"] == "U100"
    client.chat_delete(channel="C1", ts=posted["ts"])
    assert fake.messages == {}
    with pytest.raises(SlackApiError):
        client.chat_update(channel="C1", ts=posted["ts"], text="gone")

    home = {"type": "home", "blocks": [{"type": "divider"}]}
    client.views_publish(user_id="U100", view=home)
    assert fake.home_views["U100"]["blocks"] == [{"type": "divider"}]
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Deal"}, "blocks": []}
    opened = client.views_open(trigger_id="123.456", view=modal)
    view_id = opened["view"]["id"]
    client.views_update(view_id=view_id, view={**modal, "blocks": [{"type": "divider"}]})
    assert fake.views[view_id]["blocks"] == [{"type": "divider"}]
    client.api_call("reactions.add", params={"name": "eyes"})  # unknown method -> ok
    assert fake.calls_to("reactions.add")[0].ok


def test_block_kit_limits_are_enforced_on_plain_dicts(client: WebClient) -> None:
    blocks = [{"type": "divider"}] * 51
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="x", blocks=blocks)
    assert err.value.response["error"] == "invalid_blocks"


def test_429_retry_after_is_retried_by_rate_limit_handler(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    plain = WebClient(base_url=fake.url, token="xoxb-test")
    with pytest.raises(SlackApiError) as err:
        plain.chat_postMessage(channel="C1", text="x")  # default handlers: no 429 retry
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "0"

    fake.reset()
    fake.fail_next("chat.postMessage", status=429, retry_after=0, times=2)
    retrying = WebClient(
        base_url=fake.url,
        token="xoxb-test",
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    assert retrying.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 429, 200]


def test_rate_limit_per_second(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit("conversations.open", per_second=2)
    statuses = []
    for _ in range(3):
        try:
            client.conversations_open(users="U100")
            statuses.append(200)
        except SlackApiError as e:
            statuses.append(e.response.status_code)
    assert statuses == [200, 200, 429]


def test_files_upload_v2_completes(fake: FakeSlack, client: WebClient) -> None:
    resp = client.files_upload_v2(channel="C1", content=PNG, filename="chart.png", title="Pipeline")
    file: Any = resp["file"]
    assert file["title"] == "Pipeline" and file["size"] == len(PNG)
    assert [c.method for c in fake.calls] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    get_url = fake.calls_to("files.getUploadURLExternal")[0]
    assert get_url.params["length"] == str(len(PNG))
    upload = fake.calls_to("upload")[0]
    assert upload.params["length"] == len(PNG) and "authorization" not in upload.headers
    assert fake.uploads[file["id"]] == PNG
    complete = fake.calls_to("files.completeUploadExternal")[0]
    assert complete.json_param("files") == [{"id": file["id"], "title": "Pipeline"}]


def _statuses(seed: int) -> list[int]:
    with FakeSlack() as f:
        f.fail_rate("*", rate=0.3, status=500, seed=seed)
        c = WebClient(base_url=f.url, token="xoxb-test")
        for _ in range(30):
            with contextlib.suppress(SlackApiError):
                c.chat_postMessage(channel="C1", text="x")
        return [call.status for call in f.calls]


def test_fail_rate_is_deterministic_for_a_seed() -> None:
    first = _statuses(7)
    assert first == _statuses(7)
    assert 500 in first and 200 in first
    assert first != _statuses(8)


def test_hang_delays_and_stop_releases(fake: FakeSlack) -> None:
    fake.hang("auth.test", 0.3, times=1)
    client = WebClient(base_url=fake.url, token="xoxb-test")
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.3


def test_wait_for_polls_and_times_out_usefully(fake: FakeSlack, client: WebClient) -> None:
    threading.Timer(0.1, lambda: client.chat_postMessage(channel="C1", text="late")).start()
    assert fake.wait_for("chat.postMessage", timeout=3)[0].params["text"] == "late"
    client.auth_test()
    with pytest.raises(AssertionError) as err:
        fake.wait_for("views.publish", count=1, timeout=0.2)
    message = str(err.value)
    assert "views.publish" in message and "auth.test[200]" in message
    assert "chat.postMessage[200]" in message


def test_response_url_is_recorded(fake: FakeSlack) -> None:
    url = fake.response_url("cmd1")
    r = requests.post(url, json={"text": "done", "replace_original": True}, timeout=5)
    assert r.status_code == 200
    (call,) = fake.wait_for("response_url")
    assert call.params == {"text": "done", "replace_original": True}
    assert call.path.endswith("/response/cmd1")


# ---------------------------------------------------------------------- signing
def test_sign_matches_slack_sdk_verifier() -> None:
    body = command_body(text="acme")
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid_request(body, sign("s3cret", body))
    assert not verifier.is_valid_request(body, sign("other", body))
    stale = sign("s3cret", body, timestamp=int(time.time()) - 301)
    assert not verifier.is_valid_request(body, stale)
    payload = block_actions_payload("U1", "snooze", "deal-42")
    assert verifier.is_valid_request(action_body(payload), sign("s3cret", action_body(payload)))


def test_signed_requests_drive_a_real_bolt_app(
    fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    for key in [k for k in os.environ if k.startswith("SLACK_")]:
        monkeypatch.delenv(key)
    app = App(
        client=WebClient(base_url=fake.url, token="xoxb-test"),
        signing_secret="s",
        process_before_response=True,
    )
    assert fake.calls_to("auth.test"), "Bolt calls auth.test at construction"
    seen: list[str] = []

    @app.command("/deal")
    def deal(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        ack()
        respond(text=f"looking at {command['text']}")

    @app.action("snooze")
    def snooze(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        seen.append(body["actions"][0]["value"])
        client.chat_update(channel=body["channel"]["id"], ts=body["message"]["ts"], text="zz")

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    def dispatch(body: bytes, ts: int | None = None, ctype: str = "form") -> int:
        content_type = (
            "application/json" if ctype == "json" else "application/x-www-form-urlencoded"
        )
        headers: dict[str, str | Sequence[str]] = {
            "content-type": content_type,
            **sign("s", body, ts),
        }
        return app.dispatch(BoltRequest(body=body.decode(), headers=headers)).status

    body = command_body(text="acme", response_url=fake.response_url("c"))
    assert dispatch(body) == 200
    assert fake.wait_for("response_url")[0].params["text"] == "looking at acme"
    assert dispatch(body, ts=int(time.time()) - 400) == 401  # stale signature

    msg = WebClient(base_url=fake.url, token="xoxb-test").chat_postMessage(channel="C1", text="a")
    message = dict(msg["message"])
    assert dispatch(action_body(block_actions_payload("U100", "snooze", "deal-42", message))) == 200
    assert seen == ["deal-42"] and fake.messages[("C1", msg["ts"])]["text"] == "zz"

    event = {"type": "app_home_opened", "user": "U100", "channel": "D1", "tab": "home"}
    assert dispatch(event_body(event), ctype="json") == 200
    assert json.loads(json.dumps(fake.wait_for("views.publish")[0].params))["user_id"] == "U100"
