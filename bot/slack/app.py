"""The app factory: builds the Bolt App, injects dependencies, registers every surface."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

from bot.settings import Secret
from bot.slack import actions, commands, events, views
from bot.slack.context import Deps
from bot.slack.errors import apologise

log = logging.getLogger("dealnudge.slack")


def create_app(deps: Deps, signing_secret: Secret | None, *, verify_token: bool = True) -> App:
    """A Bolt app on ``deps.client`` (its base_url may point at a proxy or a test fake).

    Without a signing secret (Socket Mode only) HTTP requests are still verified, against a
    random secret nobody knows, so none is ever accepted.
    """
    app = App(
        # Each listener is an ack plus the work (errors.deferred). Acks run in the request's
        # own thread, so a 200 never waits for a worker; `/deal` answers inside its ack
        # (commands.answer_in_ack), which keeps backpressure: a client's next request waits
        # for its answer instead of answers queueing behind acks (see BENCHMARKS.md).
        process_before_response=True,
        listener_executor=deps.workers,
        client=deps.client,
        signing_secret=signing_secret.value if signing_secret else secrets.token_hex(32),
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
