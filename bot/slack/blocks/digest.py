"""The manager digest as Block Kit, and as plain text (fallback and ``--dry-run``).

Pure functions of a ``bot.analysis.digest.Digest``. CRM text (deal, account, stage, rep names,
finding summaries) goes through ``escape`` (mrkdwn), ``plain`` (plain text) or
``fallback_text`` (the message's top-level text) before it is placed; team names and
reasons too. Every message stays within Slack's limits however many reps or patterns
there are: long lists end with "…and N more".

``aggregate_only`` is the channel variant: counts, values and shares per pattern and per
rep, never a deal's name or details.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.analysis.digest import AdjustmentLine, Digest, Engagement, PatternLine, RepRow
from bot.reports.format import money
from bot.slack.blocks.escape import Escaper, _clip, escape, fallback_text
from bot.slack.blocks.limits import (
    MAX_FALLBACK_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    MAX_URL,
    Block,
)
from bot.slack.blocks.parts import _context, _divider, _fields, _header, _plural, _section

__all__ = ["digest_blocks", "digest_text"]

REP_ROWS = 40  # rows of the per-rep table in Slack (the rest are summed in "…and N more")
REP_ROWS_TEXT = 15  # rows in the fallback text
ADJUSTMENTS_SHOWN = 8
OUTCOMES_SHOWN = 8
QUESTIONS_SHOWN = 3
_NAME = 120
_OWNER = 60
_REP_COL = 20  # the rep column of the table, in characters
_SECTION_ROOM = MAX_SECTION_TEXT - 100  # headroom for a closing "…and N more" line
_MAX_ALT_TEXT = 2000
_CURRENCY = re.compile(r"[A-Z]{3}")


# ------------------------------------------------------------------ shared wording


def _money(d: Digest, value: float) -> str:
    """A total in the scope's currency; a currency that is not a plain code is left out, so
    the result is digits and symbols only (safe unescaped in mrkdwn and plain text)."""
    code = d.currency if _CURRENCY.fullmatch(d.currency) else ""
    return money(value, code)


def _pct(share: float | None) -> str:
    return f"{share:.0%}" if share is not None else "n/a"


def _trend(change: int | None) -> str:
    """▲ more deals than last time (worse), ▼ fewer, = the same; "" with no previous."""
    if change is None:
        return ""
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return "="


def _period(d: Digest) -> str:
    return f"since {d.since.isoformat()}" if d.since else "to date"


def _headline(d: Digest) -> str:
    """One sentence, our own words only (safe as mrkdwn and as plain text)."""
    if not d.open_deals and not d.flagged_deals:
        return "No open deals to look at."
    verb = "looks like it is" if d.flagged_deals == 1 else "look like they are"
    text = (
        f"{d.flagged_deals} of {_plural(d.open_deals, 'open deal')} ({_pct(d.count_share)}) "
        f"{verb} waiting for the buyer: {_money(d, d.flagged_value)}, "
        f"{_pct(d.value_share)} of open pipeline value."
    )
    trend = _trend(d.flagged_change)
    if trend:
        text += f" Last digest: {d.previous_flagged} ({trend})."
    return text


def _pattern_line(d: Digest, p: PatternLine) -> str:
    """Title: N deals, value, trend (our own words: pattern titles are code)."""
    line = f"{p.title}: {_plural(p.deals, 'deal')}, {_money(d, p.value)}"
    trend = _trend(p.change)
    return f"{line} {trend}" if trend else line


def _engagement_pairs(e: Engagement) -> list[tuple[str, str]]:
    return [
        ("Nudged (deal + pattern)", str(e.nudged)),
        ("I'll ask this", str(e.asked)),
        ("Another question", str(e.another)),
        ("Snoozed", str(e.snoozed)),
        ("Not accurate", str(e.not_accurate)),
        ("No response", str(e.ignored)),
    ]


def _threshold(a: AdjustmentLine) -> str:
    return f"{a.param} {_num(a.old)} → {_num(a.new)}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# ------------------------------------------------------------------ Block Kit


def _packed(title: str, lines: Sequence[str], more: str, room: int = _SECTION_ROOM) -> str:
    """``title`` and as many whole lines as fit in one section, then "…and N more"."""
    out = [title]
    used = len(title)
    for i, line in enumerate(lines):
        if used + 1 + len(line) > room:
            out.append(f"…and {_plural(len(lines) - i, more)}")
            break
        out.append(line)
        used += 1 + len(line)
    return "\n".join(out)


def _image(url: str, alt: str) -> Block | None:
    if not url or len(url) > MAX_URL or urlsplit(url).scheme != "https":
        return None
    alt = _clip(alt, _MAX_ALT_TEXT)
    if urlsplit(url).hostname == "files.slack.com":  # a private Slack file, not a public URL
        return {"type": "image", "slack_file": {"url": url}, "alt_text": alt}
    return {"type": "image", "image_url": url, "alt_text": alt}


def _chart_alt(d: Digest) -> str:
    parts = [f"{p.title} {p.deals}" for p in d.patterns if p.deals]
    return "Flagged deals and value per pattern: " + (", ".join(parts) or "none")


def _top_lines(d: Digest) -> list[str]:
    lines = []
    for i, t in enumerate(d.top, 1):
        head = f"{i}. *{escape(t.name or 'Unnamed deal', _NAME)}*"
        if t.account:
            head += f" ({escape(t.account, _NAME)})"
        facts = [escape(t.stage, 60), escape(money(t.amount, t.currency), 40)]
        head += " · " + ", ".join(x for x in facts if x) + f" · {escape(t.owner_name, _OWNER)}"
        titles = ", ".join(_pattern_titles(d, t.patterns[:3]))
        if len(t.patterns) > 3:
            titles += f" +{len(t.patterns) - 3}"
        lines.append(f"{head}\n      _{titles}_: {escape(t.summary, 240)}")
    return lines


def _pattern_titles(d: Digest, codes: Sequence[str]) -> list[str]:
    titles = {p.code: p.title for p in d.patterns}
    return [escape(titles.get(c, c), 60) for c in codes]


def _rep_table(reps: Sequence[RepRow], d: Digest) -> list[str]:
    """The per-rep table as preformatted lines (CRM names escaped, padded by display width)."""
    counts = "".join(f" {label:>4}" for label in ("Ask", "Snz", "N/A", "Ign"))
    head = f"{'Rep':<{_REP_COL}} {'Flagged':>7} {'Value':>11}{counts}"
    lines = [head]
    for r in reps:
        name = " ".join(r.name.split()) or r.owner_id
        if len(name) > _REP_COL:
            name = name[: _REP_COL - 1] + "…"
        pad = " " * (_REP_COL - len(name))
        e = r.engagement
        lines.append(
            f"{escape(name, 200)}{pad} {r.flagged:>7} {_money(d, r.value):>11} "
            f"{e.asked:>4} {e.snoozed:>4} {e.not_accurate:>4} {e.ignored:>4}"
        )
    return lines


def _rep_blocks(d: Digest, budget: int) -> list[Block]:
    """The per-rep table: code-block sections of whole rows; the rest summed in a note."""
    if not d.reps or budget < 2:
        return []
    rows = _rep_table(d.reps[:REP_ROWS], d)
    head, body = rows[0], rows[1:]
    room = MAX_SECTION_TEXT - len(_REP_TITLE) - len(head) - 16  # title, fences, newlines
    most = budget - 1  # one block stays free for the "…and N more" note
    chunks: list[list[str]] = [[]]
    used = 0
    for row in body:
        if chunks[-1] and used + len(row) + 1 > room:
            if len(chunks) >= most:
                break
            chunks.append([])
            used = 0
        chunks[-1].append(row)
        used += len(row) + 1
    blocks = [_code_section(head, rows, first=i == 0) for i, rows in enumerate(chunks)]
    rest = d.reps[sum(len(c) for c in chunks) :]
    if rest:
        value = sum(r.value for r in rest)
        flagged = sum(r.flagged for r in rest)
        more = f"…and {_plural(len(rest), 'more rep')}: {_plural(flagged, 'flagged deal')}, "
        blocks.append(_context([more + _money(d, value)]))
    return blocks


_REP_TITLE = (
    "*Per rep* (Ask: I'll ask this · Snz: snoozed · N/A: not accurate · Ign: no response)\n"
)


def _code_section(head: str, rows: Sequence[str], *, first: bool) -> Block:
    body = "```\n" + "\n".join([head, *rows]) + "\n```"
    return _section((_REP_TITLE if first else "") + body)


def _adjustment_lines(d: Digest) -> list[str]:
    lines = []
    for a in d.adjustments[:ADJUSTMENTS_SHOWN]:
        who = f"team {escape(a.team, 60)}" if a.team else "everyone"
        line = f"• {escape(a.title, 60)} ({who}): {escape(_threshold(a), 120)}"
        if a.reason:
            line += f"\n      _{escape(a.reason, 300)}_"
        lines.append(line)
    return lines


def _outcome_lines(d: Digest, aggregate_only: bool) -> list[str]:
    lines = []
    if not aggregate_only:
        for o in d.outcomes[:OUTCOMES_SHOWN]:
            days = (o.moved_on - o.asked_on).days
            line = (
                f"• *{escape(o.name or 'Unnamed deal', _NAME)}* ({escape(o.owner_name, _OWNER)}, "
                f"{escape(money(o.amount, o.currency), 40)}) moved on "
                f"{o.moved_on.isoformat()}, {_plural(days, 'day')} after choosing to ask"
            )
            if o.question:
                line += f": “{escape(o.question, 300)}”"
            lines.append(line)
        if len(d.outcomes) > OUTCOMES_SHOWN:
            lines.append(f"…and {_plural(len(d.outcomes) - OUTCOMES_SHOWN, 'more deal')}")
    elif d.questions_that_worked:
        lines.append("Questions that preceded movement:")
        for q in d.questions_that_worked[:QUESTIONS_SHOWN]:
            text = escape(q.question or q.question_id, 300)
            lines.append(f"• “{text}” ({_plural(q.deals, 'deal')})")
    return lines


def digest_blocks(
    d: Digest,
    chart_url: str | None = None,
    *,
    aggregate_only: bool = False,
    per_rep: bool = True,
) -> list[Block]:
    """The digest message. ``aggregate_only`` (channels) leaves out every deal's name and
    details; ``per_rep`` False leaves out the per-rep table too. ``chart_url`` is the
    uploaded chart (a public https URL, or a files.slack.com URL); None for no image."""
    who = d.manager_name.strip()
    title = f"{who}: deals waiting for the buyer" if who else "Deals waiting for the buyer"
    blocks: list[Block] = [_header(title)]
    blocks.append(_section(f"{_headline(d)}\nAs of {d.as_of.isoformat()}."))
    blocks.append(
        _fields(
            [
                ("Waiting for the buyer", f"{_plural(d.flagged_deals, 'deal')}"),
                ("Value", escape(_money(d, d.flagged_value), 40)),
                ("Share of open value", _pct(d.value_share)),
                ("Share of open deals", _pct(d.count_share)),
                ("Open pipeline", f"{_plural(d.open_deals, 'deal')}, {_money(d, d.open_value)}"),
                ("Snoozed by reps", _plural(d.snoozed_deals, "deal")),
            ]
        )
    )
    image = _image(chart_url or "", _chart_alt(d))
    if image is not None and any(p.deals for p in d.patterns):
        blocks.append(image)

    lines = [f"• {escape(_pattern_line(d, p), 300)}" for p in d.patterns if p.deals or p.previous]
    if lines:
        title_line = "*By pattern*" + ("" if d.has_previous else " (first digest: no trend yet)")
        if d.has_previous:
            title_line += " (▲ more deals than last digest, ▼ fewer)"
        blocks += [_divider(), _section(_packed(title_line, lines, "more pattern"))]

    if not aggregate_only and d.top:
        top = _packed("*Top deals at risk*", _top_lines(d), "more deal")
        blocks += [_divider(), _section(top)]

    tail: list[Block] = [_divider(), _section(f"*Nudge engagement {_period(d)}*")]
    tail.append(_fields(_engagement_pairs(d.engagement)))
    if d.adjustments:
        text = _packed(
            "*Thresholds tuned from “not accurate” feedback*",
            _adjustment_lines(d),
            "more adjustment",
        )
        if len(d.adjustments) > ADJUSTMENTS_SHOWN:
            text += f"\n…and {_plural(len(d.adjustments) - ADJUSTMENTS_SHOWN, 'more')}"
        tail += [_divider(), _section(text)]
    n = len(d.outcomes)
    moved = (
        f"*Moved forward {_period(d)}*: {_plural(n, 'deal')} advanced (stage or a buyer "
        "meeting) within 14 days after the rep chose “I'll ask this”."
    )
    tail += [_divider(), _section(_packed(moved, _outcome_lines(d, aggregate_only), "more"))]
    note = (
        "No deal details here: each rep sees their own deals privately with `/deal`."
        if aggregate_only
        else f"Findings as of {d.as_of.isoformat()}. Type `/deal &lt;name&gt;` for one deal."
    )
    tail.append(_context([note, *([escape(d.coverage_note, 300)] if d.coverage_note else [])]))

    if per_rep and d.reps:
        budget = MAX_MESSAGE_BLOCKS - len(blocks) - len(tail) - 1
        reps = _rep_blocks(d, budget)
        if reps:
            blocks += [_divider(), *reps]
    return (blocks + tail)[:MAX_MESSAGE_BLOCKS]


# ------------------------------------------------------------------ plain text


def digest_text(
    d: Digest,
    *,
    aggregate_only: bool = False,
    per_rep: bool = True,
    max_reps: int | None = REP_ROWS_TEXT,
    limit: int | None = MAX_FALLBACK_TEXT,
    clean: Escaper = fallback_text,
) -> str:
    """The digest as readable text: the message's notification fallback (defaults), or
    everything (``max_reps=None, limit=None, clean=plain``) for ``dealnudge digest
    --dry-run``.

    CRM text goes through ``clean``: ``fallback_text`` (entities and look-alikes, nothing
    linked) for Slack, where this is the message's top-level mrkdwn ``text``; ``plain``
    (look-alikes for ``<>*_~``) reads well in a terminal."""
    who = d.manager_name.strip()
    lines = [
        clean(f"{who}: deals waiting for the buyer" if who else "Deals waiting for the buyer", 200),
        _headline(d) + f" As of {d.as_of.isoformat()}.",
    ]
    if d.snoozed_deals:
        lines.append(f"Snoozed by reps: {_plural(d.snoozed_deals, 'deal')}.")
    shown = [p for p in d.patterns if p.deals or p.previous]
    if shown:
        lines += ["", "By pattern" + ("" if d.has_previous else " (first digest: no trend yet)")]
        lines += [f"  - {clean(_pattern_line(d, p), 300)}" for p in shown]
    if not aggregate_only and d.top:
        lines += ["", "Top deals at risk"]
        for i, t in enumerate(d.top, 1):
            name = clean(t.name or "Unnamed deal", _NAME)
            if t.account:
                name += f" ({clean(t.account, _NAME)})"
            titles = ", ".join(clean(c, 60) for c in _titles(d, t.patterns))
            lines.append(
                f"  {i}. {name} - {clean(t.stage, 60)}, {clean(money(t.amount, t.currency), 40)}, "
                f"{clean(t.owner_name, _OWNER)}: {titles}"
            )
    if per_rep and d.reps:
        reps = d.reps if max_reps is None else d.reps[:max_reps]
        lines += [
            "",
            "Per rep (flagged deals, value; asked / snoozed / not accurate / no response)",
        ]
        for r in reps:
            e = r.engagement
            lines.append(
                f"  - {clean(r.name or r.owner_id, 80)}: {_plural(r.flagged, 'deal')}, "
                f"{_money(d, r.value)}; {e.asked} / {e.snoozed} / {e.not_accurate} / {e.ignored}"
            )
        if len(reps) < len(d.reps):
            lines.append(f"  …and {_plural(len(d.reps) - len(reps), 'more rep')}")
    e = d.engagement
    lines += [
        "",
        f"Nudge engagement {_period(d)}: "
        + ", ".join(f"{label} {n}" for label, n in _engagement_pairs(e)),
    ]
    if d.adjustments:
        lines += ["", "Thresholds tuned from “not accurate” feedback"]
        for a in d.adjustments[:ADJUSTMENTS_SHOWN]:
            team = f"team {clean(a.team, 60)}" if a.team else "everyone"
            lines.append(f"  - {a.title} ({team}): {clean(_threshold(a), 120)}")
            if a.reason:
                lines.append(f"    {clean(a.reason, 300)}")
    lines += [
        "",
        f"Moved forward {_period(d)}: {_plural(len(d.outcomes), 'deal')} within 14 days "
        "after the rep chose “I'll ask this”.",
    ]
    if not aggregate_only:
        for o in d.outcomes[:OUTCOMES_SHOWN]:
            lines.append(
                f"  - {clean(o.name or 'Unnamed deal', _NAME)} ({clean(o.owner_name, _OWNER)}) "
                f"on {o.moved_on.isoformat()}: {clean(o.question or o.question_id, 300)}"
            )
    else:
        for q in d.questions_that_worked[:QUESTIONS_SHOWN]:
            lines.append(f"  - {clean(q.question or q.question_id, 300)} ({q.deals})")
    text = "\n".join(lines)
    return text if limit is None else _clip(text, limit)


def _titles(d: Digest, codes: Sequence[str]) -> list[str]:
    titles = {p.code: p.title for p in d.patterns}
    return [titles.get(c, c) for c in codes]
