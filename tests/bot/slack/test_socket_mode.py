"""`dealnudge serve` in Socket Mode: the app opens its own WebSocket (no public URL).

The real CLI runs as a subprocess with SLACK_APP_TOKEN set and no signing secret; FakeSlack
hands out the URL of a local fake Socket Mode endpoint, which sends the app envelopes the
way Slack does and records the app's acknowledgements.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.fake_slack import FakeSlack
from support.fake_socket_mode import FakeSocketMode, envelope_id
from support.slack_harness import add_people, start_serve, texts, user
from support.slack_requests import command_form, event_envelope

from bot.slack.commands import NOT_LOADED


@pytest.fixture
def socket_app(tmp_path: Path) -> Iterator[tuple[FakeSlack, FakeSocketMode]]:
    with FakeSlack() as fake, FakeSocketMode() as endpoint:
        add_people(fake)
        fake.socket_mode_url = endpoint.url
        proc = start_serve(
            fake,
            tmp_path / "state.json",
            SLACK_BOT_TOKEN="xoxb-socket-test",
            SLACK_APP_TOKEN="xapp-1-socket-test",
        )
        try:
            endpoint.wait_connected(timeout=30)
            _wait_loaded(endpoint, fake)
            yield fake, endpoint
        finally:
            proc.terminate()
            out = proc.communicate(timeout=10)[0].decode()
            assert "xoxb-socket-test" not in out and "xapp-1-socket-test" not in out


def _wait_loaded(endpoint: FakeSocketMode, fake: FakeSlack) -> None:
    """Connected at once, the export loads in the background: until it is in, /deal asks
    to try again (asked as a user Slack does not know, so no test user is looked up)."""
    deadline = time.monotonic() + 30
    while (slash(endpoint, fake, "UPROBE", "").get("payload") or {}).get("text") == NOT_LOADED:
        assert time.monotonic() < deadline, "the export did not load"
        time.sleep(0.1)


def slash(endpoint: FakeSocketMode, fake: FakeSlack, user_id: str, text: str) -> dict:
    eid = envelope_id()
    form = command_form(text=text, user_id=user_id, response_url=fake.response_url(eid))
    endpoint.send(
        {"envelope_id": eid, "type": "slash_commands", "payload": form,
         "accepts_response_payload": True}
    )  # fmt: skip
    return endpoint.ack_for(eid)


@pytest.mark.slow  # the real `dealnudge serve` in a subprocess (see pyproject's markers)
def test_slash_commands_and_events_over_socket_mode(
    socket_app: tuple[FakeSlack, FakeSocketMode],
) -> None:
    fake, endpoint = socket_app
    assert [c.params for c in fake.calls_to("apps.connections.open")]  # with the xapp token
    help_ack = slash(endpoint, fake, user("jordan"), "help")
    assert "/deal" in texts(help_ack["payload"]["blocks"])  # answered in the ack itself

    # A first-time caller is acked at once and answered at the response_url...
    first = slash(endpoint, fake, user("jordan"), "")
    assert not first.get("payload")
    (reply,) = fake.wait_for("response_url", where=lambda c: first["envelope_id"] in c.path)
    assert "flagged" in reply.params["text"]
    # ...and from then on inside the ack.
    again = slash(endpoint, fake, user("jordan"), "Bellweather Foods")
    assert "Bellweather Foods" in texts(again["payload"]["blocks"])

    eid = envelope_id()
    endpoint.send({"envelope_id": eid, "type": "events_api", "accepts_response_payload": False,
                   "payload": event_envelope({"type": "app_home_opened", "user": user("hannah"),
                                              "tab": "home", "channel": "D0HOME"})})  # fmt: skip
    endpoint.ack_for(eid)
    (published,) = fake.wait_for("views.publish")
    assert published.params["user_id"] == user("hannah")


def test_http_requests_are_refused_without_a_signing_secret(tmp_path: Path) -> None:
    """In Socket Mode no signing secret is needed, and an HTTP request can then never pass
    verification (the app checks against a random secret)."""
    from slack_bolt.request import BoltRequest
    from support.slack_harness import make_runtime
    from support.slack_requests import FORM, command_body, signed_headers

    from bot.slack.app import create_app

    with FakeSlack() as fake:
        app = create_app(make_runtime(tmp_path, fake).deps, None)
        for secret in ("", "guess"):
            body = command_body(text="help")
            headers = signed_headers(secret, body, FORM)
            response = app.dispatch(BoltRequest(body=body.decode(), headers=headers))
            assert response.status == 401
