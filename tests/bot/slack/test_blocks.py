"""Block Kit builders: limits, escaping of hostile CRM text, button values, in-place edits."""

from __future__ import annotations

import copy
import functools
import json
from datetime import date, timedelta
from typing import Any

import pytest
from support.slack_limits import check_limits, check_text, check_view

from bot.analysis.analyse import Advice, DealFacts
from bot.slack import blocks as B
from rules.base import Evidence, Finding
from rules.model import Deal
from rules.patterns import REGISTRY
from rules.questions import Question

TODAY = date(2026, 11, 2)
HOSTILE = [
    "<!channel>",
    "<!here>",
    "<@U123>",
    "<https://evil|click>",
    "*bold*",
    "_it_",
    "~strike~",
    "`code`",
]
HOSTILE_TEXT = " ".join(HOSTILE) + " @channel " + "*bold* " * 200
BIG = "x" * 50_000
PATTERNS = REGISTRY.codes()


# ------------------------------------------------------------------ factory


def deal(i: int = 1, **kw: Any) -> Deal:
    base: dict[str, Any] = dict(
        id=f"006{i:015d}", name=f"Acme renewal {i}", account=f"Acme {i}", owner_id="005A",
        stage="Discovery", amount=12000.0 + i, currency="USD",
    )  # fmt: skip
    base.update(kw)
    return Deal(**base)


def question(
    qid: str = "rwp-01", text: str = "How is your team handling this today?"
) -> tuple[Question, str]:
    return (Question(qid, "relationship-without-progress", "notice", text, "why"), text)


def advice(
    d: Deal, pattern: str = "relationship-without-progress", *, evidence: int = 3,
    text: str = "Checked in", questions: int = 2, summary: str = "stage unchanged for 160 days",
) -> Advice:  # fmt: skip
    qs = tuple(question(f"q-{k}", f"Question {k} about {d.account}?") for k in range(questions))
    return Advice(Finding(d, pattern, 0.8, summary, evidence_of(text, evidence)), qs)


@functools.cache
def evidence_of(text: str, count: int) -> tuple[Evidence, ...]:
    """``count`` evidence bullets carrying ``text``: made once per (text, count) and shared
    (Evidence is frozen), since the hostile ones are 200 bullets of 50 kB each."""
    return tuple(Evidence(TODAY - timedelta(days=k), f"{text} {k}", "activity", f"a{k}")
                 for k in range(count))  # fmt: skip


def facts(d: Deal, next_step: str = "Call on Friday") -> DealFacts:
    return DealFacts(d, "Dana Scully", 200, TODAY - timedelta(days=40), next_step)


def hostile_deal(i: int = 1) -> Deal:
    return deal(i, name=HOSTILE_TEXT + BIG, account=HOSTILE_TEXT, stage=HOSTILE_TEXT,
                currency="<!here>", next_step=HOSTILE_TEXT)  # fmt: skip


def hostile_advice(d: Deal, pattern: str = "relationship-without-progress") -> Advice:
    a = advice(d, pattern, evidence=200, text=HOSTILE_TEXT + BIG, summary=HOSTILE_TEXT + BIG)
    qs = ((question()[0], HOSTILE_TEXT + BIG),)
    return Advice(a.finding, qs)


def summary(**kw: Any) -> B.TeamSummary:
    base: dict[str, Any] = dict(flagged=4, open_deals=10, value=50000.0, open_value=200000.0,
                                by_pattern={"single-threaded": 3, "no-next-step": 1})  # fmt: skip
    base.update(kw)
    return B.TeamSummary(**base)


def dumped(obj: Any) -> str:
    return json.dumps(obj)


def assert_inert(obj: Any) -> None:
    raw = dumped(obj)
    for bad in HOSTILE:
        assert bad not in raw, bad
    assert "@channel" not in raw
    assert BIG[:3001] not in raw


def all_messages() -> dict[str, list[dict[str, Any]]]:
    """Every message builder on large, hostile input."""
    d = hostile_deal()
    many = [(hostile_advice(hostile_deal(i)),) for i in range(40)]
    nudge_items = [B.NudgeItem(hostile_advice(hostile_deal(i)), question(text=HOSTILE_TEXT))
                   for i in range(40)]  # fmt: skip
    every_pattern = [hostile_advice(d, p) for p in PATTERNS]
    names = {"005A": HOSTILE_TEXT + BIG}
    return {
        "deal": B.deal_blocks(every_pattern, facts(d, HOSTILE_TEXT + BIG), questions_per_finding=9),
        "pick": B.pick_list_blocks([hostile_deal(i) for i in range(40)], HOSTILE_TEXT, names),
        "no_match": B.no_match_blocks(HOSTILE_TEXT + BIG, [HOSTILE_TEXT] * 40),
        "help": B.help_blocks(),
        "flagged": B.flagged_list_blocks(many, names),
        "nudge": B.nudge_blocks(HOSTILE_TEXT, nudge_items, 60),
        "team": B.team_summary_blocks(HOSTILE_TEXT, summary()),
    }


def all_views() -> dict[str, dict[str, Any]]:
    """Every view builder on large, hostile input."""
    d = hostile_deal()
    ref = B.ButtonRef("x" * 5000, "single-threaded", "q-1")
    many = [(hostile_advice(hostile_deal(i)),) for i in range(120)]
    snoozes = [(HOSTILE_TEXT + BIG, "single-threaded", TODAY, HOSTILE_TEXT + BIG)] * 200
    names = {"005A": HOSTILE_TEXT}
    per_rep = [(HOSTILE_TEXT, 3, 1000.0)] * 300
    by_pattern = {f"{HOSTILE_TEXT}{i}": i for i in range(30)}
    return {
        "snooze": B.snooze_modal(ref, d.name, today=TODAY, channel="C" * 5000, ts="1" * 5000),
        "wrong": B.wrong_modal(ref, d.name, channel="C1", ts="1.2"),
        "home_rep": B.home_view_rep(HOSTILE_TEXT, many, snoozes, names),
        "home_manager": B.home_view_manager(
            HOSTILE_TEXT, summary(by_pattern=by_pattern), many, per_rep, names
        ),
        "home_unknown": B.home_view_unknown(HOSTILE_TEXT + BIG),
    }


MESSAGES = ("deal", "pick", "no_match", "help", "flagged", "nudge", "team")
VIEWS = ("snooze", "wrong", "home_rep", "home_manager", "home_unknown")


@pytest.fixture(scope="module")
def built() -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """all_messages() and all_views(), built once for the module (not while collecting)."""
    return all_messages(), all_views()


@pytest.fixture
def messages(built: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Every message builder's output on large, hostile input: a copy of its own per test."""
    return copy.deepcopy(built[0])


@pytest.fixture
def views(built: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every view builder's output on large, hostile input: a copy of its own per test."""
    return copy.deepcopy(built[1])


def test_every_builder_is_in_the_checks_below(
    messages: dict[str, Any], views: dict[str, Any]
) -> None:
    """The parametrised checks cover every message and view all_messages/all_views build."""
    assert tuple(messages) == MESSAGES and tuple(views) == VIEWS


# ------------------------------------------------------------------ limits


@pytest.mark.parametrize("name", MESSAGES)
def test_message_builders_pass_check_limits_on_large_input(
    name: str, messages: dict[str, list[dict[str, Any]]]
) -> None:
    """Each message builder stays within Block Kit limits for huge, hostile input."""
    out = messages[name]
    assert check_limits(out) == []


@pytest.mark.parametrize("name", VIEWS)
def test_view_builders_pass_check_view_on_large_input(
    name: str, views: dict[str, dict[str, Any]]
) -> None:
    """Each modal and Home view stays within its limits for huge, hostile input."""
    assert check_view(views[name]) == []


def test_nudge_text_fits_the_fallback_limit() -> None:
    """The notification text is short, escaped and within the message text limit."""
    items = [B.NudgeItem(hostile_advice(hostile_deal(i)), question()) for i in range(40)]
    text = B.nudge_text(HOSTILE_TEXT + BIG, items, 40)
    assert check_text(text) == []
    assert_inert(text)


def test_overflowing_nudge_says_how_many_more() -> None:
    """A nudge with more deals than fit ends with "and N more deals"."""
    items = [B.NudgeItem(advice(deal(i)), question()) for i in range(40)]
    out = B.nudge_blocks("Dana", items, 45)
    assert len(out) <= B.MAX_MESSAGE_BLOCKS
    assert "more deals" in dumped(out[-1])


def test_flagged_list_overflows_with_a_count() -> None:
    """More flagged deals than fit in a message end with an "and N more" line."""
    many = [(advice(deal(i)),) for i in range(80)]
    out = B.flagged_list_blocks(many, {})
    assert len(out) == B.MAX_MESSAGE_BLOCKS
    assert "more deals" in dumped(out[-1])


def test_pick_list_shows_at_most_ten() -> None:
    """The pick list offers ten Show buttons and counts the rest."""
    out = B.pick_list_blocks([deal(i) for i in range(25)], "acme", {})
    shows = [b for b in out if b.get("accessory", {}).get("action_id") == "deal_show"]
    assert len(shows) == 10
    assert "15 more deals" in dumped(out[-1])


# ------------------------------------------------------------------ escaping


@pytest.mark.parametrize("name", MESSAGES)
def test_hostile_text_never_appears_raw_in_messages(
    name: str, messages: dict[str, list[dict[str, Any]]]
) -> None:
    """Mentions, links and formatting from the CRM are inert in every message."""
    assert_inert(messages[name])


@pytest.mark.parametrize("name", VIEWS)
def test_hostile_text_never_appears_raw_in_views(
    name: str, views: dict[str, dict[str, Any]]
) -> None:
    """Mentions, links and formatting from the CRM are inert in every view."""
    assert_inert(views[name])


def test_escape_neutralises_control_and_format_characters() -> None:
    """escape() turns & < > into entities and * _ ~ ` into look-alikes."""
    assert B.escape("a & <b> *c* _d_ ~e~ `f`") == "a &amp; &lt;b&gt; ∗c∗ ˍdˍ ∼e∼ ˋfˋ"


@pytest.mark.parametrize("escaper", [B.escape, B.plain])
def test_an_underscore_inside_a_word_stays_so_names_copy_cleanly(escaper: Any) -> None:
    """Slack italicises only between word boundaries: HUBSPOT_TOKEN and q3_plan.csv keep
    their "_"; one that could open or close italics (at either edge of a word) does not."""
    assert escaper("set HUBSPOT_TOKEN in q3_plan.csv", 100) == "set HUBSPOT_TOKEN in q3_plan.csv"
    assert escaper("_a_ b__c d_ _e x_1", 100) == "ˍaˍ bˍˍc dˍ ˍe x_1"


def test_escape_collapses_whitespace() -> None:
    """Newlines and runs of spaces become single spaces (no line-start quotes or lists)."""
    assert B.escape("a\n\n>  b\t c") == "a &gt; b c"


def test_escape_clips_without_cutting_an_entity() -> None:
    """Clipping ends with "…" and never leaves half an entity."""
    out = B.escape("<" * 100, 10)
    assert out == "&lt;&lt;…"
    assert len(out) <= 10


def test_plain_text_has_no_markup_characters() -> None:
    """plain() keeps < > * _ ~ ` out of plain_text objects."""
    assert B.plain("<!here> *x*") == "‹!here› ∗x∗"


# ------------------------------------------------------------------ /deal


def test_deal_blocks_show_the_facts() -> None:
    """The fields section lists stage, amount, days open, last buyer response, next step."""
    d = deal()
    out = B.deal_blocks([advice(d)], facts(d))
    text = dumped(out)
    for label in ("Stage", "Amount", "Days open", "Last buyer response", "Next step"):
        assert f"*{label}*" in text
    assert out[0]["type"] == "header" and out[0]["text"]["text"] == d.name


def test_deal_blocks_quote_up_to_n_questions() -> None:
    """Each finding shows at most ``questions_per_finding`` quoted questions."""
    d = deal()
    out = B.deal_blocks([advice(d, questions=4)], facts(d), questions_per_finding=2)
    q = [b for b in out if str(b.get("block_id", "")).startswith("dn:q:")]
    assert q[0]["text"]["text"].count("\n> ") == 2


def test_deal_blocks_show_three_evidence_bullets() -> None:
    """A finding's context shows three evidence bullets and counts the rest."""
    d = deal()
    out = B.deal_blocks([advice(d, evidence=10)], facts(d))
    ev = next(b for b in out if str(b.get("block_id", "")).startswith("dn:ev:"))
    text = ev["elements"][0]["text"]
    assert text.count("• 2026") == 3 and "7 more facts" in text


def test_deal_blocks_use_pattern_titles() -> None:
    """Each finding is titled with its pattern's registered title."""
    d = deal()
    out = B.deal_blocks([advice(d, "single-threaded")], facts(d))
    assert REGISTRY["single-threaded"].title in dumped(out)


def test_deal_blocks_have_the_four_buttons() -> None:
    """The actions block carries the ask / another / snooze / wrong buttons."""
    d = deal()
    out = B.deal_blocks([advice(d)], facts(d))
    actions = next(b for b in out if b["type"] == "actions")
    assert [e["action_id"] for e in actions["elements"]] == [
        "nudge_ask", "nudge_another", "nudge_snooze", "nudge_wrong",
    ]  # fmt: skip


def test_block_ids_are_unique_even_for_repeated_findings() -> None:
    """Block ids are unique within a message, even if a finding repeats."""
    d = deal()
    a = advice(d)
    out = B.deal_blocks([a, a, advice(d, "no-next-step")], facts(d))
    ids = [b["block_id"] for b in out if "block_id" in b]
    assert len(ids) == len(set(ids))


def test_deal_without_findings_says_so() -> None:
    """A deal with no findings says nothing looks stuck."""
    d = deal()
    assert "Nothing on this deal" in dumped(B.deal_blocks([], facts(d)))


# ------------------------------------------------------------------ button values


def test_button_values_decode_back() -> None:
    """Every nudge button's value decodes to the deal, pattern and shown question."""
    d = deal()
    out = B.deal_blocks([advice(d, "single-threaded")], facts(d))
    actions = next(b for b in out if b["type"] == "actions")
    for el in actions["elements"]:
        assert B.decode_value(el["value"]) == B.ButtonRef(d.id, "single-threaded", "q-0")


def test_absurd_deal_id_falls_back_to_a_hash() -> None:
    """A deal id too long for a button value is carried as its short hash."""
    long_id = "x" * 5000
    value = B.encode_value(long_id, "single-threaded", "q")
    assert len(value) <= 2000
    ref = B.decode_value(value)
    assert ref.deal_id == "" and ref.deal_hash == B.deal_hash(long_id)


@pytest.mark.parametrize(
    "value",
    ["", "nope", "[]", '{"p":"single-threaded","q":"q"}', '{"d":"1","p":"bogus","q":"q"}',
     '{"d":1,"p":"single-threaded"}', '{"h":"zz","p":"single-threaded","q":""}',
     "[" * 5000, '{"d":"1","p":"single-threaded","q":"' + "q" * 300 + '"}'],
)  # fmt: skip
def test_decode_value_rejects_malformed_input(value: str) -> None:
    """decode_value raises ValueError for anything that is not a value we made."""
    with pytest.raises(ValueError):
        B.decode_value(value)


def test_modal_metadata_round_trips_the_ref() -> None:
    """private_metadata holds the ref (decodable as views.py does) and the message coordinates."""
    ref = B.ButtonRef("006X", "no-next-step", "nns-01")
    meta = json.loads(B.snooze_modal(ref, "Deal", today=TODAY, channel="C1", ts="1.5")[
        "private_metadata"
    ])  # fmt: skip
    assert B.decode_value(json.dumps(meta["ref"])) == ref
    assert (meta["channel"], meta["ts"]) == ("C1", "1.5")


# ------------------------------------------------------------------ editing a sent message


def nudge_message() -> tuple[list[dict[str, Any]], Deal, Deal]:
    a, b = deal(1), deal(2)
    items = [B.NudgeItem(advice(a), question("rwp-01")), B.NudgeItem(advice(b), question("rwp-01"))]
    return B.nudge_blocks("Dana Scully", items, 2), a, b


def test_nudge_greets_the_rep_by_first_name() -> None:
    """The nudge opens warmly with the rep's first name and the count."""
    out, _, _ = nudge_message()
    assert out[0]["text"]["text"].startswith("Good morning Dana: 2 of your deals look like")


def test_nudge_shows_one_question_and_two_evidence_bullets() -> None:
    """Each nudge item shows ONE question and at most two evidence bullets."""
    out, a, _ = nudge_message()
    key = B.item_key(a.id, "relationship-without-progress")
    by_id = {b.get("block_id"): b for b in out}
    assert by_id[f"dn:q:{key}"]["text"]["text"].count("\n> ") == 1
    assert by_id[f"dn:ev:{key}"]["elements"][0]["text"].count("• 2026") == 2


def test_mark_item_replaces_only_the_targeted_actions() -> None:
    """mark_item swaps that item's buttons for a note and leaves every other block alone."""
    out, a, _ = nudge_message()
    marked = B.mark_item(
        out, a.id, "relationship-without-progress", "✓ You'll ask this (Tue 3 Nov)"
    )
    changed = [i for i, (x, y) in enumerate(zip(out, marked, strict=True)) if x != y]
    assert len(changed) == 1
    new = marked[changed[0]]
    assert new["type"] == "context" and "You'll ask this" in new["elements"][0]["text"]
    assert new["block_id"] == f"dn:act:{B.item_key(a.id, 'relationship-without-progress')}"


def test_mark_item_escapes_the_note() -> None:
    """A note carrying user text is escaped."""
    out, a, _ = nudge_message()
    marked = B.mark_item(out, a.id, "relationship-without-progress", "Snoozed: <!channel>")
    assert "<!channel>" not in dumped(marked)


def test_mark_item_does_not_mutate_its_input() -> None:
    """mark_item returns a new list; the message passed in is unchanged."""
    out, a, _ = nudge_message()
    before = dumped(out)
    B.mark_item(out, a.id, "relationship-without-progress", "done")
    assert dumped(out) == before


def test_replace_question_edits_only_the_targeted_item() -> None:
    """replace_question changes that item's question and button values only."""
    out, a, _ = nudge_message()
    new = B.replace_question(out, a.id, "relationship-without-progress", question("rwp-09", "New?"))
    changed = [i for i, (x, y) in enumerate(zip(out, new, strict=True)) if x != y]
    key = B.item_key(a.id, "relationship-without-progress")
    assert {new[i]["block_id"] for i in changed} == {f"dn:q:{key}", f"dn:act:{key}"}
    assert "New?" in new[changed[0]]["text"]["text"]
    for el in new[changed[1]]["elements"]:
        assert B.decode_value(el["value"]).question_id == "rwp-09"


def test_replace_question_after_mark_keeps_the_note() -> None:
    """A marked item keeps its note when its question is replaced later."""
    out, a, _ = nudge_message()
    marked = B.mark_item(out, a.id, "relationship-without-progress", "done")
    new = B.replace_question(marked, a.id, "relationship-without-progress", question("x", "New?"))
    assert check_limits(new) == [] and "done" in dumped(new)


# ------------------------------------------------------------------ other messages


def test_no_match_suggests_only_what_was_passed() -> None:
    """no_match_blocks names the passed suggestions and nothing else."""
    out = B.no_match_blocks("acme", ["Acme renewal"])
    text = dumped(out)
    assert "acme" in text and "Acme renewal" in text


def test_help_names_every_command_and_says_facilitation_questions() -> None:
    """Help covers the commands and buttons and never uses the trademark."""
    text = dumped(B.help_blocks())
    for part in ("/deal &lt;name or account&gt;", "/deal help", "/deal link", "/deal unlink",
                 "I'll ask this", "Another question", "Snooze", "Not accurate",
                 "facilitation questions"):  # fmt: skip
        assert part in text
    assert "Buying Facilitation" not in text


def test_team_summary_contains_no_deal_names() -> None:
    """The channel summary is aggregates only: no deal or account names."""
    out = B.team_summary_blocks("West", summary())
    text = dumped(out)
    assert "Acme" not in text and "4 of 10 open deals" in text and "25%" in text


def test_home_rep_lists_snoozes() -> None:
    """The rep's Home tab lists active snoozes with pattern, date and reason."""
    view = B.home_view_rep("Dana", [(advice(deal()),)],
                           [("Acme renewal", "all", TODAY, "buyer away")], {})  # fmt: skip
    text = dumped(view)
    assert view["type"] == "home"
    assert "all patterns" in text and "2026-11-02" in text and "buyer away" in text


# ------------------------------------------------------------------ modal submissions


def state(choice: str = "1w", day: str | None = None, reason: str = "away",
          note: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"values": {
        "snooze_for": {"choice": {"type": "radio_buttons", "selected_option": {"value": choice}}},
        "snooze_until": {"date": {"type": "datepicker", "selected_date": day}},
        "snooze_reason": {"reason": {"type": "static_select",
                                     "selected_option": {"value": reason}}},
        "snooze_note": {"note": {"type": "plain_text_input", "value": note}},
    }}  # fmt: skip


def test_snooze_modal_defaults_the_date_to_a_week_ahead() -> None:
    """The snooze modal's date picker starts at today + 7 days."""
    view = B.snooze_modal(B.ButtonRef("1", "", ""), "Deal", today=TODAY)
    picker = next(b for b in view["blocks"] if b.get("block_id") == "snooze_until")
    assert view["callback_id"] == "snooze_submit"
    assert picker["element"]["initial_date"] == "2026-11-09"


def test_parse_snooze_one_and_two_weeks() -> None:
    """1 week and 2 weeks count from today."""
    assert B.parse_snooze_submission(state("1w"), TODAY) == (date(2026, 11, 9), "buyer away")
    assert B.parse_snooze_submission(state("2w"), TODAY)[0] == date(2026, 11, 16)


def test_parse_snooze_until_a_date_with_note() -> None:
    """ "until a date" uses the picked date; a note follows the reason."""
    until, reason = B.parse_snooze_submission(
        state("date", "2026-12-01", "budget", "  back in\nJanuary "), TODAY
    )
    assert until == date(2026, 12, 1)
    assert reason == "waiting on their budget cycle: back in January"


@pytest.mark.parametrize("day", ["2026-11-01", "2026-11-02", None, "not-a-date", "2028-01-01"])
def test_parse_snooze_rejects_bad_dates(day: str | None) -> None:
    """A past, missing, malformed or too distant date is a ValueError for the user."""
    with pytest.raises(ValueError):
        B.parse_snooze_submission(state("date", day), TODAY)


def test_parse_wrong_submission() -> None:
    """The not-accurate reason is the picked label plus the note."""
    values = {"values": {
        "wrong_reason": {"reason": {"selected_option": {"value": "evidence"}}},
        "wrong_note": {"note": {"value": "that call was internal"}},
    }}  # fmt: skip
    assert B.parse_wrong_submission(values) == "the evidence is wrong: that call was internal"
    view = B.wrong_modal(B.ButtonRef("1", "", ""), "Deal")
    assert view["callback_id"] == "wrong_submit"


# ------------------------------------------------------------------ check_limits itself


def _button(**kw: Any) -> dict[str, Any]:
    el = {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "Go"}}
    return {**el, **kw}


def _actions(*elements: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "actions", "elements": list(elements)}]


def _md(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


BAD_BLOCKS: dict[str, list[dict[str, Any]]] = {
    "blocks in a message": [{"type": "divider"}] * 51,
    "block_id is 256": [{"type": "divider", "block_id": "b" * 256}],
    "not unique": [{"type": "divider", "block_id": "x"}, {"type": "divider", "block_id": "x"}],
    "(section): text is 3001": [{"type": "section", "text": _md("x" * 3001)}],
    "needs text or fields": [{"type": "section"}],
    "11 fields": [{"type": "section", "fields": [_md("x")] * 11}],
    "field 0: text is 2001": [{"type": "section", "fields": [_md("x" * 2001)]}],
    "(header): text is 151": [{"type": "header", "text": _plain("x" * 151)}],
    "button: text is 76": _actions(_button(text=_plain("x" * 76))),
    "button value": _actions(_button(value="v" * 2001)),
    "button url": _actions(_button(url="u" * 3001)),
    "action_id is 256": _actions(_button(action_id="a" * 256)),
    "26 elements": _actions(*(_button(action_id=str(i)) for i in range(26))),
    "repeats within the block": _actions(_button(), _button()),
    "11 elements": [{"type": "context", "elements": [_md("x")] * 11}],
    "element 0: text is 3001": [{"type": "context", "elements": [_md("x" * 3001)]}],
    "empty text": [{"type": "section", "text": _md("")}],
    "11 options": [
        {
            "type": "input",
            "label": _plain("L"),
            "element": {
                "type": "radio_buttons",
                "action_id": "r",
                "options": [{"text": _plain("o"), "value": str(i)} for i in range(11)],
            },
        }
    ],
}


@pytest.mark.parametrize("needle", list(BAD_BLOCKS))
def test_check_limits_catches_each_violation(needle: str) -> None:
    """check_limits reports each limit it claims to check."""
    problems = check_limits(BAD_BLOCKS[needle])
    assert any(needle in p for p in problems), problems


def test_check_limits_allows_100_blocks_in_a_view_but_not_101() -> None:
    """Modals and Home tabs allow 100 blocks."""
    assert check_limits([{"type": "divider"}] * 100, surface="home") == []
    assert check_limits([{"type": "divider"}] * 101, surface="modal")


def test_check_view_catches_title_and_metadata() -> None:
    """check_view reports a long modal title, submit and private_metadata."""
    view = {"type": "modal", "title": {"type": "plain_text", "text": "t" * 25},
            "submit": {"type": "plain_text", "text": "s" * 25},
            "private_metadata": "m" * 3001, "blocks": []}  # fmt: skip
    problems = " | ".join(check_view(view))
    assert "modal title" in problems and "modal submit" in problems
    assert "private_metadata" in problems


def test_check_text_catches_a_long_fallback() -> None:
    """check_text reports fallback text over 3000 characters and empty text."""
    assert check_text("x" * 3001) and check_text(" ")
