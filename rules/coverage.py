"""What an export lets each pattern check: yes, partly or no, and what is missing.

A pattern declares the inputs it cannot do without (``requires``) and the ones that make
it fuller (``improved_by``); each entry is an input or a group of alternatives, any one of
which will do. A pattern that cannot be evaluated yields no findings at all, so no finding
ever rests on something the export does not carry. A missing group is reported by its
first (preferred) input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from rules.model import Input

Evaluated = Literal["yes", "partly", "no"]


@dataclass(frozen=True, slots=True)
class Coverage:
    pattern: str
    evaluated: Evaluated
    missing: tuple[Input, ...] = ()


Need = Input | tuple[Input, ...]


def _absent(needs: tuple[Need, ...], inputs: frozenset[Input]) -> tuple[Input, ...]:
    groups = (n if isinstance(n, tuple) else (n,) for n in needs)
    return tuple(dict.fromkeys(g[0] for g in groups if not any(i in inputs for i in g)))


def pattern_coverage(
    code: str, requires: tuple[Need, ...], improved_by: tuple[Need, ...], inputs: frozenset[Input]
) -> Coverage:
    missing = _absent(requires, inputs)
    if missing:
        return Coverage(code, "no", missing)
    missing = _absent(improved_by, inputs)
    return Coverage(code, "partly" if missing else "yes", missing)


def coverage(patterns: Iterable[Any], inputs: frozenset[Input]) -> tuple[Coverage, ...]:
    """One ``Coverage`` per pattern (objects with ``code``, ``requires``, ``improved_by``)."""
    return tuple(pattern_coverage(p.code, p.requires, p.improved_by, inputs) for p in patterns)
