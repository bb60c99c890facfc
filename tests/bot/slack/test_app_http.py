"""The Slack app end to end: signed HTTP requests to waitress + Bolt, a fake Slack Web API.

The demo export's org: Margaret (VP) manages Luis and Priya; Luis manages Jordan, Tessa and
Marcus; Priya manages Hannah, Diego and Sam. Expected flags come from the hand-written
labels in tests/fixtures/demo_expected.toml, not from the code under test.
"""

from __future__ import annotations

import json
import time
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from support.slack_harness import (
    ADMIN,
    PEOPLE,
    SECRET,
    STRANGER,
    Harness,
    button,
    running_app,
    start_serve,
    texts,
    user,
)
from support.slack_limits import check_limits, check_view
from support.slack_requests import post_command, post_url_verification

from bot.ingest.loader import load_export
from bot.slack import blocks
from bot.slack.actions import NOT_AVAILABLE
from bot.slack.commands import NOT_MAPPED
from bot.tools.demo import DEMO_AS_OF, demo_export_dir

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_expected.toml"
LABELS: dict[str, list[str]] = tomllib.loads(FIXTURE.read_text())["deals"]
DEALS = {d.id: d for d in load_export([demo_export_dir()]).pipeline.deals}
OWNER_OF_FIRST = {owner: first for first, (_u, owner, _e) in PEOPLE.items()}
BELLWEATHER = "006DEMO00000000001"  # Jordan's (Luis's team)
CRESTLINE = "006DEMO00000000002"  # Hannah's (Priya's team)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Harness]:
    with running_app(tmp_path) as harness:
        yield harness


def flagged_of(first_names: set[str]) -> set[str]:
    return {
        deal_id
        for deal_id, patterns in LABELS.items()
        if patterns and OWNER_OF_FIRST[DEALS[deal_id].owner_id] in first_names
    }


def deal_ids_in(payload: dict) -> set[str]:
    """Deal ids behind the Show buttons of a list reply."""
    return {
        e["value"]
        for b in payload.get("blocks", [])
        for e in [*(b.get("elements") or []), b.get("accessory") or {}]
        if isinstance(e, dict) and e.get("action_id") == "deal_show"
    }


# ---------------------------------------------------------------- transport


def test_url_verification_echoes_the_challenge(app: Harness) -> None:
    resp = post_url_verification(
        app.url, SECRET, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    )
    assert resp.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in resp.text


def test_bad_signature_and_stale_requests_are_refused(app: Harness) -> None:
    bad = post_command(app.url, "not-the-secret", text="help", user_id=user("jordan"))
    stale = post_command(
        app.url, SECRET, text="help", user_id=user("jordan"), timestamp=int(time.time()) - 600
    )
    assert bad.status_code == 401 and stale.status_code == 401
    assert not app.fake.calls_to("response_url")


def test_health_reports_the_loaded_export(app: Harness) -> None:
    base = app.url.rsplit("/slack/events", 1)[0]
    body = requests.get(base + "/healthz", timeout=5).json()
    assert body["ok"] is True
    assert body["deals"] == len(DEALS)
    assert body["flagged_deals"] == sum(1 for p in LABELS.values() if p)
    assert requests.get(app.url, timeout=5).status_code == 405
    assert requests.get(base + "/nope", timeout=5).status_code == 404


# ---------------------------------------------------------------- /deal


def test_a_known_caller_is_answered_in_the_ack_and_a_new_one_at_the_response_url(
    app: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Once Slack has told the app who a caller is, /deal answers inside its HTTP 200 (no
    second request); a caller never seen before gets a quick empty ack while users.info is
    asked, then exactly one answer at the response_url."""
    hannah = user("hannah")
    first, url = app.reply_url()
    resp = post_command(app.url, SECRET, text="", user_id=hannah, response_url=url)
    assert resp.status_code == 200 and resp.content == b""
    (reply,) = app.fake.wait_for("response_url", where=lambda c: c.path.endswith("/" + first))
    assert deal_ids_in(reply.params) == flagged_of({"hannah"})
    assert len(app.fake.calls_to("users.info")) == 1

    second, url = app.reply_url()
    resp = post_command(app.url, SECRET, text="", user_id=hannah, response_url=url)
    assert resp.status_code == 200
    answer = resp.json()
    assert answer["response_type"] == "ephemeral"
    assert deal_ids_in(answer) == flagged_of({"hannah"})
    time.sleep(0.3)  # the lazy listener would have posted by now
    assert not [c for c in app.fake.calls_to("response_url") if c.path.endswith("/" + second)]
    assert len(app.fake.calls_to("users.info")) == 1
    # The lazy listener's copied context shares the app's services (no failed deep copy).
    assert not [r for r in caplog.records if "deep-copy" in r.getMessage()]


def test_link_is_never_done_in_the_ack(app: Harness) -> None:
    """A room link writes durable state, so it is done after the ack, and only once."""
    jordan = user("jordan")
    app.command(jordan, "help")
    app.command(jordan)  # Jordan is known from here on
    name, url = app.reply_url()
    resp = post_command(
        app.url, SECRET, text="link Bellweather", user_id=jordan, response_url=url,
        channel_id="C0ROOM",
    )  # fmt: skip
    assert resp.status_code == 200 and resp.content == b""
    (reply,) = app.fake.wait_for("response_url", where=lambda c: c.path.endswith("/" + name))
    assert "now the room" in reply.params["text"]
    assert [r.channel_id for r in app.deps.store.rooms()] == ["C0ROOM"]


def test_help_explains_the_command_and_buttons(app: Harness) -> None:
    reply = app.command(user("jordan"), "help")
    text = texts(reply["blocks"])
    assert reply["response_type"] == "ephemeral"
    for needle in ("/deal", "I'll ask this", "Another question", "Snooze", "Not accurate"):
        assert needle in text


def test_one_match_shows_facts_findings_questions_and_buttons(app: Harness) -> None:
    reply = app.command(user("jordan"), "bellweather")
    text = texts(reply["blocks"])
    assert reply["response_type"] == "ephemeral"
    assert "Bellweather Foods" in text
    assert "48,000" in text  # the amount
    for pattern in LABELS[BELLWEATHER]:
        assert blocks.encode_value(BELLWEATHER, pattern, "")[:20]  # codes are encodable
    shown_patterns = {blocks.decode_value(b[0]).pattern for b in _nudge_buttons(reply["blocks"])}
    assert shown_patterns and shown_patterns <= set(LABELS[BELLWEATHER])
    assert "?" in text  # questions are shown
    assert check_limits(reply["blocks"]) == []
    deadline = time.monotonic() + 5  # recorded on a worker, after the reply
    while not app.deps.store.questions_shown(BELLWEATHER):
        assert time.monotonic() < deadline, "the questions shown are recorded for rotation"
        time.sleep(0.01)


def _nudge_buttons(bl: list[dict]) -> list[tuple[str, str]]:
    return [
        (e["value"], b.get("block_id", ""))
        for b in bl
        for e in b.get("elements") or []
        if isinstance(e, dict) and e.get("action_id") == "nudge_ask"
    ]


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("jordan", True),  # the owner
        ("luis", True),  # the owner's manager
        ("margaret", True),  # two levels up
        ("priya", False),  # another team's manager
        ("hannah", False),  # another rep
        ("tessa", False),  # a teammate
    ],
)
def test_a_deal_is_shown_only_to_its_owner_and_their_managers(
    app: Harness, who: str, sees: bool
) -> None:
    reply = app.command(user(who), "Bellweather Foods")
    text = texts(reply.get("blocks", [])) + reply.get("text", "")
    if sees:
        assert "Bellweather Foods" in text and _nudge_buttons(reply["blocks"])
    else:
        # only the caller's own query is echoed: no deal name, amount, id or button
        assert DEALS[BELLWEATHER].name not in text and "48,000" not in text
        assert BELLWEATHER not in json.dumps(reply)
        assert not _nudge_buttons(reply.get("blocks", []))


def test_admin_sees_every_deal_and_an_unknown_user_sees_none(app: Harness) -> None:
    assert "Crestline" in texts(app.command(ADMIN, "crestline plant")["blocks"])
    reply = app.command(STRANGER, "crestline")
    assert reply["text"] == NOT_MAPPED
    assert "Crestline" not in json.dumps(reply)


def test_empty_text_lists_the_callers_flagged_deals(app: Harness) -> None:
    assert deal_ids_in(app.command(user("hannah"))) == flagged_of({"hannah"})
    team = {"hannah", "diego", "sam"}
    assert deal_ids_in(app.command(user("priya"))) == flagged_of(team)


def test_several_matches_give_a_pick_list_and_show_opens_one(app: Harness) -> None:
    reply = app.command(user("luis"), "workforce analytics")
    ids = deal_ids_in(reply)
    assert len(ids) > 1
    assert all(OWNER_OF_FIRST[DEALS[i].owner_id] in {"jordan", "tessa", "marcus"} for i in ids)
    shown = app.click_reply(user("luis"), reply["blocks"], "deal_show")
    first = next(iter(button(reply["blocks"], "deal_show")[:1]))
    assert DEALS[first].name.split(" - ")[0] in texts(shown["blocks"])
    assert shown["replace_original"] is True


def test_no_match_says_so_and_suggests_close_names(app: Harness) -> None:
    reply = app.command(user("jordan"), "Belweathr")  # a typo of the rep's own deal
    text = texts(reply["blocks"])
    assert "Bellweather" in text  # suggested
    reply = app.command(user("jordan"), "zzqx nothing like it")
    assert "zzqx" in texts(reply["blocks"])
    assert not deal_ids_in(reply)


# ---------------------------------------------------------------- buttons


def test_ill_ask_this_is_recorded_and_marks_the_message(app: Harness) -> None:
    message = app.command(user("jordan"), "bellweather")["blocks"]
    value, _ = button(message, "nudge_ask")
    ref = blocks.decode_value(value)
    reply = app.click_reply(user("jordan"), message, "nudge_ask")
    assert reply["replace_original"] is True
    assert "You'll ask this" in texts(reply["blocks"])
    (fb,) = app.deps.store.feedback(kind="asked")
    assert (fb.deal_id, fb.pattern, fb.question_id, fb.who) == (
        BELLWEATHER,
        ref.pattern,
        ref.question_id,
        user("jordan"),
    )


def test_another_question_replaces_the_question_in_place(app: Harness) -> None:
    message = app.command(user("jordan"), "bellweather")["blocks"]
    before = blocks.decode_value(button(message, "nudge_another")[0])
    reply = app.click_reply(user("jordan"), message, "nudge_another")
    after = blocks.decode_value(button(reply["blocks"], "nudge_another")[0])
    assert after.pattern == before.pattern and after.question_id != before.question_id
    assert len(reply["blocks"]) == len(message)
    assert [f.kind for f in app.deps.store.feedback()] == ["another"]


def test_snooze_opens_a_modal_and_the_submission_holds(app: Harness) -> None:
    message = app.command(user("jordan"), "bellweather")["blocks"]
    ref = blocks.decode_value(button(message, "nudge_snooze")[0])
    resp, _ = app.click(user("jordan"), message, "nudge_snooze")
    assert resp.status_code == 200
    modal = app.last("views.open").json_param("view")
    assert modal["callback_id"] == blocks.SNOOZE_CALLBACK
    values = {
        "snooze_for": {"choice": {"type": "radio_buttons", "selected_option": {"value": "2w"}}},
        "snooze_until": {"date": {"type": "datepicker", "selected_date": None}},
        "snooze_reason": {
            "reason": {"type": "static_select", "selected_option": {"value": "away"}}
        },
        "snooze_note": {"note": {"type": "plain_text_input", "value": "back in March"}},
    }
    assert app.submit(user("jordan"), modal, values).status_code == 200
    app.fake.wait_for("response_url", count=2)  # the /deal reply, then the in-place edit
    (snooze,) = app.deps.store.active_snoozes(DEMO_AS_OF)
    assert (snooze.deal_id, snooze.pattern) == (BELLWEATHER, ref.pattern)
    assert snooze.until == DEMO_AS_OF + timedelta(days=14)
    assert "away" in snooze.reason or "buyer away" in snooze.reason
    assert [f.kind for f in app.deps.store.feedback()] == ["snoozed"]


def test_not_accurate_with_a_reason_is_recorded(app: Harness) -> None:
    message = app.command(user("jordan"), "bellweather")["blocks"]
    app.click(user("jordan"), message, "nudge_wrong")
    modal = app.last("views.open").json_param("view")
    values = {
        "wrong_reason": {
            "reason": {"type": "static_select", "selected_option": {"value": "handled"}}
        },
        "wrong_note": {"note": {"type": "plain_text_input", "value": None}},
    }
    assert app.submit(user("jordan"), modal, values).status_code == 200
    edit = app.fake.wait_for("response_url", count=2)[1].params
    assert "not accurate" in texts(edit["blocks"]).lower()
    (fb,) = app.deps.store.feedback(kind="not_accurate")
    assert fb.deal_id == BELLWEATHER and "handled" in fb.reason


def test_a_forged_button_for_someone_elses_deal_does_nothing(app: Harness) -> None:
    message = app.command(user("jordan"), "bellweather")["blocks"]
    show = {"type": "button", "action_id": "deal_show", "value": BELLWEATHER, "text": {}}
    message = [*message, {"type": "actions", "block_id": "forged", "elements": [show]}]
    for action in ("nudge_ask", "nudge_another", "deal_show"):
        reply = app.click_reply(user("hannah"), message, action)
        assert reply["text"] == NOT_AVAILABLE and reply["replace_original"] is False
    resp, _ = app.click(user("hannah"), message, "nudge_snooze")
    assert resp.status_code == 200
    time.sleep(0.2)
    assert not app.fake.calls_to("views.open")
    assert app.deps.store.feedback() == []


# ---------------------------------------------------------------- events


def test_app_home_for_a_rep_lists_their_flagged_deals(app: Harness) -> None:
    assert app.event({"type": "app_home_opened", "user": user("jordan"), "tab": "home"}).ok
    view = app.last("views.publish").json_param("view")
    assert view["type"] == "home"
    ids = {v for v, _ in _show_buttons(view["blocks"])}
    assert ids == flagged_of({"jordan"})
    assert check_view(view) == []


def _show_buttons(bl: list[dict]) -> list[tuple[str, str]]:
    return [
        (e["value"], b.get("block_id", ""))
        for b in bl
        for e in [*(b.get("elements") or []), b.get("accessory") or {}]
        if isinstance(e, dict) and e.get("action_id") == "deal_show"
    ]


def test_app_home_for_a_manager_summarises_the_team(app: Harness) -> None:
    app.event({"type": "app_home_opened", "user": user("priya"), "tab": "home"})
    view = app.last("views.publish").json_param("view")
    text = texts(view["blocks"])
    team = flagged_of({"hannah", "diego", "sam"})
    assert str(len(team)) in text
    assert {v for v, _ in _show_buttons(view["blocks"])} <= team
    assert "Jordan" not in text and "Bellweather" not in text


def test_show_from_app_home_opens_the_deal_in_a_modal_and_buttons_work_there(
    app: Harness,
) -> None:
    app.event({"type": "app_home_opened", "user": user("jordan"), "tab": "home"})
    home = app.last("views.publish").json_param("view") | {"id": "VHOME1"}
    assert app.click_in_view(user("jordan"), home, "deal_show").status_code == 200
    modal = app.last("views.open").json_param("view")
    assert modal["type"] == "modal" and check_view(modal) == []
    view_id = app.last("views.open").response["view"]["id"]
    modal = modal | {"id": view_id}
    assert app.click_in_view(user("jordan"), modal, "nudge_ask").status_code == 200
    updated = app.last("views.update").json_param("view")
    assert "You'll ask this" in texts(updated["blocks"])
    assert [f.kind for f in app.deps.store.feedback()] == ["asked"]


def test_a_mention_is_answered_privately_to_the_asker(app: Harness) -> None:
    event = {
        "type": "app_mention",
        "user": user("jordan"),
        "channel": "C0SALES",
        "text": "<@U0FAKEBOT> bellweather",
        "ts": "1700000000.000200",
    }
    assert app.event(event).status_code == 200
    call = app.last("chat.postEphemeral")
    assert call.params["user"] == user("jordan") and call.params["channel"] == "C0SALES"
    assert "Bellweather" in texts(call.json_param("blocks"))
    assert not app.fake.calls_to("chat.postMessage")


# ---------------------------------------------------------------- the command line


@pytest.mark.slow  # the real `dealnudge serve` in a subprocess (see pyproject's markers)
def test_dealnudge_serve_runs_the_app_over_http(tmp_path: Path) -> None:
    import socket

    from support.fake_slack import FakeSlack

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with FakeSlack() as fake:
        uid, _owner, email = PEOPLE["jordan"]
        fake.add_user(uid, email, "Jordan Blake")
        proc = start_serve(
            fake,
            tmp_path / "state.json",
            SLACK_BOT_TOKEN="xoxb-serve-test",
            SLACK_SIGNING_SECRET=SECRET,
            PORT=str(port),
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:  # the port answers at once; the export loads in the background
                try:
                    health = requests.get(base + "/healthz", timeout=1)
                    if health.status_code == 200:
                        break
                    assert health.json()["loading"] is True, health.text
                except requests.ConnectionError:
                    assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "serve did not load the export"
                time.sleep(0.2)
            assert health.status_code == 200 and health.json()["deals"] == len(DEALS)
            url = fake.response_url("serve")
            resp = post_command(
                base + "/slack/events", SECRET, text="help", user_id=uid, response_url=url
            )
            assert resp.status_code == 200
            assert "/deal" in texts(resp.json()["blocks"])  # help needs nothing: in the ack
            # Jordan's first /deal needs users.info, so the ack is empty and the answer
            # follows at the response_url.
            resp = post_command(
                base + "/slack/events", SECRET, text="", user_id=uid, response_url=url
            )
            assert resp.status_code == 200 and not resp.content
            (call,) = fake.wait_for("response_url")
            assert "flagged" in call.params["text"]
            assert [c.params["user"] for c in fake.calls_to("users.info")] == [uid]
        finally:
            proc.terminate()
            out = proc.communicate(timeout=10)[0].decode()
        assert "xoxb-serve-test" not in out and SECRET not in out


def test_check_people_lists_unmatched_owners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from support.fake_slack import FakeSlack

    from bot.cli import main

    with FakeSlack() as fake:
        matched = {"jordan", "luis", "hannah"}
        for first in matched:
            uid, _owner, email = PEOPLE[first]
            fake.add_user(uid, email, first.title())
        for key in ("SLACK_APP_TOKEN", "DEALNUDGE_SOURCE", "DEALNUDGE_CONFIG"):
            monkeypatch.delenv(key, raising=False)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-check")
        monkeypatch.setenv("SLACK_API_URL", fake.url)
        monkeypatch.setenv("DEALNUDGE_DB", str(tmp_path / "state.json"))
        assert main(["check", str(demo_export_dir()), "--people", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["people"]
    open_owners = {d.owner_id for d in DEALS.values() if d.is_open}
    mapped = {OWNER_OF_FIRST[r["owner_id"]] for r in report["mapped"]}
    unmapped = {OWNER_OF_FIRST[r["owner_id"]] for r in report["unmapped"]}
    expected_owners = {OWNER_OF_FIRST[o] for o in open_owners}
    assert mapped == matched & expected_owners
    assert unmapped == expected_owners - matched


# ---------------------------------------------------------------- deal rooms


def test_link_a_room_by_the_owner_and_refuse_others(app: Harness) -> None:
    refused = app.command(user("hannah"), "link bellweather")
    assert "Bellweather" not in refused["text"] and app.deps.store.rooms() == []
    linked = app.command(user("jordan"), "link bellweather")
    assert "now the room for Bellweather" in linked["text"]
    assert app.deps.store.room_for(BELLWEATHER) == "C1"
    message = app.command(user("jordan"), "bellweather")["blocks"]
    app.click_reply(user("jordan"), message, "nudge_ask")
    note = app.last("chat.postMessage")
    assert note.params["channel"] == "C1" and "will ask the buyer" in note.params["text"]
    assert "Only the deal's owner" in app.command(user("hannah"), "unlink")["text"]
    assert app.deps.store.room_for(BELLWEATHER) == "C1"
    assert "no longer a deal room" in app.command(user("luis"), "unlink")["text"]
    assert app.deps.store.room_for(BELLWEATHER) is None


# ---------------------------------------------------------------- big and hostile deals

HOSTILE = "<!channel> <!here> <@U0MARGARET> <https://evil.example|click me> *bold* _it_ ~x~ &amp; "


def bloated_export(tmp_path: Path) -> Path:
    """The demo export plus 200 tasks with 5-KB hostile notes on Bellweather Foods."""
    import csv
    import shutil

    folder = tmp_path / "bloated"
    shutil.copytree(demo_export_dir(), folder)
    path = folder / "Task.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, quoting=csv.QUOTE_ALL)
        for i in range(200):
            day = DEMO_AS_OF - timedelta(days=10 + i)
            writer.writerow(
                {
                    "Id": f"00TBLOAT{i:010d}",
                    "WhatId": BELLWEATHER,
                    "Subject": f"Lunch {HOSTILE}"[:250],
                    "ActivityDate": day.isoformat(),
                    "Status": "Completed",
                    "OwnerId": PEOPLE["jordan"][1],
                    "Description": (HOSTILE * 80)[:5000],
                    "IsClosed": "true",
                    "CreatedDate": f"{day.isoformat()}T12:00:00.000+0000",
                    "TaskSubtype": "Task",
                }
            )
    return folder


def assert_inert(payload: object) -> None:
    text = json.dumps(payload)
    for raw in ("<!channel>", "<!here>", "<@U0MARGARET>", "<https://evil"):
        assert raw not in text, raw


def test_a_deal_with_200_hostile_5kb_notes_renders_inert_and_within_limits(
    tmp_path: Path,
) -> None:
    with running_app(tmp_path, source=bloated_export(tmp_path)) as app:
        reply = app.command(user("jordan"), "bellweather")
        assert "Bellweather Foods" in texts(reply["blocks"])
        assert check_limits(reply["blocks"]) == []
        assert len(json.dumps(reply)) < 40_000
        assert_inert(reply)
        app.event({"type": "app_home_opened", "user": user("jordan"), "tab": "home"})
        home = app.last("views.publish")
        assert home.ok and check_view(home.json_param("view")) == []
        assert_inert(home.params)
        from bot.delivery.jobs import plan_nudges, send_nudges

        snap = app.deps.snapshots.current
        assert snap is not None
        plans, _ = plan_nudges(app.deps, snap, app.deps.clock(), owners=[PEOPLE["jordan"][2]])
        report = send_nudges(app.deps, app.runtime.sender, plans)
        assert report.sent and not report.failed
        post = app.last("chat.postMessage")
        assert post.ok and check_limits(post.json_param("blocks")) == []
        assert_inert(post.params)


def test_a_snooze_date_in_the_past_keeps_the_modal_open_with_the_reason(app: Harness) -> None:
    message = app.command(user("jordan"), "bellweather")["blocks"]
    app.click(user("jordan"), message, "nudge_snooze")
    modal = app.last("views.open").json_param("view")
    values = {
        "snooze_for": {"choice": {"type": "radio_buttons", "selected_option": {"value": "date"}}},
        "snooze_until": {"date": {"type": "datepicker", "selected_date": "2020-01-01"}},
        "snooze_reason": {
            "reason": {"type": "static_select", "selected_option": {"value": "other"}}
        },
        "snooze_note": {"note": {"type": "plain_text_input", "value": None}},
    }
    resp = app.submit(user("jordan"), modal, values)
    assert resp.status_code == 200
    body = resp.json()
    assert body["response_action"] == "errors" and body["errors"]["snooze_until"]
    assert app.deps.store.active_snoozes(DEMO_AS_OF) == []
