"""``dealnudge state``: back up, restore, recover and move the bot's state; list or undo the
thresholds learned from "not accurate" feedback."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.state import legacy, open_state, open_store, postgres_backend
from bot.state.backend import Backend, CorruptState, Doc, StoreError, Tables, validate
from bot.state.store import SCHEMA_VERSION, Store
from bot.state.tiny import TinyBackend, as_tables, backup_path, write_atomic

FORMAT = "dealnudge-state"
Export = tuple[Tables, dict[str, list[Doc]]]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S")


def snapshot(backend: Backend) -> dict[str, Any]:
    """The whole state as one JSON document: every table and every source's history."""
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "tables": backend.dump(),
        "history": {s: [line for _, line in backend.log_lines(s)] for s in backend.log_sources()},
    }


def read_export(path: Path) -> Export:
    """An export of any version (or a copy of a state file) as today's tables and history;
    ``StoreError`` naming what is wrong with it."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder; name an export file") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StoreError(f"{path}: not a dealnudge state export (not JSON: {exc})") from None
    if not isinstance(raw, dict):
        raise StoreError(f"{path}: not a dealnudge state export (not a JSON object)")
    try:
        if raw.get("format") == FORMAT and raw.get("schema_version") == SCHEMA_VERSION:
            tables, history = raw.get("tables"), raw.get("history") or {}
            if not isinstance(tables, dict) or not isinstance(history, dict):
                raise CorruptState(f"{path}: tables and history must be JSON objects")
            validate(tables, str(path))
            return tables, history
        if isinstance(raw.get("schema_version"), int) and raw["schema_version"] > SCHEMA_VERSION:
            raise StoreError(f"{path} was written by a newer dealnudge; upgrade dealnudge")
        if legacy.is_legacy(raw):
            return legacy.convert(raw, None, str(path))
        return as_tables(raw, path), {}  # a copy of a state file
    except CorruptState as exc:
        raise StoreError(f"not a usable dealnudge state export: {exc}") from None


def _count(tables: Tables) -> int:
    return sum(len(docs) for name, docs in tables.items() if name != "meta")


def _keep_previous(settings: Settings, beside: Path) -> str:
    """Put the state about to be replaced in a file of its own; returns what was kept."""
    stamp = _stamp()
    if settings.database_url is None:
        path = settings.db_path
        kept = []
        for old in (path, path.with_name(path.name + ".journal"), backup_path(path)):
            if old.is_file():
                target = old.with_name(f"{old.name}.before-import-{stamp}")
                write_atomic(target, old.read_bytes())
                kept.append(target.name)
        journal = path.with_name(path.name + ".journal")  # a v2 journal is in its copy now
        journal.unlink(missing_ok=True)
        return f"the previous state is in {', '.join(kept)}" if kept else "there was no state"
    with open_state(settings, read_only=True) as store:
        target = beside.with_name(f"dealnudge-state-before-import-{stamp}.json")
        write_atomic(target, json.dumps(snapshot(store.backend)).encode())
    return f"the previous state is in {target}"


def _replace(backend: Backend, export: Export) -> None:
    tables, history = export
    meta = [d for d in tables.get("meta", []) if d.get("name") != "schema"]
    schema = {"name": "schema", "version": SCHEMA_VERSION}
    backend.replace({**tables, "meta": [schema, *meta]})
    for source, lines in history.items():
        backend.log_rewrite(source, lines)


def import_state(settings: Settings, path: Path) -> str:
    """Replace the state with an export, whatever the current state is like (damaged,
    missing, an older version); returns what was done."""
    export = read_export(path)
    kept = _keep_previous(settings, path)
    if settings.database_url is None:
        backend: Backend = TinyBackend(settings.db_path, load=False)
    else:
        backend = postgres_backend(settings.database_url.value, schema=settings.pg_schema)
    with Store(backend) as store:
        _replace(backend, export)
        store.mark_recovered(f"imported {path}")
    return f"imported {_count(export[0])} records from {path} ({kept})"


def recover(settings: Settings) -> str:
    """Keep a damaged state file (and its copy) aside and start again from the good copy,
    or empty; the next sends are first looked for in Slack."""
    if settings.database_url is not None:
        return (
            "PostgreSQL state is never half-written, so there is nothing to recover; to go "
            "back to a backup, use `dealnudge state import FILE`"
        )
    path, stamp = settings.db_path, _stamp()
    try:
        with open_state(settings) as store:
            return f"{path} is readable; nothing to recover" + (
                f" ({store.backend.restored})" if store.backend.restored else ""
            )
    except CorruptState:
        pass
    moved = []
    for old in (path, backup_path(path)):
        if old.is_file():
            target = old.with_name(f"{old.name}.damaged-{stamp}")
            old.replace(target)
            moved.append(target.name)
    with Store(TinyBackend(path, load=False)) as store:
        store.backend.replace({"meta": [{"name": "schema", "version": SCHEMA_VERSION}]})
        store.mark_recovered(f"recovered: the damaged state is kept as {', '.join(moved)}")
    return (
        f"started an empty state at {path}; the damaged files are kept as {', '.join(moved)}. "
        "Snoozes, feedback and learned thresholds start again; sends are first looked for "
        "in Slack, so nobody gets a message twice. If you have an export, "
        "`dealnudge state import FILE` restores it instead."
    )


def migrate(settings: Settings, url: str, replace: bool) -> str:
    """Copy the tinydb state (tables and history) into PostgreSQL at ``url``."""

    if not url.startswith(("postgres://", "postgresql://")):
        raise StoreError(f"--to must be a PostgreSQL URL (postgresql://...), not {url[:20]!r}")
    with open_store(settings.db_path) as source:  # locked: nothing changes meanwhile
        export = snapshot(source.backend)
    target = postgres_backend(url, schema=settings.pg_schema)
    try:
        if not replace and (_count(target.dump()) or target.log_sources()):
            raise StoreError(
                f"{target.location} already holds dealnudge state; add --replace to overwrite it"
            )
        _replace(target, (export["tables"], export["history"]))
    finally:
        target.close()
    return (
        f"copied {_count(export['tables'])} records and the export history of "
        f"{len(export['history'])} source(s) from {settings.db_path} to {target.location}; "
        "set DATABASE_URL to use it"
    )


def _adjustments(store: Store, action: str, team: str, pattern: str | None) -> str:
    if action == "reset":
        n = store.reset_adjustments(team, pattern)
        who = f"team {team!r}" if team else "everyone"
        return f"reset {n} learned threshold(s) for {who}; dealnudge.toml applies again"
    active = store.active_adjustments()
    if not active:
        return 'No thresholds learned from "not accurate" feedback; dealnudge.toml applies.'
    return "\n".join(
        f"{a.team or 'everyone':16} {a.pattern:30} {a.param} {a.old} -> {a.new}  "
        f"({a.at:%Y-%m-%d}: {a.reason})"
        for a in active
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealnudge state",
        description="Back up, restore, recover or move the bot's state; list or undo the "
        'thresholds learned from "not accurate" feedback.',
    )
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("export", help="write the whole state to FILE").add_argument("file", type=Path)
    sub.add_parser(
        "import", help="replace the state with FILE (the previous one is kept in a named file)"
    ).add_argument("file", type=Path)
    sub.add_parser("recover", help="start again when the state file and its copy are damaged")
    mig = sub.add_parser("migrate", help="copy the tinydb state into PostgreSQL")
    mig.add_argument("--to", required=True, metavar="URL", help='e.g. "$DATABASE_URL"')
    mig.add_argument("--replace", action="store_true", help="overwrite state already there")
    sub.add_parser("adjustments", help="list the thresholds learned from feedback")
    reset = sub.add_parser("reset", help="undo learned thresholds (back to dealnudge.toml)")
    reset.add_argument("--team", default="", help="the team (default: everyone's)")
    reset.add_argument("pattern", nargs="?", help="one pattern code (default: all)")
    return parser


def main_state(argv: Iterable[str], settings: Settings) -> int:
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 2
    try:
        if args.action == "import":
            print(import_state(settings, args.file))
        elif args.action == "recover":
            print(recover(settings))
        elif args.action == "migrate":
            print(migrate(settings, args.to, args.replace))
        elif args.action == "export":
            if args.file.is_dir():
                raise StoreError(f"{args.file} is a folder; name a file")
            with open_state(settings, read_only=True) as store:
                data = snapshot(store.backend)
            write_atomic(args.file, json.dumps(data, ensure_ascii=False).encode())
            print(f"exported {_count(data['tables'])} records from {store.backend.location} "
                  f"to {args.file}")  # fmt: skip
        else:
            read_only = args.action == "adjustments"
            with open_state(settings, read_only=read_only) as store:
                team, pattern = getattr(args, "team", ""), getattr(args, "pattern", None)
                print(_adjustments(store, args.action, team, pattern))
    except (StoreError, OSError) as exc:
        print(f"dealnudge state {args.action}: {exc}", file=sys.stderr)
        return 2
    return 0
