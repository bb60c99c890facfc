"""App Home (rep, manager, unknown user), the deal modal and team summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.analysis.analyse import Advice
from bot.reports.format import money
from bot.slack.blocks.deal import _rows
from bot.slack.blocks.escape import escape, plain
from bot.slack.blocks.limits import (
    MAX_FIELDS,
    MAX_MODAL_TITLE,
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
    Block,
)
from bot.slack.blocks.parts import (
    _NAME_CHARS,
    TeamSummary,
    _context,
    _divider,
    _fields,
    _greeting,
    _header,
    _Ids,
    _plural,
    _section,
    _title,
)


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
