"""Editing a sent message in place after a click (mark an item, replace a question)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.slack.blocks.escape import escape
from bot.slack.blocks.limits import Block
from bot.slack.blocks.parts import NOTE_MAX, _context, _question_text, _section
from bot.slack.blocks.values import ButtonRef, decode_value, item_key
from rules.questions import Question


def _item_id(block: Mapping[str, Any], kind: str, key: str) -> bool:
    bid = block.get("block_id")
    base = f"dn:{kind}:{key}"
    return isinstance(bid, str) and (bid == base or bid.startswith(base + "."))


def _kept(node: Any) -> Any:
    """A copy of what Slack sent back with a click, to send again: every mrkdwn text object
    in it ``verbatim``, whatever came back."""
    if isinstance(node, dict):
        out = {k: _kept(v) for k, v in node.items()}
        if out.get("type") == "mrkdwn":
            out["verbatim"] = True
        return out
    if isinstance(node, list):
        return [_kept(v) for v in node]
    return node  # str, int, bool, None: immutable


def mark_item(blocks: list[Block], deal_id: str, pattern: str, note: str) -> list[Block]:
    """A copy of ``blocks`` with that item's buttons replaced by a context line (``note``)."""
    key = item_key(deal_id, pattern)
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, dict) and _item_id(b, "act", key):
            out.append(_context([escape(note, NOTE_MAX)], str(b["block_id"])))
        else:
            out.append(_kept(b))
    return out


def replace_question(
    blocks: list[Block], deal_id: str, pattern: str, question: tuple[Question, str]
) -> list[Block]:
    """A copy of ``blocks`` with that item's question (and its buttons' ``q``) replaced."""
    key = item_key(deal_id, pattern)
    text = _question_text([question[1]])
    out: list[Block] = []
    replaced = False
    for b in blocks:
        if not isinstance(b, dict):
            out.append(_kept(b))
        elif _item_id(b, "q", key):
            out.append(_section(text, str(b["block_id"])))
            replaced = True
        elif _item_id(b, "act", key) and b.get("type") == "actions":
            if not replaced:  # the item showed no question before
                out.append(_section(text, f"dn:q:{key}"))
                replaced = True
            out.append(_requestioned(b, question[0].id))
        else:
            out.append(_kept(b))
    return out


def _requestioned(block: Block, question_id: str) -> Block:
    new: Block = _kept(block)
    for el in new.get("elements") or []:
        value = el.get("value") if isinstance(el, dict) else None
        if not isinstance(value, str):
            continue
        try:
            ref = decode_value(value)
        except ValueError:
            continue
        el["value"] = ButtonRef(ref.deal_id, ref.pattern, question_id, ref.deal_hash).to_value()
    return new
