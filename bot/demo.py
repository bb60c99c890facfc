"""``dealnudge demo``: the whole flow on the bundled Northwind Analytics export, no Slack."""

from __future__ import annotations

from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path

from bot.analysis import Snapshot, analyse, read_config
from bot.crm.loader import load_export
from bot.scanreport import money, owner_label, scan_text

DEMO_AS_OF = date(2026, 11, 2)
NUDGE_DEALS = 3


def demo_export_dir() -> Path:
    return Path(str(resources.files("bot").joinpath("demo_data")))


def run_demo() -> int:
    load = load_export([demo_export_dir()])
    snap = analyse(load, read_config(None), DEMO_AS_OF)
    r = load.report
    print(f"dealnudge demo: Northwind Analytics sample export, as of {DEMO_AS_OF.isoformat()}")
    print(
        f"Read {sum(f.rows for f in r.files)} rows from {len(r.files)} files: "
        f"{len(load.pipeline.deals)} deals, {len(load.pipeline.activities)} activities; "
        f"{r.count('rejected')} rejected, {r.count('unlinked')} unlinked "
        "(dealnudge check shows which and why)."
    )
    print()
    print(scan_text(snap))
    rep = _busiest_rep(snap)
    if rep:
        print()
        print(nudge_preview(snap, rep))
        owner = snap.pipeline.owner_index.get(rep)
        manager = owner.manager_id if owner else ""
        if manager:
            print()
            print(digest_preview(snap, manager))
    return 0


def _busiest_rep(snap: Snapshot) -> str:
    counts = Counter(items[0].finding.deal.owner_id for items in snap.by_deal.values())
    return counts.most_common(1)[0][0] if counts else ""


def nudge_preview(snap: Snapshot, owner_id: str) -> str:
    """What the rep's morning DM would say (plain text; Slack renders the same content)."""
    p = snap.pipeline
    owner = p.owner_index.get(owner_id)
    first = owner.name.split()[0] if owner and owner.name else "there"
    deals = [items for items in snap.by_deal.values() if items[0].finding.deal.owner_id == owner_id]
    shown = min(len(deals), NUDGE_DEALS)
    lines = [
        f"--- Morning nudge for {owner.name if owner else owner_id} (Slack DM) ---",
        f"Good morning {first}: {len(deals)} of your deals look like they are waiting "
        f"for the buyer. Here are the {shown} that matter most.",
    ]
    for items in deals[:NUDGE_DEALS]:
        top = items[0]
        d = top.finding.deal
        lines.append("")
        lines.append(f"* {d.name} ({d.account}) - {d.stage}, {money(d.amount, d.currency)}")
        lines.append(f"  {top.finding.summary}")
        for e in top.finding.evidence[:2]:
            when = e.date.isoformat() if e.date else "now"
            lines.append(f"    - {when}: {e.text[:110]}")
        if top.questions:
            lines.append(f'  A question to ask: "{top.questions[0][1]}"')
        lines.append("  [I'll ask this] [Another question] [Snooze] [Not accurate]")
    return "\n".join(lines)


def digest_preview(snap: Snapshot, manager_id: str) -> str:
    """What the manager's weekly digest would say, for their direct reports."""
    p = snap.pipeline
    manager = p.owner_index.get(manager_id)
    team = {o.id for o in p.owners if o.manager_id == manager_id}
    open_deals = [d for d in p.deals if d.is_open and d.owner_id in team]
    flagged = [items for items in snap.by_deal.values() if items[0].finding.deal.owner_id in team]
    value = sum(items[0].finding.deal.amount or 0 for items in flagged)
    open_value = sum(d.amount or 0 for d in open_deals) or 1.0
    lines = [f"--- Weekly digest for {manager.name if manager else manager_id} ---",
             f"{len(flagged)} of {len(open_deals)} open deals are hanging around: "
             f"{money(value)} ({value / open_value:.0%} of the team's open pipeline)."]  # fmt: skip
    patterns = Counter(a.finding.pattern for items in flagged for a in items)
    lines.append("By pattern: " + ", ".join(f"{c} {n}" for c, n in patterns.most_common()))
    lines.append("Top deals at risk:")
    for items in flagged[:5]:
        d = items[0].finding.deal
        lines.append(f"  - {d.name} ({owner_label(p, d)}, {money(d.amount, d.currency)}): "
                     f"{items[0].finding.pattern}")  # fmt: skip
    per_rep = Counter(owner_label(p, items[0].finding.deal) for items in flagged)
    lines.append("Per rep: " + ", ".join(f"{rep} {n}" for rep, n in sorted(per_rep.items())))
    return "\n".join(lines)
