"""Write-back: "I'll ask this" queued with the click, written to the CRM once, retried quietly.

The Slack side runs through the real Bolt app over signed HTTP; the CRM side here is a
connector that records what it is asked to write (each vendor's ``record`` is tested
against its fake server in tests/bot/ingest/crm/)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support.slack_harness import ADMIN, SECRET, Harness, button, running_app, user
from support.slack_requests import block_actions_payload, post_action

from bot.delivery.writeback import write_back
from bot.ingest.crm.base import Activity, CrmError

BELLWEATHER = "006DEMO00000000001"  # Jordan's
WRITE_BACK = f'[slack]\nadmins = ["{ADMIN}"]\n[crm]\nwrite_back = true\n'


@dataclass
class Recorder:
    """A CRM that keeps what it is asked to write; ``fail`` makes the next writes fail."""

    name: str = "TestCRM"
    written: dict[str, Activity] = field(default_factory=dict)
    fail: CrmError | None = None
    tries: int = 0

    def record(self, activity: Activity) -> str:
        self.tries += 1
        if self.fail is not None:
            raise self.fail
        self.written.setdefault(activity.marker, activity)
        return f"T{len(self.written)}"

    def pull(self, *a: object) -> object:
        raise NotImplementedError

    def close(self) -> None:
        pass


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Harness]:
    with running_app(tmp_path, config_text=WRITE_BACK) as harness:
        yield harness


def ask(app: Harness) -> dict[str, object]:
    """Click "I'll ask this" on Jordan's Bellweather deal; returns the payload Slack sent."""
    message = app.command(user("jordan"), "bellweather")["blocks"]
    value, block_id = button(message, "nudge_ask")
    _, reply_url = app.reply_url()
    payload = block_actions_payload(
        user("jordan"), "nudge_ask", value, block_id=block_id, response_url=reply_url,
        message={"type": "message", "ts": "1700000000.000100", "blocks": message},
    )  # fmt: skip
    assert post_action(app.url, SECRET, payload).status_code == 200
    return payload


def test_a_click_is_queued_with_the_question_and_the_reps_name(app: Harness) -> None:
    payload = ask(app)
    (item,) = app.deps.store.pending_writebacks()
    assert item.deal_id == BELLWEATHER
    assert "Jordan" in item.subject and "will ask the buyer:" in item.body
    assert item.marker in item.body
    # Slack delivers the same click again (a slow ack): still one.
    assert post_action(app.url, SECRET, payload).status_code == 200
    assert len(app.deps.store.pending_writebacks()) == 1
    # A new click on the same button is a new activity.
    ask(app)
    assert len(app.deps.store.pending_writebacks()) == 2


def test_without_write_back_nothing_is_queued(tmp_path: Path) -> None:
    with running_app(tmp_path) as app:
        ask(app)
        assert app.deps.store.feedback(kind="asked")
        assert app.deps.store.pending_writebacks() == []


def test_each_click_is_written_once_and_then_done(app: Harness) -> None:
    ask(app)
    ask(app)
    crm = Recorder()
    alerted: set[str] = set()
    report = write_back(app.deps, app.runtime.config, crm, alerted)  # type: ignore[arg-type]
    assert report.written == 2 and len(crm.written) == 2
    assert app.deps.store.pending_writebacks() == []
    again = write_back(app.deps, app.runtime.config, crm, alerted)  # type: ignore[arg-type]
    assert again.written == 0 and crm.tries == 2
    marker = next(iter(crm.written))
    done = app.deps.store.writeback(marker)
    assert done is not None and done.status == "done" and done.crm_id.startswith("T")


def test_a_failure_stays_queued_tells_admins_once_and_never_the_rep(app: Harness) -> None:
    ask(app)
    ask(app)
    crm = Recorder(fail=CrmError("TestCRM: permission denied: Create on Task", "permission"))
    alerted: set[str] = set()
    before = len(app.fake.calls_to("chat.postMessage"))
    for _ in range(3):
        report = write_back(app.deps, app.runtime.config, crm, alerted)  # type: ignore[arg-type]
        assert report.written == 0 and len(report.failed) == 1  # stops: the rest would fail
    posts = app.fake.calls_to("chat.postMessage")[before:]
    assert len(posts) == 1 and posts[0].params["channel"] == ADMIN
    assert "Create on Task" in str(posts[0].params)
    assert [w.attempts for w in app.deps.store.pending_writebacks()] == [3, 0]
    crm.fail = None
    assert write_back(app.deps, app.runtime.config, crm, alerted).written == 2  # type: ignore[arg-type]
    assert alerted == set()


def test_the_queue_survives_a_restart(tmp_path: Path) -> None:
    with running_app(tmp_path, config_text=WRITE_BACK) as app:
        ask(app)
    with running_app(tmp_path, config_text=WRITE_BACK) as app:
        crm = Recorder()
        assert write_back(app.deps, app.runtime.config, crm, set()).written == 1  # type: ignore[arg-type]
        assert crm.written
