"""An incremental pull folded into the last good export, file by file.

A file the pull wrote whole replaces the old one; a file it wrote with a key column
updates the old file's rows by that key (changed rows replaced in place, new rows added at
the end); a file it did not write is kept as it was. The merged folder is a complete
export, written beside the old one, which is never changed.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from bot.ingest.crm.base import Pulled


class MergeError(Exception):
    """The pull cannot be merged (the CRM's columns changed): pull everything instead."""


def merge(old: Path, new: Path, pulled: Pulled, out: Path) -> dict[str, int]:
    """Write into ``out`` the export ``old`` updated by the incremental pull in ``new``;
    return the rows of each merged file."""
    out.mkdir(parents=True, exist_ok=True)
    names = sorted({p.name for p in old.glob("*.csv")} | set(pulled.files))
    rows: dict[str, int] = {}
    for name in names:
        part = pulled.files.get(name)
        if part is None:
            shutil.copyfile(old / name, out / name)
            rows[name] = _count(out / name)
        elif part.key is None:
            shutil.copyfile(new / name, out / name)
            rows[name] = part.rows
        elif not (old / name).is_file():
            raise MergeError(f"{name} is missing from the last pull")
        else:
            rows[name] = _by_key(old / name, new / name, part.key, out / name)
    return rows


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        return header, list(reader)


def _by_key(old: Path, new: Path, key: str, out: Path) -> int:
    head, before = _read(old)
    new_head, changed = _read(new)
    if head != new_head:
        raise MergeError(f"{old.name}: the columns changed since the last pull")
    if key not in head:
        raise MergeError(f"{old.name}: no {key} column to merge on")
    at = head.index(key)
    merged = {row[at]: row for row in before if len(row) > at}
    for row in changed:
        if len(row) > at:
            merged[row[at]] = row  # dicts keep the old position of a changed row
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(head)
        writer.writerows(merged.values())
    return len(merged)


def _count(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return max(0, sum(1 for _ in csv.reader(f)) - 1)
