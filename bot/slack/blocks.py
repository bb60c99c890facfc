"""Block Kit builders: pure functions from advice and deal facts to Slack blocks and views.

No I/O and no clock (``today`` is a parameter). Every string that came from the CRM (or from
a user) goes through ``escape`` (mrkdwn) or ``plain`` (plain_text) before it is placed in a
block, or ``fallback_text`` before it is placed in a message's top-level ``text``; our own
formatting (bold labels, quote markers) is added around escaped text only. All three drop
bidi controls and zero-width characters; every mrkdwn text object is ``verbatim``.
Every builder's output passes ``check_limits``/``check_view``, including the limits that
slack_sdk does not check (blocks per message, field and context text length).

Items (one finding of one deal) are found again by their block ids: ``dn:<kind>:<key>`` with
``key = item_key(deal_id, pattern)``, so ``mark_item`` and ``replace_question`` can edit the
message Slack sends back with a click without re-rendering it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.analysis.analyse import Advice, DealFacts
from bot.reports.scan import money
from rules.base import Evidence, clip_words
from rules.model import Deal
from rules.patterns import REGISTRY
from rules.questions import Question

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
_OPTION_LIMITS = {"static_select": 100, "radio_buttons": 10, "checkboxes": 10, "overflow": 5}

EVIDENCE_PER_FINDING = 3
EVIDENCE_PER_NUDGE = 2
MAX_QUESTIONS = 5
PICK_LIST_MAX = 10
NOTE_MAX = 500
_EVIDENCE_CHARS = 280
_QUESTION_CHARS = 500
_SUMMARY_CHARS = 600
_NAME_CHARS = 120
_CODE_CHARS = 200  # pattern codes and question ids in button values

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
MAX_SNOOZE_DAYS = 366

# ------------------------------------------------------------------ escaping

# mrkdwn: entities for the three control characters (so <!channel>, <@U1>, <url|x> are
# inert) and look-alikes for the formatting characters.
_MRKDWN_TABLE: dict[int, str | None] = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord("*"): "∗",
    ord("_"): "ˍ",
    ord("~"): "∼",
    ord("`"): "ˋ",
}
# plain_text renders no markup, but the same look-alikes keep raw markup out of every payload.
_PLAIN_TABLE: dict[int, str | None] = {
    ord("<"): "‹",
    ord(">"): "›",
    ord("*"): "∗",
    ord("_"): "ˍ",
    ord("~"): "∼",
    ord("`"): "ˋ",
}
# Dropped from CRM text before anything else: control characters (Cc), lone surrogates (Cs)
# and format characters (Cf): bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069, U+061C, U+200E/F, which can make a deal name display reversed), zero-width
# characters (U+200B-U+200D, U+2060-U+2064, U+FEFF, U+180E) and the like. The only Cf
# character that reaches Slack is the word joiner escaping itself inserts below.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
_JOINER = "\u2060"
# "@here" typed as plain text: a word joiner keeps it from ever becoming a broadcast.
_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
# A message's top-level ``text`` is mrkdwn that Slack auto-links: it takes no ``verbatim``.
# A word joiner in each link-shaped spot keeps CRM text from linking: in a scheme's "://",
# after a dot before a letter or digit (www., bare domains, e-mail addresses) and after
# "#" and "@" (channel names, mentions).
_LINKABLE = re.compile(r":(?=//)|\.(?=\w)|[#@](?=\w)")
_ELLIPSIS = "…"


def escape(text: object, limit: int = MAX_SECTION_TEXT) -> str:
    """CRM text made inert for mrkdwn: entities, look-alikes, one line, at most ``limit``.

    For block text objects, which all carry ``verbatim`` (see ``_md``); a message's
    top-level ``text`` takes ``fallback_text``."""
    return _neutralise(text, limit, _MRKDWN_TABLE)


def fallback_text(text: object, limit: int = MAX_FALLBACK_TEXT) -> str:
    """CRM or user text for a message's top-level ``text`` (its notification): ``escape``,
    and no URL, domain, ``#channel`` or ``@name`` in it is linked (word joiners break them)."""
    return _neutralise(text, limit, _MRKDWN_TABLE, unlink=True)


def plain(text: object, limit: int = MAX_HEADER) -> str:
    """CRM text for a plain_text object: no markup characters, one line, at most ``limit``."""
    return _neutralise(text, limit, _PLAIN_TABLE)


Escaper = Callable[[object, int], str]  # escape, or fallback_text for a top-level text


def _visible(text: str) -> str:
    """``text`` on one line, without the ``_INVISIBLE`` characters."""
    collapsed = " ".join(text.split())
    if collapsed.isprintable():  # the common case, in C
        return collapsed
    kept = "".join(c for c in collapsed if unicodedata.category(c) not in _INVISIBLE)
    return " ".join(kept.split())


def _neutralise(
    text: object, limit: int, table: Mapping[int, str | None], *, unlink: bool = False
) -> str:
    if limit < 1:
        return ""
    raw = str(text)
    # A generous prefix: escaping never shortens visible text, so later characters cannot
    # fit (a text padded with more invisible characters than that is cut short).
    collapsed = _BROADCAST.sub("@" + _JOINER, _visible(raw[: limit * 8 + 64]))
    if unlink:
        collapsed = _LINKABLE.sub(r"\g<0>" + _JOINER, collapsed)
    if len(collapsed) <= limit:  # the common case, in C
        escaped = collapsed.translate(table)
        if len(escaped) <= limit:
            return escaped
    pieces = [table.get(ord(c), c) or "" for c in collapsed[: limit + 1]]
    total = sum(len(p) for p in pieces)
    if total <= limit and len(collapsed) <= limit:
        return "".join(pieces)
    out: list[str] = []
    used = 0
    for p in pieces:  # whole pieces only: an entity is never cut in half
        if used + len(p) > limit - 1:
            break
        out.append(p)
        used += len(p)
    return "".join(out).rstrip() + _ELLIPSIS


def _clip(text: str, limit: int) -> str:
    """Clip our own (already safe) text; cuts only at an entity boundary."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + _ELLIPSIS


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


# ------------------------------------------------------------------ data


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


# ------------------------------------------------------------------ small builders


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


# ------------------------------------------------------------------ /deal


def deal_blocks(
    advice: Sequence[Advice], facts: DealFacts, *, questions_per_finding: int = 2
) -> list[Block]:
    """``/deal`` with one match: the deal's facts, then each finding with its questions."""
    d = facts.deal
    ids = _Ids()
    per = max(0, min(questions_per_finding, MAX_QUESTIONS))
    blocks = [_header(d.name or "Unnamed deal")]
    who = [escape(x, _NAME_CHARS) for x in (d.account,) if x]
    if facts.owner_name:
        who.append(f"owner {escape(facts.owner_name, _NAME_CHARS)}")
    if who:
        blocks.append(_context([" · ".join(who)]))
    days = _plural(facts.days_open, "day") if facts.days_open is not None else "-"
    last = facts.last_buyer_response.isoformat() if facts.last_buyer_response else "none recorded"
    blocks.append(
        _fields(
            [
                ("Stage", escape(d.stage, 200) or "-"),
                ("Amount", escape(money(d.amount, d.currency), 60)),
                ("Days open", days),
                ("Last buyer response", last),
                ("Next step", escape(facts.next_step, 300) or "none"),
            ],
            ids("dn:facts"),
        )
    )
    if not advice:
        blocks.append(_section("Nothing on this deal looks like it is waiting for the buyer."))
        return blocks
    free = MAX_MESSAGE_BLOCKS - len(blocks)
    room = len(advice) if len(advice) * _ITEM_BLOCKS <= free else (free - 1) // _ITEM_BLOCKS
    for a in advice[:room]:
        f = a.finding
        blocks.append(_divider())
        heading = _summary_line(_title(f.pattern), f.summary)
        blocks += _item_blocks(a, a.questions[:per], EVIDENCE_PER_FINDING, ids, heading)
    if len(advice) > room:
        blocks.append(_more(len(advice) - room, "more pattern", " on this deal not shown"))
    return blocks


def _row(items: Sequence[Advice], owner_names: Mapping[str, str], ids: _Ids) -> Block:
    """One flagged deal on one line, with a Show button."""
    top = items[0].finding
    d = top.deal
    line = _deal_line(d)
    owner = owner_names.get(d.owner_id, "")
    if owner:
        line += f" · {escape(owner, 60)}"
    titles = ", ".join(escape(_title(a.finding.pattern), 60) for a in items[:3])
    if len(items) > 3:
        titles += f" +{len(items) - 3}"
    text = f"{line}\n_{titles}_: {escape(top.summary, 300)}"
    return _section(text, ids(f"dn:row:{deal_hash(d.id)}"), _show_button(d.id))


def _rows(
    groups: Sequence[Sequence[Advice]], owner_names: Mapping[str, str], ids: _Ids, room: int
) -> list[Block]:
    groups = [g for g in groups if g]
    if len(groups) <= room:
        return [_row(g, owner_names, ids) for g in groups]
    shown = [_row(g, owner_names, ids) for g in groups[: room - 1]]
    return [
        *shown,
        _more(len(groups) - (room - 1), "more deal", ": type `/deal &lt;name&gt;` for one"),
    ]


def pick_list_blocks(
    deals: Sequence[Deal], query: str, owner_names: Mapping[str, str]
) -> list[Block]:
    """Several deals match the query: up to 10, each with a Show button."""
    ids = _Ids()
    blocks = [_section(f"Several deals match “{escape(query, 200)}”: pick one.")]
    for d in deals[:PICK_LIST_MAX]:
        text = _deal_line(d)
        owner = owner_names.get(d.owner_id, "")
        if owner:
            text += f" · {escape(owner, 60)}"
        blocks.append(_section(text, ids(f"dn:pick:{deal_hash(d.id)}"), _show_button(d.id)))
    if len(deals) > PICK_LIST_MAX:
        more = len(deals) - PICK_LIST_MAX
        blocks.append(_more(more, "more deal", " match: add more of the name to narrow it"))
    return blocks


def no_match_blocks(query: str, suggestions: Sequence[str]) -> list[Block]:
    """Nothing matched; suggest only the names the caller passed (it decides what to reveal)."""
    text = f"No deal matches “{escape(query, 200)}”."
    shown = [f"*{escape(s, _NAME_CHARS)}*" for s in suggestions[:PICK_LIST_MAX] if s.strip()]
    if shown:
        text += " Did you mean " + ", ".join(shown) + "?"
    return [
        _section(text),
        _context(["Try part of the deal or account name, or `/deal help`."]),
    ]


def alert_blocks(text: str) -> list[Block]:
    """An admin alert: ``text`` is mrkdwn whose CRM and error text went through ``escape``
    (verbatim: a file name or URL in it is shown, not linked, and copies cleanly)."""
    return [_section(text)]


def help_blocks() -> list[Block]:
    """How to use ``/deal`` and the buttons."""
    return [
        _header("How to use /deal"),
        _section(
            "*`/deal &lt;name or account&gt;`*: a deal's facts, what looks stuck, and "
            "facilitation questions to ask the buyer.\n"
            "*`/deal`*: your flagged deals.\n"
            "*`/deal help`*: this help.\n"
            "*`/deal link &lt;deal&gt;`* in a channel: make it the deal's room (its nudges and "
            "button results appear there); *`/deal unlink`* ends that."
        ),
        _section(
            "*Buttons*\n"
            "• *I'll ask this*: note that you will put the question to the buyer.\n"
            "• *Another question*: a different question for the same pattern.\n"
            "• *Snooze*: pause nudges for 1 week, 2 weeks or until a date, with a reason.\n"
            "• *Not accurate*: tell us the flag is wrong; this tunes the checks."
        ),
        _context(
            [
                "The questions are facilitation questions: they help the buyer work through "
                "their own decision (who needs to be involved, budget, what success looks "
                "like), not push for a close."
            ]
        ),
    ]


def flagged_list_blocks(
    items: Sequence[Sequence[Advice]], owner_names: Mapping[str, str]
) -> list[Block]:
    """The caller's flagged deals, one line each with a Show button."""
    groups = [g for g in items if g]
    if not groups:
        return [_section("None of your deals looks like it is waiting for the buyer right now.")]
    ids = _Ids()
    n = len(groups)
    verb = "looks like it is" if n == 1 else "look like they are"
    blocks = [_section(f"*{n} of your deals* {verb} waiting for the buyer, most urgent first.")]
    return blocks + _rows(groups, owner_names, ids, MAX_MESSAGE_BLOCKS - len(blocks))


# ------------------------------------------------------------------ morning nudge


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


# ------------------------------------------------------------------ editing a sent message


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


# ------------------------------------------------------------------ modals


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


# ------------------------------------------------------------------ App Home and channels


def _home(blocks: list[Block]) -> dict[str, Any]:
    return View(type="home", blocks=blocks[:MAX_VIEW_BLOCKS]).to_dict()


HOME_ROWS = 50
_SNOOZE_TEXT = 2800


def home_view_rep(
    rep_name: str,
    items: Sequence[Sequence[Advice]],
    snoozes: Sequence[tuple[str, str, date, str]],
    owner_names: Mapping[str, str],
    coverage_note: str = "",
) -> dict[str, Any]:
    """A rep's Home tab: their flagged deals, then their active snoozes."""
    ids = _Ids()
    groups = [g for g in items if g]
    hi = _greeting("Hi", rep_name)
    blocks = [_header("Deals waiting for the buyer")]
    if groups:
        verb = "looks like it is" if len(groups) == 1 else "look like they are"
        blocks.append(_section(f"{hi}: {len(groups)} of your deals {verb} waiting for the buyer."))
        blocks += _rows(groups, owner_names, ids, HOME_ROWS)
    else:
        blocks.append(_section(f"{hi}: none of your deals looks stuck right now."))
    blocks.append(_divider())
    blocks.append(_section(_snooze_text(snoozes)))
    return _home(blocks + _coverage_context(coverage_note))


def _coverage_context(note: str) -> list[Block]:
    """The one line saying what the export does not let dealnudge check, when it limits."""
    return [_context([escape(note, 300)])] if note else []


def _snooze_text(snoozes: Sequence[tuple[str, str, date, str]]) -> str:
    if not snoozes:
        return "*Snoozed*\nNothing is snoozed."
    lines = ["*Snoozed*"]
    used = len(lines[0])
    for i, (name, pattern, until, reason) in enumerate(snoozes):
        what = "all patterns" if pattern in ("all", "*", "") else _title(pattern)
        line = f"• *{escape(name, _NAME_CHARS)}* · {escape(what, 60)} · until {until.isoformat()}"
        if reason:
            line += f" · {escape(reason, 200)}"
        if used + len(line) + 1 > _SNOOZE_TEXT:
            lines.append(f"…and {_plural(len(snoozes) - i, 'more snooze')}")
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines)


def _share(value: float, total: float) -> str:
    return f"{value / total:.0%}" if total > 0 else "n/a"


def _summary_text(s: TeamSummary, who: str) -> str:
    verb = "looks like it is" if s.flagged == 1 else "look like they are"
    return (
        f"{s.flagged} of {_plural(s.open_deals, 'open deal')} {who}{verb} waiting for the "
        f"buyer: {escape(money(s.value), 40)} ({_share(s.value, s.open_value)} of open "
        "pipeline value)."
    )


def _pattern_fields(by_pattern: Mapping[str, int]) -> list[tuple[str, str]]:
    ranked = sorted(by_pattern.items(), key=lambda kv: (-kv[1], kv[0]))
    pairs = [(escape(_title(code), 100), str(n)) for code, n in ranked]
    if len(pairs) > MAX_FIELDS:
        rest = sum(n for _, n in ranked[MAX_FIELDS - 1 :])
        pairs = [*pairs[: MAX_FIELDS - 1], ("Other patterns", str(rest))]
    return pairs


def home_view_manager(
    manager_name: str,
    summary: TeamSummary,
    top: Sequence[Sequence[Advice]],
    per_rep: Sequence[tuple[str, int, float]],
    owner_names: Mapping[str, str],
    coverage_note: str = "",
) -> dict[str, Any]:
    """A manager's Home tab: team totals, by pattern, top deals at risk, per rep."""
    ids = _Ids()
    blocks = [
        _header("Your team's deals waiting for the buyer"),
        _section(f"{_greeting('Hi', manager_name)}: " + _summary_text(summary, "on your team ")),
    ]
    if summary.by_pattern:
        blocks.append(_fields(_pattern_fields(summary.by_pattern), ids("dn:patterns")))
    groups = [g for g in top if g]
    if groups:
        blocks += [_divider(), _section("*Top deals at risk*")]
        blocks += _rows(groups, owner_names, ids, HOME_ROWS)
    if per_rep:
        lines = ["*Per rep*"]
        for i, (name, n, value) in enumerate(per_rep):
            line = f"• {escape(name, 80)}: {_plural(n, 'deal')}, {escape(money(value), 40)}"
            if sum(len(x) + 1 for x in lines) + len(line) > _SNOOZE_TEXT:
                lines.append(f"…and {_plural(len(per_rep) - i, 'more rep')}")
                break
            lines.append(line)
        blocks += [_divider(), _section("\n".join(lines))]
    return _home(blocks + _coverage_context(coverage_note))


DEAL_MODAL_CALLBACK = "deal_modal"


def deal_modal(blocks: list[Block], title: str = "Deal") -> dict[str, Any]:
    """A deal's message as a modal (opened from App Home, where there is no message)."""
    return View(
        type="modal",
        callback_id=DEAL_MODAL_CALLBACK,
        title=PlainTextObject(text=plain(title, MAX_MODAL_TITLE)),
        close=PlainTextObject(text="Close"),
        blocks=blocks[:MAX_VIEW_BLOCKS],
    ).to_dict()


def notice_modal(message: str) -> dict[str, Any]:
    """A one-line modal: how a button in a view answers when it cannot go ahead."""
    return deal_modal([_section(escape(message, MAX_SECTION_TEXT))], "dealnudge")


def home_view_unknown(message: str) -> dict[str, Any]:
    """A Home tab that only says why there is nothing to show."""
    return _home([_header("dealnudge"), _section(escape(message, MAX_SECTION_TEXT))])


def team_summary_blocks(team_name: str, summary: TeamSummary) -> list[Block]:
    """For a channel: AGGREGATES ONLY (counts, value, share, per pattern), never a deal."""
    blocks = [
        _header(f"{team_name or 'Team'}: deals waiting for the buyer"),
        _section(_summary_text(summary, "")),
    ]
    if summary.by_pattern:
        blocks.append(_fields(_pattern_fields(summary.by_pattern)))
    blocks.append(_context(["Counts only: each rep sees their own deals privately with `/deal`."]))
    return blocks


# ------------------------------------------------------------------ limit checks


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
    if isinstance(action_id, str) and len(action_id) > MAX_ID:
        out.append(f"{where}: action_id is {len(action_id)} chars (limit {MAX_ID})")
    if kind == "button":
        _check_text_obj(el.get("text"), f"{where} button", MAX_BUTTON_TEXT, out)
        value = el.get("value")
        if isinstance(value, str) and len(value) > MAX_BUTTON_VALUE:
            out.append(f"{where}: button value is {len(value)} chars (limit {MAX_BUTTON_VALUE})")
        url = el.get("url")
        if isinstance(url, str) and len(url) > MAX_URL:
            out.append(f"{where}: button url is {len(url)} chars (limit {MAX_URL})")
    if "placeholder" in el:
        _check_text_obj(el["placeholder"], f"{where} placeholder", MAX_PLACEHOLDER, out)
    if kind in _OPTION_LIMITS:
        options = el.get("options") or []
        cap = _OPTION_LIMITS[str(kind)]
        if len(options) > cap:
            out.append(f"{where}: {len(options)} options (limit {cap})")
        for j, opt in enumerate(options):
            _check_text_obj(
                opt.get("text") if isinstance(opt, Mapping) else None,
                f"{where} option {j}",
                MAX_OPTION_TEXT,
                out,
            )
            value = opt.get("value") if isinstance(opt, Mapping) else None
            if not isinstance(value, str) or len(value) > MAX_OPTION_VALUE:
                out.append(f"{where} option {j}: value missing or over {MAX_OPTION_VALUE} chars")
    if kind == "datepicker" and "initial_date" in el:
        try:
            date.fromisoformat(str(el["initial_date"]))
        except ValueError:
            out.append(f"{where}: initial_date is not YYYY-MM-DD")
    if kind == "plain_text_input":
        most = el.get("max_length")
        if isinstance(most, int) and not 1 <= most <= MAX_SECTION_TEXT:
            out.append(f"{where}: max_length {most} outside 1..{MAX_SECTION_TEXT}")


def _check_block(b: Any, where: str, out: list[str]) -> None:
    kind = b.get("type")
    if kind == "section":
        text, fields = b.get("text"), b.get("fields")
        if text is None and not fields:
            out.append(f"{where}: a section needs text or fields")
        if text is not None:
            _check_text_obj(text, where, MAX_SECTION_TEXT, out)
        if fields is not None:
            if len(fields) > MAX_FIELDS:
                out.append(f"{where}: {len(fields)} fields (limit {MAX_FIELDS})")
            for j, field in enumerate(fields):
                _check_text_obj(field, f"{where} field {j}", MAX_FIELD_TEXT, out)
        if b.get("accessory") is not None:
            _check_element(b["accessory"], f"{where} accessory", out)
    elif kind == "header":
        _check_text_obj(b.get("text"), where, MAX_HEADER, out)
    elif kind == "context":
        elements = b.get("elements") or []
        if not elements:
            out.append(f"{where}: a context block needs elements")
        if len(elements) > MAX_CONTEXT_ELEMENTS:
            out.append(f"{where}: {len(elements)} elements (limit {MAX_CONTEXT_ELEMENTS})")
        for j, el in enumerate(elements):
            if isinstance(el, Mapping) and el.get("type") in ("mrkdwn", "plain_text"):
                _check_text_obj(el, f"{where} element {j}", MAX_TEXT_OBJECT, out)
    elif kind == "actions":
        elements = b.get("elements") or []
        if not elements:
            out.append(f"{where}: an actions block needs elements")
        if len(elements) > MAX_ACTIONS_ELEMENTS:
            out.append(f"{where}: {len(elements)} elements (limit {MAX_ACTIONS_ELEMENTS})")
        seen: set[str] = set()
        for j, el in enumerate(elements):
            _check_element(el, f"{where} element {j}", out)
            aid = el.get("action_id") if isinstance(el, Mapping) else None
            if isinstance(aid, str):
                if aid in seen:
                    out.append(f"{where}: action_id {aid[:40]!r} repeats within the block")
                seen.add(aid)
    elif kind == "input":
        _check_text_obj(b.get("label"), f"{where} label", MAX_LABEL, out)
        if b.get("hint") is not None:
            _check_text_obj(b["hint"], f"{where} hint", MAX_LABEL, out)
        _check_element(b.get("element"), f"{where} element", out)


def check_limits(blocks: Sequence[Block], *, surface: str = "message") -> list[str]:
    """Every Block Kit limit these blocks break on ``surface`` (message, modal or home)."""
    if surface not in ("message", "modal", "home"):
        raise ValueError(f"unknown surface {surface!r}")
    out: list[str] = []
    cap = MAX_MESSAGE_BLOCKS if surface == "message" else MAX_VIEW_BLOCKS
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
            elif len(bid) > MAX_ID:
                out.append(f"{where}: block_id is {len(bid)} chars (limit {MAX_ID})")
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
        _check_text_obj(view.get("title"), "modal title", MAX_MODAL_TITLE, out)
    for key in ("submit", "close"):
        if view.get(key) is not None:
            _check_text_obj(view[key], f"modal {key}", MAX_MODAL_TITLE, out)
    meta = view.get("private_metadata")
    if isinstance(meta, str) and len(meta) > MAX_PRIVATE_METADATA:
        out.append(f"private_metadata is {len(meta)} chars (limit {MAX_PRIVATE_METADATA})")
    callback = view.get("callback_id")
    if isinstance(callback, str) and len(callback) > MAX_ID:
        out.append(f"callback_id is {len(callback)} chars (limit {MAX_ID})")
    return out + check_limits(view.get("blocks") or [], surface=str(kind))


def check_text(text: str) -> list[str]:
    """Limits on a message's fallback ``text`` (non-empty, at most 3000 chars here)."""
    if not text.strip():
        return ["message text is empty"]
    if len(text) > MAX_FALLBACK_TEXT:
        return [f"message text is {len(text)} chars (limit {MAX_FALLBACK_TEXT})"]
    return []
