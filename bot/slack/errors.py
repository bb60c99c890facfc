"""When a listener fails: the user hears about it, storage failures reach the admins.

Listeners are wrapped with ``guarded`` at registration so an exception never escapes into
Bolt after ``ack()`` (Bolt would then wait out its ack timeout and answer 404).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import requests

from bot.slack.context import Deps

log = logging.getLogger("dealnudge.slack")
ALERT_EVERY = timedelta(hours=1)
SAVE_FAILED = (
    "Sorry, dealnudge could not save that (its storage is full or unavailable), so nothing "
    "was recorded. Your admin has been told; please try again later."
)
FAILED = "Sorry, something went wrong on dealnudge's side; please try again in a minute."


def guarded(listener: Callable[..., None], deps: Deps) -> Callable[..., None]:
    """``listener`` with ``deps`` in its context (Bolt runs lazy listeners on a fresh
    context) and its failures logged and apologised for, never raised."""

    @functools.wraps(listener)
    def run(**kwargs: Any) -> None:
        context = kwargs.get("context")
        if context is not None:
            context["deps"] = deps
        try:
            listener(**kwargs)
        except Exception as error:
            body = kwargs.get("body") or kwargs.get("command") or {}
            log.error("%s failed", listener.__name__, exc_info=error)
            apologise(deps, dict(body), error)

    return run


def ack_now(ack: Any) -> None:
    """The synchronous part of every listener: acknowledge within Slack's 3 s, nothing else."""
    ack()


def deferred(
    listener: Callable[..., None], deps: Deps, ack: Callable[..., None] = ack_now
) -> dict[str, Any]:
    """Arguments for ``app.command(...)(**deferred(fn, deps))`` and friends: ``ack``
    answers Slack first (the HTTP 200) and ``listener`` runs after it, guarded."""
    return {"ack": ack, "lazy": [guarded(listener, deps)]}


def apologise(deps: Deps, body: dict[str, Any], error: Exception) -> None:
    """Tell the user their click or command did not go through (never raises); a storage
    failure is also reported to the admins, at most once an hour."""
    from bot.runtime import alert_admins
    from bot.store import StoreError

    storage = isinstance(error, OSError | StoreError)
    url = body.get("response_url") or next(
        (u.get("response_url") for u in body.get("response_urls") or []), None
    )
    if url:
        try:
            requests.post(
                str(url),
                json={
                    "response_type": "ephemeral",
                    "replace_original": False,
                    "text": SAVE_FAILED if storage else FAILED,
                },
                timeout=5,
            )
        except requests.RequestException:
            log.warning("could not tell the user about the failure")
    now = deps.clock()
    if storage and (deps.storage_alerted is None or now - deps.storage_alerted > ALERT_EVERY):
        deps.storage_alerted = now
        alert_admins(
            deps,
            deps.config,
            ":warning: dealnudge cannot write its state file "
            f"({type(error).__name__}: {str(error)[:200]}). Clicks are not being recorded; "
            "check the disk behind DEALNUDGE_DB.",
        )
