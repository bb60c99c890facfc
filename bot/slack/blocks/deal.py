"""``/deal``: a deal's facts and findings, the pick list, help, alerts and no-match."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.analysis.analyse import Advice, DealFacts
from bot.reports.format import money
from bot.slack.blocks.escape import escape
from bot.slack.blocks.limits import MAX_MESSAGE_BLOCKS, MAX_QUESTIONS, Block
from bot.slack.blocks.parts import (
    _ITEM_BLOCKS,
    _NAME_CHARS,
    EVIDENCE_PER_FINDING,
    PICK_LIST_MAX,
    _context,
    _deal_line,
    _divider,
    _fields,
    _header,
    _Ids,
    _item_blocks,
    _more,
    _plural,
    _section,
    _show_button,
    _summary_line,
    _title,
)
from bot.slack.blocks.values import deal_hash
from rules.model import Deal


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
