"""Listener shapes, and what happens when one fails: the user hears about it, storage
failures reach the admins.

- ``deferred``: listeners that change nothing: ack at once, the work after it (Bolt's lazy
  listener), guarded so an exception never escapes into Bolt after ``ack()``;
- ``saving``: listeners that change state: the write is durable *before* the ack (the
  store returns only then), so Slack is never told "done" about a click that a crash or a
  full disk then loses; what shows the result runs after the ack (``later``). A failed
  write acks with the reason: an error under the modal's field, or an apology to the user.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import requests

from bot.slack.alerts import alert_admins
from bot.slack.blocks import escape
from bot.slack.context import Deps
from bot.state import StoreError

log = logging.getLogger("dealnudge.slack")
ALERT_EVERY = timedelta(hours=1)
SAVE_FAILED_SHORT = "dealnudge could not save this (its storage is unavailable); try later."
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


def later(deps: Deps, body: dict[str, Any], step: Callable[[], None]) -> None:
    """Run ``step`` after the ack on a listener worker; a failure is apologised for."""

    def run() -> None:
        try:
            step()
        except Exception as error:
            log.error("%s failed after the ack", getattr(step, "__name__", "step"), exc_info=error)
            apologise(deps, body, error)

    deps.workers.submit(run)


def saving(listener: Callable[..., None], deps: Deps, *, field: str = "") -> Callable[..., None]:
    """An ack listener for ``listener(ack, body, context, respond)``: it saves, acks, then
    hands what it shows to ``later``. If it raises before acking: a storage failure keeps a
    modal open with the reason under ``field`` (or apologises for a button) and tells the
    admins; any other failure is apologised for. Never raises into Bolt."""

    @functools.wraps(listener)
    def run(ack: Any, body: dict[str, Any], context: Any, respond: Any) -> None:
        context["deps"] = deps
        try:
            listener(ack=ack, body=body, context=context, respond=respond)
        except Exception as error:
            storage = _is_storage(error)
            if storage:  # expected (a full disk, the database down): the message says it all
                log.error("%s could not save: %s", listener.__name__, error)
            else:
                log.error("%s failed", listener.__name__, exc_info=error)
            if ack.response is not None:  # acked: the failure is in the after-part
                apologise(deps, body, error)
                return
            if field and storage:
                ack(response_action="errors", errors={field: SAVE_FAILED_SHORT})
                report_storage(deps, error)
                return
            ack()
            deps.workers.submit(apologise, deps, body, error)

    return run


def _is_storage(error: Exception) -> bool:
    return isinstance(error, OSError | StoreError)


def report_storage(deps: Deps, error: Exception) -> None:
    """Tell the admins the state cannot be written, at most once an hour; never raises."""
    if deps.storage_alarm.due(deps.clock(), ALERT_EVERY):
        summary = ":warning: dealnudge cannot save its state; clicks are not being recorded."
        alert_admins(
            deps,
            deps.config,
            summary,
            f":warning: dealnudge cannot save its state ({escape(error, 400)}). Clicks are not "
            "being recorded (each user is told); check the disk behind DEALNUDGE_DB, or the "
            "database.",
        )


def apologise(deps: Deps, body: dict[str, Any], error: Exception) -> None:
    """Tell the user their click or command did not go through (never raises); a storage
    failure is also reported to the admins, at most once an hour."""
    storage = _is_storage(error)
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
    if storage:
        report_storage(deps, error)
