"""Phrase lists that classify activity text and notes, matched on word forms.

The lists live in ``lexicon.toml`` (data a team can extend); this module tokenises,
stems and matches. Text and phrases go through the same pipeline, so "grabbed a couple of
beers" matches "grab a beer" and "needs the director's sign-off" matches
"director sign off". Pure: the packaged TOML is read only by ``load_lexicon()``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any


class ActivityClass(StrEnum):
    SOCIAL = "social"
    CHECK_IN = "check_in"
    PITCH = "pitch"
    BUYER_WORK = "buyer_work"
    INBOUND = "inbound"
    OTHER = "other"


class Signal(StrEnum):
    NO_NEED = "no_need"
    AUTHORITY = "authority"
    HESITATION = "hesitation"
    NEED = "need"


# Priority order when several classes match. Buyer-side work is the strongest progress
# signal (the buyer is doing their own decision work), so it wins; a buyer reaching out
# comes next (they are engaged); then what the rep did, from the most to the least
# substantive: pitching, socialising, and plain checking in.
CLASS_PRIORITY: tuple[ActivityClass, ...] = (
    ActivityClass.BUYER_WORK,
    ActivityClass.INBOUND,
    ActivityClass.PITCH,
    ActivityClass.SOCIAL,
    ActivityClass.CHECK_IN,
)
CLASS_CATEGORIES: tuple[str, ...] = tuple(c.value for c in CLASS_PRIORITY)
SIGNAL_CATEGORIES: tuple[str, ...] = tuple(s.value for s in Signal)
PHRASE_CATEGORIES: tuple[str, ...] = CLASS_CATEGORIES + SIGNAL_CATEGORIES
PEOPLE_CATEGORIES: tuple[str, ...] = (
    "decision_roles",
    "other_roles",
    "authority_titles",
    "non_authority_titles",
)
CATEGORIES: tuple[str, ...] = PHRASE_CATEGORIES + PEOPLE_CATEGORIES

MAX_GAP = 2  # other words allowed between two neighbouring phrase words
NEGATION_WINDOW = 2  # words looked back from a match for a negator
_CACHE_LIMIT = 500_000  # distinct texts remembered per Lexicon before the cache resets
_BOUNDARY = "|"
_REPLY_PREFIX = "RE:"

# ------------------------------------------------------------------ tokenising

_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[.!?;:,\n]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_REPLY_RE = re.compile(r"^\s*(?:re|aw|antw|sv)\s*(?:\[\d+\]|\(\d+\))?\s*:", re.IGNORECASE)

_NOT_BASES = {"ca": "can", "wo": "will", "ai": "is", "sha": "shall"}
_NO_APOSTROPHE = {
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "cant": "can not",
    "cannot": "can not",
    "couldnt": "could not",
    "shouldnt": "should not",
    "wouldnt": "would not",
    "aint": "is not",
}
# Spelling variants rewritten before stemming.
_REWRITES = {
    "signoff": "sign off",
    "signoffs": "sign off",
    "kickoff": "kick off",
    "followup": "follow up",
    "checkin": "check in",
    "vm": "voicemail",
    "vmail": "voicemail",
    "lvm": "left voicemail",
    "bday": "birthday",
    "tix": "tickets",
    "mtg": "meeting",
    "xmas": "christmas",
}
# Filler words dropped from text and phrases alike. Particles ("in", "up", "back", "off",
# "with", "for") and pronouns that mark who acted ("she", "they", "me") are kept.
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "their",
        "theirs",
        "his",
        "her",
        "my",
        "our",
        "your",
        "do",
        "does",
        "did",
        "just",
        "really",
        "very",
    ]
)
# Irregular forms mapped to a base that the regular stemmer then handles.
_IRREGULAR = {
    "has": "have",
    "had": "have",
    "having": "have",
    "went": "go",
    "gone": "go",
    "got": "get",
    "gotten": "get",
    "sent": "send",
    "met": "meet",
    "took": "take",
    "taken": "take",
    "thought": "think",
    "bought": "buy",
    "brought": "bring",
    "spoke": "speak",
    "told": "tell",
    "said": "say",
    "caught": "catch",
    "left": "leave",
    "ran": "run",
    "came": "come",
    "gave": "give",
    "saw": "see",
    "heard": "hear",
    "wrote": "write",
    "written": "write",
    "kept": "keep",
    "lost": "lose",
    "felt": "feel",
    "held": "hold",
}
_NEGATORS_RAW = (
    "not", "no", "never", "without", "nor", "neither", "hardly", "barely", "none", "nobody",
    "noone", "nothing", "nowhere",
)  # fmt: skip


def _undouble(w: str) -> str:
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeioulsz":
        return w[:-1]
    return w


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Light suffix stripping: plurals, -ed, -ing, final -e (same result for all forms)."""
    w = _IRREGULAR.get(word, word)
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ing") and len(w) >= 6:
        return _undouble(w[:-3])
    if w.endswith("ed") and len(w) >= 5:
        return _undouble(w[:-2])
    # Final -e only when no verb suffix went: "agree"/"agreed" -> "agre", "evaluate" and
    # "evaluated" -> "evaluat".
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def _expand(raw: str) -> list[str]:
    """One raw token to zero or more normalised words (contractions, rewrites, fillers)."""
    if "'" in raw:
        if raw.endswith("n't"):
            base = raw[:-3]
            return [*_expand(_NOT_BASES.get(base, base)), "not"]
        head, _, tail = raw.partition("'")
        raw = head if tail in ("s", "re", "ve", "ll", "d", "m", "t") else head + tail
    if raw in _NO_APOSTROPHE:
        return [w for part in _NO_APOSTROPHE[raw].split() for w in _expand(part)]
    if raw in _REWRITES:
        return [w for part in _REWRITES[raw].split() for w in _expand(part)]
    return [] if raw in _STOPWORDS else [raw]


@lru_cache(maxsize=65_536)
def _word_stems(raw: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _expand(raw))


def tokens(text: str) -> tuple[str, ...]:
    """Stems of ``text`` in order; clause punctuation becomes a boundary marker."""
    out: list[str] = []
    for raw in _TOKEN_RE.findall(text.lower().translate(_QUOTES)):
        if raw in ".!?;:,\n":
            if out and out[-1] != _BOUNDARY:
                out.append(_BOUNDARY)
        else:
            out.extend(_word_stems(raw))
    return tuple(out)


_NEGATORS = frozenset(stem(w) for w in _NEGATORS_RAW)

# ------------------------------------------------------------------ matching


@dataclass(frozen=True, slots=True)
class _Phrase:
    category: str
    text: str
    stems: tuple[str, ...]
    negated_form: bool  # the phrase itself contains a negator ("not a priority")
    rest: frozenset[str]  # stems after the first: a cheap pre-check before matching


def _match_from(toks: tuple[str, ...], pos: int, stems: tuple[str, ...], k: int) -> bool:
    if k == len(stems):
        return True
    for j in range(pos + 1, min(pos + 2 + MAX_GAP, len(toks))):
        t = toks[j]
        if t == _BOUNDARY:
            return False
        if t == stems[k] and _match_from(toks, j, stems, k + 1):
            return True
    return False


def _negated_at(toks: tuple[str, ...], pos: int) -> bool:
    for j in range(pos - 1, max(pos - 1 - NEGATION_WINDOW, -1), -1):
        t = toks[j]
        if t == _BOUNDARY:
            return False
        if t in _NEGATORS:
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Scan:
    hits: tuple[tuple[str, str], ...]  # (category, phrase) in text order
    categories: frozenset[str]


# ------------------------------------------------------------------ people


def _title_words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", text.lower().replace(".", "")))


_TITLE_SPLIT_RE = re.compile(r"[,/&|;()+]| - | and ", re.IGNORECASE)
_TITLE_STOP = frozenset({"of", "to", "for", "at", "in", "with", "on"})


def _title_head(words: tuple[str, ...]) -> tuple[str, ...]:
    """The part of a title before "of"/"to"/"at" ("Assistant to the CEO" -> assistant)."""
    for i, w in enumerate(words):
        if w in _TITLE_STOP:
            if w == "of" and i > 0 and words[i - 1] == "head":
                return words[: i + 1]
            return words[:i]
    return words


def _normalise_role(role: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", role.lower()))


# ------------------------------------------------------------------ the lexicon


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Compiled phrase lists. Build with ``load_lexicon``."""

    phrases: Mapping[str, tuple[str, ...]]
    _index: Mapping[str, tuple[_Phrase, ...]] = field(repr=False, compare=False)
    _cache: dict[str, _Scan] = field(default_factory=dict, repr=False, compare=False)

    def _scan(self, text: str) -> _Scan:
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        toks = tokens(text)
        hits: list[tuple[str, str]] = []
        if _REPLY_RE.match(text):
            hits.append((ActivityClass.INBOUND.value, _REPLY_PREFIX))
        index = self._index
        present = frozenset(toks)
        for i, t in enumerate(toks):
            candidates = index.get(t)
            if not candidates:
                continue
            for ph in candidates:
                if (
                    ph.rest <= present
                    and _match_from(toks, i, ph.stems, 1)
                    and (ph.negated_form or not _negated_at(toks, i))
                ):
                    hits.append((ph.category, ph.text))
        result = _Scan(tuple(dict.fromkeys(hits)), frozenset(c for c, _ in hits))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[text] = result
        return result

    def classify(self, subject: str, body: str) -> ActivityClass:
        """The one primary class of an activity (subject "RE:" marks inbound)."""
        text = f"{subject}\n{body}" if body else subject
        found = self._scan(text).categories
        for cls in CLASS_PRIORITY:
            if cls.value in found:
                return cls
        return ActivityClass.OTHER

    def signals(self, text: str) -> frozenset[Signal]:
        """Note signals present in ``text`` (zero or more)."""
        found = self._scan(text).categories
        return frozenset(s for s in Signal if s.value in found)

    def matches(self, text: str, category: str) -> list[str]:
        """The phrases of ``category`` that matched ``text``, in text order (evidence)."""
        if category not in PHRASE_CATEGORIES:
            raise ValueError(
                f"unknown lexicon category {category!r}; expected one of "
                + ", ".join(PHRASE_CATEGORIES)
            )
        return [p for c, p in self._scan(text).hits if c == category]

    def authority_of(self, title: str, role: str) -> bool:
        """Whether a contact with this title and deal role has decision power."""
        decision = {_normalise_role(r) for r in self.phrases["decision_roles"]}
        for part in re.split(r"[;,|/]", role):
            if _normalise_role(part) in decision:
                return True
        return any(
            self._title_part_has_authority(_title_head(_title_words(part)))
            for part in _TITLE_SPLIT_RE.split(title)
        )

    def _title_part_has_authority(self, words: tuple[str, ...]) -> bool:
        # The head of an English noun phrase comes last ("Executive Assistant" is an
        # assistant), so the match ending latest decides; on a tie the longer phrase
        # ("general manager" over "manager").
        best: tuple[int, int, bool] | None = None
        for category, verdict in (("authority_titles", True), ("non_authority_titles", False)):
            for phrase in self.phrases[category]:
                pw = _title_words(phrase)
                n = len(pw)
                for end in range(n, len(words) + 1):
                    if words[end - n : end] == pw:
                        cand = (end, n, verdict)
                        if best is None or cand[:2] > best[:2]:
                            best = cand
        return best is not None and best[2]


def _parse(text: str, source: str) -> dict[str, list[str]]:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: invalid TOML: {exc}") from exc
    unknown = sorted(set(data) - set(CATEGORIES))
    if unknown:
        raise ValueError(
            f"{source}: unknown lexicon categories: {', '.join(unknown)} "
            f"(known: {', '.join(CATEGORIES)})"
        )
    out: dict[str, list[str]] = {}
    for key, value in data.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{source}: {key} must be a list of strings")
        out[key] = [v.strip() for v in value if v.strip()]
    return out


def _compile(phrases: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[_Phrase, ...]]:
    index: dict[str, list[_Phrase]] = {}
    for category in PHRASE_CATEGORIES:
        seen: set[tuple[str, ...]] = set()
        for text in phrases[category]:
            stems = tokens(text)
            if stems in seen:  # "following up" = "follow up": report the first only
                continue
            seen.add(stems)
            if not stems or _BOUNDARY in stems:
                raise ValueError(
                    f"lexicon phrase {text!r} in {category} has no words to match "
                    "(only filler words or punctuation)"
                )
            if len(stems) == 1 and len(text.split()) > 1:
                raise ValueError(
                    f"lexicon phrase {text!r} in {category} reduces to the single word "
                    f"{stems[0]!r} once filler words are dropped; make it more specific"
                )
            negated_form = any(s in _NEGATORS for s in stems)
            ph = _Phrase(category, text, stems, negated_form, frozenset(stems[1:]))
            index.setdefault(stems[0], []).append(ph)
    return {k: tuple(v) for k, v in index.items()}


def default_lexicon_text() -> str:
    """The packaged ``lexicon.toml``."""
    return files("rules").joinpath("lexicon.toml").read_text(encoding="utf-8")


def load_lexicon(text: str | None = None, extra: str | None = None) -> Lexicon:
    """Build a Lexicon from TOML (``None``: the packaged default) plus a team's additions."""
    base = _parse(default_lexicon_text() if text is None else text, "lexicon")
    added = _parse(extra, "extra lexicon") if extra is not None else {}
    merged: dict[str, tuple[str, ...]] = {}
    for category in CATEGORIES:
        combined = base.get(category, []) + added.get(category, [])
        merged[category] = tuple(dict.fromkeys(combined))
    return Lexicon(MappingProxyType(merged), MappingProxyType(_compile(merged)))
