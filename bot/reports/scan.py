"""Rendering a findings snapshot for ``dealnudge scan``: a table for people, JSON for tools."""

from __future__ import annotations

import shutil
import textwrap
from typing import Any

from bot.analysis.analyse import Advice, Snapshot, owner_label
from bot.ingest.coverage import coverage_lines
from bot.reports.format import money
from rules.base import clip_words
from rules.model import Deal, Pipeline


def owner_matches(pipeline: Pipeline, deal: Deal, wanted: str) -> bool:
    owner = pipeline.owner_index.get(deal.owner_id)
    w = wanted.strip().lower()
    keys = {deal.owner_id.lower()}
    if owner:
        keys |= {owner.email.lower(), owner.name.lower()}
    return w in keys


def scan_json(snap: Snapshot, owner: str | None = None, top: int | None = None) -> dict[str, Any]:
    p, r = snap.pipeline, snap.load.report
    findings = []
    deals = [c.deal.id for c in snap.cards.values() if not owner or owner_matches(p, c.deal, owner)]
    keep = set(deals[:top] if top else deals)
    for a in snap.advice:
        d = a.finding.deal
        if d.id not in keep:
            continue
        findings.append(
            {
                "deal_id": d.id,
                "deal_name": d.name,
                "account": d.account,
                "owner": owner_label(p, d),
                "owner_id": d.owner_id,
                "stage": d.stage,
                "amount": d.amount,
                "currency": d.currency,
                "pattern": a.finding.pattern,
                "severity": a.finding.severity,
                "summary": a.finding.summary,
                "evidence": [e.as_dict() for e in a.finding.evidence],
                "questions": [text for _, text in a.questions],
                "question_ids": [q.id for q, _ in a.questions],
            }
        )
    return {
        "as_of": snap.as_of.isoformat(),
        "deals_read": len(p.deals),
        "open_deals": sum(1 for d in p.deals if d.is_open),
        "activities_read": p.activity_count,
        "rejected": r.count("rejected"),
        "unlinked": r.count("unlinked"),
        "flagged_deals": len({f["deal_id"] for f in findings}),
        "coverage": [c.as_dict() for c in coverage_lines(p, r)],
        "findings": findings,
    }


WIDE = 100  # from this terminal width on, long text wraps instead of being cut
MIN_TEXT = 40  # the summary column needs this much room, else deals are stacked


def scan_text(
    snap: Snapshot, owner: str | None = None, width: int | None = None, top: int | None = None
) -> str:
    """The findings, fitted to ``width`` columns (default: the terminal's, or $COLUMNS).

    Wide terminals get a table; narrower ones one deal per block of lines. From 100 columns
    on, summaries and questions wrap at word boundaries; narrower, they are cut at one.
    ``top``: only the N most urgent deals."""
    cols = width or shutil.get_terminal_size((120, 24)).columns
    p = snap.pipeline
    groups = [c.advice for c in snap.cards.values() if not owner or owner_matches(p, c.deal, owner)]
    shown = groups[:top] if top else groups
    rows = [
        (
            _cut(g[0].finding.deal.name, 34),
            _cut(owner_label(p, g[0].finding.deal), 18),
            money(g[0].finding.deal.amount, g[0].finding.deal.currency),
            _patterns(g, 2),
        )
        for g in shown
    ]
    head = ("deal", "owner", "amount", "patterns")
    widths = [max([len(head[i])] + [len(r[i]) for r in rows]) for i in range(4)]
    left = sum(widths) + 2 * 4
    table = cols - left >= MIN_TEXT
    room = cols - left if table else cols - 4
    lines = [_line(head, widths) + "summary / first question"] if table else []
    for g, row in zip(shown, rows, strict=True):
        advice = g[0]
        question = advice.questions[0][1] if advice.questions else ""
        text: list[str] = []
        for t in (advice.finding.summary, f'ask: "{question}"'):
            if cols >= WIDE:
                text += textwrap.wrap(" ".join(t.split()), room) or [""]
            else:
                text.append(clip_words(t, room))
        if table:
            lines.append(_line(row, widths) + text[0])
            lines += [" " * left + t for t in text[1:]]
        else:
            lines.append(clip_words(" · ".join(c for c in row if c and c != "-"), cols))
            lines += ["    " + t for t in text]
    lines.append("")
    lines += textwrap.wrap(_totals(snap, groups, owner, len(shown)), cols)
    return "\n".join(line.rstrip() for line in lines)


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    return "".join(
        (c.rjust(widths[i]) if i == 2 else c.ljust(widths[i])) + "  " for i, c in enumerate(cells)
    )


def _totals(snap: Snapshot, groups: list[tuple[Advice, ...]], owner: str | None, shown: int) -> str:
    """The closing line; value at risk counts only known amounts and says so (never
    "$0 at risk" for deals that have no amount)."""
    p = snap.pipeline
    flagged = [g[0].finding.deal for g in groups]
    open_deals = [d for d in p.deals if d.is_open and (not owner or owner_matches(p, d, owner))]
    known = [d for d in flagged if d.amount is not None]
    if not known and flagged:
        value = "value unknown (no amounts in the export)"
    else:
        value = f"{money(sum(d.amount or 0.0 for d in known))} at risk"
        open_value = sum(d.amount or 0.0 for d in open_deals)
        if open_value:
            value += (
                f" ({sum(d.amount or 0.0 for d in known) / open_value:.0%} of open pipeline value)"
            )
        if len(known) < len(flagged):
            value += f", {len(flagged) - len(known)} flagged deals with no amount"
    more = f" (showing the top {shown}; --top to change)" if shown < len(flagged) else ""
    return (
        f"As of {snap.as_of.isoformat()}: {len(flagged)} of {len(open_deals)} open deals "
        f"flagged{more}, {value}; read {len(p.deals)} deals and {p.activity_count} "
        f"activities, {snap.load.report.count('rejected')} rows rejected."
    )


def _patterns(items: tuple[Advice, ...], shown: int = 2) -> str:
    codes = [a.finding.pattern for a in items]
    more = f" +{len(codes) - shown}" if len(codes) > shown else ""
    return ", ".join(codes[:shown]) + more


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
