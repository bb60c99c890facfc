"""Signed but hostile requests: a room taken over by someone who cannot see its deal, and
modal metadata forged to act on another user's message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.slack_harness import SECRET, Harness, running_app, user
from support.slack_requests import post_action, view_submission_payload

from bot.slack import sealed
from bot.slack.views import STALE

BELLWEATHER = "Bellweather"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Harness]:
    with running_app(tmp_path) as harness:
        yield harness


def test_a_room_is_not_taken_over_by_someone_who_cannot_see_its_deal(app: Harness) -> None:
    assert "now the room for Bellweather" in app.command(user("jordan"), "link bellweather")["text"]
    room = app.deps.store.room("C1")
    assert room is not None
    refused = app.command(user("hannah"), "link crestline")  # hers, but C1 is Jordan's room
    assert "already the room for a deal you cannot see" in refused["text"]
    assert app.deps.store.room("C1") == room  # still Jordan's Bellweather
    assert "Bellweather" not in refused["text"]  # nothing about his deal leaks


def test_a_room_taken_over_by_a_manager_tells_whoever_linked_it(app: Harness) -> None:
    app.command(user("jordan"), "link bellweather")
    taken = app.command(user("luis"), "link quarry ridge")  # Luis manages Jordan and Marcus
    assert "now the room for Quarry Ridge" in taken["text"]
    told = app.fake.wait_for(
        "chat.postMessage", where=lambda c: c.params["channel"] == user("jordan")
    )
    text = told[0].params["text"]
    assert f"<@{user('luis')}>" in text and "<#C1>" in text and "Bellweather" in text
    assert app.deps.store.room_for(app.deps.store.room("C1").deal_id) == "C1"  # type: ignore[union-attr]


def _snooze_modal(app: Harness, who: str) -> tuple[dict, dict]:
    message = app.command(user(who), "bellweather")["blocks"]
    app.click(user(who), message, "nudge_snooze")
    modal = app.last("views.open").json_param("view")
    values = {
        "snooze_for": {"choice": {"type": "radio_buttons", "selected_option": {"value": "2w"}}},
        "snooze_until": {"date": {"type": "datepicker", "selected_date": None}},
        "snooze_reason": {
            "reason": {"type": "static_select", "selected_option": {"value": "away"}}
        },
        "snooze_note": {"note": {"type": "plain_text_input", "value": "<!here> gotcha"}},
    }
    return modal, values


@pytest.mark.parametrize("forgery", ["replayed", "unsealed", "tampered"])
def test_modal_metadata_forged_by_another_user_acts_on_nothing(app: Harness, forgery: str) -> None:
    """Jordan opens Snooze on his message; Luis (who may see the deal, as his manager)
    submits a signed view_submission carrying metadata that names Jordan's message: copied
    as it is, rewritten unsealed, or with its sealed text altered. None is accepted."""
    modal, values = _snooze_modal(app, "jordan")
    meta = modal["private_metadata"]
    inner = meta.partition(".")[2]
    forged = {
        "replayed": meta,
        "unsealed": inner,
        "tampered": meta.replace('"ts":"', '"ts":"9', 1),
    }[forgery]
    payload = view_submission_payload(
        user("luis"), modal["callback_id"], values, private_metadata=forged
    )
    updates_before = len(app.fake.calls_to("chat.update")) + len(app.fake.calls_to("response_url"))
    resp = post_action(app.url, SECRET, payload)
    assert resp.status_code == 200
    assert resp.json() == {"response_action": "errors", "errors": {"snooze_reason": STALE}}
    assert app.deps.store.active_snoozes(app.deps.today()) == []
    assert app.deps.store.feedback() == []
    after = len(app.fake.calls_to("chat.update")) + len(app.fake.calls_to("response_url"))
    assert after == updates_before  # Jordan's message was not touched
    # Jordan's own submission of his modal still works, and edits his message only.
    assert app.submit(user("jordan"), modal, values).status_code == 200
    assert len(app.deps.store.active_snoozes(app.deps.today())) == 1


def test_sealed_values_open_only_for_their_user_and_unchanged() -> None:
    key = sealed.key_from("xoxb-test")
    token = sealed.seal(key, "U1", json.dumps({"ts": "1.2"}))
    assert json.loads(sealed.unseal(key, "U1", token)) == {"ts": "1.2"}
    for who, text in (("U2", token), ("U1", token + "x"), ("U1", token.partition(".")[2])):
        with pytest.raises(ValueError):
            sealed.unseal(key, who, text)
    with pytest.raises(ValueError):
        sealed.unseal(sealed.key_from("xoxb-other"), "U1", token)  # another deployment's
