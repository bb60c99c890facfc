"""The facilitation question bank: loading, validation, rotation and rendering.

Questions are data (``questions.toml``). Each is what the rep asks the buyer, tied to a
pattern and to the buying step that is probably stuck. Pure: the packaged TOML is read
only by ``load_questions()``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from rules.patterns import REGISTRY

PATTERNS: tuple[str, ...] = REGISTRY.codes()  # every question belongs to one

# The steps a buyer works through before a purchase (see DOMAIN.md).
STEPS: Mapping[str, str] = MappingProxyType(
    {
        "notice": "noticing something is missing",
        "fix-in-house": "checking whether what they have could fix it",
        "people": "getting the right people together",
        "budget": "finding budget",
        "success": "agreeing what success looks like",
        "cost-of-change": "understanding what the change would cost them",
        "buy-in": "buy-in from everyone the change touches",
    }
)

PLACEHOLDERS: frozenset[str] = frozenset({"first_name", "account", "deal", "months_open"})
_LEAD = "{first_name}, "
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_REQUIRED_KEYS = ("id", "pattern", "step", "text", "why")
_KNOWN_KEYS = frozenset((*_REQUIRED_KEYS, "fallback"))
# Values that CRM exports use for "nothing here"; rendered as missing.
_EMPTY_VALUES = frozenset({"", "none", "null", "nan", "n/a", "na", "-", "unknown"})
_MIN_MONTHS = 2  # "1 months"/"0 months" read badly and such a deal is not hanging around


@dataclass(frozen=True)
class Question:
    id: str
    pattern: str
    step: str
    text: str
    why: str
    fallback: str = ""  # same question without placeholders (bar a leading first name)


@dataclass(frozen=True, slots=True)
class QuestionContext:
    first_name: str = ""
    account: str = ""
    deal: str = ""
    months_open: int | None = None


def _placeholders(template: str) -> list[str]:
    return _PLACEHOLDER_RE.findall(template)


def _body_placeholders(template: str) -> list[str]:
    """Placeholders other than a leading ``{first_name}, `` (which drops cleanly)."""
    body = template[len(_LEAD) :] if template.startswith(_LEAD) else template
    return _placeholders(body)


def _sort_key(seed: str, qid: str) -> bytes:
    return hashlib.sha256(f"{seed}\x1f{qid}".encode()).digest()


@dataclass(frozen=True, eq=False)
class QuestionBank:
    questions: tuple[Question, ...]
    _by_pattern: Mapping[str, tuple[Question, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Question]] = {p: [] for p in PATTERNS}
        for q in self.questions:
            grouped.setdefault(q.pattern, []).append(q)
        index = MappingProxyType({p: tuple(qs) for p, qs in grouped.items()})
        object.__setattr__(self, "_by_pattern", index)

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def for_pattern(self, code: str) -> tuple[Question, ...]:
        """All questions for a pattern code, in bank order."""
        if code not in PATTERNS:
            raise ValueError(f"unknown pattern code {code!r}")
        return self._by_pattern[code]

    def pick(
        self,
        pattern: str,
        shown: Collection[str],
        count: int = 1,
        seed: str = "",
        *,
        weights: Mapping[str, float] | None = None,
    ) -> list[Question]:
        """Up to ``count`` questions, preferring ids not yet in ``shown``.

        The order is deterministic per ``seed`` (e.g. the deal id) but differs across seeds;
        ``weights`` (question id -> how well it worked before; absent = 1.0) ranks questions
        that worked above the rest.
        When every question has been shown the rotation starts over: if ``shown`` is a
        sequence (oldest first) the least recently shown come first, otherwise the seed order.
        """
        if count < 0:
            raise ValueError("count must not be negative")
        w = weights or {}
        order = sorted(
            self.for_pattern(pattern), key=lambda q: (-w.get(q.id, 1.0), _sort_key(seed, q.id))
        )
        seen = set(shown)
        fresh = [q for q in order if q.id not in seen]
        if len(fresh) >= count:
            return fresh[:count]
        stale = [q for q in order if q.id in seen]
        if isinstance(shown, Sequence) and not isinstance(shown, str):
            last = {qid: i for i, qid in enumerate(shown)}
            stale.sort(key=lambda q: last[q.id])  # stable: ties keep the seed order
        return (fresh + stale)[:count]


def render(q: Question, ctx: QuestionContext) -> str:
    """The question text for this buyer; missing values never leave braces or "None"."""
    values = _values(ctx)
    template = q.text
    if any(not values.get(name) for name in _body_placeholders(template)) and q.fallback:
        template = q.fallback
    return _fill(template, values)


def _clean(value: object) -> str:
    text = " ".join(str(value).replace("{", "").replace("}", "").split())
    return "" if text.lower() in _EMPTY_VALUES else text


def _values(ctx: QuestionContext) -> dict[str, str]:
    months = ctx.months_open
    return {
        "first_name": _clean(ctx.first_name),
        "account": _clean(ctx.account),
        "deal": _clean(ctx.deal),
        "months_open": f"{months} months" if months is not None and months >= _MIN_MONTHS else "",
    }


def _fill(template: str, values: Mapping[str, str]) -> str:
    if template.startswith(_LEAD):
        rest = template[len(_LEAD) :]
        name = values.get("first_name", "")
        template = f"{name}, {rest}" if name else rest[:1].upper() + rest[1:]
    text = _PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), ""), template)
    # Last-resort tidying for a template without a fallback: no doubled spaces, no space
    # before punctuation, no dangling commas.
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,?.;:!])", r"\1", text)
    text = re.sub(r",(?=[,?.;:!])", "", text)
    text = re.sub(r"^[,;:]\s*", "", text)
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ loading


def default_questions_text() -> str:
    """The packaged ``questions.toml``."""
    return files("rules").joinpath("questions.toml").read_text(encoding="utf-8")


def _as_question(raw: object, n: int) -> Question:
    if not isinstance(raw, dict):
        raise ValueError(f"question #{n} must be a table")
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise ValueError(f"question #{n}: unknown keys: {', '.join(unknown)}")
    missing = [k for k in _REQUIRED_KEYS if not raw.get(k)]
    if missing:
        raise ValueError(f"question #{n}: missing {', '.join(missing)}")
    fields: dict[str, str] = {}
    for key in _KNOWN_KEYS:
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise ValueError(f"question #{n}: {key} must be a string")
        fields[key] = value.strip()
    return Question(**fields)


def _check(questions: Sequence[Question]) -> None:
    problems: list[str] = []
    seen: set[str] = set()
    dupes: list[str] = []
    for q in questions:
        if q.id in seen:
            dupes.append(q.id)
        seen.add(q.id)
    if dupes:
        problems.append(f"duplicate question ids: {', '.join(sorted(set(dupes)))}")
    bad_patterns = sorted({f"{q.pattern} ({q.id})" for q in questions if q.pattern not in PATTERNS})
    if bad_patterns:
        problems.append(f"unknown pattern codes: {', '.join(bad_patterns)}")
    bad_steps = sorted({f"{q.step} ({q.id})" for q in questions if q.step not in STEPS})
    if bad_steps:
        problems.append(f"unknown steps: {', '.join(bad_steps)}")
    for q in questions:
        for label, template in (("text", q.text), ("fallback", q.fallback)):
            names = _placeholders(template)
            unknown = sorted({f"{{{n}}}" for n in names if n not in PLACEHOLDERS})
            if unknown:
                problems.append(f"{q.id} {label}: unknown placeholders: {', '.join(unknown)}")
            stripped = _PLACEHOLDER_RE.sub("", template)
            if "{" in stripped or "}" in stripped:
                problems.append(f"{q.id} {label}: unbalanced braces")
        if _body_placeholders(q.text) and not q.fallback:
            problems.append(f"{q.id}: uses placeholders beyond a leading first name: add fallback")
        if _body_placeholders(q.fallback):
            problems.append(f"{q.id}: fallback may only use a leading {_LEAD.strip()}")
    if problems:
        raise ValueError("invalid question bank: " + "; ".join(problems))


def load_questions(text: str | None = None) -> QuestionBank:
    """Parse and validate a question bank (``None``: the packaged default)."""
    source = default_questions_text() if text is None else text
    try:
        data: dict[str, Any] = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"questions: invalid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"question"})
    if unknown:
        raise ValueError(f"questions: unknown top-level keys: {', '.join(unknown)}")
    raw = data.get("question", [])
    if not isinstance(raw, list):
        raise ValueError("questions: [[question]] must be an array of tables")
    questions = [_as_question(item, n) for n, item in enumerate(raw, start=1)]
    _check(questions)
    return QuestionBank(tuple(questions))


@functools.cache
def default_questions() -> QuestionBank:
    """The packaged question bank, parsed and checked once per process (it is immutable)."""
    return load_questions()
