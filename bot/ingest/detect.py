"""Recognising which export family and record kind a CSV file is, from its header."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.ingest.formats import Format, Kind
from bot.ingest.report import ExportError

# Salesforce objects a full org export carries that the product does not use.
IGNORED_SALESFORCE_STEMS = frozenset(
    {"lead", "leads", "campaign", "campaignmember", "case", "product", "product2",
     "pricebook2", "pricebookentry", "opportunitylineitem", "opportunityhistorygroup",
     "data_dictionary", "products", "sales", "saleslines"}
)  # fmt: skip


def norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower())


@dataclass(frozen=True)
class Match:
    format: Format
    kind: Kind
    columns: dict[str, int]
    missing: tuple[str, ...]
    score: int
    # Further columns for a field, read in order when the first is empty in a row.
    fallbacks: dict[str, tuple[int, ...]] = field(default_factory=dict)


@functools.lru_cache(maxsize=16)
def header_index(header: tuple[str, ...]) -> dict[str, int]:
    """Each normalised header name -> its first column; computed once per file's header
    (detection matches it against every kind of every format)."""
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        index.setdefault(norm(h), i)
    return index


def match(header: tuple[str, ...], fmt: Format, kind: Kind, stem: str) -> Match:
    index = header_index(header)
    columns: dict[str, int] = {}
    fallbacks: dict[str, tuple[int, ...]] = {}
    for canonical, aliases in kind.columns.items():
        present = [i for i in (index.get(norm(a)) for a in aliases) if i is not None]
        present = list(dict.fromkeys(present))
        if present:
            columns[canonical] = present[0]
            if len(present) > 1:
                fallbacks[canonical] = tuple(present[1:])
    missing = tuple(r for r in kind.required if r not in columns)
    if kind.one_of and not any(f in columns for f in kind.one_of):
        missing += (kind.one_of[0],)
    score = len(columns) + 2 * sum(1 for m in kind.markers if norm(m) in index)
    if stem in kind.file_stems and not missing:
        score += 100
    return Match(fmt, kind, columns, missing, score, fallbacks)


def detect(path: Path, header: tuple[str, ...], formats: tuple[Format, ...]) -> Match | None:
    """The best complete match for this file, ``None`` for files of no use.

    A file named like a Salesforce object (``Task.csv``) must have that kind's required
    columns: missing ones raise ``ExportError`` naming the closest header found.
    """
    stem = path.stem.lower().replace(" ", "")
    mapped = any(f.name == "mapping" for f in formats)  # a mapping names its own files
    if (
        not mapped
        and stem in IGNORED_SALESFORCE_STEMS
        and not any(stem in k.file_stems for f in formats for k in f.kinds)
    ):
        return None
    candidates = [match(header, f, k, stem) for f in formats for k in f.kinds]
    # A file named like a Salesforce object is held to that object's columns once it
    # shows any of them; a same-named file from another tool falls through to headers.
    named = [
        c for c in candidates
        if stem in c.kind.file_stems and any(r in c.columns for r in c.kind.required)
    ]  # fmt: skip
    if named:
        best_named = max(named, key=lambda c: c.score)
        if best_named.missing:
            raise ExportError(missing_column_message(path, header, best_named))
        return best_named
    complete = [c for c in candidates if not c.missing]
    if not complete:
        return None
    return max(complete, key=lambda c: c.score)


def closest_partial(
    header: tuple[str, ...], formats: tuple[Format, ...], kind: str
) -> Match | None:
    partial = [match(header, f, k, "") for f in formats for k in f.kinds if k.name == kind]
    partial = [m for m in partial if m.columns]
    return max(partial, key=lambda m: (len(m.columns), -len(m.missing)), default=None)


def missing_column_message(path: Path, header: tuple[str, ...], m: Match) -> str:
    wanted = m.missing[0]
    names = " or ".join(repr(a) for a in m.kind.columns[wanted])
    if wanted in m.kind.one_of:
        others = [m.kind.columns[f][0] for f in m.kind.one_of if f != wanted]
        names += f" (or {' or '.join(map(repr, others))})"
    # A header already read as another field (Name for name) is no candidate for StageName.
    used = set(m.columns.values())
    free = tuple(h for i, h in enumerate(header) if i not in used)
    guess = closest_header(m.kind.columns[wanted], free, path.stem.lower())
    closest = f"; closest match: {_cut(guess)!r}" if guess else "; closest match: none"
    more = f" (also missing: {', '.join(m.missing[1:])})" if len(m.missing) > 1 else ""
    shown = ", ".join(_cut(h) for h in header[:30]) + (" ..." if len(header) > 30 else "")
    return (
        f"{path}: missing required column {names} for {m.format.title} {m.kind.name}{more}; "
        f"columns found: {shown}{closest}"
    )


def _cut(name: str, limit: int = 40) -> str:
    """A column name short enough for a message (a damaged file can have a 10 MB one)."""
    return name if len(name) <= limit else name[:limit] + "…"


def closest_header(
    aliases: tuple[str, ...], header: tuple[str, ...], stem: str = "", cutoff: float = 0.6
) -> str | None:
    """The header a person most likely meant: one containing the name, else the most similar.

    Among headers containing the name, one that also names the file's object wins
    (``OpportunityID`` in ``Opportunity.csv``), then the shortest.
    """
    present = [h for h in header if h]
    for alias in aliases:
        containing = [h for h in present if norm(alias) in norm(h)]
        if containing:
            return min(containing, key=lambda h: (stem not in norm(h), len(h)))
    lowered = {norm(h): h for h in present}
    for alias in aliases:
        guess = difflib.get_close_matches(norm(alias), list(lowered), n=1, cutoff=cutoff)
        if guess:
            return lowered[guess[0]]
    return None
