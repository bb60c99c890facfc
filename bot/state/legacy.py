"""Reading the state files of earlier dealnudge versions, to upgrade them (nothing writes
these formats any more).

- v0: the prototype's plain tinydb file (people had ``slack_id``, sends were ``sent`` rows);
- v1: ``{"format": "dealnudge-state", "schema_version": 1, "tables": {...}}``;
- v2: v1 plus ``<file>.journal``, JSON lines of the documents each write changed.

``convert`` turns any of them into today's tables and export-history lines, losing nothing:
the per-deal export state and its changes become the history log of their source.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from bot.state.backend import CorruptState, Doc, Tables, validate

log = logging.getLogger(__name__)

FORMAT = "dealnudge-state"
Legacy = dict[str, dict[int, Doc]]


def is_legacy(raw: Any) -> bool:
    """A decoded state file in a format before v3 (no ``meta`` table)."""
    return isinstance(raw, dict) and ("format" in raw or "meta" not in raw)


def convert(
    raw: dict[str, Any] | None, journal: bytes | None, where: str
) -> tuple[Tables, dict[str, list[Doc]]]:
    """Today's tables and the history lines per source, from a decoded legacy file (None:
    only a journal was left) and its journal."""
    if raw is None:
        tables: Legacy = {}
        seq = 0
    elif "format" in raw:
        if raw["format"] != FORMAT:
            raise CorruptState(f"{where}: format is {raw['format']!r}, expected {FORMAT!r}")
        version = raw.get("schema_version")
        if version not in (1, 2):
            raise CorruptState(f"{where}: schema_version {version!r} is not one this reads")
        tables, seq = _int_keys(raw.get("tables"), where), int(raw.get("journal_seq") or 0)
    else:
        tables, seq = _from_v0(_int_keys(raw, where)), 0
    if journal:
        _replay(journal, tables, seq, where + ".journal")
    return _to_v3(tables, where)


def _int_keys(raw: Any, where: str) -> Legacy:
    if not isinstance(raw, dict):
        raise CorruptState(f"{where}: tables is not a JSON object")
    out: Legacy = {}
    for name, docs in raw.items():
        if not isinstance(docs, dict):
            raise CorruptState(f"{where}: table {name!r} is not a JSON object")
        try:
            out[str(name)] = {int(k): dict(d) for k, d in docs.items()}
        except (ValueError, TypeError):
            raise CorruptState(f"{where}: table {name!r} has a malformed document") from None
    return out


def _replay(journal: bytes, tables: Legacy, seq: int, where: str) -> None:
    """Apply the journal entries newer than ``seq``; a line that does not parse (cut short
    by a crash, never acknowledged) is skipped with a warning naming it."""
    for n, line in enumerate(journal.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if int(entry["seq"]) <= seq:
                continue
            for name, docs in dict(entry["tables"]).items():
                table = tables.setdefault(str(name), {})
                for key, doc in docs.items():
                    if doc is None:
                        table.pop(int(key), None)
                    elif isinstance(doc, dict):
                        table[int(key)] = doc
                    else:
                        raise TypeError(doc)
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("%s:%d: skipped a damaged line", where, n)


def _from_v0(tables: Legacy) -> Legacy:
    epoch = datetime(1970, 1, 1, tzinfo=UTC).isoformat()  # forces a fresh Slack lookup
    out = {n: d for n, d in tables.items() if n not in ("sent", "_default")}
    for doc in out.get("people", {}).values():
        doc.setdefault("slack_user_id", doc.pop("slack_id", ""))
        doc.setdefault("cached_at", epoch)
    for doc in out.get("snoozes", {}).values():
        doc["pattern"] = doc.get("pattern") or "*"
        doc.setdefault("woke", None)
    nudges = out.setdefault("nudges", {})
    for doc_id, doc in tables.get("sent", {}).items():
        deal_ids = list(doc.get("deal_ids", []))
        nudges[doc_id] = {
            "key": doc.get("key", f"v0-{doc_id}"),
            "rep": doc.get("rep", ""),
            "deal_ids": deal_ids,
            "patterns": list(doc.get("patterns", [""] * len(deal_ids))),
            "question_ids": list(doc.get("question_ids", [""] * len(deal_ids))),
            "status": "sent",
            "attempts": 1,
            "ts": doc.get("ts", ""),
            "channel": doc.get("channel", ""),
            "created": doc.get("at", epoch),
            "sent_at": doc.get("at", epoch),
        }
    return out


def _to_v3(tables: Legacy, where: str) -> tuple[Tables, dict[str, list[Doc]]]:
    def docs(name: str) -> list[Doc]:
        return [d for _, d in sorted(tables.get(name, {}).items())]

    out: Tables = {
        name: docs(name)
        for name in ("people", "snoozes", "nudges", "feedback", "digests", "adjustments", "rooms")
        if tables.get(name)
    }
    shown: dict[str, dict[str, list[str]]] = {}
    for d in docs("questions_shown"):
        seen = shown.setdefault(str(d["deal_id"]), {})
        at = str(d.get("shown_at", ""))
        if d.get("question_id") and at >= seen.get(d["question_id"], [""])[0]:
            seen[d["question_id"]] = [at, str(d.get("pattern", ""))]
    if shown:
        out["questions_shown"] = [{"deal_id": k, "shown": v} for k, v in shown.items()]
    out["meta"] = [{"name": "schema", "version": 3}]
    validate(out, where)
    return out, _history(tables)


def _history(tables: Legacy) -> dict[str, list[Doc]]:
    """The export state, its changes and the export records as history lines per source."""
    state = next(iter(tables.get("export_state", {}).values()), None)
    runs = sorted(tables.get("exports", {}).values(), key=lambda r: str(r.get("recorded_at")))
    source = str((state or {}).get("source") or (runs[-1]["source"] if runs else ""))
    if not source:
        return {}
    changes = defaultdict(list)
    for c in tables.get("deal_changes", {}).values():
        changes[str(c["as_of"])].append(c)
    counts = {str(r["as_of"]): r for r in runs if r.get("source", source) == source}
    lines: list[Doc] = []
    for as_of in sorted(set(changes) | set(counts)):
        run = counts.get(as_of, {})
        lines.append(
            {
                "source": source,
                "as_of": as_of,
                "recorded_at": run.get("recorded_at", as_of + "T00:00:00+00:00"),
                "counts": run.get("counts", {}),
                "changes": changes.get(as_of, []),
            }
        )
    if state is not None:  # the states as they were: exact even where changes were pruned
        lines.append({"source": source, "base": True, "as_of": state["as_of"],
                      "states": state["deals"]})  # fmt: skip
    return {source: lines}
