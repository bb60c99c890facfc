"""Mapping files: read any CSV by naming which column is which, in TOML.

Example (the Maven "CRM Sales Opportunities" set)::

    date_order = "MDY"            # or "DMY" for 31/01/2026 style dates
    won_stages = ["Won"]
    lost_stages = ["Lost"]

    [deals]
    file = "sales_pipeline*.csv"  # optional: glob on the file name; else detected by columns
    id = "opportunity_id"
    owner = "sales_agent"
    account = "account"
    stage = "deal_stage"
    created = "engage_date"
    close_date = "close_date"
    amount = "close_value"

    [owners]
    file = "sales_teams.csv"
    name = "sales_agent"
    manager = "manager"

A value may be a list of alternative column names; the first present is used.
"""

from __future__ import annotations

import difflib
import fnmatch
import tomllib
from pathlib import Path
from typing import Any

from bot.ingest.formats import CANONICAL, Format, Kind, canonical_fields
from bot.ingest.report import ExportError

_TOP = {"date_order", "won_stages", "lost_stages", "title"}
_REQUIRED = {
    "deals": ("id",), "tasks": ("subject",), "events": ("subject",), "owners": ("name",),
    "contacts": ("id",), "accounts": ("id",), "history": ("deal_id", "date"),
    "roles": ("deal_id", "contact_id"),
}  # fmt: skip
_ALIASES = {"activities": "tasks"}


def load_mapping(path: Path) -> tuple[Format, dict[str, str]]:
    """Build a ``Format`` from a mapping file; also return kind -> file glob."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ExportError(f"{path}: cannot read mapping file: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ExportError(f"{path}: not valid TOML: {exc}") from None
    kinds: list[Kind] = []
    globs: dict[str, str] = {}
    known_sections = set(CANONICAL) | {"events"} | set(_ALIASES)
    for key, value in data.items():
        if key in _TOP:
            continue
        if not isinstance(value, dict):
            raise ExportError(f"{path}: unknown setting {key!r}{_hint(key, _TOP | known_sections)}")
        if key not in known_sections:
            raise ExportError(f"{path}: unknown section [{key}]{_hint(key, known_sections)}")
        kind = _ALIASES.get(key, key)
        kinds.append(_kind(path, kind, value, globs, section=key))
    if not any(k.name == "deals" for k in kinds):
        raise ExportError(f"{path}: a mapping file needs a [deals] section")
    order = data.get("date_order", "MDY")
    if order not in ("MDY", "DMY"):
        raise ExportError(f'{path}: date_order must be "MDY" or "DMY", not {order!r}')
    fmt = Format(
        name="mapping",
        title=str(data.get("title", f"mapping {path.name}")),
        kinds=tuple(kinds),
        date_order=order,
        won_stages=frozenset(_strings(path, data, "won_stages")),
        lost_stages=frozenset(_strings(path, data, "lost_stages")),
    )
    return fmt, globs


def _kind(
    path: Path, kind: str, values: dict[str, Any], globs: dict[str, str], section: str
) -> Kind:
    allowed = set(canonical_fields(kind))
    columns: dict[str, tuple[str, ...]] = {}
    for field, value in values.items():
        if field == "file":
            if not isinstance(value, str) or not value:
                raise ExportError(f"{path}: [{section}] file must be a file name pattern")
            globs[kind] = value
            continue
        if field not in allowed:
            raise ExportError(
                f"{path}: [{section}] has unknown field {field!r}{_hint(field, allowed)}; "
                f"known fields: {', '.join(sorted(allowed))}"
            )
        names = [value] if isinstance(value, str) else value
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n for n in names)
        ):
            raise ExportError(
                f"{path}: [{section}] {field} must be a column name or a list of them"
            )
        columns[field] = tuple(names)
    if not columns:
        # An empty section would match every CSV in the folder.
        raise ExportError(f"{path}: [{section}] names no columns")
    required = tuple(r for r in _REQUIRED[kind] if r in columns) or tuple(columns)[:1]
    if kind == "deals" and "id" not in columns and "name" not in columns:
        raise ExportError(f"{path}: [deals] needs an id or a name column")
    return Kind(kind, columns, required, defaults={"kind": "meeting"} if kind == "events" else {})


def _strings(path: Path, data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ExportError(f"{path}: {key} must be a list of stage names")
    return [v.lower() for v in value]


def _hint(word: str, options: set[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def bound_kind(globs: dict[str, str], path: Path) -> str | None:
    for kind, pattern in globs.items():
        if fnmatch.fnmatch(path.name.lower(), pattern.lower()):
            return kind
    return None
