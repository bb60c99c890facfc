"""Slack's limits on blocks and views (reference/SLACK.md), and ours.

The builders keep within them; ``tests/support/slack_limits.py`` checks every output."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]


# Slack's limits (reference/SLACK.md) and our own, tighter, readability limits.
MAX_MESSAGE_BLOCKS = 50


MAX_VIEW_BLOCKS = 100


MAX_SECTION_TEXT = 3000


MAX_FIELDS = 10


MAX_FIELD_TEXT = 2000


MAX_HEADER = 150


MAX_BUTTON_TEXT = 75


MAX_BUTTON_VALUE = 2000


MAX_URL = 3000


MAX_ID = 255  # action_id, block_id, callback_id


MAX_ACTIONS_ELEMENTS = 25


MAX_CONTEXT_ELEMENTS = 10


MAX_TEXT_OBJECT = 3000  # any text object, including context elements


MAX_MODAL_TITLE = 24


MAX_PRIVATE_METADATA = 3000


MAX_FALLBACK_TEXT = 3000  # our policy for a message's ``text`` (Slack truncates at 40,000)


MAX_OPTION_TEXT = 75


MAX_OPTION_VALUE = 150


MAX_PLACEHOLDER = 150


MAX_LABEL = 2000


OPTION_LIMITS = {"static_select": 100, "radio_buttons": 10, "checkboxes": 10, "overflow": 5}


MAX_QUESTIONS = 5


MAX_SNOOZE_DAYS = 366
