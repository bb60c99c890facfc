"""Finding deals by a person's words: exact id or name, then name/account contains, then fuzzy.

A ``DealIndex`` is built once per export (names normalised, deals grouped by owner, the
distinct names and accounts kept as labels for suggestions), so a ``/deal`` lookup among
100k deals touches only the deals the caller may see and never re-normalises them.
Suggestions are ranked by rapidfuzz (edit-distance similarity in C++, over every label the
caller may see in one call).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rules.model import Deal

_WORD = re.compile(r"[^\W_]+")
SUGGESTION_CUTOFF = 50.0  # rapidfuzz's ratio (0-100): below this a label is not "close"


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _lower(text: str) -> str:
    """``text`` lower-cased; the same object when it already is (ids usually are)."""
    lowered = text.lower()
    return text if lowered == text else lowered


@dataclass(frozen=True)
class SearchResult:
    matches: tuple[Deal, ...]
    suggestions: tuple[str, ...] = ()


class DealIndex:
    """The deals of one export, prepared for searching."""

    def __init__(self, deals: Sequence[Deal]) -> None:
        self.deals = tuple(deals)
        self._names = [normalise(d.name) for d in self.deals]
        self._hay = [
            f"{n} {normalise(d.account)}" for n, d in zip(self._names, self.deals, strict=True)
        ]
        self._by_id = {_lower(d.id): i for i, d in enumerate(self.deals)}
        self._by_name: dict[str, list[int]] = defaultdict(list)
        for i, name in enumerate(self._names):
            self._by_name[name].append(i)
        self._by_owner: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(self.deals):
            self._by_owner[d.owner_id].append(i)
        # labels (names and accounts) for suggestions: label -> (shown text, deal positions)
        self._labels: list[str] = []
        self._label_text: list[str] = []
        self._label_deals: list[list[int]] = []
        self._deal_labels: list[tuple[int, ...]] = []  # deal position -> its label ids
        seen: dict[str, int] = {}
        for i, d in enumerate(self.deals):
            mine: list[int] = []
            for text, label in ((d.name, self._names[i]), (d.account, normalise(d.account))):
                if not label:
                    continue
                if label not in seen:
                    seen[label] = len(self._labels)
                    self._labels.append(label)
                    self._label_text.append(text)
                    self._label_deals.append([])
                self._label_deals[seen[label]].append(i)
                mine.append(seen[label])
            self._deal_labels.append(tuple(mine))

    def _visible(self, owner_ids: Collection[str] | None) -> list[int]:
        if owner_ids is None:
            return list(range(len(self.deals)))
        return sorted(i for o in owner_ids for i in self._by_owner.get(o, ()))

    def search(
        self, query: str, owner_ids: Collection[str] | None = None, limit: int = 10
    ) -> SearchResult:
        """Deals matching ``query`` among those of ``owner_ids`` (None: every deal).

        An exact id or exact name wins alone; otherwise every deal whose name or account
        contains all the query's words (open and larger first); otherwise close names as
        suggestions only, never deals the caller may not see.
        """
        q = normalise(query)
        if not q:
            return SearchResult(())
        allowed = None if owner_ids is None else frozenset(owner_ids)
        by_id = self._by_id.get(query.strip().lower())
        if by_id is not None and (allowed is None or self.deals[by_id].owner_id in allowed):
            return SearchResult((self.deals[by_id],))
        exact = [
            self.deals[i]
            for i in self._by_name.get(q, ())
            if allowed is None or self.deals[i].owner_id in allowed
        ]
        if exact:
            return SearchResult(tuple(exact[:limit]))
        visible = self._visible(allowed)
        hay = self._hay
        first, *rest = q.split()
        found = [i for i in visible if first in hay[i]]
        for word in rest:
            found = [i for i in found if word in hay[i]]
        hits = [self.deals[i] for i in found]
        if hits:
            ranked = sorted(hits, key=lambda d: (not d.is_open, -(d.amount or 0), d.name))
            return SearchResult(tuple(ranked[:limit]))
        return SearchResult((), self._suggest(q, allowed, visible))

    def _suggest(
        self, q: str, allowed: frozenset[str] | None, visible: list[int], n: int = 3
    ) -> tuple[str, ...]:
        """Up to ``n`` names or accounts close to ``q`` (most similar first), among the
        labels of the deals the caller may see."""
        ids: list[int] | range
        if allowed is None:
            ids = range(len(self._labels))
        else:
            ids = sorted({li for i in visible for li in self._deal_labels[i]})
        labels = [self._labels[li] for li in ids]
        close = process.extract(
            q, labels, scorer=fuzz.ratio, limit=n, score_cutoff=SUGGESTION_CUTOFF
        )
        return tuple(self._label_text[ids[k]] for _label, _score, k in close)


def find_deals(query: str, deals: Iterable[Deal], limit: int = 10) -> SearchResult:
    """``DealIndex(deals).search(query)`` for a small, already-filtered pool."""
    return DealIndex(list(deals)).search(query, None, limit)
