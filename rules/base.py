"""What a pattern is and what it reads: the per-deal view, findings with evidence, the registry.

A ``DealView`` classifies each of a deal's activities once (who spoke, what it signals),
and every pattern reads the same view. ``rules.engine`` runs the registered patterns over
the views; a pattern module imports only this module, the model and the lexicon.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar
from weakref import WeakKeyDictionary

from rules.coverage import Need
from rules.lexicon import ActivityClass, Cue, Lexicon, Names, Party, Signal
from rules.model import (
    ALL_INPUTS,
    Activity,
    ActivityKind,
    Contact,
    ContactRole,
    Deal,
    Direction,
    HistoryEntry,
    Input,
    Owner,
    Pipeline,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One fact a finding rests on: an activity, a history entry or a deal field."""

    date: date | None
    text: str
    source: str = "activity"  # activity | history | field
    ref: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "date": self.date.isoformat() if self.date else "",
            "source": self.source,
            "ref": self.ref,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    deal: Deal
    pattern: str
    severity: float
    summary: str
    evidence: tuple[Evidence, ...]


# Call results that mean the buyer was on the line, and ones that mean they were not.
CONNECTED = frozenset({"connected", "left live message", "completed", "answered", "talked",
                       "had conversation", "conversation", "spoke"})  # fmt: skip
NOT_REACHED = frozenset({"no answer", "left voicemail", "busy", "wrong number", "voicemail",
                         "no voicemail", "left voice mail", "not reached", "missed"})  # fmt: skip
REQUEST_DAYS = 21  # material sent this soon after the buyer asked for it was requested


@dataclass(frozen=True, slots=True)
class Touch:
    """An activity with what its text says and who spoke, decided once for every pattern.

    ``party`` is who wrote it (an email's greeting, sign-off or reply prefix, or the CRM's
    direction field): unknown stays unknown. ``reported`` marks a note that reports the
    buyer's own words. ``signals`` are the buyer's: empty when the rep wrote the text.
    """

    activity: Activity
    cls: ActivityClass
    signals: frozenset[Signal]
    day: date
    cues: frozenset[Cue] = frozenset()
    party: Party = Party.UNKNOWN
    reported: bool = False
    requested: bool = False  # material the buyer asked for (not a pitch)
    writer_asks: bool = False  # a note opening with "asked ...": the rep asked

    @property
    def from_buyer(self) -> bool:
        return self.party is Party.BUYER

    @property
    def is_response(self) -> bool:
        """The buyer took part: wrote or called, met the rep, talked on a connected call,
        did work of their own, or a note reports what they said."""
        if self.party is Party.BUYER or self.reported:
            return True
        if self.party is Party.REP:
            return False
        a = self.activity
        return (
            a.kind is ActivityKind.MEETING
            or (a.kind is ActivityKind.CALL and a.outcome in CONNECTED)
            or self.cls in (ActivityClass.INBOUND, ActivityClass.BUYER_WORK, ActivityClass.SOCIAL)
            or bool(self.signals)
        )

    @property
    def is_outreach(self) -> bool:
        """The rep reached out one way, as far as the record shows (unknown is neither)."""
        if self.is_response:
            return False
        a = self.activity
        return (
            self.party is Party.REP
            or a.direction is Direction.OUTBOUND
            or (a.kind is ActivityKind.CALL and a.outcome in NOT_REACHED)
            or self.cls in (ActivityClass.CHECK_IN, ActivityClass.PITCH)
        )

    @property
    def is_buyer_work(self) -> bool:
        """Work on the buyer's side: their evaluation, pilot, internal meeting, or their own
        material sent over (an export, a questionnaire); never something the rep wrote."""
        if self.party is Party.REP:
            return False
        return self.cls is ActivityClass.BUYER_WORK or (
            self.from_buyer and Cue.BUYER_MATERIAL in self.cues
        )

    @property
    def is_pitch(self) -> bool:
        """Material the rep sent unasked: a deck, case study, discount (not what the buyer
        requested, and not the buyer's reply about it)."""
        return (
            self.cls is ActivityClass.PITCH
            and self.activity.kind is not ActivityKind.MEETING  # a meeting the buyer attended
            and not self.from_buyer
            and not self.requested
        )

    @property
    def asks(self) -> bool:
        """The buyer asks for something (a quote, a demo, more detail)."""
        if Cue.REQUEST not in self.cues or self.party is Party.REP:
            return False
        return self.party is Party.BUYER or not self.writer_asks

    def evidence(self) -> Evidence:
        a = self.activity
        text = a.subject.strip() or a.kind.value
        body = " ".join(a.body.split())
        if body and body.lower() != text.lower():
            text = f"{text}: {body}"
        return Evidence(self.day, clip(text, 240), "activity", a.id)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip_words(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


# What write-back puts in each activity it creates in the CRM ("I'll ask this"): read
# back from the next export, it is the rep's plan, not a touch with the buyer.
OWN_RECORD_PREFIX = "dealnudge-"
OWN_RECORD = re.compile(rf"\b{OWN_RECORD_PREFIX}[0-9a-f]{{20}}\b")

MEMO_LIMIT = 200_000  # distinct texts remembered per lexicon before the memo resets


@dataclass
class _LexiconMemo:
    """Answers a lexicon already gave, shared by every view built with it.

    ``classify``/``signals`` are pure functions of an activity's text, and ``authority_of``
    of a contact's title and role; exports repeat both ("Left voicemail", "VP Finance"),
    so each distinct one is worked out once. Dict reads and writes are atomic, so views
    built on several threads (the Slack app) may share it.
    """

    authority: dict[tuple[str, str], bool] = field(default_factory=dict)


_MEMOS: WeakKeyDictionary[Lexicon, _LexiconMemo] = WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def _memo(lexicon: Lexicon) -> _LexiconMemo:
    memo = _MEMOS.get(lexicon)
    if memo is None:
        with _MEMOS_LOCK:
            memo = _MEMOS.get(lexicon)
            if memo is None:
                memo = _MEMOS[lexicon] = _LexiconMemo()
    return memo


@dataclass(frozen=True)
class DealView:
    """Everything known about one deal, ready for patterns (the "deal history")."""

    deal: Deal
    owner: Owner | None
    past: tuple[Touch, ...]  # done, dated on or before as_of, oldest first
    planned: tuple[Touch, ...]  # not done and dated after as_of: the scheduled next steps
    contacts: Mapping[str, Contact]
    roles: tuple[ContactRole, ...]
    history: tuple[HistoryEntry, ...]
    started: date | None
    stage_entered: date | None
    next_step_signals: frozenset[Signal]
    lexicon: Lexicon = field(repr=False, compare=False)
    _lexicon_memo: _LexiconMemo | None = field(default=None, repr=False, compare=False)

    def age(self, as_of: date) -> int | None:
        return (as_of - self.started).days if self.started else None

    def within(self, as_of: date, days: int) -> list[Touch]:
        return [t for t in self.past if (as_of - t.day).days <= days]

    def role_of(self, contact_id: str) -> str:
        for r in self.roles:
            if r.contact_id == contact_id and r.role:
                return r.role
        c = self.contacts.get(contact_id)
        return c.role if c else ""

    def has_authority(self, contact_id: str) -> bool:
        c = self.contacts.get(contact_id)
        key = (c.title if c else "", self.role_of(contact_id))
        memo = (self._lexicon_memo or _memo(self.lexicon)).authority
        found = memo.get(key)
        if found is None:
            found = self.lexicon.authority_of(*key)
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            memo[key] = found
        return found

    @property
    def people(self) -> Names:
        """Name words of the rep and every contact of the deal."""
        names = [self.owner.name] if self.owner and self.owner.name else []
        names += [self.contacts[c].name for c in self.contacts_of_deal() if c in self.contacts]
        return Names.of(names)

    def is_executive(self, contact_id: str) -> bool:
        """The contact is at the top of their organisation, or the deal's economic buyer."""
        c = self.contacts.get(contact_id)
        return self.lexicon.executive(c.title if c else "", self.role_of(contact_id))

    def authority_known(self, contact_id: str) -> bool:
        """Whether the export records a title or role for this contact (else authority is
        unknown, and no finding may claim the contact lacks it)."""
        c = self.contacts.get(contact_id)
        return bool((c and c.title.strip()) or self.role_of(contact_id).strip())

    def mentions(self, touch: Touch, contact_id: str) -> bool:
        """Whether the touch's text names the contact (a name word of theirs)."""
        return bool(self._named(contact_id) & Names.of([touch.activity.text]).words)

    def speakers(self, touch: Touch) -> tuple[str, ...]:
        """Contacts a note reports as speaking ("Ramón: only the plant director signs")."""
        words = Names.of([touch.activity.body.split(":", 1)[0]]).words if ":" in (
            touch.activity.body[:40]) else frozenset()  # fmt: skip
        return tuple(c for c in self.contacts_of_deal() if self._named(c) & words)

    def contacts_of_deal(self) -> tuple[str, ...]:
        ids = {c for t in self.past for c in t.activity.contacts}
        return tuple(sorted(ids | {r.contact_id for r in self.roles}))

    def _named(self, contact_id: str) -> frozenset[str]:
        c = self.contacts.get(contact_id)
        if c is None or not c.name:
            return frozenset()
        return Names.of([c.name]).words - {"de", "van", "von", "da", "del"}

    def engaged_contacts(self) -> list[str]:
        """Buyer contacts that took part in activities, most engaged first."""
        counts: dict[str, int] = defaultdict(int)
        for t in self.past:
            for c in t.activity.contacts:
                counts[c] += 1
        return sorted(counts, key=lambda c: (-counts[c], c))

    @property
    def primary_contact(self) -> Contact | None:
        for r in self.roles:
            if r.is_primary and r.contact_id in self.contacts:
                return self.contacts[r.contact_id]
        engaged = self.engaged_contacts()
        if engaged and engaged[0] in self.contacts:
            return self.contacts[engaged[0]]
        return None


def stage_entry(deal: Deal, history: tuple[HistoryEntry, ...]) -> date | None:
    """When the deal entered its current stage, from the export or its history."""
    if deal.stage_changed:
        return deal.stage_changed
    entered: date | None = None
    previous = None
    for h in history:
        if not h.stage:
            continue
        if h.stage != previous:
            entered = h.date
            previous = h.stage
    if previous is not None and deal.stage and previous != deal.stage:
        return None  # history does not reach the current stage: unknown
    return entered


def stage_stints(history: tuple[HistoryEntry, ...]) -> Iterator[tuple[str, int]]:
    """(stage, days spent) for every completed stay in a stage."""
    current: str | None = None
    since: date | None = None
    for h in history:
        if not h.stage or h.stage == current:
            continue
        if current is not None and since is not None:
            yield current, (h.date - since).days
        current, since = h.stage, h.date


@dataclass(frozen=True)
class Context:
    as_of: date
    lexicon: Lexicon
    new_deal_days: int
    stage_medians: Mapping[str, float] = field(default_factory=dict)
    stage_samples: Mapping[str, int] = field(default_factory=dict)
    inputs: frozenset[Input] = ALL_INPUTS  # what the export carries

    def has(self, i: Input) -> bool:
        return i in self.inputs


P = TypeVar("P")
T = TypeVar("T", int, float)


def threshold(default: T, doc: str) -> T:
    """A pattern parameter: its default and what it means, in one place (the shipped
    dealnudge.toml and the README are generated from it)."""
    return field(default=default, metadata={"doc": doc})


def threshold_doc(f: dataclasses.Field[Any]) -> str:
    return str(f.metadata.get("doc", ""))


@dataclass(frozen=True)
class Tuning:
    """How "not accurate" marks move a pattern: ``param`` by ``step`` (less sensitive)
    per adjustment, never past ``bound``."""

    param: str
    step: float
    bound: float


class Pattern(Generic[P]):
    """A named check. Subclasses set the class attributes and implement ``detect``.

    ``params_type`` is a frozen dataclass whose defaults are the documented thresholds.
    ``requires`` lists the inputs (or groups of alternatives) without which the pattern is
    not evaluated; ``improved_by`` those whose absence makes it partial.
    """

    code: ClassVar[str]
    title: ClassVar[str]
    why: ClassVar[str]
    example: ClassVar[str]
    params_type: ClassVar[type[Any]]
    needs_time: ClassVar[bool] = True
    requires: ClassVar[tuple[Need, ...]] = ()
    improved_by: ClassVar[tuple[Need, ...]] = ()
    tuning: ClassVar[Tuning | None] = None  # None: marks never move its thresholds

    def detect(self, view: DealView, ctx: Context, params: P) -> Finding | None:
        raise NotImplementedError

    def finding(
        self, view: DealView, severity: float, summary: str, evidence: Iterable[Evidence]
    ) -> Finding:
        return Finding(
            view.deal, self.code, round(max(0.0, min(1.0, severity)), 3), summary,
            tuple(evidence),
        )  # fmt: skip


class Registry:
    """An explicit, ordered set of patterns; a second pattern with a taken code is an error."""

    def __init__(self) -> None:
        self._patterns: dict[str, Pattern[Any]] = {}

    def register(self, pattern: Pattern[Any]) -> None:
        if pattern.code in self._patterns:
            raise ValueError(f"pattern code {pattern.code!r} is already registered")
        self._patterns[pattern.code] = pattern

    def __iter__(self) -> Iterator[Pattern[Any]]:
        return iter(self._patterns.values())

    def __contains__(self, code: object) -> bool:
        return code in self._patterns

    def __getitem__(self, code: str) -> Pattern[Any]:
        return self._patterns[code]

    def title(self, code: str) -> str:
        """The pattern's title, or the code itself when no such pattern is registered."""
        return self._patterns[code].title if code in self else code

    def codes(self) -> tuple[str, ...]:
        return tuple(self._patterns)


def build_views(pipeline: Pipeline, as_of: date, lexicon: Lexicon) -> Iterator[DealView]:
    """A view per open deal (closed deals are never flagged)."""
    contacts = pipeline.contact_index
    for deal in pipeline.deals:
        if not deal.is_open:
            continue
        yield build_view(pipeline, deal, as_of, lexicon, contacts)


def build_view(
    pipeline: Pipeline,
    deal: Deal,
    as_of: date,
    lexicon: Lexicon,
    contacts: Mapping[str, Contact] | None = None,
) -> DealView:
    past: list[Touch] = []
    planned: list[Touch] = []
    memo = _memo(lexicon)
    contact_index = contacts if contacts is not None else pipeline.contact_index
    owner = pipeline.owner_index.get(deal.owner_id)
    roles = pipeline.roles_by_deal.get(deal.id, ())
    activities = pipeline.activities_by_deal.get(deal.id, ())
    rep, buyer = _names(owner, activities, roles, contact_index)
    asked: date | None = None  # the buyer's open request: answered by the next material
    answered: date | None = None
    for a in activities:
        if a.date is None or OWN_RECORD.search(a.body or a.subject):
            continue  # undated, or dealnudge's own write-back (a rep's plan, not a touch)
        touch = _touch(lexicon, a, rep, buyer)
        if touch.asks:
            asked, answered = a.date, None
        elif touch.cls is ActivityClass.PITCH and not touch.from_buyer:
            open_request = asked is not None and 0 <= (a.date - asked).days <= REQUEST_DAYS
            if Cue.AS_REQUESTED in touch.cues or open_request or answered == a.date:
                touch = dataclasses.replace(touch, requested=True)
                if open_request:
                    asked, answered = None, a.date  # one answer (that day's sends) per ask
        if a.date > as_of:
            planned.append(touch)
        elif a.done:
            past.append(touch)
        # An open task dated in the past is neither something that happened nor a step
        # anyone has scheduled: it counts as neither.
    history = tuple(h for h in pipeline.history_by_deal.get(deal.id, ()) if h.date <= as_of)
    # Age runs from the earliest date known: created, else the first activity, history
    # entry or stage change (an export without created dates still ages its deals).
    candidates = [
        d for d in (deal.created, *(t.day for t in past[:1]), *(h.date for h in history[:1]),
                    deal.stage_changed) if d and d <= as_of
    ]  # fmt: skip
    return DealView(
        deal=deal,
        owner=owner,
        past=tuple(past),
        planned=tuple(planned),
        contacts=contact_index,
        roles=roles,
        history=history,
        started=min(candidates) if candidates else None,
        stage_entered=stage_entry(deal, history),
        next_step_signals=lexicon.signals(deal.next_step) if deal.next_step else frozenset(),
        lexicon=lexicon,
        _lexicon_memo=memo,
    )


def _names(
    owner: Owner | None,
    activities: Iterable[Activity],
    roles: Iterable[ContactRole],
    contacts: Mapping[str, Contact],
) -> tuple[Names, Names]:
    """The rep's name words and the deal's buyer contacts' name words."""
    ids = {c for a in activities for c in a.contacts} | {r.contact_id for r in roles}
    buyer = [contacts[c].name for c in ids if c in contacts and contacts[c].name]
    return Names.of([owner.name] if owner and owner.name else []), Names.of(buyer)


def _touch(lexicon: Lexicon, a: Activity, rep: Names, buyer: Names) -> Touch:
    written = a.kind in (ActivityKind.EMAIL, ActivityKind.OTHER, ActivityKind.TASK)
    sender, body = lexicon.email_parts(a.body) if written else ("", a.body)
    reading = lexicon.read(a.subject, body)
    if a.direction is Direction.INBOUND:
        party, reported = Party.BUYER, True
    else:
        # A reply keeps the thread's subject: only the body says whose words these are.
        rep_like = (lexicon.read(body) if lexicon.reply_prefix(a.subject) else reading).rep_like
        party, reported = lexicon.speaker(
            a.subject, body, written=written, rep=rep, buyer=buyer, rep_like=rep_like,
            sender=sender,
        )  # fmt: skip
        if a.direction is Direction.OUTBOUND and party is Party.UNKNOWN:
            party = Party.REP if written else party
    if party is Party.UNKNOWN and reading.cls is ActivityClass.INBOUND:
        party = Party.BUYER  # "she called back", "RE:" in the subject
    signals = frozenset() if party is Party.REP else reading.signals
    return Touch(
        a, reading.cls, signals, a.date or date.min, reading.cues, party, reported,
        writer_asks=reading.writer_asks,
    )  # fmt: skip


def ramp(observed: float, limit: float, full_at: float = 2.0) -> float:
    """Severity from how far past its limit an observation is: 0.4 at the limit, 1.0 at
    ``full_at`` times the limit."""
    if limit <= 0:
        return 1.0
    over = (observed / limit - 1.0) / max(full_at - 1.0, 1e-9)
    return 0.4 + 0.6 * max(0.0, min(1.0, over))
