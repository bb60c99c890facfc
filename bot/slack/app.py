"""The app factory: builds the Bolt App, injects dependencies, registers every surface."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

from bot.settings import Secret
from bot.slack import actions, commands, events, views
from bot.slack.context import Deps
from bot.slack.errors import apologise

log = logging.getLogger("dealnudge.slack")


def create_app(deps: Deps, signing_secret: Secret, *, verify_token: bool = True) -> App:
    """A Bolt app on ``deps.client`` (its base_url may point at a proxy or a test fake)."""
    app = App(
        # Each listener is an ack plus the work (errors.deferred). The ack takes a worker too:
        # under overload acks slow down a little instead of answers piling up unanswered
        # (measured in BENCHMARKS.md: acking in the request thread halved ack p99 but let
        # answers queue for 11 s at 127 requests/s on 2 cores).
        listener_executor=ThreadPoolExecutor(max_workers=10, thread_name_prefix="listener"),
        client=deps.client,
        signing_secret=signing_secret.value,
        token_verification_enabled=verify_token,
        logger=log,
        name="dealnudge",
    )

    @app.middleware
    def inject(context: BoltContext, next: Any) -> Any:
        context["deps"] = deps
        return next()

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        if isinstance(error, BoltUnhandledRequestError):
            return BoltResponse(status=404, body="")
        kind = body.get("type") or body.get("command") or "request"
        log.error("unhandled error while handling %s", kind, exc_info=error)
        apologise(deps, body, error)
        return None

    for surface in (commands, actions, events, views):
        surface.register(app, deps)
    return app
