"""``dealnudge demo``: the whole flow on the bundled Northwind Analytics export, no Slack."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path

from slack_sdk import WebClient

from bot.analysis.analyse import Snapshot, analyse, read_config
from bot.analysis.snapshot import SnapshotHolder
from bot.appconfig import load_app_config
from bot.delivery.jobs import digest_preview, plan_digests, plan_nudges, preview
from bot.ingest.loader import load_export
from bot.reports.scan import scan_text
from bot.services import Services
from bot.state import open_store
from bot.state.people import PeopleDirectory

DEMO_AS_OF = date(2026, 11, 2)


def demo_export_dir() -> Path:
    return Path(str(resources.files("bot.tools").joinpath("demo_data")))


def run_demo() -> int:
    load = load_export([demo_export_dir()])
    snap = analyse(load, read_config(None), DEMO_AS_OF)
    r = load.report
    print(f"dealnudge demo: Northwind Analytics sample export, as of {DEMO_AS_OF.isoformat()}")
    print(
        f"Read {sum(f.rows for f in r.files)} rows from {len(r.files)} files: "
        f"{len(load.pipeline.deals)} deals, {load.pipeline.activity_count} activities; "
        f"{r.count('rejected')} rejected, {r.count('unlinked')} unlinked "
        "(dealnudge check shows which and why)."
    )
    print()
    print(scan_text(snap))
    rep = _busiest_rep(snap)
    if rep:
        owner = snap.pipeline.owner_index.get(rep)
        print()
        print(previews(snap, rep, owner.manager_id if owner else ""))
    return 0


def _busiest_rep(snap: Snapshot) -> str:
    counts = Counter(card.deal.owner_id for card in snap.cards.values())
    return counts.most_common(1)[0][0] if counts else ""


def previews(snap: Snapshot, rep: str, manager: str) -> str:
    """One rep's morning DM and their manager's digest, planned exactly as the scheduler
    plans them (a throwaway state file, no Slack)."""

    now = datetime.combine(DEMO_AS_OF, time(9), UTC)
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "state.json") as store:
        config = load_app_config(None)
        people = PeopleDirectory(store, None, config.people, lambda: now)
        deps = Services(config, store, SnapshotHolder(snap), WebClient(), people, lambda: now)
        nudges, _ = plan_nudges(deps, snap, now, owners=[rep], require_slack=False)
        out = [preview(nudges)]
        if manager:
            digests, _ = plan_digests(deps, snap, now, managers=[manager], require_slack=False)
            out += ["", digest_preview(digests)]
    return "\n".join(out)
