"""The button-value codec: which deal, pattern and question a click is about."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.slack.blocks.limits import MAX_BUTTON_VALUE
from rules.patterns import REGISTRY

_CODE_CHARS = 200  # pattern codes and question ids in button values


@dataclass(frozen=True)
class ButtonRef:
    """What a nudge button points at. ``deal_hash`` replaces ``deal_id`` for absurd ids."""

    deal_id: str
    pattern: str
    question_id: str
    deal_hash: str = ""

    def payload(self) -> dict[str, str]:
        return _value_payload(self.deal_id, self.pattern, self.question_id, self.deal_hash)

    def to_value(self) -> str:
        return _dump(self.payload())


def deal_hash(deal_id: str) -> str:
    """The short key a button carries when the deal id is too long to fit its value."""
    return hashlib.sha256(deal_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def item_key(deal_id: str, pattern: str) -> str:
    """The block-id key of one finding of one deal (always short, whatever the id)."""
    data = f"{deal_id}\x1f{pattern}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def _dump(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"))


def _value_payload(
    deal_id: str, pattern: str, question_id: str, hashed: str = ""
) -> dict[str, str]:
    p, q = pattern[:_CODE_CHARS], question_id[:_CODE_CHARS]
    if deal_id:
        full = {"d": deal_id, "p": p, "q": q}
        if len(_dump(full)) <= MAX_BUTTON_VALUE:
            return full
        hashed = deal_hash(deal_id)
    return {"h": hashed or deal_hash(""), "p": p, "q": q}


def encode_value(deal_id: str, pattern: str, question_id: str) -> str:
    """Compact JSON ``{"d","p","q"}`` (or ``{"h","p","q"}`` for an id too long): <= 2000."""
    return _dump(_value_payload(deal_id, pattern, question_id))


_HASH_RE = re.compile(r"[0-9a-f]{16}")


def decode_value(value: str) -> ButtonRef:
    """A button value (or private_metadata ref) back to a ButtonRef; ValueError if malformed."""
    if not isinstance(value, str) or not value or len(value) > 2 * MAX_BUTTON_VALUE:
        raise ValueError("malformed button value")
    try:
        data = json.loads(value)
    except (ValueError, RecursionError) as exc:
        raise ValueError("malformed button value") from exc
    if not isinstance(data, dict):
        raise ValueError("malformed button value")
    pattern, question = data.get("p"), data.get("q", "")
    if not isinstance(pattern, str) or not isinstance(question, str):
        raise ValueError("malformed button value")
    if pattern and pattern not in REGISTRY:
        raise ValueError(f"unknown pattern in button value: {pattern[:40]!r}")
    if len(question) > _CODE_CHARS:
        raise ValueError("malformed button value")
    deal_id, hashed = data.get("d"), data.get("h")
    if isinstance(deal_id, str) and deal_id.strip():
        return ButtonRef(deal_id, pattern, question)
    if isinstance(hashed, str) and _HASH_RE.fullmatch(hashed):
        return ButtonRef("", pattern, question, deal_hash=hashed)
    raise ValueError("button value names no deal")
