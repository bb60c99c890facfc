"""The snooze and not-accurate modals, and reading what was submitted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.blocks.escape import escape
from bot.slack.blocks.limits import MAX_SNOOZE_DAYS, Block
from bot.slack.blocks.parts import NOTE_MAX, _section, _title
from bot.slack.blocks.values import ButtonRef, _dump

SNOOZE_CALLBACK = "snooze_submit"


WRONG_CALLBACK = "wrong_submit"


SNOOZE_CHOICES = (("1w", "1 week"), ("2w", "2 weeks"), ("date", "until a date"))


SNOOZE_REASONS = (
    ("away", "buyer away"),
    ("budget", "waiting on their budget cycle"),
    ("handled", "already handled"),
    ("other", "other"),
)


WRONG_REASONS = (
    ("not_hanging", "not hanging around"),
    ("evidence", "the evidence is wrong"),
    ("handled", "already handled"),
    ("other", "other"),
)


def _options(pairs: Sequence[tuple[str, str]]) -> list[Option]:
    return [Option(value=v, text=PlainTextObject(text=t)) for v, t in pairs]


def _metadata(ref: ButtonRef, channel: str, ts: str) -> str:
    return _dump({"ref": ref.payload(), "channel": channel[:200], "ts": ts[:100]})


def _modal_intro(verb: str, ref: ButtonRef, deal_name: str) -> Block:
    text = f"{verb} *{escape(deal_name or 'this deal', 300)}*"
    if ref.pattern:
        text += f" ({escape(_title(ref.pattern), 100)})"
    return _section(text + ".")


def snooze_modal(
    ref: ButtonRef, deal_name: str, *, today: date, channel: str = "", ts: str = ""
) -> dict[str, Any]:
    """Snooze: 1 week / 2 weeks / until a date, a reason and an optional note."""
    choices = _options(SNOOZE_CHOICES)
    view = View(
        type="modal",
        callback_id=SNOOZE_CALLBACK,
        title=PlainTextObject(text="Snooze this deal"),
        submit=PlainTextObject(text="Snooze"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=_metadata(ref, channel, ts),
        blocks=[
            _modal_intro("Pause nudges about", ref, deal_name),
            InputBlock(
                block_id="snooze_for",
                label=PlainTextObject(text="For how long"),
                element=RadioButtonsElement(
                    action_id="choice", options=choices, initial_option=choices[0]
                ),
            ),
            InputBlock(
                block_id="snooze_until",
                label=PlainTextObject(text="Until"),
                hint=PlainTextObject(text="Used when you pick “until a date”."),
                optional=True,
                element=DatePickerElement(
                    action_id="date", initial_date=(today + timedelta(days=7)).isoformat()
                ),
            ),
            _reason_input("snooze_reason", SNOOZE_REASONS),
            _note_input("snooze_note", "e.g. champion on leave until March"),
        ],
    )
    return view.to_dict()


def wrong_modal(ref: ButtonRef, deal_name: str, channel: str = "", ts: str = "") -> dict[str, Any]:
    """Not accurate: why the flag is wrong, and an optional note."""
    view = View(
        type="modal",
        callback_id=WRONG_CALLBACK,
        title=PlainTextObject(text="Not accurate?"),
        submit=PlainTextObject(text="Send"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=_metadata(ref, channel, ts),
        blocks=[
            _modal_intro("What is wrong with the flag on", ref, deal_name),
            _reason_input("wrong_reason", WRONG_REASONS),
            _note_input("wrong_note", "Anything that helps tune the check"),
        ],
    )
    return view.to_dict()


def _reason_input(block_id: str, reasons: Sequence[tuple[str, str]]) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text="Why"),
        element=StaticSelectElement(
            action_id="reason",
            placeholder=PlainTextObject(text="Pick a reason"),
            options=_options(reasons),
        ),
    )


def _note_input(block_id: str, placeholder: str) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text="Note"),
        optional=True,
        element=PlainTextInputElement(
            action_id="note",
            multiline=True,
            max_length=NOTE_MAX,
            placeholder=PlainTextObject(text=placeholder),
        ),
    )


def _state_value(state: Mapping[str, Any], block_id: str, action_id: str) -> Mapping[str, Any]:
    values = state.get("values", state) if isinstance(state, Mapping) else {}
    block = values.get(block_id) if isinstance(values, Mapping) else None
    found = block.get(action_id) if isinstance(block, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def _selected(state: Mapping[str, Any], block_id: str, action_id: str) -> str:
    option = _state_value(state, block_id, action_id).get("selected_option")
    value = option.get("value") if isinstance(option, Mapping) else None
    return value if isinstance(value, str) else ""


def _reason(state: Mapping[str, Any], prefix: str, reasons: Sequence[tuple[str, str]]) -> str:
    """The picked reason's label, plus the note; raw user text (escape it when shown)."""
    labels = dict(reasons)
    label = labels.get(_selected(state, f"{prefix}_reason", "reason"), "other")
    note = _state_value(state, f"{prefix}_note", "note").get("value")
    note = " ".join(note.split())[:NOTE_MAX] if isinstance(note, str) else ""
    return f"{label}: {note}" if note else label


def parse_snooze_submission(view_state: Mapping[str, Any], today: date) -> tuple[date, str]:
    """(until, reason) from the snooze modal; ValueError with a message for the user."""
    choice = _selected(view_state, "snooze_for", "choice") or "1w"
    if choice == "1w":
        until = today + timedelta(days=7)
    elif choice == "2w":
        until = today + timedelta(days=14)
    elif choice == "date":
        raw = _state_value(view_state, "snooze_until", "date").get("selected_date")
        if not isinstance(raw, str) or not raw:
            raise ValueError("Pick the date the snooze should end.")
        try:
            until = date.fromisoformat(raw)
        except ValueError as exc:
            raise ValueError("That is not a date; pick one from the calendar.") from exc
        if until < today:
            raise ValueError("That date is in the past; pick a later one.")
        if until == today:
            raise ValueError("Pick a date after today.")
        if (until - today).days > MAX_SNOOZE_DAYS:
            raise ValueError("Snooze for at most a year.")
    else:
        raise ValueError("Pick how long to snooze.")
    return until, _reason(view_state, "snooze", SNOOZE_REASONS)


def parse_wrong_submission(view_state: Mapping[str, Any]) -> str:
    """The reason from the not-accurate modal (label, plus the note if any)."""
    return _reason(view_state, "wrong", WRONG_REASONS)
