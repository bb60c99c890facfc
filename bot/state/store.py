"""The bot's state, by intent: every method is named for what the bot does and returns
frozen records (``bot.state.records``), never a backend's documents.

Writes are durable when the method returns (the file written and fsynced, or the
transaction committed); ``batch()`` groups several into one. The export history is kept
apart from the bot's state, in an append-only log per source (``ExportHistory``).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Self, cast

from bot.state import records as rec
from bot.state.backend import TABLES, Backend, NewerSchema, Tx
from bot.state.history import (
    ChangeKind,
    DealChange,
    DealState,
    ExportDiff,
    diff_states,
    history_from_changes,
    snapshot_state,
)
from rules.model import HistoryEntry, Pipeline

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
Clock = Callable[[], datetime]
FEEDBACK_KINDS = frozenset({"asked", "another", "not_accurate", "snoozed"})
# After a recovery, sends whose day is up to this long before it are checked in Slack.
RECOVERY_CHECK = timedelta(days=8)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Bot state over a backend (``bot.state.open_store`` picks it)."""

    def __init__(self, backend: Backend, clock: Clock | None = None) -> None:
        self.backend = backend
        self.clock = clock or utc_now
        self.read_only = backend.read_only
        self.history = ExportHistory(backend)
        self._local = threading.local()
        self._closed = False

    def start(self) -> None:
        """Check the schema version and note a state that may lack earlier send records
        (it started empty, or was restored from its copy)."""
        with self._read() as tx:
            row = tx.get("meta", "schema")
        version = int(row.doc.get("version", 0)) if row else None
        if version is not None and version > SCHEMA_VERSION:
            raise NewerSchema(
                f"{self.backend.location}: schema version {version} was written by a newer "
                f"dealnudge (this one reads up to {SCHEMA_VERSION}); upgrade dealnudge"
            )
        if self.read_only or version == SCHEMA_VERSION:
            why = self.backend.restored
        else:
            with self._write("meta") as tx:
                tx.claim("meta", {"name": "schema", "version": SCHEMA_VERSION})
            why = "started with no saved state" if getattr(self.backend, "created", False) else ""
            why = self.backend.restored or why
        if why and not self.read_only:
            self.mark_recovered(why)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.backend.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ---

    @contextlib.contextmanager
    def _write(self, *tables: str) -> Iterator[Tx]:
        current: Tx | None = getattr(self._local, "tx", None)
        if current is not None:  # inside batch(): one transaction for all
            yield current
            return
        with self.backend.write(*tables) as tx:
            self._local.tx = tx
            try:
                yield tx
            finally:
                self._local.tx = None

    @contextlib.contextmanager
    def _read(self) -> Iterator[Tx]:
        current: Tx | None = getattr(self._local, "tx", None)
        if current is not None:
            yield current
            return
        with self.backend.read() as tx:
            yield tx

    @contextlib.contextmanager
    def batch(self, *tables: str) -> Iterator[None]:
        """Group the writes in the block into one durable transaction over ``tables``
        (all tables when none are named); if the block raises, none of them are kept."""
        with self._write(*(tables or TABLES)):
            yield

    def generation(self, *tables: str) -> tuple[object, ...]:
        """Changes whenever one of ``tables`` may have changed: a key for caches of reads."""
        return tuple(
            self.history.generation if t == "deal_changes" else self.backend.generation(t)
            for t in tables
        )

    def _now(self) -> str:
        return self.clock().isoformat()

    def counts(self) -> dict[str, int]:
        with self._read() as tx:
            return {name: len(tx.rows(name)) for name in TABLES if name != "meta"}

    # --- recovery: when send records may have been lost ---

    def mark_recovered(self, why: str) -> None:
        """Sends recorded before now may be missing (a restore, an import, a state that
        started empty): until ``RECOVERY_CHECK`` has passed, a send with no record of
        its own is first looked for in Slack."""
        with self._write("meta") as tx:
            row = tx.get("meta", "recovery")
            doc = {"name": "recovery", "at": self._now(), "why": why}
            if row is None:
                tx.insert("meta", doc)
            else:
                tx.update("meta", row.id, doc)

    @property
    def recovered_at(self) -> datetime | None:
        with self._read() as tx:
            row = tx.get("meta", "recovery")
        return rec.opt_dt(row.doc.get("at")) if row else None

    def check_slack_since(self, day: date) -> datetime | None:
        """Where a send for ``day`` that has no record must first be looked for in Slack
        (from the day before it), or None when its record cannot have been lost: only sends
        for days up to the recovery (a day later for time zones), within RECOVERY_CHECK."""
        at = self.recovered_at
        if at is None or day > at.date() + timedelta(days=1) or day < at.date() - RECOVERY_CHECK:
            return None
        return datetime.combine(day - timedelta(days=1), datetime.min.time(), UTC)

    # --- people ---

    def link_person(
        self, owner_id: str, slack_user_id: str, tz: str = "", source: str = "email"
    ) -> rec.Person:
        doc = {
            "owner_id": owner_id,
            "slack_user_id": slack_user_id,
            "tz": tz,
            "source": source,
            "cached_at": self._now(),
        }
        with self._write("people") as tx:
            old = tx.claim("people", doc)
            if old is not None:
                tx.update("people", old.id, doc)
        return rec.person(doc)

    cache_person = link_person  # a lookup result; the same write

    def person(self, owner_id: str) -> rec.Person | None:
        with self._read() as tx:
            row = tx.get("people", owner_id)
        return rec.person(row.doc) if row else None

    def person_by_slack_id(self, slack_user_id: str) -> rec.Person | None:
        with self._read() as tx:
            found = tx.rows("people", slack_user_id=slack_user_id)
        return rec.person(found[-1].doc) if found else None

    def people(self) -> list[rec.Person]:
        with self._read() as tx:
            docs = [r.doc for r in tx.rows("people")]
        return sorted((rec.person(d) for d in docs), key=lambda p: p.owner_id)

    def unlink_person(self, owner_id: str) -> bool:
        with self._write("people") as tx:
            row = tx.get("people", owner_id)
            if row is not None:
                tx.delete("people", [row.id])
        return row is not None

    # --- snoozes ---

    def snooze(self, deal_id: str, pattern: str, until: date, reason: str, who: str) -> rec.Snooze:
        """Quiet a deal's pattern ("*": all) until ``until``; replaces an open snooze of it."""
        pattern = pattern or "*"
        doc = {
            "deal_id": deal_id,
            "pattern": pattern,
            "until": until.isoformat(),
            "reason": reason,
            "who": who,
            "created": self._now(),
            "woke": None,
        }
        with self._write("snoozes") as tx:
            same = tx.rows("snoozes", deal_id=deal_id, pattern=pattern, woke=None)
            tx.delete("snoozes", [r.id for r in same])
            tx.insert("snoozes", doc)
        return rec.snooze(doc)

    def unsnooze(self, deal_id: str, pattern: str = "*") -> bool:
        with self._write("snoozes") as tx:
            same = tx.rows("snoozes", deal_id=deal_id, pattern=pattern, woke=None)
            tx.delete("snoozes", [r.id for r in same])
        return bool(same)

    def active_snoozes(self, today: date, deal_id: str | None = None) -> list[rec.Snooze]:
        """Snoozes still holding on ``today`` (they hold before their date), soonest first."""
        day = today.isoformat()
        where = {"woke": None} if deal_id is None else {"woke": None, "deal_id": deal_id}
        with self._read() as tx:
            docs = [r.doc for r in tx.rows("snoozes", **where) if r.doc["until"] > day]
        return sorted((rec.snooze(d) for d in docs), key=lambda s: (s.until, s.deal_id, s.pattern))

    def is_snoozed(self, deal_id: str, pattern: str, today: date) -> bool:
        return any(s.pattern in ("*", pattern) for s in self.active_snoozes(today, deal_id))

    def expired_snoozes(self, today: date) -> list[rec.Snooze]:
        """Snoozes that have run out and were not reported yet (nothing is marked)."""
        day = today.isoformat()
        with self._read() as tx:
            found = [r.doc for r in tx.rows("snoozes", woke=None) if r.doc["until"] <= day]
        return [rec.snooze(d) for d in found]

    def mark_woke(self, deal_id: str, pattern: str) -> None:
        """The rep was told this deal is back from its snooze: never report it again."""
        now = self._now()
        with self._write("snoozes") as tx:
            for r in tx.rows("snoozes", deal_id=deal_id, pattern=pattern, woke=None):
                tx.update("snoozes", r.id, {"woke": now})

    def woken_snoozes(self, today: date) -> list[rec.Snooze]:
        """Snoozes that have run out and were not reported yet; each is returned once."""
        now, day = self._now(), today.isoformat()
        with self._write("snoozes") as tx:
            expired = [r for r in tx.rows("snoozes", woke=None) if r.doc["until"] <= day]
            for r in expired:
                tx.update("snoozes", r.id, {"woke": now})
        woke = [rec.snooze({**r.doc, "woke": now}) for r in expired]
        return sorted(woke, key=lambda s: (s.until, s.deal_id, s.pattern))

    # --- nudges and digests: exactly-once sends ---

    def _begin(self, table: str, doc: dict[str, Any]) -> bool:
        """Claim a send key: False when it was already sent; else it is pending (a new
        record, or one more attempt of a pending or failed one), True."""
        with self._write(table) as tx:
            old = tx.claim(table, {**doc, "attempts": 1, "created": self._now()})
            if old is None:
                return True
            if old.doc["status"] == "sent":
                return False
            tx.update(table, old.id, {**doc, "attempts": int(old.doc.get("attempts", 0)) + 1})
            return True

    def _set_status(self, table: str, key: str, fields: Mapping[str, Any]) -> None:
        with self._write(table) as tx:
            row = tx.get(table, key)
            if row is None:
                raise KeyError(f"no {table[:-1]} with key {key!r} was begun")
            tx.update(table, row.id, dict(fields))

    def begin_nudge(
        self,
        key: str,
        rep: str,
        deal_ids: Sequence[str],
        patterns: Sequence[str],
        question_ids: Sequence[str],
    ) -> bool:
        """False when a nudge with this key was already sent; else mark it pending, True."""
        return self._begin(
            "nudges",
            {
                "key": key,
                "rep": rep,
                "deal_ids": list(deal_ids),
                "patterns": list(patterns),
                "question_ids": list(question_ids),
                "status": "pending",
                "error": "",
                "ts": "",
                "channel": "",
                "sent_at": None,
            },
        )

    def finish_nudge(self, key: str, ts: str, channel: str) -> None:
        self._set_status(
            "nudges",
            key,
            {"status": "sent", "ts": ts, "channel": channel, "sent_at": self._now(), "error": ""},
        )

    def fail_nudge(self, key: str, error: str) -> None:
        self._set_status("nudges", key, {"status": "failed", "error": error})

    def was_nudged(self, key: str) -> bool:
        found = self.nudge(key)
        return found is not None and found.status == "sent"

    def nudge(self, key: str) -> rec.NudgeRecord | None:
        with self._read() as tx:
            row = tx.get("nudges", key)
        return rec.nudge(row.doc) if row else None

    def nudges_for(self, rep: str) -> list[rec.NudgeRecord]:
        with self._read() as tx:
            return [rec.nudge(r.doc) for r in tx.rows("nudges", rep=rep)]

    def last_nudged(self, deal_id: str, pattern: str) -> date | None:
        """The day a sent nudge last carried this deal with this pattern."""
        return self.last_nudged_all().get((deal_id, pattern))

    def last_nudged_all(self) -> dict[tuple[str, str], date]:
        """(deal id, pattern) -> the day a sent nudge last carried it, in one pass."""
        out: dict[tuple[str, str], date] = {}
        with self._read() as tx:
            docs = [r.doc for r in tx.rows("nudges", status="sent")]
        for d in docs:
            n = rec.nudge(d)
            when = n.sent_at or n.created
            if when is None:
                continue
            for pair in n.items():
                if pair not in out or when.date() > out[pair]:
                    out[pair] = when.date()
        return out

    def begin_digest(self, key: str, manager: str, period: str) -> bool:
        """False when this digest was already sent; else mark it pending, True."""
        return self._begin(
            "digests",
            {"key": key, "manager": manager, "period": period, "status": "pending",
             "ts": "", "error": ""},
        )  # fmt: skip

    def finish_digest(self, key: str, ts: str, counts: Mapping[str, int] | None = None) -> None:
        fields: dict[str, Any] = {"status": "sent", "ts": ts, "error": ""}
        if counts is not None:
            fields["counts"] = dict(counts)
        self._set_status("digests", key, fields)

    def fail_digest(self, key: str, error: str) -> None:
        self._set_status("digests", key, {"status": "failed", "error": error})

    def was_digest_sent(self, key: str) -> bool:
        found = self.digest(key)
        return found is not None and found.status == "sent"

    def digest(self, key: str) -> rec.DigestRecord | None:
        with self._read() as tx:
            row = tx.get("digests", key)
        return rec.digest(row.doc) if row else None

    def last_digest(self, manager: str, before_period: str) -> rec.DigestRecord | None:
        """The manager's latest sent digest for a period before ``before_period``."""
        with self._read() as tx:
            docs = [r.doc for r in tx.rows("digests", manager=manager, status="sent")]
        earlier = [d for d in docs if str(d.get("period", "")) < before_period]
        if not earlier:
            return None
        return rec.digest(max(earlier, key=lambda d: str(d.get("period", ""))))

    # --- questions shown (rotation) ---

    def record_question_shown(
        self, deal_id: str, pattern: str, question_id: str, when: datetime | None = None
    ) -> None:
        self.note_questions_shown([(deal_id, pattern, question_id)], when)

    def note_questions_shown(
        self, shown: Iterable[tuple[str, str, str]], when: datetime | None = None
    ) -> None:
        """Record (deal, pattern, question) as shown: one document per deal, holding when
        each of its questions was last shown (so the state grows with deals, not views)."""
        at = (when or self.clock()).isoformat()
        per_deal: dict[str, dict[str, list[str]]] = {}
        for deal_id, pattern, question_id in shown:
            per_deal.setdefault(deal_id, {})[question_id] = [at, pattern]
        if not per_deal:
            return
        with self._write("questions_shown") as tx:
            for deal_id, seen in per_deal.items():
                old = tx.claim("questions_shown", {"deal_id": deal_id, "shown": seen})
                if old is not None:
                    tx.update("questions_shown", old.id, {"shown": {**old.doc["shown"], **seen}})

    def questions_shown(self, deal_id: str, pattern: str | None = None) -> list[str]:
        """Question ids shown for the deal, each once, least recently shown first."""
        with self._read() as tx:
            row = tx.get("questions_shown", deal_id)
        seen: dict[str, list[str]] = row.doc["shown"] if row else {}
        keep = [(at, q) for q, (at, p) in seen.items() if pattern is None or p == pattern]
        return [q for _, q in sorted(keep)]

    # --- write-back to the CRM ---

    def queue_writeback(self, marker: str, deal_id: str, subject: str, body: str) -> bool:
        """Queue a click to record in the CRM; False when this marker is already queued."""
        doc = {"marker": marker, "deal_id": deal_id, "subject": subject, "body": body,
               "at": self._now(), "status": "pending", "attempts": 0, "error": "",
               "crm_id": ""}  # fmt: skip
        with self._write("writebacks") as tx:
            return tx.claim("writebacks", doc) is None

    def pending_writebacks(self) -> list[rec.Writeback]:
        with self._read() as tx:
            rows = tx.rows("writebacks")
        return [rec.writeback(r.doc) for r in rows if r.doc["status"] == "pending"]

    def finish_writeback(self, marker: str, crm_id: str) -> None:
        done = {"status": "done", "crm_id": crm_id, "error": "", "done_at": self._now()}
        self._set_status("writebacks", marker, done)

    def fail_writeback(self, marker: str, error: str) -> None:
        """A try that failed: it stays pending for the next tick."""
        with self._write("writebacks") as tx:
            row = tx.get("writebacks", marker)
            if row is None:
                raise KeyError(f"no write-back with marker {marker!r}")
            attempts = int(row.doc.get("attempts", 0)) + 1
            tx.update("writebacks", row.id, {"error": error, "attempts": attempts})

    def writeback(self, marker: str) -> rec.Writeback | None:
        with self._read() as tx:
            row = tx.get("writebacks", marker)
        return rec.writeback(row.doc) if row else None

    # --- feedback ---

    def record_feedback(
        self,
        deal_id: str,
        pattern: str,
        question_id: str,
        team: str,
        kind: str,
        reason: str = "",
        who: str = "",
        at: datetime | None = None,
    ) -> rec.FeedbackRecord:
        if kind not in FEEDBACK_KINDS:
            raise ValueError(f"feedback kind {kind!r} is not one of {sorted(FEEDBACK_KINDS)}")
        doc = {
            "deal_id": deal_id,
            "pattern": pattern,
            "question_id": question_id,
            "team": team,
            "kind": kind,
            "reason": reason,
            "who": who,
            "at": (at or self.clock()).isoformat(),
        }
        with self._write("feedback") as tx:
            tx.insert("feedback", doc)
        return rec.feedback(doc)

    def feedback(
        self,
        team: str | None = None,
        pattern: str | None = None,
        since: datetime | date | None = None,
        kind: str | None = None,
    ) -> list[rec.FeedbackRecord]:
        """Feedback oldest first, filtered by team, pattern, kind and time (inclusive)."""
        where: dict[str, str] = {}
        if pattern is not None:
            where["pattern"] = pattern
        if kind:
            where["kind"] = kind
        with self._read() as tx:
            docs = [r.doc for r in tx.rows("feedback", **where)]
        out = [rec.feedback(d) for d in docs if team is None or d.get("team", "") == team]
        if since is not None:
            out = [r for r in out if rec.on_or_after(r.at, since)]
        return sorted(out, key=lambda r: r.at)

    # --- threshold adjustments ---

    def adjust_threshold(
        self,
        team: str,
        pattern: str,
        param: str,
        old: float,
        new: float,
        reason: str,
        at: datetime | None = None,
    ) -> rec.Adjustment:
        """Record a learned threshold; it replaces an active one for the same parameter."""
        doc = {
            "team": team,
            "pattern": pattern,
            "param": param,
            "old": old,
            "new": new,
            "reason": reason,
            "at": (at or self.clock()).isoformat(),
            "active": True,
            "reset_at": None,
        }
        with self._write("adjustments") as tx:
            same = tx.rows("adjustments", team=team, pattern=pattern, param=param, active=True)
            for r in same:
                tx.update("adjustments", r.id, {"active": False})
            tx.insert("adjustments", doc)
        return rec.adjustment(doc)

    def adjustments(self) -> list[rec.Adjustment]:
        """Every adjustment ever made, oldest first (reset ones have ``active`` False)."""
        with self._read() as tx:
            docs = [r.doc for r in tx.rows("adjustments")]
        return sorted((rec.adjustment(d) for d in docs), key=lambda a: a.at)

    def active_adjustments(self) -> list[rec.Adjustment]:
        return [a for a in self.adjustments() if a.active]

    def reset_adjustments(self, team: str, pattern: str | None = None) -> int:
        """Deactivate a team's learned thresholds (one pattern, or all); returns how many."""
        where: dict[str, Any] = {"team": team, "active": True}
        if pattern is not None:
            where["pattern"] = pattern
        now = self._now()
        with self._write("adjustments") as tx:
            found = tx.rows("adjustments", **where)
            for r in found:
                tx.update("adjustments", r.id, {"active": False, "reset_at": now})
        return len(found)

    # --- deal rooms ---

    def link_room(self, deal_id: str, channel_id: str, who: str) -> rec.Room:
        """Make a channel the deal's room (one room per deal, one deal per channel)."""
        doc = {"deal_id": deal_id, "channel_id": channel_id, "who": who, "linked_at": self._now()}
        with self._write("rooms") as tx:
            old = tx.rows("rooms", deal_id=deal_id) + tx.rows("rooms", channel_id=channel_id)
            tx.delete("rooms", sorted({r.id for r in old}))
            tx.insert("rooms", doc)
        return rec.room(doc)

    def unlink_room(self, channel_id: str) -> bool:
        with self._write("rooms") as tx:
            row = tx.get("rooms", channel_id)
            if row is not None:
                tx.delete("rooms", [row.id])
        return row is not None

    def room(self, channel_id: str) -> rec.Room | None:
        with self._read() as tx:
            row = tx.get("rooms", channel_id)
        return rec.room(row.doc) if row else None

    def room_for(self, deal_id: str) -> str | None:
        with self._read() as tx:
            found = tx.rows("rooms", deal_id=deal_id)
        return str(found[-1].doc["channel_id"]) if found else None

    def rooms(self) -> list[rec.Room]:
        with self._read() as tx:
            return [rec.room(r.doc) for r in tx.rows("rooms")]

    # --- exports and derived history ---

    def record_export(self, as_of: date, source: str, pipeline: Pipeline) -> ExportDiff:
        return self.history.record(as_of, source, pipeline, self._now())

    def append_export(self, recorded: Recorded) -> bool:
        """Keep the export history line an analysis process recorded (read-only)."""
        return self.history.append(recorded)

    def exports(self) -> list[rec.ExportRecord]:
        return self.history.exports()

    def deal_changes(self, deal_id: str | None = None) -> list[DealChange]:
        """Changes seen between exports of the current source, oldest first."""
        return self.history.changes(deal_id)

    def deal_history(self, deal_id: str) -> list[HistoryEntry]:
        """Stage/close date/amount history derived from exports (source "snapshots")."""
        return history_from_changes(self.deal_changes(deal_id))

    def history_entries(self) -> list[HistoryEntry]:
        return history_from_changes(self.deal_changes())

    # --- retention ---

    # table -> (the field holding each record's date, as ISO text; days it is kept)
    RETENTION: Mapping[str, tuple[str, int]] = {
        # Send records matter for the cool-down, the digest's "since the last one" and a
        # recovery's look-back: all within weeks. Kept short, they keep the state small.
        "nudges": ("created", 90),
        "feedback": ("at", 365),
        "snoozes": ("until", 365),
        "writebacks": ("at", 90),
    }
    KEEP_DAYS = 365  # questions shown and export history

    def prune(self, today: date, keep: Mapping[str, int] | None = None) -> dict[str, int]:
        """Forget what is older than it is kept for (``RETENTION``; ``keep`` overrides the
        days per table; sent digests are kept: they hold the trend); returns how many
        records were removed per table, and export history lines folded."""

        def cutoff(name: str, days: int) -> str:
            return (today - timedelta(days=(keep or {}).get(name, days))).isoformat()

        removed: dict[str, int] = {}
        with self._write(*self.RETENTION, "questions_shown") as tx:
            for name, (field_, days) in self.RETENTION.items():
                limit = cutoff(name, days)
                old = [r.id for r in tx.rows(name) if str(r.doc.get(field_) or "")[:10] < limit]
                tx.delete(name, old)
                removed[name] = len(old)
            limit, shown = cutoff("questions_shown", self.KEEP_DAYS), 0
            for r in tx.rows("questions_shown"):
                kept = {q: v for q, v in r.doc["shown"].items() if v[0][:10] >= limit}
                shown += len(r.doc["shown"]) - len(kept)
                if not kept:
                    tx.delete("questions_shown", [r.id])
                elif len(kept) != len(r.doc["shown"]):
                    tx.update("questions_shown", r.id, {"shown": kept})
            removed["questions_shown"] = shown
        history = date.fromisoformat(cutoff("export_history", self.KEEP_DAYS))
        removed["export_history"] = self.history.prune(history)
        return removed


# --- the export history ----------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """One export's line in the history log and the position it goes after."""

    source: str
    line: dict[str, Any]
    after: int


@dataclass
class _Folded:
    """One source's log read so far: the last position, the deal states it adds up to,
    the changes and export runs it holds."""

    position: int = 0
    states: dict[str, DealState] = field(default_factory=dict)
    as_of: date | None = None
    changes: list[DealChange] = field(default_factory=list)
    by_deal: dict[str, list[DealChange]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)

    def add(self, line: dict[str, Any]) -> None:
        as_of = date.fromisoformat(line["as_of"])
        if line.get("base"):  # the states as of a pruned past: no changes of its own
            self.states = {k: DealState.from_json(v) for k, v in line["states"].items()}
            self.as_of = as_of
            return
        for c in line.get("changes", ()):
            change = _change(c)
            self.changes.append(change)
            self.by_deal.setdefault(change.deal_id, []).append(change)
            if change.after is None:
                self.states.pop(change.deal_id, None)
            else:
                self.states[change.deal_id] = change.after
        self.as_of = max(as_of, self.as_of) if self.as_of else as_of
        self.runs.append({k: v for k, v in line.items() if k != "changes"})  # kept above


class ExportHistory:
    """Stage and close-date changes derived from successive exports, per source: each
    recorded export is one appended line (its changes and counts); the states the next
    export is compared with are those lines added up, read once and then kept in step."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._lock = threading.Lock()
        self._folded: dict[str, _Folded] = {}
        self._source: str | None = None
        self.generation = 0
        # The line the last ``record`` appended, with the position it went after: a
        # read-only analysis process hands it to the server, which appends it (``append``).
        self.last_recorded: Recorded | None = None

    @property
    def source(self) -> str | None:
        """The source recorded last (else the one whose log was written last)."""
        if self._source is None:
            sources = self.backend.log_sources()
            self._source = sources[-1] if sources else ""
        return self._source or None

    def _caught_up(self, source: str) -> _Folded:
        folded = self._folded.setdefault(source, _Folded())
        for position, line in self.backend.log_lines(source, folded.position):
            try:
                folded.add(line)
            except (KeyError, TypeError, ValueError, AttributeError):
                log.warning("export history of %s: skipped a malformed entry (%d)", source,
                            position)  # fmt: skip
            folded.position = position
        return folded

    def record(self, as_of: date, source: str, pipeline: Pipeline, now: str) -> ExportDiff:
        """Keep this export's changes since the previous one of the same source."""
        new = snapshot_state(pipeline, as_of)
        counts = {
            "deals": len(pipeline.deals),
            "open_deals": sum(d.is_open for d in pipeline.deals),
            "activities": pipeline.activity_count,
            "history": len(pipeline.history),
        }
        with self._lock:
            self._source = source
            for _ in range(10):  # another process may append first: catch up and redo
                folded = self._caught_up(source)
                prev = folded.as_of
                if prev is not None and as_of < prev:
                    log.warning("export as of %s is older than the last one (%s): history "
                                "unchanged", as_of, prev)  # fmt: skip
                    return ExportDiff(as_of, prev, ())
                diff = diff_states(folded.states if prev else None, new, as_of, prev)
                last = folded.runs[-1] if folded.runs else None
                if not diff.changes and last is not None and last["as_of"] == as_of.isoformat():
                    return diff  # the same export again (a restart, another process)
                counts |= {"new": len(diff.new), "changed": len(diff.changed),
                           "gone": len(diff.gone)}  # fmt: skip
                line = {
                    "source": source,
                    "as_of": as_of.isoformat(),
                    "recorded_at": now,
                    "counts": counts,
                    "changes": [_change_doc(c) for c in diff.changes],
                }
                after = folded.position
                position = self.backend.log_append(source, line, after)
                if position is not None:
                    folded.add(line)
                    folded.position = position
                    self.generation += 1
                    self.last_recorded = Recorded(source, line, after)
                    return diff
        raise RuntimeError(f"export history of {source} kept changing while it was recorded")

    def append(self, recorded: Recorded) -> bool:
        """Append a line another process's ``record`` made; False when the log moved on
        since (that process compared the export with states that are no longer the last)."""
        with self._lock:
            if self.backend.log_append(recorded.source, recorded.line, recorded.after) is None:
                return False
            self._source = recorded.source
            self.generation += 1
            return True

    def mark(self, source: str) -> str:
        """Where ``source``'s log stands: changes whenever a line is added or folded."""
        with self._lock:
            folded = self._caught_up(source)
            return f"{folded.position}:{folded.as_of}"

    def changes(self, deal_id: str | None = None) -> list[DealChange]:
        """The changes seen so far (a deal's, or all). While a refresh folds in a new
        export's line, readers get what was folded before it rather than wait."""
        source = self.source
        if source is None:
            return []
        if self._lock.acquire(timeout=0.05):
            try:
                folded = self._caught_up(source)
            finally:
                self._lock.release()
        else:
            folded = self._folded.get(source) or _Folded()
        return list(folded.changes if deal_id is None else folded.by_deal.get(deal_id, ()))

    def exports(self) -> list[rec.ExportRecord]:
        out = []
        for source in self.backend.log_sources():
            with self._lock:
                runs = list(self._caught_up(source).runs)
            out += [rec.export_record(r) for r in runs]
        return sorted(out, key=lambda r: r.recorded_at)

    def prune(self, before: date) -> int:
        """Fold each source's lines dated before ``before`` into one base line (the deal
        states as of then); returns how many lines were folded away."""
        cutoff, dropped = before.isoformat(), 0
        with self._lock:
            for source in self.backend.log_sources():
                lines = [line for _, line in self.backend.log_lines(source)]
                old = [line for line in lines if line["as_of"] < cutoff]
                if len(old) < 2 and not (old and not old[0].get("base")):
                    continue
                base = _Folded()
                for line in old:
                    base.add(line)
                head = {
                    "source": source,
                    "base": True,
                    "as_of": base.as_of.isoformat() if base.as_of else cutoff,
                    "states": {k: s.to_json() for k, s in base.states.items()},
                }
                self.backend.log_rewrite(source, [head, *lines[len(old) :]])
                self._folded.pop(source, None)
                dropped += len(old)
            self.generation += 1
        return dropped


def _change_doc(c: DealChange) -> dict[str, Any]:
    return {
        "deal_id": c.deal_id,
        "kind": c.kind,
        "as_of": c.as_of.isoformat(),
        "fields": list(c.fields),
        "before": c.before.to_json() if c.before else None,
        "after": c.after.to_json() if c.after else None,
    }


@functools.lru_cache(maxsize=4096)
def _as_of(text: str) -> date:
    return date.fromisoformat(text)  # one object per export day, not one per change


def _change(d: Mapping[str, Any]) -> DealChange:
    return DealChange(
        d["deal_id"],
        _as_of(d["as_of"]),
        cast(ChangeKind, sys.intern(d["kind"])),
        tuple(d.get("fields", ())),
        DealState.from_json(d["before"]) if d.get("before") else None,
        DealState.from_json(d["after"]) if d.get("after") else None,
    )
