"""Sending a scheduled message exactly once: post_once against the fake Slack Web API.

The client is the one the app sends with (``make_client(..., retry_unsafe=False)``) pointed
at the fake over HTTP; faults are the fake's own (a lost reply, 5xx, 429, refusals), plus
one a plain HTTP fake cannot make: a connection closed after Slack took the request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from support.fake_slack import FakeSlack

from bot.delivery import once
from bot.delivery.once import EVENT_TYPE, DeliveryError, Sent, post_once
from bot.runtime import make_client
from bot.settings import Secret, Settings

CHANNEL = "C0DEALS"
REP = "U0ANN"
DEAL_TEXT = "Acme Corp renewal is stuck in Proposal"
BLOCKS: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Acme*"}}]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        f.add_user(REP, "ann@acme.example", "Ann Rep")
        yield f


def sender_for(url: str) -> WebClient:
    settings = Settings(slack_bot_token=Secret("xoxb-test-sender"), slack_api_url=url)
    return make_client(settings, retry_unsafe=False)


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    fake.reset()
    return sender_for(fake.url)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def post(
    client: WebClient, channel: str, key: str, previous: datetime | None, sleep: Sleeps
) -> Sent:
    return post_once(
        client, channel, key, text=DEAL_TEXT, blocks=BLOCKS, previous_attempt=previous, sleep=sleep
    )


def keyed(fake: FakeSlack, channel: str, key: str) -> list[dict[str, Any]]:
    """The messages in ``channel`` carrying ``key`` in dealnudge's metadata."""
    return [
        m
        for m in fake.messages_in(channel)
        if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE
        and m["metadata"]["event_payload"].get("key") == key
    ]


def now() -> datetime:
    return datetime.now().astimezone()


def test_a_first_post_lands_once_with_its_key(client: WebClient, fake: FakeSlack) -> None:
    """First try: one chat.postMessage, no history check, the key in the message metadata."""
    sleeps = Sleeps()
    sent = post(client, CHANNEL, "nudge:005ANN:2026-11-02", None, sleeps)
    (message,) = fake.messages_in(CHANNEL)
    assert sent == Sent(CHANNEL, message["ts"], found_existing=False)
    assert message["metadata"] == {
        "event_type": EVENT_TYPE,
        "event_payload": {"key": "nudge:005ANN:2026-11-02"},
    }
    assert message["text"] == DEAL_TEXT and message["blocks"] == BLOCKS
    (call,) = fake.calls_to("chat.postMessage")
    assert call.params["unfurl_links"] is False and call.params["unfurl_media"] is False
    assert fake.calls_to("conversations.history") == [] and sleeps == []


def test_called_twice_for_one_key_posts_once(client: WebClient, fake: FakeSlack) -> None:
    """A second call naming the first attempt finds the message instead of posting again."""
    began = now()
    first = post(client, CHANNEL, "k-twice", None, Sleeps())
    second = post(client, CHANNEL, "k-twice", began, Sleeps())
    assert second == Sent(CHANNEL, first.ts, found_existing=True)
    assert len(keyed(fake, CHANNEL, "k-twice")) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_another_keys_message_is_not_mistaken_for_this_one(
    client: WebClient, fake: FakeSlack
) -> None:
    """Yesterday's nudge (another key) in the channel does not stop today's from posting."""
    began = now()
    post(client, CHANNEL, "k-yesterday", None, Sleeps())
    today = post(client, CHANNEL, "k-today", began, Sleeps())
    assert today.found_existing is False
    assert len(keyed(fake, CHANNEL, "k-today")) == 1
    assert len(fake.messages_in(CHANNEL)) == 2


def test_a_post_to_a_user_lands_in_their_dm_without_opening_it(
    client: WebClient, fake: FakeSlack
) -> None:
    """Posting to a user id needs no conversations.open; a retry opens it once to look."""
    began = now()
    first = post(client, REP, "k-dm", None, Sleeps())
    dm = fake.dm_channel(REP)
    assert first.channel == dm and not first.found_existing
    assert fake.calls_to("conversations.open") == []
    again = post(client, REP, "k-dm", began, Sleeps())
    assert again == Sent(dm, first.ts, found_existing=True)
    assert len(fake.calls_to("conversations.open")) == 1
    assert len(keyed(fake, dm, "k-dm")) == 1


def test_a_lost_reply_is_found_not_sent_again(client: WebClient, fake: FakeSlack) -> None:
    """Slack posts it but answers 500: the retry looks first, finds it, posts nothing more."""
    fake.lose_reply("chat.postMessage")
    sleeps = Sleeps()
    sent = post(client, CHANNEL, "k-lost", None, sleeps)
    (message,) = keyed(fake, CHANNEL, "k-lost")
    assert sent == Sent(CHANNEL, message["ts"], found_existing=True)
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert len(sleeps) == 1


def test_a_5xx_that_did_not_deliver_is_retried_after_a_check(
    client: WebClient, fake: FakeSlack
) -> None:
    """A 503 with nothing posted: wait, check the channel, post again; one message."""
    fake.fail_next("chat.postMessage", status=503)
    sleeps = Sleeps()
    sent = post(client, CHANNEL, "k-503", None, sleeps)
    assert sent.found_existing is False
    assert len(keyed(fake, CHANNEL, "k-503")) == 1
    assert [c.method for c in fake.calls if c.method != "auth.test"] == [
        "chat.postMessage",
        "conversations.history",
        "chat.postMessage",
    ]
    assert sleeps == [once.BACKOFF]


def test_a_retryable_slack_error_code_is_retried(client: WebClient, fake: FakeSlack) -> None:
    """HTTP 200 with error "service_unavailable" is a Slack outage, retried like a 5xx."""
    fake.fail_next("chat.postMessage", status=200, error="service_unavailable")
    sent = post(client, CHANNEL, "k-outage", None, Sleeps())
    assert not sent.found_existing
    assert len(keyed(fake, CHANNEL, "k-outage")) == 1


def test_three_failures_are_a_delivery_error(client: WebClient, fake: FakeSlack) -> None:
    """Three 500s: DeliveryError saying so, waits doubling, nothing posted, no deal text."""
    fake.fail_next("chat.postMessage", status=500, times=3)
    sleeps = Sleeps()
    with pytest.raises(DeliveryError) as err:
        post(client, CHANNEL, "k-down", None, sleeps)
    assert str(err.value) == "not delivered after 3 attempts: Slack answered HTTP 500 " + (
        "(internal_error)"
    )
    assert DEAL_TEXT not in str(err.value) and "xoxb" not in str(err.value)
    assert sleeps == [once.BACKOFF, 2 * once.BACKOFF]
    assert len(fake.calls_to("chat.postMessage")) == 3
    assert fake.messages_in(CHANNEL) == []


def test_a_refusal_is_not_retried(client: WebClient, fake: FakeSlack) -> None:
    """channel_not_found is final: one call, no wait, DeliveryError naming the error."""
    fake.fail_next("chat.postMessage", status=200, error="channel_not_found")
    sleeps = Sleeps()
    with pytest.raises(DeliveryError, match=r"^Slack refused the message: channel_not_found$"):
        post(client, CHANNEL, "k-refused", None, sleeps)
    assert len(fake.calls_to("chat.postMessage")) == 1 and sleeps == []


def test_blocks_slack_rejects_are_refused_at_once(client: WebClient, fake: FakeSlack) -> None:
    """51 blocks (Slack allows 50): invalid_blocks, not retried, nothing posted."""
    too_many = BLOCKS * 51
    with pytest.raises(DeliveryError, match="invalid_blocks"):
        post_once(
            client, CHANNEL, "k-big", text="x", blocks=too_many, previous_attempt=None,
            sleep=Sleeps(),
        )  # fmt: skip
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert fake.messages_in(CHANNEL) == []


def test_a_rate_limit_is_waited_out_by_the_client(client: WebClient, fake: FakeSlack) -> None:
    """A 429 was not delivered: the sender honours Retry-After and posts once."""
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    sleeps = Sleeps()
    sent = post(client, CHANNEL, "k-429", None, sleeps)
    assert not sent.found_existing
    assert len(keyed(fake, CHANNEL, "k-429")) == 1
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert sleeps == []  # post_once itself did not count it as a failed attempt


def test_a_failed_history_check_sends_anyway(client: WebClient, fake: FakeSlack) -> None:
    """If the channel cannot be read, sending again beats dropping the message."""
    fake.fail_next("conversations.history", status=200, error="missing_scope")
    sent = post(client, CHANNEL, "k-unchecked", now() - timedelta(minutes=5), Sleeps())
    assert not sent.found_existing
    assert len(keyed(fake, CHANNEL, "k-unchecked")) == 1


def test_a_dm_that_cannot_be_opened_is_a_delivery_error(client: WebClient, fake: FakeSlack) -> None:
    """On a retry to a user whose DM cannot be opened: DeliveryError, nothing posted."""
    fake.fail_next("conversations.open", status=200, error="user_not_found")
    with pytest.raises(DeliveryError, match=r"^cannot open a DM with U0ANN: SlackApiError$"):
        post(client, REP, "k-nodm", now(), Sleeps())
    assert fake.calls_to("chat.postMessage") == []


def test_an_unreachable_slack_is_a_delivery_error() -> None:
    """Connection refused on every try (posting and checking): a DeliveryError, nothing else."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens here
    client = WebClient(
        base_url=f"http://127.0.0.1:{port}/api/", token="xoxb-test", retry_handlers=[]
    )
    with pytest.raises(DeliveryError) as err:
        post(client, CHANNEL, "k-offline", None, Sleeps())
    assert DEAL_TEXT not in str(err.value)


def test_a_timed_out_history_check_ends_in_sent_or_delivery_error(
    client: WebClient, fake: FakeSlack
) -> None:
    """A timed-out check for an earlier attempt still ends in Sent (once) or DeliveryError."""
    client.timeout = 0.3
    fake.hang("conversations.history", seconds=2, times=1)
    outcome: Sent | DeliveryError
    try:
        outcome = post(client, CHANNEL, "k-slow-check", now(), Sleeps())
    except DeliveryError as exc:
        outcome = exc
    assert isinstance(outcome, Sent | DeliveryError)
    assert len(keyed(fake, CHANNEL, "k-slow-check")) <= 1


class DropFirstPostProxy:
    """A TCP proxy to the fake that forwards the first chat.postMessage, lets the fake post
    it, then closes the connection without the reply (a reset after Slack took the send);
    every other request passes through untouched."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.dropped = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}/api/"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._sock.close()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self._sock.accept()
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            request = self._read_request(conn)
            with socket.create_connection(("127.0.0.1", self.target_port)) as up:
                up.sendall(request)
                reply = b"".join(iter(lambda: up.recv(65536), b""))  # the fake speaks 1.0
            if request.startswith(b"POST /api/chat.postMessage ") and self.dropped == 0:
                self.dropped += 1
                return  # closed without a reply
            conn.sendall(reply)

    @staticmethod
    def _read_request(conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            body += conn.recv(65536)
        return head + b"\r\n\r\n" + body


def test_a_reset_after_slack_took_the_post_is_not_sent_twice(fake: FakeSlack) -> None:
    """The connection closes after Slack posted the message: the rep still gets one copy."""
    fake.reset()
    proxy = DropFirstPostProxy(fake.port)
    try:
        sent = post(sender_for(proxy.url), CHANNEL, "k-reset", None, Sleeps())
    finally:
        proxy.close()
    assert proxy.dropped == 1
    assert len(keyed(fake, CHANNEL, "k-reset")) == 1
    assert sent.found_existing
