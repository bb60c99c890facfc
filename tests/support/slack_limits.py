"""A checker of Slack's Block Kit limits (reference/SLACK.md) for what the builders make.

Only tests call it, on every builder's output and on payloads the Slack tests capture."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.slack.blocks import limits as L
from bot.slack.blocks.limits import Block


def _text_of(obj: Any) -> str | None:
    if isinstance(obj, Mapping):
        t = obj.get("text")
        return t if isinstance(t, str) else None
    return None


def _check_text_obj(obj: Any, where: str, limit: int, out: list[str]) -> None:
    text = _text_of(obj)
    if text is None:
        out.append(f"{where}: missing text")
    elif not text:
        out.append(f"{where}: empty text")
    elif len(text) > limit:
        out.append(f"{where}: text is {len(text)} chars (limit {limit})")


def _check_element(el: Any, where: str, out: list[str]) -> None:
    if not isinstance(el, Mapping):
        out.append(f"{where}: not an object")
        return
    kind = el.get("type")
    action_id = el.get("action_id")
    if isinstance(action_id, str) and len(action_id) > L.MAX_ID:
        out.append(f"{where}: action_id is {len(action_id)} chars (limit {L.MAX_ID})")
    if kind == "button":
        _check_text_obj(el.get("text"), f"{where} button", L.MAX_BUTTON_TEXT, out)
        value = el.get("value")
        if isinstance(value, str) and len(value) > L.MAX_BUTTON_VALUE:
            out.append(f"{where}: button value is {len(value)} chars (limit {L.MAX_BUTTON_VALUE})")
        url = el.get("url")
        if isinstance(url, str) and len(url) > L.MAX_URL:
            out.append(f"{where}: button url is {len(url)} chars (limit {L.MAX_URL})")
    if "placeholder" in el:
        _check_text_obj(el["placeholder"], f"{where} placeholder", L.MAX_PLACEHOLDER, out)
    if kind in L.OPTION_LIMITS:
        options = el.get("options") or []
        cap = L.OPTION_LIMITS[str(kind)]
        if len(options) > cap:
            out.append(f"{where}: {len(options)} options (limit {cap})")
        for j, opt in enumerate(options):
            _check_text_obj(
                opt.get("text") if isinstance(opt, Mapping) else None,
                f"{where} option {j}",
                L.MAX_OPTION_TEXT,
                out,
            )
            value = opt.get("value") if isinstance(opt, Mapping) else None
            if not isinstance(value, str) or len(value) > L.MAX_OPTION_VALUE:
                out.append(f"{where} option {j}: value missing or over {L.MAX_OPTION_VALUE} chars")
    if kind == "datepicker" and "initial_date" in el:
        try:
            date.fromisoformat(str(el["initial_date"]))
        except ValueError:
            out.append(f"{where}: initial_date is not YYYY-MM-DD")
    if kind == "plain_text_input":
        most = el.get("max_length")
        if isinstance(most, int) and not 1 <= most <= L.MAX_SECTION_TEXT:
            out.append(f"{where}: max_length {most} outside 1..{L.MAX_SECTION_TEXT}")


def _check_block(b: Any, where: str, out: list[str]) -> None:
    kind = b.get("type")
    if kind == "section":
        text, fields = b.get("text"), b.get("fields")
        if text is None and not fields:
            out.append(f"{where}: a section needs text or fields")
        if text is not None:
            _check_text_obj(text, where, L.MAX_SECTION_TEXT, out)
        if fields is not None:
            if len(fields) > L.MAX_FIELDS:
                out.append(f"{where}: {len(fields)} fields (limit {L.MAX_FIELDS})")
            for j, field in enumerate(fields):
                _check_text_obj(field, f"{where} field {j}", L.MAX_FIELD_TEXT, out)
        if b.get("accessory") is not None:
            _check_element(b["accessory"], f"{where} accessory", out)
    elif kind == "header":
        _check_text_obj(b.get("text"), where, L.MAX_HEADER, out)
    elif kind == "context":
        elements = b.get("elements") or []
        if not elements:
            out.append(f"{where}: a context block needs elements")
        if len(elements) > L.MAX_CONTEXT_ELEMENTS:
            out.append(f"{where}: {len(elements)} elements (limit {L.MAX_CONTEXT_ELEMENTS})")
        for j, el in enumerate(elements):
            if isinstance(el, Mapping) and el.get("type") in ("mrkdwn", "plain_text"):
                _check_text_obj(el, f"{where} element {j}", L.MAX_TEXT_OBJECT, out)
    elif kind == "actions":
        elements = b.get("elements") or []
        if not elements:
            out.append(f"{where}: an actions block needs elements")
        if len(elements) > L.MAX_ACTIONS_ELEMENTS:
            out.append(f"{where}: {len(elements)} elements (limit {L.MAX_ACTIONS_ELEMENTS})")
        seen: set[str] = set()
        for j, el in enumerate(elements):
            _check_element(el, f"{where} element {j}", out)
            aid = el.get("action_id") if isinstance(el, Mapping) else None
            if isinstance(aid, str):
                if aid in seen:
                    out.append(f"{where}: action_id {aid[:40]!r} repeats within the block")
                seen.add(aid)
    elif kind == "input":
        _check_text_obj(b.get("label"), f"{where} label", L.MAX_LABEL, out)
        if b.get("hint") is not None:
            _check_text_obj(b["hint"], f"{where} hint", L.MAX_LABEL, out)
        _check_element(b.get("element"), f"{where} element", out)


def check_limits(blocks: Sequence[Block], *, surface: str = "message") -> list[str]:
    """Every Block Kit limit these blocks break on ``surface`` (message, modal or home)."""
    if surface not in ("message", "modal", "home"):
        raise ValueError(f"unknown surface {surface!r}")
    out: list[str] = []
    cap = L.MAX_MESSAGE_BLOCKS if surface == "message" else L.MAX_VIEW_BLOCKS
    if len(blocks) > cap:
        out.append(f"{len(blocks)} blocks in a {surface} (limit {cap})")
    seen: set[str] = set()
    for i, b in enumerate(blocks):
        where = f"block {i} ({b.get('type', '?') if isinstance(b, Mapping) else '?'})"
        if not isinstance(b, Mapping):
            out.append(f"{where}: not an object")
            continue
        bid = b.get("block_id")
        if bid is not None:
            if not isinstance(bid, str) or not bid:
                out.append(f"{where}: block_id must be a non-empty string")
            elif len(bid) > L.MAX_ID:
                out.append(f"{where}: block_id is {len(bid)} chars (limit {L.MAX_ID})")
            elif bid in seen:
                out.append(f"{where}: block_id {bid[:40]!r} is not unique")
            if isinstance(bid, str):
                seen.add(bid)
        _check_block(b, where, out)
    return out


def check_view(view: Mapping[str, Any]) -> list[str]:
    """``check_limits`` for a modal or Home view, plus title/submit/close and metadata."""
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [f"view type {kind!r} is neither modal nor home"]
    out: list[str] = []
    if kind == "modal":
        _check_text_obj(view.get("title"), "modal title", L.MAX_MODAL_TITLE, out)
    for key in ("submit", "close"):
        if view.get(key) is not None:
            _check_text_obj(view[key], f"modal {key}", L.MAX_MODAL_TITLE, out)
    meta = view.get("private_metadata")
    if isinstance(meta, str) and len(meta) > L.MAX_PRIVATE_METADATA:
        out.append(f"private_metadata is {len(meta)} chars (limit {L.MAX_PRIVATE_METADATA})")
    callback = view.get("callback_id")
    if isinstance(callback, str) and len(callback) > L.MAX_ID:
        out.append(f"callback_id is {len(callback)} chars (limit {L.MAX_ID})")
    return out + check_limits(view.get("blocks") or [], surface=str(kind))


def check_text(text: str) -> list[str]:
    """Limits on a message's fallback ``text`` (non-empty, at most 3000 chars here)."""
    if not text.strip():
        return ["message text is empty"]
    if len(text) > L.MAX_FALLBACK_TEXT:
        return [f"message text is {len(text)} chars (limit {L.MAX_FALLBACK_TEXT})"]
    return []
