"""The whole Slack app on real sockets: waitress serving the Bolt app, a FakeSlack Web API.

``running_app()`` loads the bundled demo export (Northwind Analytics), maps each CRM
owner to a Slack user of the fake by email, and serves ``/slack/events`` on a free port.
Requests are signed like Slack signs them; replies arrive at the fake's response_url.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from support.fake_slack import Call, FakeSlack
from support.slack_requests import (
    block_actions_payload,
    post_action,
    post_command,
    post_event,
    view_submission_payload,
)
from waitress.server import create_server

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.server import wsgi_app
from bot.tools.demo import DEMO_AS_OF, demo_export_dir

SECRET = "test-signing-secret-8f2c"
TOKEN = "xoxb-test-token-4411"
ADMIN = "U0ADMIN"
STRANGER = "U0STRANGER"
NOON = datetime(DEMO_AS_OF.year, DEMO_AS_OF.month, DEMO_AS_OF.day, 14, tzinfo=UTC)
JsonDict = dict[str, Any]


def demo_people() -> dict[str, tuple[str, str, str]]:
    """First name (lower case) -> (Slack user id, CRM owner id, email), from User.csv."""
    with (demo_export_dir() / "User.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return {
        r["FirstName"].lower(): (f"U0{r['FirstName'].upper()}", r["Id"], r["Email"]) for r in rows
    }


PEOPLE = demo_people()


def user(first_name: str) -> str:
    return PEOPLE[first_name][0]


@dataclass
class Harness:
    fake: FakeSlack
    runtime: Runtime
    url: str
    _names: Iterator[int]

    @property
    def deps(self) -> Any:
        return self.runtime.deps

    def reply_url(self) -> tuple[str, str]:
        name = f"r{next(self._names)}"
        return name, self.fake.response_url(name)

    def _reply(self, name: str) -> JsonDict:
        (call,) = self.fake.wait_for(
            "response_url", where=lambda c: c.path.endswith("/" + name), timeout=5
        )
        return call.params

    def command(self, user_id: str, text: str = "") -> JsonDict:
        """``/deal text`` as ``user_id``: the reply Slack shows, from the HTTP 200's body (the
        app answers in its ack when it can) or else as posted to the response_url."""
        name, url = self.reply_url()
        resp = post_command(self.url, SECRET, text=text, user_id=user_id, response_url=url)
        assert resp.status_code == 200, resp.text
        if resp.content:
            reply: JsonDict = resp.json()
            return reply
        return self._reply(name)

    def click(
        self,
        user_id: str,
        message_blocks: list[JsonDict],
        action_id: str,
        *,
        index: int = 0,
        ephemeral: bool = True,
    ) -> tuple[requests.Response, str]:
        """Click the ``index``-th button ``action_id`` in a message; returns the reply name."""
        value, block_id = button(message_blocks, action_id, index)
        name, url = self.reply_url()
        payload = block_actions_payload(
            user_id,
            action_id,
            value,
            message={"type": "message", "ts": "1700000000.000100", "blocks": message_blocks},
            response_url=url,
            block_id=block_id,
            is_ephemeral=ephemeral,
        )
        return post_action(self.url, SECRET, payload), name

    def click_reply(
        self, user_id: str, blocks: list[JsonDict], action_id: str, index: int = 0
    ) -> JsonDict:
        resp, name = self.click(user_id, blocks, action_id, index=index)
        assert resp.status_code == 200, resp.text
        return self._reply(name)

    def click_in_view(
        self, user_id: str, view: JsonDict, action_id: str, index: int = 0
    ) -> requests.Response:
        value, block_id = button(view["blocks"], action_id, index)
        payload = block_actions_payload(user_id, action_id, value, view=view, block_id=block_id)
        return post_action(self.url, SECRET, payload)

    def submit(self, user_id: str, modal: JsonDict, values: JsonDict) -> requests.Response:
        payload = view_submission_payload(
            user_id,
            modal["callback_id"],
            values,
            private_metadata=modal.get("private_metadata", ""),
            view_id=modal.get("id", "V1"),
        )
        return post_action(self.url, SECRET, payload)

    def event(self, event: JsonDict) -> requests.Response:
        return post_event(self.url, SECRET, event)

    def last(self, method: str, count: int = 1) -> Call:
        return self.fake.wait_for(method, count=count)[count - 1]


def button(blocks: list[JsonDict], action_id: str, index: int = 0) -> tuple[str, str]:
    """(value, block_id) of the ``index``-th button with ``action_id``."""
    found = [
        (str(e.get("value", "")), str(b.get("block_id", "")))
        for b in blocks
        for e in [*(b.get("elements") or []), *([b["accessory"]] if b.get("accessory") else [])]
        if isinstance(e, dict) and e.get("action_id") == action_id
    ]
    assert len(found) > index, f"no button {action_id!r} #{index} in {len(blocks)} blocks"
    return found[index]


def shown(call: Call) -> str:
    """What a reader sees of a posted message: its top-level text and its blocks' text."""
    return f"{call.params.get('text', '')}\n{texts(call.json_param('blocks') or [])}"


def texts(blocks: list[JsonDict]) -> str:
    """Every piece of text in the blocks, joined: what a reader of the message sees."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    out.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(out)


def add_people(fake: FakeSlack, tz_of: dict[str, str] | None = None) -> None:
    """Every demo owner as a Slack user (by email), plus an admin and a stranger."""
    for first, (uid, _owner, email) in PEOPLE.items():
        name = email.split("@")[0].replace(".", " ").title()
        fake.add_user(uid, email, name, tz=(tz_of or {}).get(first, "America/Chicago"))
    fake.add_user(ADMIN, "revops@northwind-analytics.example", "Rae Ops")
    fake.add_user(STRANGER, "guest@elsewhere.example", "Gus Guest")


def make_runtime(
    tmp_path: Path,
    fake: FakeSlack,
    *,
    config_text: str = f'[slack]\nadmins = ["{ADMIN}"]\n',
    source: Path | str | None = None,
    clock: Any = None,
    offload: bool = False,
    env: Mapping[str, str] | None = None,
) -> Runtime:
    """A runtime like ``dealnudge serve`` builds (same files each call: a restart);
    ``offload`` analyses in a child process, as ``serve`` does; ``env`` adds variables."""
    config = tmp_path / "dealnudge.toml"
    config.write_text(config_text, encoding="utf-8")
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.url,
            "DEALNUDGE_SOURCE": str(source or demo_export_dir()),
            "DEALNUDGE_DB": str(tmp_path / "state" / "state.json"),
            "DEALNUDGE_CONFIG": str(config),
            **(env or {}),
        }
    )
    runtime = build_runtime(settings, clock=clock or (lambda: NOON), offload=offload)
    runtime.refresh()
    return runtime


@contextmanager
def running_app(
    tmp_path: Path,
    config_text: str = f'[slack]\nadmins = ["{ADMIN}"]\n',
    source: Path | str | None = None,
    clock: Any = None,
    offload: bool = False,
    env: Mapping[str, str] | None = None,
) -> Iterator[Harness]:
    with FakeSlack() as fake:
        add_people(fake)
        runtime = make_runtime(
            tmp_path, fake, config_text=config_text, source=source, clock=clock,
            offload=offload, env=env,
        )  # fmt: skip
        signing = runtime.settings.slack_signing_secret
        assert signing is not None
        app = create_app(runtime.deps, signing)
        server = create_server(
            wsgi_app(app, runtime.deps.snapshots), host="127.0.0.1", port=0, threads=4
        )

        def run() -> None:
            with contextlib.suppress(OSError, ValueError):  # sockets closed at teardown
                server.run()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        port = server.effective_port  # type: ignore[union-attr]
        try:
            yield Harness(
                fake, runtime, f"http://127.0.0.1:{port}/slack/events", itertools.count(1)
            )
        finally:
            server.task_dispatcher.shutdown()
            server.close()
            runtime.deps.workers.shutdown(wait=True)  # as serve does: work after acks first
            runtime.close()


def start_serve(fake: FakeSlack, db_path: Path, **env: str) -> subprocess.Popen[bytes]:
    """``dealnudge serve`` as a subprocess on the demo export against ``fake``, with no
    SLACK_/DEALNUDGE_ variable from this environment but those given (output piped)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DEALNUDGE_"))}
    clean |= {
        "SLACK_API_URL": fake.url,
        "DEALNUDGE_SOURCE": str(demo_export_dir()),
        "DEALNUDGE_DB": str(db_path),
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
