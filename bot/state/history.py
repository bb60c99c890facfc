"""Deal history derived from successive exports: snapshot, diff, merge.

A single export rarely carries stage or close-date history (only Salesforce's
OpportunityHistory does). Diffing each export against the previous one gives the same
shape: a ``HistoryEntry`` per change, dated with the export's ``as_of``. These functions are
pure; ``bot.state`` persists the snapshots and diffs.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from rules.model import ActivityKind, DealStatus, HistoryEntry, Pipeline

DERIVED_SOURCE = "snapshots"
ChangeKind = Literal["new", "changed", "gone"]


@dataclass(frozen=True, slots=True)
class DealState:
    """What one export says about one deal, reduced to the fields history tracks."""

    stage: str = ""
    close_date: date | None = None
    amount: float | None = None
    owner: str = ""
    status: str = DealStatus.OPEN.value
    # Latest meeting on or before the export's as_of: "the buyer met us" for question ranking.
    last_meeting: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "close_date": self.close_date.isoformat() if self.close_date else None,
            "amount": self.amount,
            "owner": self.owner,
            "status": self.status,
            "last_meeting": self.last_meeting.isoformat() if self.last_meeting else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DealState:
        amount = data.get("amount")
        # stages, owners and statuses repeat across every deal: one string each
        return cls(
            stage=sys.intern(str(data.get("stage") or "")),
            close_date=_day(data.get("close_date")),
            amount=float(amount) if amount is not None else None,
            owner=sys.intern(str(data.get("owner") or "")),
            status=sys.intern(str(data.get("status") or DealStatus.OPEN.value)),
            last_meeting=_day(data.get("last_meeting")),
        )


@dataclass(frozen=True, slots=True)
class DealChange:
    """One deal's change between two exports. ``fields`` names what changed."""

    deal_id: str
    as_of: date
    kind: ChangeKind
    fields: tuple[str, ...] = ()
    before: DealState | None = None
    after: DealState | None = None

    @property
    def stage_moved(self) -> bool:
        """The stage changed and the deal was not lost: movement on the buyer's side."""
        return (
            self.kind == "changed"
            and self.after is not None
            and ("stage" in self.fields or "status" in self.fields)
            and self.after.status != DealStatus.LOST.value
        )

    @property
    def met(self) -> date | None:
        """The date of a meeting this export showed for the first time."""
        if self.after is None or self.after.last_meeting is None:
            return None
        if self.before is not None and self.before.last_meeting == self.after.last_meeting:
            return None
        return self.after.last_meeting


@dataclass(frozen=True, slots=True)
class ExportDiff:
    """What changed since the previous export (``previous_as_of`` is None for the first)."""

    as_of: date
    previous_as_of: date | None
    changes: tuple[DealChange, ...] = ()

    @property
    def new(self) -> tuple[str, ...]:
        return tuple(c.deal_id for c in self.changes if c.kind == "new")

    @property
    def gone(self) -> tuple[str, ...]:
        return tuple(c.deal_id for c in self.changes if c.kind == "gone")

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(c.deal_id for c in self.changes if c.kind == "changed")

    def for_deal(self, deal_id: str) -> tuple[DealChange, ...]:
        return tuple(c for c in self.changes if c.deal_id == deal_id)


def snapshot_state(pipeline: Pipeline, as_of: date | None = None) -> dict[str, DealState]:
    """Per deal id, the tracked state this export shows (meetings after ``as_of`` ignored)."""
    meetings: dict[str, date] = {}
    for a in pipeline.all_activities():
        if a.kind is not ActivityKind.MEETING or a.date is None or not a.done:
            continue
        if as_of is not None and a.date > as_of:
            continue
        if a.deal_id not in meetings or a.date > meetings[a.deal_id]:
            meetings[a.deal_id] = a.date
    return {
        d.id: DealState(
            stage=d.stage,
            close_date=d.close_date,
            amount=d.amount,
            owner=d.owner_id,
            status=d.status.value,
            last_meeting=meetings.get(d.id),
        )
        for d in pipeline.deals
    }


def diff_states(
    old: Mapping[str, DealState] | None,
    new: Mapping[str, DealState],
    as_of: date,
    previous_as_of: date | None = None,
) -> ExportDiff:
    """Every deal that is new, changed or gone between two snapshots, dated ``as_of``."""
    before = old or {}
    changes: list[DealChange] = []
    for deal_id in sorted(new):
        after = new[deal_id]
        prev = before.get(deal_id)
        if prev is None:
            changes.append(DealChange(deal_id, as_of, "new", (), None, after))
            continue
        fields = tuple(
            f.name
            for f in dataclasses.fields(DealState)
            if getattr(prev, f.name) != getattr(after, f.name)
        )
        if fields:
            changes.append(DealChange(deal_id, as_of, "changed", fields, prev, after))
    for deal_id in sorted(set(before) - set(new)):
        changes.append(DealChange(deal_id, as_of, "gone", (), before[deal_id], None))
    return ExportDiff(as_of, previous_as_of, tuple(changes))


def history_from_changes(changes: Iterable[DealChange]) -> list[HistoryEntry]:
    """History entries (source "snapshots") for first sightings and stage/close/amount moves.

    Consecutive identical states of a deal (owner-only changes, a deal that went and came
    back unchanged) give one entry.
    """
    out: list[HistoryEntry] = []
    last: dict[str, tuple[str, date | None, float | None]] = {}
    for c in sorted(changes, key=lambda c: (c.deal_id, c.as_of)):
        if c.after is None:
            continue
        key = (c.after.stage, c.after.close_date, c.after.amount)
        if last.get(c.deal_id) == key:
            continue
        last[c.deal_id] = key
        out.append(HistoryEntry(c.deal_id, c.as_of, *key, source=DERIVED_SOURCE))
    return out


def merge_history(
    export_history: tuple[HistoryEntry, ...], derived: Iterable[HistoryEntry]
) -> tuple[HistoryEntry, ...]:
    """The export's history plus derived entries it does not cover, without duplicates.

    Per deal, the export's entries win for the dates they span (first to last entry);
    derived entries outside that span are added unless they repeat the state just before.
    """
    span: dict[str, tuple[date, date]] = {}
    for h in export_history:
        lo, hi = span.get(h.deal_id, (h.date, h.date))
        span[h.deal_id] = (min(lo, h.date), max(hi, h.date))
    by_deal: dict[str, list[HistoryEntry]] = defaultdict(list)
    for h in export_history:
        by_deal[h.deal_id].append(h)
    added: list[HistoryEntry] = []
    for h in sorted(derived, key=lambda h: (h.deal_id, h.date)):
        covered = span.get(h.deal_id)
        if covered and covered[0] <= h.date <= covered[1]:
            continue
        earlier = [e for e in by_deal[h.deal_id] if e.date <= h.date]
        if earlier:
            prev = max(earlier, key=lambda e: e.date)
            if (prev.stage, prev.close_date, prev.amount) == (h.stage, h.close_date, h.amount):
                continue
        by_deal[h.deal_id].append(h)
        added.append(h)
    return (*export_history, *added)


def with_history(pipeline: Pipeline, derived: Iterable[HistoryEntry]) -> Pipeline:
    """A new Pipeline whose history also holds the derived entries for its deals."""
    ids = pipeline.deal_index
    relevant = [h for h in derived if h.deal_id in ids]
    if not relevant:
        return pipeline
    return dataclasses.replace(pipeline, history=merge_history(pipeline.history, relevant))


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None
