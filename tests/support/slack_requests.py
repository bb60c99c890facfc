"""Drive a Bolt app over real HTTP the way Slack does: signed form/JSON requests.

Each ``post_*`` has a matching ``*_body`` builder returning the exact bytes, so the
same request can be fed to ``App.dispatch(BoltRequest(body=..., headers=...))``
without a server.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
from typing import Any

import requests

JsonDict = dict[str, Any]

TEAM_ID = "T1"
TEAM_DOMAIN = "dealnudge-test"
API_APP_ID = "A0FAKEAPP"
# Unroutable on purpose: an app that respond()s without a fake response_url fails fast
# (connection refused) instead of reaching the internet. Pass fake.response_url().
DEFAULT_RESPONSE_URL = "http://127.0.0.1:9/response/unset"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_seq = itertools.count(1)


def _trigger_id() -> str:
    return f"{int(time.time())}.{next(_seq)}.fake{next(_seq):08x}"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature headers for ``body`` (``timestamp`` defaults to now)."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    base = b"v0:" + str(ts).encode("ascii") + b":" + body
    digest = hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def signed_headers(
    secret: str, body: bytes, content_type: str, timestamp: int | None = None
) -> dict[str, str]:
    return {"Content-Type": content_type, **sign(secret, body, timestamp)}


def _post(
    url: str,
    secret: str,
    body: bytes,
    content_type: str,
    *,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> requests.Response:
    all_headers = signed_headers(secret, body, content_type, timestamp)
    all_headers.update(headers or {})
    return requests.post(url, data=body, headers=all_headers, timeout=timeout)


# ---------------------------------------------------------------------- slash commands
def command_form(
    command: str = "/deal",
    text: str = "",
    user_id: str = "U1",
    team_id: str = TEAM_ID,
    response_url: str = DEFAULT_RESPONSE_URL,
    **extra: str,
) -> dict[str, str]:
    """The form fields Slack sends for a slash command (``extra`` adds/overrides)."""
    form = {
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": "C1",
        "channel_name": "deals",
        "user_id": user_id,
        "user_name": f"user-{user_id.lower()}",
        "command": command,
        "text": text,
        "api_app_id": API_APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": _trigger_id(),
    }
    form.update(extra)
    return form


def command_body(**kwargs: Any) -> bytes:
    return urllib.parse.urlencode(command_form(**kwargs)).encode("utf-8")


def post_command(
    url: str,
    secret: str,
    command: str = "/deal",
    text: str = "",
    user_id: str = "U1",
    team_id: str = TEAM_ID,
    response_url: str = DEFAULT_RESPONSE_URL,
    *,
    timestamp: int | None = None,
    timeout: float = 10.0,
    **extra: str,
) -> requests.Response:
    """POST a signed slash command (form-encoded). Pass ``fake.response_url()``."""
    body = command_body(
        command=command,
        text=text,
        user_id=user_id,
        team_id=team_id,
        response_url=response_url,
        **extra,
    )
    return _post(url, secret, body, FORM, timestamp=timestamp, timeout=timeout)


# ---------------------------------------------------------------------- interactivity
def action_body(payload: JsonDict) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode("utf-8")


def post_action(
    url: str,
    secret: str,
    payload: JsonDict,
    *,
    timestamp: int | None = None,
    timeout: float = 10.0,
) -> requests.Response:
    """POST a signed interactivity payload (form field ``payload=<json>``)."""
    return _post(url, secret, action_body(payload), FORM, timestamp=timestamp, timeout=timeout)


def block_actions_payload(
    user_id: str,
    action_id: str,
    value: str,
    message: JsonDict | None = None,
    response_url: str = DEFAULT_RESPONSE_URL,
    container: JsonDict | None = None,
    *,
    channel_id: str = "C1",
    block_id: str | None = None,
    team_id: str = TEAM_ID,
    is_ephemeral: bool = False,
    view: JsonDict | None = None,
    state: JsonDict | None = None,
) -> JsonDict:
    """A realistic ``block_actions`` payload for a button click.

    With ``view`` it is a click inside a modal/Home tab (container type ``view``,
    no channel/message/response_url, as Slack sends it).
    """
    action_ts = f"{time.time():.6f}"
    if message is None and view is None:
        message = {
            "type": "message",
            "user": "U0FAKEBOT",
            "bot_id": "B0FAKEBOT",
            "ts": f"{time.time() - 60:.6f}",
            "text": "deal nudge",
            "blocks": [],
        }
    if block_id is None:
        block_id = _find_block_id(message or view or {}, action_id) or "b1"
    payload: JsonDict = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {
            "id": user_id,
            "username": f"user-{user_id.lower()}",
            "name": f"user-{user_id.lower()}",
            "team_id": team_id,
        },
        "api_app_id": API_APP_ID,
        "token": "deprecated-verification-token",
        "trigger_id": _trigger_id(),
        "is_enterprise_install": False,
        "enterprise": None,
        "state": state or {"values": {}},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "value": value,
                "action_ts": action_ts,
            }
        ],
    }
    if view is not None:
        payload["container"] = container or {"type": "view", "view_id": view.get("id", "V1")}
        payload["view"] = view
        return payload
    assert message is not None
    payload["container"] = container or {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel_id,
        "is_ephemeral": is_ephemeral,
    }
    payload["channel"] = {"id": channel_id, "name": "deals"}
    payload["message"] = message
    payload["response_url"] = response_url
    return payload


def _find_block_id(holder: JsonDict, action_id: str) -> str | None:
    for block in holder.get("blocks") or []:
        elements = list(block.get("elements") or [])
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        if any(isinstance(e, dict) and e.get("action_id") == action_id for e in elements):
            bid = block.get("block_id")
            return str(bid) if bid is not None else None
    return None


def view_submission_payload(
    user_id: str,
    callback_id: str,
    values: JsonDict,
    private_metadata: str = "",
    *,
    team_id: str = TEAM_ID,
    view_id: str = "V1",
) -> JsonDict:
    """A ``view_submission`` payload; ``values`` is ``{block_id: {action_id: {...}}}``."""
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": f"user-{user_id.lower()}", "team_id": team_id},
        "api_app_id": API_APP_ID,
        "token": "deprecated-verification-token",
        "trigger_id": _trigger_id(),
        "is_enterprise_install": False,
        "enterprise": None,
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "blocks": [],
            "state": {"values": values},
            "hash": f"{time.time():.6f}",
            "app_id": API_APP_ID,
        },
        "response_urls": [],
    }


# ---------------------------------------------------------------------- events API
def event_envelope(
    event: JsonDict,
    event_id: str | None = None,
    *,
    team_id: str = TEAM_ID,
    bot_user_id: str = "U0FAKEBOT",
) -> JsonDict:
    now = int(time.time())
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "api_app_id": API_APP_ID,
        "event": {"event_ts": f"{time.time():.6f}", **event},
        "type": "event_callback",
        "event_id": event_id or f"Ev{now}{next(_seq):06d}",
        "event_time": now,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-fake-{next(_seq)}",
    }


def event_body(event: JsonDict, event_id: str | None = None, **kwargs: Any) -> bytes:
    return json.dumps(event_envelope(event, event_id, **kwargs)).encode("utf-8")


def post_event(
    url: str,
    secret: str,
    event: JsonDict,
    event_id: str | None = None,
    *,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
    timestamp: int | None = None,
    timeout: float = 10.0,
    **envelope: Any,
) -> requests.Response:
    """POST a signed ``event_callback``; ``retry_num`` adds Slack's retry headers.

    Reuse the same ``event_id`` to simulate a redelivery (Bolt does not de-duplicate).
    """
    body = event_body(event, event_id, **envelope)
    headers: dict[str, str] = {}
    if retry_num is not None:
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
    return _post(url, secret, body, JSON, timestamp=timestamp, headers=headers, timeout=timeout)


def post_url_verification(
    url: str, secret: str, challenge: str, *, timeout: float = 10.0
) -> requests.Response:
    body = json.dumps(
        {
            "token": "deprecated-verification-token",
            "challenge": challenge,
            "type": "url_verification",
        }
    ).encode("utf-8")
    return _post(url, secret, body, JSON, timeout=timeout)
