"""The morning nudge: one deal in full, one line for each other."""

from __future__ import annotations

from collections.abc import Sequence

from bot.reports.format import money
from bot.slack.blocks.escape import Escaper, _clip, escape, fallback_text
from bot.slack.blocks.limits import MAX_MESSAGE_BLOCKS, Block
from bot.slack.blocks.parts import (
    _ITEM_BLOCKS,
    _NAME_CHARS,
    EVIDENCE_PER_NUDGE,
    NudgeItem,
    _deal_line,
    _divider,
    _greeting,
    _Ids,
    _item_blocks,
    _more,
    _section,
    _show_button,
    _summary_line,
    _title,
)
from bot.slack.blocks.values import deal_hash
from rules.base import clip_words


def _nudge_intro(rep_name: str, shown: int, total: int, clean: Escaper = escape) -> str:
    hello = _greeting("Good morning", rep_name, clean)
    if total == 1:
        return f"{hello}: one of your deals looks like it is waiting for the buyer."
    text = f"{hello}: {total} of your deals look like they are waiting for the buyer."
    if shown == total:
        return text
    if shown == 1:
        return f"{text} Here is the one that matters most."
    return f"{text} Here are the {shown} that matter most."


NUDGE_EVIDENCE_CHARS = 110  # each evidence bullet of the nudge's first deal


def nudge_blocks(rep_name: str, items: Sequence[NudgeItem], total_flagged: int) -> list[Block]:
    """The rep's morning DM, sized for a phone: the most urgent deal in full (its finding, two
    evidence bullets, ONE question, the buttons), then one line with a Show button for each
    other deal, and everything else behind `/deal`."""
    ids = _Ids()
    total = max(total_flagged, len(items))
    blocks = [_section(_nudge_intro(rep_name, min(len(items), NUDGE_ROWS + 1), total))]
    if items:
        first = items[0]
        f = first.advice.finding
        heading = f"{_deal_line(f.deal)}\n{_summary_line(_title(f.pattern), f.summary)}"
        if first.note:
            heading = f"_{escape(first.note, 300)}_\n{heading}"
        blocks.append(_divider())
        blocks += _item_blocks(
            first.advice, [first.question], EVIDENCE_PER_NUDGE, ids, heading, NUDGE_EVIDENCE_CHARS
        )
    rest = list(items[1 : 1 + NUDGE_ROWS])
    if rest:
        blocks.append(_divider())
        blocks += [_nudge_row(i, ids) for i in rest]
    shown = min(len(items), 1 + NUDGE_ROWS)
    if total > shown:
        blocks.append(_more(total - shown, "more deal", ": type `/deal` to see them all"))
    return blocks


NUDGE_ROWS = 4  # deals after the first, one line each


def _nudge_row(item: NudgeItem, ids: _Ids) -> Block:
    """One more deal of the morning nudge on one line (name, pattern, amount) with a Show
    button; its finding and questions are one tap away."""
    f = item.advice.finding
    note = f"_{escape(item.note, 80)}_ " if item.note else ""
    amount = money(f.deal.amount, f.deal.currency) if f.deal.amount is not None else ""
    parts = [
        f"*{escape(clip_words(f.deal.name, 60), _NAME_CHARS)}*",
        escape(_title(f.pattern), 60),
    ]
    if amount:
        parts.append(escape(amount, 40))
    return _section(note + " · ".join(parts), ids(f"dn:row:{deal_hash(f.deal.id)}"),
                    _show_button(f.deal.id))  # fmt: skip


def nudge_text(rep_name: str, items: Sequence[NudgeItem], total_flagged: int) -> str:
    """The notification fallback text of the morning DM (``fallback_text``, short)."""
    total = max(total_flagged, len(items))
    room = (MAX_MESSAGE_BLOCKS - 2) // _ITEM_BLOCKS
    text = _nudge_intro(rep_name, min(len(items), room), total, fallback_text)
    names = [fallback_text(i.advice.finding.deal.name, 60) for i in items[:3]]
    if names:
        text = text.rstrip(".") + ": " + ", ".join(names)
    return _clip(text, 400)
