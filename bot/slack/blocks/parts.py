"""The small builders every surface uses: sections, fields, buttons, a finding's blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.analysis.analyse import Advice
from bot.reports.format import money
from bot.slack.blocks.escape import Escaper, _clip, escape, plain
from bot.slack.blocks.limits import (
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_CONTEXT_ELEMENTS,
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_HEADER,
    MAX_SECTION_TEXT,
    MAX_TEXT_OBJECT,
    Block,
)
from bot.slack.blocks.values import encode_value, item_key
from rules.base import Evidence, clip_words
from rules.model import Deal
from rules.patterns import REGISTRY
from rules.questions import Question

EVIDENCE_PER_FINDING = 3


EVIDENCE_PER_NUDGE = 2


PICK_LIST_MAX = 10


NOTE_MAX = 500


_EVIDENCE_CHARS = 280


_QUESTION_CHARS = 500


_SUMMARY_CHARS = 600


_NAME_CHARS = 120


ASK, ANOTHER, SNOOZE, WRONG, SHOW = (
    "nudge_ask",
    "nudge_another",
    "nudge_snooze",
    "nudge_wrong",
    "deal_show",
)


_BUTTONS = (
    ("I'll ask this", ASK, "primary"),
    ("Another question", ANOTHER, None),
    ("Snooze", SNOOZE, None),
    ("Not accurate", WRONG, None),
)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _first_name(name: str) -> str:
    """The first word of a person's name; "" when there is none to greet."""
    parts = name.split()
    return parts[0] if parts and "@" not in parts[0] else ""


def _greeting(hello: str, name: str, clean: Escaper = escape) -> str:
    first = clean(_first_name(name), 60)
    return f"{hello} {first}" if first else hello


_title = REGISTRY.title


@dataclass(frozen=True)
class NudgeItem:
    """One deal in a morning nudge: its top advice and the ONE question to show."""

    advice: Advice
    question: tuple[Question, str]
    note: str = ""  # our own words above the finding, e.g. "Back from your snooze (...)"


@dataclass(frozen=True)
class TeamSummary:
    flagged: int
    open_deals: int
    value: float
    open_value: float
    by_pattern: Mapping[str, int]


class _Ids:
    """Hands out block ids, unique within one message or view."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, base: str) -> str:
        bid, n = base, 2
        while bid in self.used:
            bid, n = f"{base}.{n}", n + 1
        self.used.add(bid)
        return bid


def _md(text: str) -> MarkdownTextObject:
    """Every mrkdwn text object the app builds: ``verbatim``, so Slack links no bare URL,
    ``www.`` host, ``#channel`` or ``@name`` in CRM text. Slack's text object reference
    (https://docs.slack.dev/reference/block-kit/composition-objects/text-object): with
    ``verbatim`` true Slack "will continue to process all markdown formatting and manual
    parsing strings, but it won't modify any plain-text content" (channel names are not
    hyperlinked), so links the app writes itself (``<https://…|label>``, ``<@U123>``) still
    render."""
    return MarkdownTextObject(text=_clip(text, MAX_TEXT_OBJECT) or " ", verbatim=True)


def _section(text: str, block_id: str | None = None, accessory: Any = None) -> Block:
    return SectionBlock(
        text=_md(_clip(text, MAX_SECTION_TEXT)), block_id=block_id, accessory=accessory
    ).to_dict()


def _fields(pairs: Sequence[tuple[str, str]], block_id: str | None = None) -> Block:
    fields = [_md(_clip(f"*{label}*\n{value}", MAX_FIELD_TEXT)) for label, value in pairs]
    return SectionBlock(fields=fields[:MAX_FIELDS], block_id=block_id).to_dict()


def _context(lines: Sequence[str], block_id: str | None = None) -> Block:
    elements = [_md(line) for line in lines[:MAX_CONTEXT_ELEMENTS] if line]
    return ContextBlock(elements=elements or [_md(" ")], block_id=block_id).to_dict()


def _header(text: str) -> Block:
    return HeaderBlock(text=PlainTextObject(text=plain(text, MAX_HEADER) or " ")).to_dict()


def _divider() -> Block:
    return DividerBlock().to_dict()


def _button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=plain(text, MAX_BUTTON_TEXT)),
        action_id=action_id,
        value=value,
        style=style,
    )


def _show_button(deal_id: str) -> ButtonElement | None:
    """``deal_show`` carries the bare deal id; an id too long for a value gets no button."""
    if not deal_id or len(deal_id) > MAX_BUTTON_VALUE:
        return None
    return _button("Show", SHOW, deal_id)


def _nudge_actions(deal_id: str, pattern: str, question_id: str, block_id: str) -> Block:
    value = encode_value(deal_id, pattern, question_id)
    buttons = [_button(text, action, value, style) for text, action, style in _BUTTONS]
    return ActionsBlock(elements=buttons, block_id=block_id).to_dict()


def _evidence_lines(
    evidence: Sequence[Evidence], count: int, chars: int = _EVIDENCE_CHARS
) -> list[str]:
    lines = []
    for e in evidence[:count]:
        when = e.date.isoformat() if e.date else "now"
        text = clip_words(e.text, chars) if chars < _EVIDENCE_CHARS else e.text
        lines.append(f"• {when}: {escape(text, _EVIDENCE_CHARS)}")
    if len(evidence) > count:
        lines.append(f"• … and {_plural(len(evidence) - count, 'more fact')}")
    return lines


def _question_text(questions: Sequence[str]) -> str:
    label = (
        "*A facilitation question to ask:*"
        if len(questions) == 1
        else ("*Facilitation questions to ask:*")
    )
    return "\n".join([label, *(f"> {escape(q, _QUESTION_CHARS)}" for q in questions)])


def _deal_line(deal: Deal) -> str:
    head = f"*{escape(deal.name or 'Unnamed deal', _NAME_CHARS)}*"
    if deal.account:
        head += f" ({escape(deal.account, _NAME_CHARS)})"
    stage, amount = escape(deal.stage, 60), escape(money(deal.amount, deal.currency), 40)
    return f"{head} · " + ", ".join(x for x in (stage, amount) if x)


def _more(n: int, what: str, hint: str = "") -> Block:
    return _context([f"…and {_plural(n, what)}{hint}"])


def _item_blocks(
    advice: Advice,
    questions: Sequence[tuple[Question, str]],
    evidence: int,
    ids: _Ids,
    heading: str,
    evidence_chars: int = _EVIDENCE_CHARS,
) -> list[Block]:
    f = advice.finding
    key = item_key(f.deal.id, f.pattern)
    out = [_section(heading, ids(f"dn:find:{key}"))]
    lines = _evidence_lines(f.evidence, evidence, evidence_chars)
    if lines:
        out.append(_context(["\n".join(lines)], ids(f"dn:ev:{key}")))
    if questions:
        out.append(_section(_question_text([t for _, t in questions]), ids(f"dn:q:{key}")))
    qid = questions[0][0].id if questions else ""
    out.append(_nudge_actions(f.deal.id, f.pattern, qid, ids(f"dn:act:{key}")))
    return out


_ITEM_BLOCKS = 5  # divider, finding, evidence, questions, actions


def _summary_line(f_title: str, summary: str) -> str:
    return f"*{escape(f_title, 100)}:* {escape(summary, _SUMMARY_CHARS)}"
