"""The records the store hands out: frozen, typed, never a backend's document."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

NudgeStatus = Literal["pending", "sent", "failed"]


@dataclass(frozen=True, slots=True)
class Person:
    owner_id: str
    slack_user_id: str  # "" when the owner has no Slack account (remembered as such)
    tz: str
    source: str
    cached_at: datetime


@dataclass(frozen=True, slots=True)
class Snooze:
    deal_id: str
    pattern: str  # a pattern code or "*" for every pattern
    until: date  # quiet before this date; wakes on it
    reason: str
    who: str
    created: datetime
    woke: datetime | None = None


@dataclass(frozen=True, slots=True)
class NudgeRecord:
    key: str
    rep: str
    # Parallel tuples: item i is (deal_ids[i], patterns[i], question_ids[i]).
    deal_ids: tuple[str, ...]
    patterns: tuple[str, ...]
    question_ids: tuple[str, ...]
    status: NudgeStatus
    attempts: int
    ts: str = ""
    channel: str = ""
    error: str = ""
    created: datetime | None = None
    sent_at: datetime | None = None

    def items(self) -> list[tuple[str, str]]:
        """The (deal, pattern) pairs it carried. A migrated v0 record whose lists differ in
        length carries every pattern for every deal."""
        if len(self.deal_ids) == len(self.patterns):
            return list(zip(self.deal_ids, self.patterns, strict=True))
        return [(d, p) for d in self.deal_ids for p in self.patterns]


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    deal_id: str
    pattern: str
    question_id: str
    team: str
    kind: str  # asked | another | not_accurate | snoozed
    reason: str
    who: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ExportRecord:
    as_of: date
    source: str
    recorded_at: datetime
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DigestRecord:
    key: str
    manager: str
    period: str
    status: NudgeStatus
    attempts: int
    ts: str = ""
    error: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)  # per pattern, for the trend
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    team: str  # "" means everyone
    pattern: str
    param: str
    old: float
    new: float
    reason: str
    at: datetime
    active: bool = True
    reset_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Room:
    deal_id: str
    channel_id: str
    who: str
    linked_at: datetime


# --- document -> record ---


def dt(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def opt_dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def on_or_after(at: datetime, since: datetime | date) -> bool:
    if isinstance(since, datetime):
        if (at.tzinfo is None) != (since.tzinfo is None):
            return at.replace(tzinfo=None) >= since.replace(tzinfo=None)
        return at >= since
    return at.date() >= since


def person(d: Mapping[str, Any]) -> Person:
    return Person(
        d["owner_id"],
        d.get("slack_user_id", ""),
        d.get("tz", ""),
        d.get("source", ""),
        dt(d["cached_at"]),
    )


def snooze(d: Mapping[str, Any]) -> Snooze:
    return Snooze(
        d["deal_id"],
        d["pattern"],
        date.fromisoformat(d["until"]),
        d.get("reason", ""),
        d.get("who", ""),
        dt(d.get("created") or "1970-01-01T00:00:00+00:00"),
        opt_dt(d.get("woke")),
    )


def nudge(d: Mapping[str, Any]) -> NudgeRecord:
    return NudgeRecord(
        key=d["key"],
        rep=d["rep"],
        deal_ids=tuple(d.get("deal_ids", ())),
        patterns=tuple(d.get("patterns", ())),
        question_ids=tuple(d.get("question_ids", ())),
        status=d["status"],
        attempts=int(d.get("attempts", 0)),
        ts=d.get("ts", ""),
        channel=d.get("channel", ""),
        error=d.get("error", ""),
        created=opt_dt(d.get("created")),
        sent_at=opt_dt(d.get("sent_at")),
    )


def feedback(d: Mapping[str, Any]) -> FeedbackRecord:
    return FeedbackRecord(
        d["deal_id"],
        d["pattern"],
        d.get("question_id", ""),
        d.get("team", ""),
        d["kind"],
        d.get("reason", ""),
        d.get("who", ""),
        dt(d["at"]),
    )


def adjustment(d: Mapping[str, Any]) -> Adjustment:
    return Adjustment(
        d["team"],
        d["pattern"],
        d["param"],
        d["old"],
        d["new"],
        d.get("reason", ""),
        dt(d.get("at") or "1970-01-01T00:00:00+00:00"),
        bool(d["active"]),
        opt_dt(d.get("reset_at")),
    )


def room(d: Mapping[str, Any]) -> Room:
    return Room(
        d["deal_id"],
        d["channel_id"],
        d.get("who", ""),
        dt(d.get("linked_at") or "1970-01-01T00:00:00+00:00"),
    )


def digest(d: Mapping[str, Any]) -> DigestRecord:
    return DigestRecord(
        d["key"],
        d["manager"],
        d.get("period", ""),
        d["status"],
        int(d.get("attempts", 0)),
        d.get("ts", ""),
        d.get("error", ""),
        {str(k): int(v) for k, v in (d.get("counts") or {}).items()},
        opt_dt(d.get("created")),
    )


def export_record(d: Mapping[str, Any]) -> ExportRecord:
    return ExportRecord(
        date.fromisoformat(d["as_of"]),
        d["source"],
        datetime.fromisoformat(d["recorded_at"]),
        dict(d.get("counts", {})),
    )


@dataclass(frozen=True)
class Writeback:
    """A click to record on the deal in the CRM (``[crm] write_back``)."""

    marker: str
    deal_id: str
    subject: str
    body: str
    at: datetime | None
    status: Literal["pending", "done"]
    attempts: int = 0
    error: str = ""
    crm_id: str = ""


def writeback(d: Mapping[str, Any]) -> Writeback:
    return Writeback(
        marker=d["marker"],
        deal_id=d["deal_id"],
        subject=d.get("subject", ""),
        body=d.get("body", ""),
        at=opt_dt(d.get("at")),
        status=d["status"],
        attempts=int(d.get("attempts", 0)),
        error=d.get("error", ""),
        crm_id=d.get("crm_id", ""),
    )
