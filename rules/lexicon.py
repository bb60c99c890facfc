"""Reading activity text: classes, note signals, cues and who spoke, from data.

Phrase lists and word tables live in ``lexicon.toml`` (English and the tables every
language shares) and ``languages/*.toml`` (German, Spanish, French, Portuguese, Dutch,
Italian, Polish, Czech, Swedish, Danish, Norwegian, Finnish), data a team extends with
``[lexicon]`` in its config. This module tokenises (lower case, accents folded, contractions
and elisions expanded, filler words dropped, light stemming), matches phrases on word forms
inside one clause, and applies a few general rules instead of one-off phrases:

- **negation**: a match right after a negator ("not", "nie", "pas", "não" ...) does not count;
- **clause scope**: buyer-side work in a clause about *other* projects ("busy with their ERP
  rollout") is not work on this deal; material the rep made ("a business case I wrote") is
  not buyer work;
- **deferral**: a revisit/talk-again phrase with a later time in the same clause ("let's
  revisit after Q1", "hablamos después del verano") is hesitation;
- **who spoke** (``Lexicon.speaker``): reply prefixes, greetings and sign-offs naming the
  rep or a buyer contact, and notes that report the buyer's own words.

Pure: the packaged files are read only by ``load_lexicon()``.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
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


class Cue(StrEnum):
    """What a text says beyond its class, used with who spoke."""

    REQUEST = "request"  # someone asks for something ("can you send", "kun je ... sturen")
    AS_REQUESTED = "as_requested"  # material sent because it was asked for
    ELSEWHERE = "elsewhere"  # busy with other work, other projects
    REP_MADE = "rep_made"  # material the rep produced ("a business case I wrote")
    BUYER_MATERIAL = "buyer_material"  # their data, export, list, feedback
    DEFERRAL = "deferral"  # revisit, talk again, come back to it


class Party(StrEnum):
    BUYER = "buyer"
    REP = "rep"
    UNKNOWN = "unknown"


# Priority when several classes match. Buyer-side work is the strongest progress signal
# (the buyer is doing their own decision work), so it wins; a buyer reaching out comes
# next; then what the rep did, from the most to the least substantive.
CLASS_PRIORITY: tuple[ActivityClass, ...] = (
    ActivityClass.BUYER_WORK,
    ActivityClass.INBOUND,
    ActivityClass.PITCH,
    ActivityClass.SOCIAL,
    ActivityClass.CHECK_IN,
)
CLASS_CATEGORIES: tuple[str, ...] = tuple(c.value for c in CLASS_PRIORITY)
SIGNAL_CATEGORIES: tuple[str, ...] = tuple(s.value for s in Signal)
CUE_CATEGORIES: tuple[str, ...] = tuple(c.value for c in Cue)
PHRASE_CATEGORIES: tuple[str, ...] = CLASS_CATEGORIES + SIGNAL_CATEGORIES + CUE_CATEGORIES
PEOPLE_CATEGORIES: tuple[str, ...] = (
    "decision_roles",
    "other_roles",
    "authority_titles",
    "executive_titles",
    "non_authority_titles",
)
CATEGORIES: tuple[str, ...] = PHRASE_CATEGORIES + PEOPLE_CATEGORIES
# [words] tables: lists of words, or word -> replacement tables.
WORD_LISTS: tuple[str, ...] = (
    "stopwords", "negators", "negators_after", "elisions", "reply_prefixes", "greetings",
    "honorifics", "speech_verbs", "call_verbs", "later", "time_words", "header_from",
    "header_fields", "wrote", "sending", "auxiliaries", "title_stops",
)  # fmt: skip
WORD_TABLES: tuple[str, ...] = ("rewrites", "irregular", "contractions")

MAX_GAP = 2  # other words allowed between two neighbouring phrase words
NEGATION_WINDOW = 2  # words looked back (and ahead) from a match for a negator
ANCHOR_WINDOW = 3  # words from "after"/"nach"/"après" to the time it names
_CACHE_LIMIT = 500_000  # distinct texts remembered per Lexicon before the cache resets
_BOUNDARY = "|"
# A capitalised name (not opening a sentence) followed by a possessive or a verb of acting.
_NAMED_ACTOR = re.compile(
    r"(?<![.!?:\n]\s)(?<!^)\b([A-ZÀ-Þ][a-zà-ÿ]{2,})(?:'s\b|’s\b|\s+(?:has|had|will|wants|"
    r"needs|must|decides|signs|doesn't|does|isn't|is|still|muss|will|doit|veut|tiene|quiere|"
    r"precisa|moet|wil|decide|decidira|entscheidet|beslist)\b)"
)
# Where quoted history starts in a logged email ("-----Original Message-----").
_QUOTE_START = re.compile(r"^-{2,}\s*[^\W\d_ ][^-]*-{2,}$")
_REPLY_PHRASE = "(reply prefix)"

# ------------------------------------------------------------------ words

_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[.!?;:,\n]")
_WORD_RE = re.compile(r"[^\W_]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case with accents folded: "Déjeuner Straße" -> "dejeuner strasse". Cached: a
    note is folded by every reading of it (who spoke, greetings, sign-off, cues)."""
    text = text.casefold().translate(_QUOTES)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _undouble(w: str) -> str:
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeioulsz":
        return w[:-1]
    return w


def _stem(word: str, irregular: Mapping[str, str]) -> str:
    """Light suffix stripping: plurals, -ed, -ing, final -e (same result for all forms)."""
    w = irregular.get(word, word)
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


@dataclass(frozen=True, eq=False)
class Words:
    """The word tables (stop words, negators, rewrites ...) and the tokenizer they make."""

    lists: Mapping[str, frozenset[str]]
    tables: Mapping[str, Mapping[str, str]]
    _stems: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict, repr=False
    )

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.lists[name]

    def stem(self, word: str) -> str:
        return _stem(word, self.tables["irregular"])

    def _expand(self, raw: str) -> list[str]:
        """One raw token to zero or more words (contractions, elisions, rewrites, fillers)."""
        if "'" in raw:
            head, _, tail = raw.partition("'")
            if raw.endswith("n't"):
                base = raw[:-3]
                return [*self._expand(self.tables["contractions"].get(base, base)), "not"]
            if head in self.lists["elisions"]:  # l'instant, d'accord, qu'il, n'est
                return [*self._expand(head), *self._expand(tail)]
            raw = head if tail in ("s", "re", "ve", "ll", "d", "m", "t") else head + tail
        rewritten = self.tables["rewrites"].get(raw)
        if rewritten is not None:
            return [w for part in rewritten.split() for w in self._expand(part)]
        return [] if raw in self.lists["stopwords"] else [raw]

    def _word(self, raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(stems, words) of one raw token: its expanded words and their stems."""
        found = self._stems.get(raw)
        if found is None:
            words = tuple(self._expand(raw))
            found = (tuple(self.stem(w) for w in words), words)
            if len(self._stems) >= 100_000:
                self._stems.clear()
            self._stems[raw] = found
        return found

    def word_stems(self, raw: str) -> tuple[str, ...]:
        return self._word(raw)[0]

    def split(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(stems, words) of ``text``, position by position; clause punctuation becomes a
        boundary in both. English phrases match the stems; other languages' phrases match
        the words, so one language's stemming never makes another's words collide
        (French "reporté" is not English "reporting")."""
        stems: list[str] = []
        words: list[str] = []
        for raw in _TOKEN_RE.findall(fold(text)):
            if raw in ".!?;:,\n":
                if stems and stems[-1] != _BOUNDARY:
                    stems.append(_BOUNDARY)
                    words.append(_BOUNDARY)
            else:
                s, w = self._word(raw)
                stems.extend(s)
                words.extend(w)
        return tuple(stems), tuple(words)

    def tokens(self, text: str) -> tuple[str, ...]:
        """Stems of ``text`` in order; clause punctuation becomes a boundary marker."""
        return self.split(text)[0]


# ------------------------------------------------------------------ matching


@dataclass(frozen=True, slots=True)
class _Phrase:
    category: str
    text: str
    stems: tuple[str, ...]  # a stem ending in "*" matches any word starting with it
    negated_form: bool  # the phrase itself contains a negator ("not a priority")
    rest: frozenset[str]  # exact stems after the first: a cheap pre-check before matching
    exact: bool = False  # matched against words, not stems (languages other than English)


def _same(token: str, stem: str) -> bool:
    return token == stem or (stem[-1] == "*" and token.startswith(stem[:-1]))


def _match_end(toks: tuple[str, ...], pos: int, stems: tuple[str, ...], k: int) -> int:
    """The position of the phrase's last word when it matches from ``pos``, else -1."""
    if k == len(stems):
        return pos
    for j in range(pos + 1, min(pos + 2 + MAX_GAP, len(toks))):
        t = toks[j]
        if t == _BOUNDARY:
            return -1
        if _same(t, stems[k]):
            end = _match_end(toks, j, stems, k + 1)
            if end >= 0:
                return end
    return -1


def _negated_at(
    toks: tuple[str, ...],
    start: int,
    end: int,
    negators: frozenset[str],
    after: frozenset[str],
    auxiliaries: frozenset[str],
) -> bool:
    """A negator up to two words before the match, or after it ("funktioniert nicht",
    "ne marche pas", "procurement won't engage"). ``toks`` are the text's words."""
    follows = toks[end + 1 : end + 3]
    if follows[:1] and follows[0] in after:
        return True
    if len(follows) == 2 and follows[0] in auxiliaries and follows[1] in after:
        return True  # "procurement won't engage" (will not)
    for j in range(start - 1, max(start - 1 - NEGATION_WINDOW, -1), -1):
        t = toks[j]
        if t == _BOUNDARY:
            return False
        if t in negators:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Reading:
    """What one activity's text says: its class, note signals and cues, and the phrases."""

    cls: ActivityClass
    signals: frozenset[Signal]
    cues: frozenset[Cue]
    hits: tuple[tuple[str, str], ...]  # (category, phrase) in text order, for evidence
    # A request opening a note with no subject ("asked Jeff for an intro"): the writer asked.
    writer_asks: bool = False

    @property
    def rep_like(self) -> bool:
        """It reads like the rep's: a follow-up or material (whatever the subject says)."""
        rep = (ActivityClass.CHECK_IN.value, ActivityClass.PITCH.value)
        return any(c in rep for c, _ in self.hits)


# ------------------------------------------------------------------ people


def _title_words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", fold(text).replace(".", "")))


_TITLE_SPLIT_RE = re.compile(r"[,/&|;()+]| - | and | y | und | et | e | en ", re.IGNORECASE)


def _title_head(words: tuple[str, ...], stops: frozenset[str]) -> tuple[str, ...]:
    """The part of a title before "of"/"to"/"at" ("Assistant to the CEO" -> assistant);
    ``stops`` are the words that end a title's head (``title_stops`` in lexicon.toml)."""
    for i, w in enumerate(words):
        if w in stops:
            if w == "of" and i > 0 and words[i - 1] == "head":
                return words[: i + 1]
            return words[:i]
    return words


def _title_pattern(phrase: str) -> tuple[str, ...]:
    """A title phrase's words; "*leiter" and "vorstand*" keep their wildcard (compounds)."""
    words = list(_title_words(phrase))
    if words and phrase.startswith("*"):
        words[0] = "*" + words[0]
    if words and phrase.endswith("*"):
        words[-1] += "*"
    return tuple(words)


@functools.lru_cache(maxsize=64)
def _titles_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list of title phrases, matched against a title's words joined by
    spaces: each phrase's words in a row, a wildcard word ("*leiter", "vorstand*") matching
    the rest of a compound. Compiled once per list (``names_authority`` runs per remark)."""

    def word(w: str) -> str:
        if w.startswith("*"):
            return "[a-z0-9]*" + re.escape(w[1:])
        if w.endswith("*"):
            return re.escape(w[:-1]) + "[a-z0-9]*"
        return re.escape(w)

    alternatives = [" ".join(word(w) for w in _title_pattern(p)) for p in phrases]
    alternatives = [a for a in alternatives if a]
    if not alternatives:
        return re.compile(r"(?!x)x")  # matches nothing
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


def _title_word(word: str, phrase_word: str) -> bool:
    if phrase_word.startswith("*"):
        return word.endswith(phrase_word[1:])
    if phrase_word.endswith("*"):
        return word.startswith(phrase_word[:-1])
    return word == phrase_word


def _normalise_role(role: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(role)))


@dataclass(frozen=True)
class Names:
    """Name words (folded) of the people on one side of a deal, with their initials."""

    words: frozenset[str] = frozenset()
    initials: frozenset[str] = frozenset()

    @classmethod
    def of(cls, names: Iterable[str]) -> Names:
        words = {w for n in names for w in _WORD_RE.findall(fold(n)) if len(w) > 1}
        initials = {fold(n).strip()[:1] for n in names if n.strip()}
        return cls(frozenset(words), frozenset(initials))


# ------------------------------------------------------------------ the lexicon


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Compiled phrase lists and word tables. Build with ``load_lexicon``."""

    phrases: Mapping[str, tuple[str, ...]]
    words: Words = field(repr=False)
    _index: Mapping[str, tuple[_Phrase, ...]] = field(repr=False, compare=False)
    _prefix_index: Mapping[str, tuple[_Phrase, ...]] = field(repr=False, compare=False)
    _exact_index: Mapping[str, tuple[_Phrase, ...]] = field(repr=False, compare=False)
    _cache: dict[tuple[str, str], Reading] = field(default_factory=dict, repr=False, compare=False)

    def tokens(self, text: str) -> tuple[str, ...]:
        return self.words.tokens(text)

    # --- phrases -------------------------------------------------------------------
    def _hits(
        self, stems: tuple[str, ...], words: tuple[str, ...]
    ) -> list[tuple[str, str, int, int]]:
        """(category, phrase, clause number, start) for every phrase matching, negation
        applied."""
        hits: list[tuple[str, str, int, int]] = []
        present = {False: frozenset(stems), True: frozenset(words)}
        negators, after = self.words["negators"], self.words["negators_after"]
        auxiliaries = self.words["auxiliaries"]
        clause = 0
        for i, t in enumerate(stems):
            if t == _BOUNDARY:
                clause += 1
                continue
            w = words[i]
            candidates = (
                self._index.get(t, ())
                + self._exact_index.get(w, ())
                + self._prefix_index.get(t[:3], ())
                + (self._prefix_index.get(w[:3], ()) if w[:3] != t[:3] else ())
            )
            for ph in candidates:
                seq = words if ph.exact else stems
                if not _same(seq[i], ph.stems[0]) or not ph.rest <= present[ph.exact]:
                    continue
                end = _match_end(seq, i, ph.stems, 1)
                if end >= 0 and (
                    ph.negated_form or not _negated_at(words, i, end, negators, after, auxiliaries)
                ):
                    hits.append((ph.category, ph.text, clause, i))
        return hits

    def _anchor_clauses(self, words: tuple[str, ...]) -> set[int]:
        """Clauses naming a later time: "after Q1", "nach der Messe", "à la rentrée"."""
        later, times = self.words["later"], self.words["time_words"]
        out: set[int] = set()
        clause = 0
        for i, t in enumerate(words):
            if t == _BOUNDARY:
                clause += 1
            elif t in later:
                for u in words[i + 1 : i + 1 + ANCHOR_WINDOW]:
                    if u == _BOUNDARY:
                        break
                    if u in times:
                        out.add(clause)
                        break
        return out

    def read(self, subject: str, body: str = "") -> Reading:
        """What the text of one activity says (memoised: exports repeat their texts)."""
        # Keyed by both parts: a subject holding a newline and a subject plus a body can
        # spell the same text yet read differently (a reply prefix, the writer's request).
        key = (subject, body)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        text = f"{subject}\n{body}" if body else subject
        stems, words = self.words.split(text)
        raw = self._hits(stems, words)
        elsewhere = {c for cat, _, c, _ in raw if cat == Cue.ELSEWHERE}
        rep_made = any(cat == Cue.REP_MADE for cat, _, _, _ in raw)
        head = self.words.split(subject)[0]
        body_at = len(head) + int(bool(head) and head[-1] != _BOUNDARY) if body else 0
        writer_asks = any(cat == Cue.REQUEST and at == body_at for cat, _, _, at in raw)
        hits: list[tuple[str, str]] = []
        if self.reply_prefix(subject):
            hits.append((ActivityClass.INBOUND.value, _REPLY_PHRASE))
        for cat, phrase, clause, _ in raw:
            if cat == ActivityClass.BUYER_WORK and (clause in elsewhere or rep_made):
                continue  # other projects, or material the rep made: not buyer work
            hits.append((cat, phrase))
        if rep_made:
            hits.append((ActivityClass.PITCH.value, "(material the rep made)"))
        found = {cat for cat, _ in hits}
        anchors = self._anchor_clauses(words) if Cue.DEFERRAL in found else set()
        if any(cat == Cue.DEFERRAL and c in anchors for cat, _, c, _ in raw):
            found.add(Signal.HESITATION.value)
        if (
            {ActivityClass.CHECK_IN.value, ActivityClass.PITCH.value} <= found
            and not rep_made
            and self.words["sending"].isdisjoint(words)
        ):
            # "f/u quote", "any update on the proposal?": chasing earlier material is a
            # follow-up, not a new pitch (unless it sends something too).
            found.discard(ActivityClass.PITCH.value)
        cls = next((c for c in CLASS_PRIORITY if c.value in found), ActivityClass.OTHER)
        result = Reading(
            cls,
            frozenset(s for s in Signal if s.value in found),
            frozenset(c for c in Cue if c.value in found),
            tuple(dict.fromkeys(hits)),
            writer_asks,
        )
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def classify(self, subject: str, body: str) -> ActivityClass:
        """The one primary class of an activity (a reply subject marks inbound)."""
        return self.read(subject, body).cls

    def signals(self, text: str) -> frozenset[Signal]:
        """Note signals present in ``text`` (zero or more)."""
        return self.read(text).signals

    def matches(self, text: str, category: str) -> list[str]:
        """The phrases of ``category`` that matched ``text``, in text order (evidence)."""
        if category not in PHRASE_CATEGORIES:
            raise ValueError(
                f"unknown lexicon category {category!r}; expected one of "
                + ", ".join(PHRASE_CATEGORIES)
            )
        return [p for c, p in self.read(text).hits if c == category]

    # --- who spoke ----------------------------------------------------------------
    def reply_prefix(self, subject: str) -> bool:
        """A reply or forward subject ("RE:", "AW:", "Antw:", "RV:", "Email: RE:")."""
        words = _WORD_RE.findall(fold(subject)[:40])
        if words[:1] == ["email"]:
            words = words[1:]
        head = fold(subject).lstrip()
        return bool(words) and words[0] in self.words["reply_prefixes"] and ":" in head[:12]

    def email_parts(self, body: str) -> tuple[str, str]:
        """(sender, own text) of a logged email: a pasted header block ("From: ... Sent:
        ... To: ...", in the languages email clients use) names the sender and is not the
        message; quoted history ("> ...", "-----Original Message-----", "On ... wrote:")
        is not this message's text either."""
        if not body:
            return "", body
        lines = body.splitlines()
        sender = ""
        start = 0
        fields = self.words["header_fields"] | self.words["header_from"]
        for i, line in enumerate(lines[:12]):
            name, colon, value = line.partition(":")
            key = fold(name).strip()
            if not colon or key not in fields:
                if i == start and not line.strip():
                    start = i + 1
                    continue
                break
            if key in self.words["header_from"] and not sender:
                sender = re.sub(r"[<\[].*", "", value).strip()
            start = i + 1
        out: list[str] = []
        for line in lines[start:]:
            if line.lstrip().startswith(">") or _QUOTE_START.match(fold(line.strip())):
                break
            if fold(line.strip()).endswith(tuple(self.words["wrote"])) and len(out) > 0:
                break
            out.append(line)
        return sender, "\n".join(out).strip()

    def speaker(
        self,
        subject: str,
        body: str,
        *,
        written: bool,
        rep: Names,
        buyer: Names,
        rep_like: bool = False,
        sender: str = "",
    ) -> tuple[Party, bool]:
        """Who wrote a message, and whether a note reports the buyer's own words.

        ``written`` is for emails (greetings and sign-offs name who writes to whom); for
        call, meeting and note text, a buyer's name opening the note ("Pieter: not now")
        or a quote reports what the buyer said. ``rep_like``: the text reads like the rep's
        (a follow-up, material), so a reply prefix alone does not make it the buyer's.
        """
        words = _WORD_RE.findall(fold(body))
        reported = False
        if written:
            named = set(_WORD_RE.findall(fold(sender)))
            if named & buyer.words and not named & rep.words:
                return Party.BUYER, True  # "From: Linda de Vos"
            if named & rep.words and not named & buyer.words:
                return Party.REP, False
            if self._attributed(body, words, buyer):
                return Party.BUYER, True  # "Imogen: sorry, was on leave!"
            party = self._addressed(body, words, rep, buyer)
            if party is Party.UNKNOWN:
                party = self._signed(body, rep, buyer)
            if party is Party.UNKNOWN and self.reply_prefix(subject) and not rep_like:
                party = Party.BUYER  # a reply in the thread: the buyer wrote (or wrote first)
            return party, party is Party.BUYER
        first = words[0] if words else ""
        head = fold(body).lstrip()[len(first) : len(first) + 3]
        calls = self.words["call_verbs"]
        said = _WORD_RE.findall(fold(subject)) + words
        if any(a in buyer.words and b in calls for a, b in itertools.pairwise(said)):
            return Party.BUYER, True  # "Diane called", "Barros rang"
        if first and (first in buyer.words or (len(first) == 1 and first in buyer.initials)):
            reported = bool(head[:1] in (":", "-") or (words[1:2] and words[1] in self.words[
                "speech_verbs"]))  # fmt: skip
        if not reported and re.search(r"(^|\s)['\"«„“][^'\"»“”]{3,}['\"»“”]", body):
            reported = True  # the buyer's words quoted in the note
        if not reported:
            reported = any(
                a in (buyer.words | {"she", "he", "they", "client", "customer"})
                and b in self.words["speech_verbs"]
                for a, b in itertools.pairwise(words)
            )
        return Party.UNKNOWN, reported

    @staticmethod
    def _attributed(body: str, words: list[str], buyer: Names) -> bool:
        """A message opening with a buyer's name and a colon: their words, summarised."""
        first = words[0] if words else ""
        after = fold(body).lstrip()[len(first) : len(first) + 2].lstrip()
        return first in buyer.words and after.startswith(":")

    def _addressed(self, body: str, words: list[str], rep: Names, buyer: Names) -> Party:
        """An opening that names the addressee: "Hi Lena", "Tyler - can you", "Merci Sophie"."""
        honorifics, greetings = self.words["honorifics"], self.words["greetings"]
        lead = [w for w in words[:6] if w not in honorifics]
        if (
            lead[:1]
            and lead[0] in buyer.words
            and not re.match(rf"\s*{re.escape(lead[0])}\s*[,\-!]", fold(body).lstrip())
        ):
            return Party.UNKNOWN  # "Keisha sent the forms": about the buyer, not to them
        for i, w in enumerate(lead[:3]):
            if w in rep.words:
                return Party.BUYER  # written to the rep
            if w in buyer.words:
                return Party.REP  # written to the buyer
            if w not in greetings and i >= 1:
                break
        # "RE: pilot results - Nora, attaching ...": a name set off by a comma early on.
        for m in re.finditer(r"([^\W\d_]+)\s*[,!]", fold(body)[:80]):
            if m[1] in rep.words:
                return Party.BUYER
            if m[1] in buyer.words:
                return Party.REP
        return Party.UNKNOWN

    @staticmethod
    def _signed(body: str, rep: Names, buyer: Names) -> Party:
        """A sign-off naming the writer, after the last sentence: "Gruß B. Krause",
        "... volumen. Lucía", "Regards, Hugo Bernard", "-K", "J."."""
        text = fold(body).rstrip()
        if text.endswith("?"):
            return Party.UNKNOWN
        segment = re.split(r"[.!\n,;:]|\s-\s?|^-", text.rstrip("."))[-1]
        tail = _WORD_RE.findall(segment)
        if 0 < len(tail) <= 3:
            for w in reversed(tail):
                if w in buyer.words:
                    return Party.BUYER
                if w in rep.words:
                    return Party.REP
        last = text.rstrip(".")
        m = re.search(r"(?:^|[\s\-])([a-z])$", last)
        if m:
            if m[1] in buyer.initials and m[1] not in rep.initials:
                return Party.BUYER
            if m[1] in rep.initials and m[1] not in buyer.initials:
                return Party.REP
        return Party.UNKNOWN

    # --- people -------------------------------------------------------------------
    def names_outsider(self, text: str, known: Names) -> bool:
        """Whether ``text`` names a person who is not one of ``known`` as acting ("Dave's
        call", "Malcolm doesn't believe in it", "Dave will decide", "Renard doit ...")."""
        for m in _NAMED_ACTOR.finditer(text):
            name = fold(m[1])
            if name not in known.words and name not in self.words["stopwords"]:
                return True
        return False

    def executive(self, title: str, role: str) -> bool:
        """Whether a contact is at the top of their organisation (or the economic buyer)."""
        decision = {_normalise_role(r) for r in self.phrases["decision_roles"]}
        if any(_normalise_role(part) in decision for part in re.split(r"[;,|/]", role)):
            return True
        return any(
            self.names_authority(
                " ".join(_title_head(_title_words(part), self.words["title_stops"])),
                executive_only=True,
            )
            for part in _TITLE_SPLIT_RE.split(title)
        )

    def authority_of(self, title: str, role: str) -> bool:
        """Whether a contact with this title and deal role has decision power."""
        decision = {_normalise_role(r) for r in self.phrases["decision_roles"]}
        for part in re.split(r"[;,|/]", role):
            if _normalise_role(part) in decision:
                return True
        return any(
            self._title_part_has_authority(
                _title_head(_title_words(part), self.words["title_stops"])
            )
            for part in _TITLE_SPLIT_RE.split(title)
        )

    def names_authority(self, text: str, executive_only: bool = False) -> bool:
        """Whether ``text`` names someone by a title with decision power ("the CFO", "der
        Geschäftsführer", "Director de Planta", "the board"); ``executive_only``: a title at
        the top of an organisation."""
        joined = " ".join(_title_words(text))
        categories = ("executive_titles",) if executive_only else (
            "authority_titles", "executive_titles")  # fmt: skip
        return any(_titles_regex(self.phrases[c]).search(joined) for c in categories)

    def _title_part_has_authority(self, words: tuple[str, ...]) -> bool:
        # The head of an English noun phrase comes last ("Executive Assistant" is an
        # assistant), so the match ending latest decides; on a tie the longer phrase
        # ("general manager" over "manager").
        best: tuple[int, int, bool] | None = None
        for category, verdict in (("authority_titles", True), ("non_authority_titles", False)):
            for phrase in self.phrases[category]:
                pw = _title_pattern(phrase)
                n = len(pw)
                for end in range(n, len(words) + 1):
                    if all(
                        _title_word(w, p) for w, p in zip(words[end - n : end], pw, strict=True)
                    ):
                        cand = (end, n, verdict)
                        if best is None or cand[:2] > best[:2]:
                            best = cand
        return best is not None and best[2]


# ------------------------------------------------------------------ loading


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: invalid TOML: {exc}") from exc
    unknown = sorted(set(data) - set(CATEGORIES) - {"words"})
    if unknown:
        raise ValueError(
            f"{source}: unknown lexicon categories: {', '.join(unknown)} "
            f"(known: {', '.join(CATEGORIES)}, words)"
        )
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "words":
            out["words"] = _parse_words(value, source)
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{source}: {key} must be a list of strings")
        out[key] = [v.strip() for v in value if v.strip()]
    return out


def _parse_words(value: Any, source: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{source}: [words] must be a table")
    unknown = sorted(set(value) - set(WORD_LISTS) - set(WORD_TABLES))
    if unknown:
        raise ValueError(
            f"{source}: [words] has unknown keys: {', '.join(unknown)} "
            f"(known: {', '.join(WORD_LISTS + WORD_TABLES)})"
        )
    for key, v in value.items():
        ok = (
            isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
            if key in WORD_TABLES
            else isinstance(v, list) and all(isinstance(x, str) for x in v)
        )
        if not ok:
            kind = "a table of words" if key in WORD_TABLES else "a list of words"
            raise ValueError(f"{source}: [words] {key} must be {kind}")
    return dict(value)


def _build_words(parts: list[dict[str, Any]]) -> Words:
    lists: dict[str, set[str]] = {k: set() for k in WORD_LISTS}
    tables: dict[str, dict[str, str]] = {k: {} for k in WORD_TABLES}
    for part in parts:
        for key, value in part.items():
            if key in WORD_TABLES:
                tables[key].update({fold(k): fold(v) for k, v in value.items()})
            else:
                lists[key].update(fold(w) for w in value)
    bare = Words(
        MappingProxyType({k: frozenset(v) for k, v in lists.items()}),
        MappingProxyType({k: MappingProxyType(v) for k, v in tables.items()}),
    )
    # Negators, "later" and time words are compared with words and stems alike.
    stemmed = {
        k: frozenset(lists[k]) | {s for w in lists[k] for s in bare.word_stems(w)}
        for k in ("negators", "negators_after", "later", "time_words", "speech_verbs")
    }
    return Words(MappingProxyType({**bare.lists, **stemmed}), bare.tables)


Indexes = tuple[
    dict[str, tuple[_Phrase, ...]], dict[str, tuple[_Phrase, ...]], dict[str, tuple[_Phrase, ...]]
]


def _compile(
    phrases: Mapping[str, tuple[str, ...]], exact: frozenset[tuple[str, str]], words: Words
) -> Indexes:
    """(by first stem, by first-3-letter prefix, by first word for exact phrases)."""
    index: dict[str, list[_Phrase]] = {}
    prefix: dict[str, list[_Phrase]] = {}
    by_word: dict[str, list[_Phrase]] = {}
    for category in PHRASE_CATEGORIES:
        seen: set[tuple[tuple[str, ...], bool]] = set()
        for text in phrases[category]:
            # "=approved the budget": matched on words as written ("approve" is not
            # "approved"), like every other language's phrases.
            is_exact = (category, text) in exact or text.startswith("=")
            parts = (
                (fold(w),) if w.endswith("*") else words.split(w)[1 if is_exact else 0]
                for w in text.removeprefix("=").split()
            )
            stems = tuple(s for part in parts for s in part)
            if (stems, is_exact) in seen:  # "following up" = "follow up": the first only
                continue
            seen.add((stems, is_exact))
            if not stems or _BOUNDARY in stems:
                raise ValueError(
                    f"lexicon phrase {text!r} in {category} has no words to match "
                    "(only filler words or punctuation)"
                )
            if len(stems) == 1 and len(text.removeprefix("=").split()) > 1:
                raise ValueError(
                    f"lexicon phrase {text!r} in {category} reduces to the single word "
                    f"{stems[0]!r} once filler words are dropped; make it more specific"
                )
            if any(s.endswith("*") and len(s) < 4 for s in stems):
                raise ValueError(
                    f"lexicon phrase {text!r} in {category}: a prefix ending in * needs at "
                    "least 3 letters"
                )
            negated_form = any(s in words["negators"] for s in stems)
            rest = frozenset(s for s in stems[1:] if not s.endswith("*"))
            ph = _Phrase(category, text, stems, negated_form, rest, is_exact)
            if stems[0].endswith("*"):
                prefix.setdefault(stems[0][:3], []).append(ph)
            else:
                (by_word if is_exact else index).setdefault(stems[0], []).append(ph)
    return (
        {k: tuple(v) for k, v in index.items()},
        {k: tuple(v) for k, v in prefix.items()},
        {k: tuple(v) for k, v in by_word.items()},
    )


def default_lexicon_texts() -> list[tuple[str, str]]:
    """(name, TOML) of the packaged lexicon: ``lexicon.toml`` then each language file."""
    root = files("rules")
    out = [("lexicon.toml", root.joinpath("lexicon.toml").read_text(encoding="utf-8"))]
    languages = root.joinpath("languages")
    for entry in sorted(languages.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            out.append((f"languages/{entry.name}", entry.read_text(encoding="utf-8")))
    return out


def default_lexicon_text() -> str:
    """The packaged ``lexicon.toml`` (English and the shared word tables)."""
    return default_lexicon_texts()[0][1]


def load_lexicon(text: str | None = None, extra: str | None = None) -> Lexicon:
    """A Lexicon from TOML (``None``: the packaged files) plus a team's additions.

    A ``text`` without a ``[words]`` table keeps the packaged word tables (it replaces the
    phrase lists only)."""
    sources = default_lexicon_texts() if text is None else [("lexicon", text)]
    parsed = [_parse(t, name) for name, t in sources]
    # Other languages' phrases match words as written, never English stems.
    exact = frozenset(
        (category, phrase)
        for (name, _), part in zip(sources, parsed, strict=True)
        if name.startswith("languages/")
        for category in PHRASE_CATEGORIES
        for phrase in part.get(category, [])
    )
    if text is not None and "words" not in parsed[0]:
        parsed.insert(0, {"words": _parse(default_lexicon_text(), "lexicon.toml")["words"]})
    if extra is not None:
        parsed.append(_parse(extra, "extra lexicon"))
    merged: dict[str, tuple[str, ...]] = {}
    for category in CATEGORIES:
        combined = [p for part in parsed for p in part.get(category, [])]
        merged[category] = tuple(dict.fromkeys(combined))
    words = _build_words([part["words"] for part in parsed if "words" in part])
    index, prefix, by_word = _compile(merged, exact, words)
    return Lexicon(
        MappingProxyType(merged),
        words,
        MappingProxyType(index),
        MappingProxyType(prefix),
        MappingProxyType(by_word),
    )


@functools.cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon, compiled once per process and shared (with its reading memo)."""
    return load_lexicon()


def tokens(text: str) -> tuple[str, ...]:
    """``text`` tokenised with the packaged word tables (see ``Words.tokens``)."""
    return default_lexicon().tokens(text)


def stem(word: str) -> str:
    """``word`` stemmed with the packaged irregular forms."""
    return default_lexicon().words.stem(word)
