"""Sending a scheduled message exactly once.

The store records an idempotency key around every send: ``begin`` (pending) → post →
``finish`` (sent). A crash or a lost reply between the post and ``finish`` leaves the key
pending; before posting again we look in the channel for a message carrying that key in
its metadata, so a retry never double-sends and a failure is never silently dropped.

429s honour ``Retry-After`` (the client's rate-limit handler: a 429 was not delivered, so a
retry is safe). 5xx, timeouts and resets are *not* blindly retried by the client: each
retry here first checks whether the message arrived.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
EVENT_TYPE = "dealnudge_sent"
ATTEMPTS = 3
BACKOFF = 1.0  # seconds before the 2nd attempt; doubles, at most 8
RETRYABLE_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable"})


@dataclass(frozen=True)
class Sent:
    channel: str
    ts: str
    found_existing: bool = False  # an earlier attempt had delivered it


class DeliveryError(Exception):
    """Not delivered after retries; the message says why (no secrets, no deal text)."""


def find_sent(client: WebClient, channel: str, key: str, since: datetime | None) -> Sent | None:
    """A message in ``channel`` whose metadata carries ``key`` (posted since ``since``)."""
    try:
        resp = client.conversations_history(
            channel=channel,
            oldest=f"{since.timestamp() - 60:.6f}" if since else "0",
            limit=100,
            include_all_metadata=True,
        )
    except SlackApiError as exc:
        log.warning(
            "cannot check %s for an earlier delivery (%s); sending again",
            channel,
            exc.response.get("error"),
        )
        return None
    except (OSError, TimeoutError) as exc:  # unreachable: an earlier post may have landed
        raise DeliveryError(
            f"cannot check for an earlier delivery: network error ({type(exc).__name__})"
        ) from None
    for message in resp.get("messages") or []:
        meta = message.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == EVENT_TYPE and payload.get("key") == key:
            return Sent(str(resp.get("channel") or channel), str(message["ts"]), True)
    return None


def open_dm(client: WebClient, user_id: str) -> str:
    """The DM channel with ``user_id``; a failure is a ``DeliveryError`` (retried next run)."""
    try:
        resp = client.conversations_open(users=user_id)
        return str(resp["channel"]["id"])
    except Exception as exc:  # the network or Slack
        raise DeliveryError(f"cannot open a DM with {user_id}: {type(exc).__name__}") from None


def post_once(
    client: WebClient,
    channel: str,
    key: str,
    *,
    text: str,
    blocks: list[dict[str, Any]],
    previous_attempt: datetime | None,
    sleep: Callable[[float], None] = time.sleep,
) -> Sent:
    """Post ``blocks`` to ``channel`` unless a message with ``key`` is already there.

    ``channel`` may be a user id: the message lands in the app's DM with them, without a
    ``conversations.open`` per recipient (Tier 3, ~50 a minute: 1,000 reps would take 20
    minutes). The DM is opened only to look for an earlier attempt's message.
    ``previous_attempt`` is when an earlier attempt with this key began (None: first try).
    """
    check_since = previous_attempt
    last_error = ""
    history = None if channel[:1] in ("U", "W") else channel  # where earlier attempts land
    for attempt in range(ATTEMPTS):
        if check_since is not None:
            history = history or open_dm(client, channel)
            found = find_sent(client, history, key, check_since)
            if found is not None:
                return found
        started = datetime.now().astimezone()
        try:
            resp = client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                metadata={"event_type": EVENT_TYPE, "event_payload": {"key": key}},
                unfurl_links=False,
                unfurl_media=False,
            )
            return Sent(str(resp["channel"]), str(resp["ts"]))
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "")
            status = exc.response.status_code
            if status < 500 and error not in RETRYABLE_ERRORS:
                raise DeliveryError(f"Slack refused the message: {error or status}") from None
            last_error = f"Slack answered HTTP {status} ({error or 'no error code'})"
        except (OSError, TimeoutError) as exc:  # timeouts and connection resets
            last_error = f"network error ({type(exc).__name__})"
        check_since = started  # it may have arrived: look before the next try
        if attempt + 1 < ATTEMPTS:
            sleep(min(BACKOFF * 2.0**attempt, 8.0))
    raise DeliveryError(f"not delivered after {ATTEMPTS} attempts: {last_error}")
