"""Rendering a findings snapshot for ``dealnudge scan``: a table for people, JSON for tools."""

from __future__ import annotations

from typing import Any

from bot.analysis import Advice, Snapshot
from bot.crm.coverage import coverage_lines
from rules.model import Deal, Pipeline


def owner_label(pipeline: Pipeline, deal: Deal) -> str:
    return pipeline.owner_labels.get(deal.owner_id, deal.owner_id)


def owner_matches(pipeline: Pipeline, deal: Deal, wanted: str) -> bool:
    owner = pipeline.owner_index.get(deal.owner_id)
    w = wanted.strip().lower()
    keys = {deal.owner_id.lower()}
    if owner:
        keys |= {owner.email.lower(), owner.name.lower()}
    return w in keys


def money(amount: float | None, currency: str = "") -> str:
    if amount is None:
        return "-"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "": "$"}.get(currency, f"{currency} ")
    return f"{symbol}{amount:,.0f}"


def scan_json(snap: Snapshot, owner: str | None = None) -> dict[str, Any]:
    p, r = snap.pipeline, snap.load.report
    findings = []
    for a in snap.advice:
        d = a.finding.deal
        if owner and not owner_matches(p, d, owner):
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
        "activities_read": len(p.activities),
        "rejected": r.count("rejected"),
        "unlinked": r.count("unlinked"),
        "flagged_deals": len({f["deal_id"] for f in findings}),
        "coverage": [c.as_dict() for c in coverage_lines(p, r)],
        "findings": findings,
    }


def scan_text(snap: Snapshot, owner: str | None = None, width: int = 60) -> str:
    p = snap.pipeline
    rows = [("deal", "owner", "amount", "patterns", "summary / first question")]
    total_value = 0.0
    deals = 0
    for items in snap.by_deal.values():
        d = items[0].finding.deal
        if owner and not owner_matches(p, d, owner):
            continue
        deals += 1
        total_value += d.amount or 0.0
        top = items[0]
        question = top.questions[0][1] if top.questions else ""
        rows.append(
            (
                _cut(d.name, 34),
                _cut(owner_label(p, d), 18),
                money(d.amount, d.currency),
                _patterns(items),
                _cut(top.finding.summary, width),
            )
        )
        rows.append(("", "", "", "", _cut(f'ask: "{question}"', width)))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [
        "  ".join(
            c.rjust(widths[i]) if i == 2 else c.ljust(widths[i]) for i, c in enumerate(r)
        ).rstrip()
        for r in rows
    ]
    open_deals = [d for d in p.deals if d.is_open and (not owner or owner_matches(p, d, owner))]
    open_value = sum(d.amount or 0.0 for d in open_deals)
    share = f" ({total_value / open_value:.0%} of open pipeline value)" if open_value else ""
    lines.append("")
    lines.append(
        f"As of {snap.as_of.isoformat()}: {deals} of {len(open_deals)} open deals flagged, "
        f"{money(total_value)} at risk{share}; read {len(p.deals)} deals and "
        f"{len(p.activities)} activities, {snap.load.report.count('rejected')} rows rejected."
    )
    return "\n".join(lines)


def _patterns(items: tuple[Advice, ...], shown: int = 2) -> str:
    codes = [a.finding.pattern for a in items]
    more = f" +{len(codes) - shown}" if len(codes) > shown else ""
    return ", ".join(codes[:shown]) + more


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
