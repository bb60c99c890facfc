"""Finding deals by a person's words: exact id, name or account contains, then fuzzy."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rules.model import Deal

_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class SearchResult:
    matches: tuple[Deal, ...]
    suggestions: tuple[str, ...] = ()


def find_deals(query: str, deals: Iterable[Deal], limit: int = 10) -> SearchResult:
    """Deals matching ``query`` among ``deals`` (already filtered to what the caller may see).

    An exact id or exact name wins alone; otherwise every deal whose name or account
    contains all the query's words; otherwise close fuzzy matches as suggestions only.
    """
    q = normalise(query)
    pool = list(deals)
    if not q:
        return SearchResult(())
    exact = [d for d in pool if d.id.lower() == query.strip().lower() or normalise(d.name) == q]
    if exact:
        return SearchResult(tuple(exact[:limit]))
    words = q.split()
    hits = [d for d in pool if all(w in normalise(f"{d.name} {d.account}") for w in words)]
    if hits:
        open_first = sorted(hits, key=lambda d: (not d.is_open, -(d.amount or 0), d.name))
        return SearchResult(tuple(open_first[:limit]))
    return SearchResult((), _suggest(q, pool))


def _suggest(q: str, pool: Sequence[Deal], n: int = 3) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for d in pool:
        for label in (d.name, d.account):
            if label:
                names.setdefault(normalise(label), label)
    close = difflib.get_close_matches(q, list(names), n=n, cutoff=0.5)
    return tuple(names[c] for c in close)
