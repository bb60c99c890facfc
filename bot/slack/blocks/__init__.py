"""Block Kit builders: pure functions from advice and deal facts to Slack blocks and views.

No I/O and no clock (``today`` is a parameter). Every string that came from the CRM (or from
a user) goes through ``escape`` (mrkdwn) or ``plain`` (plain_text) before it is placed in a
block, or ``fallback_text`` before it is placed in a message's top-level ``text``; our own
formatting (bold labels, quote markers) is added around escaped text only. All three drop
bidi controls and zero-width characters; every mrkdwn text object is ``verbatim``.
Every builder's output keeps within Slack's ``limits``, including those slack_sdk does not
check (blocks per message, field and context text length); tests check every output with
``tests/support/slack_limits.py``.

Items (one finding of one deal) are found again by their block ids: ``dn:<kind>:<key>`` with
``key = item_key(deal_id, pattern)``, so ``mark_item`` and ``replace_question`` can edit the
message Slack sends back with a click without re-rendering it.

The builders live by surface (``deal``, ``nudge``, ``home``, ``modals``, ``edit``,
``digest``) on shared ``parts``, the one ``escape`` path, the button ``values`` codec and
Slack's ``limits``; this package is their one public name.
"""

from __future__ import annotations

from bot.slack.blocks.deal import (
    alert_blocks,
    deal_blocks,
    flagged_list_blocks,
    help_blocks,
    no_match_blocks,
    pick_list_blocks,
)
from bot.slack.blocks.edit import mark_item, replace_question
from bot.slack.blocks.escape import Escaper, escape, fallback_text, plain
from bot.slack.blocks.home import (
    DEAL_MODAL_CALLBACK,
    HOME_ROWS,
    deal_modal,
    home_view_manager,
    home_view_rep,
    home_view_unknown,
    notice_modal,
    team_summary_blocks,
)
from bot.slack.blocks.limits import (
    MAX_ACTIONS_ELEMENTS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_CONTEXT_ELEMENTS,
    MAX_FALLBACK_TEXT,
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_HEADER,
    MAX_ID,
    MAX_LABEL,
    MAX_MESSAGE_BLOCKS,
    MAX_MODAL_TITLE,
    MAX_OPTION_TEXT,
    MAX_OPTION_VALUE,
    MAX_PLACEHOLDER,
    MAX_PRIVATE_METADATA,
    MAX_QUESTIONS,
    MAX_SECTION_TEXT,
    MAX_SNOOZE_DAYS,
    MAX_TEXT_OBJECT,
    MAX_URL,
    MAX_VIEW_BLOCKS,
    Block,
)
from bot.slack.blocks.modals import (
    SNOOZE_CALLBACK,
    SNOOZE_CHOICES,
    SNOOZE_REASONS,
    WRONG_CALLBACK,
    WRONG_REASONS,
    parse_snooze_submission,
    parse_wrong_submission,
    snooze_modal,
    wrong_modal,
)
from bot.slack.blocks.nudge import NUDGE_EVIDENCE_CHARS, NUDGE_ROWS, nudge_blocks, nudge_text
from bot.slack.blocks.parts import (
    ANOTHER,
    ASK,
    EVIDENCE_PER_FINDING,
    EVIDENCE_PER_NUDGE,
    NOTE_MAX,
    PICK_LIST_MAX,
    SHOW,
    SNOOZE,
    WRONG,
    NudgeItem,
    TeamSummary,
)
from bot.slack.blocks.values import ButtonRef, deal_hash, decode_value, encode_value, item_key

__all__ = [
    "ANOTHER",
    "ASK",
    "DEAL_MODAL_CALLBACK",
    "EVIDENCE_PER_FINDING",
    "EVIDENCE_PER_NUDGE",
    "HOME_ROWS",
    "MAX_ACTIONS_ELEMENTS",
    "MAX_BUTTON_TEXT",
    "MAX_BUTTON_VALUE",
    "MAX_CONTEXT_ELEMENTS",
    "MAX_FALLBACK_TEXT",
    "MAX_FIELDS",
    "MAX_FIELD_TEXT",
    "MAX_HEADER",
    "MAX_ID",
    "MAX_LABEL",
    "MAX_MESSAGE_BLOCKS",
    "MAX_MODAL_TITLE",
    "MAX_OPTION_TEXT",
    "MAX_OPTION_VALUE",
    "MAX_PLACEHOLDER",
    "MAX_PRIVATE_METADATA",
    "MAX_QUESTIONS",
    "MAX_SECTION_TEXT",
    "MAX_SNOOZE_DAYS",
    "MAX_TEXT_OBJECT",
    "MAX_URL",
    "MAX_VIEW_BLOCKS",
    "NOTE_MAX",
    "NUDGE_EVIDENCE_CHARS",
    "NUDGE_ROWS",
    "PICK_LIST_MAX",
    "SHOW",
    "SNOOZE",
    "SNOOZE_CALLBACK",
    "SNOOZE_CHOICES",
    "SNOOZE_REASONS",
    "WRONG",
    "WRONG_CALLBACK",
    "WRONG_REASONS",
    "Block",
    "ButtonRef",
    "Escaper",
    "NudgeItem",
    "TeamSummary",
    "alert_blocks",
    "deal_blocks",
    "deal_hash",
    "deal_modal",
    "decode_value",
    "encode_value",
    "escape",
    "fallback_text",
    "flagged_list_blocks",
    "help_blocks",
    "home_view_manager",
    "home_view_rep",
    "home_view_unknown",
    "item_key",
    "mark_item",
    "no_match_blocks",
    "notice_modal",
    "nudge_blocks",
    "nudge_text",
    "parse_snooze_submission",
    "parse_wrong_submission",
    "pick_list_blocks",
    "plain",
    "replace_question",
    "snooze_modal",
    "team_summary_blocks",
    "wrong_modal",
]
