"""Deterministic, fast generator of large synthetic CRM exports.

Writes Salesforce API-name (Data Loader style) CSV files: UTF-8 with BOM, header row,
dates ``YYYY-MM-DD``, datetimes ``2026-03-05T16:14:25.000+0000``, booleans ``true``/``false``
and 18-character ids with the standard key prefixes. The columns, the spelling of values
and the CSV writer are ``salesforce``'s, shared with the scenario writer (demo, corpus).
Used by benchmarks, so the hot loops build rows as tuples and avoid per-row ``datetime``
work: every date and time string is precomputed once.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from datetime import time as clock_time
from pathlib import Path
from random import Random
from typing import Final

from bot.tools import salesforce as sf

__all__ = ["main_synth", "write_synthetic_export"]

DEFAULT_AS_OF: Final = date(2026, 11, 2)

# Day offsets are "days before as_of" (negative means in the future).
_FUTURE_DAYS: Final = 400
_PAST_DAYS: Final = 800

OPEN_STAGES: Final = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
)
STAGES: Final = (*OPEN_STAGES, "Closed Won", "Closed Lost")
_WON: Final = len(OPEN_STAGES)
_LOST: Final = _WON + 1

# Deal kinds.
_OPEN: Final = 0
_HANGING: Final = 1
_CLOSED_WON: Final = 2
_CLOSED_LOST: Final = 3

_FIRST_NAMES: Final = (
    "Dana", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Kenji", "Sofia", "Liam", "Grace",
    "Omar", "Hannah", "Diego", "Mei", "Noah", "Zoe", "Ravi", "Claire", "Ben", "Fatima",
    "Lucas", "Ingrid", "Sam", "Yuki", "Olivia", "Jonas", "Chloe", "Mateo", "Nadia", "Ethan",
)  # fmt: skip
_LAST_NAMES: Final = (
    "Reyes", "Patel", "Okafor", "Novak", "Brennan", "Khan", "Tanaka", "Rossi", "Murphy",
    "Chen", "Haddad", "Schmidt", "Alvarez", "Wong", "Fischer", "Dubois", "Iyer", "Larsen",
    "O'Neill", "Kowalski", "Silva", "Berg", "Nakamura", "Mensah", "Costa", "Park", "Walsh",
    "Lindqvist", "Moreau", "Adeyemi",
)  # fmt: skip
_ACCOUNT_WORDS: Final = (
    "Acme", "Northwind", "Blue Harbor", "Granite", "Summit", "Redwood", "Apex", "Silverline",
    "Pioneer", "Cobalt", "Evergreen", "Lakeshore", "Ironbridge", "Meridian", "Harborview",
    "Crescent", "Sterling", "Riverbend", "Keystone", "Brightwater",
)  # fmt: skip
_ACCOUNT_INDUSTRIES: Final = (
    "Logistics", "Foods", "Manufacturing", "Health", "Freight", "Dental Group", "Builders",
    "Energy", "Retail", "Labs", "Hospitality", "Distribution", "Medical Supply", "Fabrication",
)  # fmt: skip
_ACCOUNT_SUFFIXES: Final = ("Inc.", "LLC", "Co.", "Group", "Ltd.", "Corp.", "Holdings")
_CITIES: Final = (
    "Denver", "Austin", "Columbus", "Tampa", "Boise", "Raleigh", "Omaha", "Tucson", "Fresno",
    "Reno", "Madison", "Spokane", "Dayton", "Akron", "Fargo", "Laredo", "Mobile", "Toledo",
    "Wichita", "Provo", "Eugene", "Salem", "Lowell", "Peoria",
)  # fmt: skip
_PRODUCTS: Final = (
    "Fleet Expansion", "Platform Renewal", "New Logo", "Warehouse Rollout", "Add-on Seats",
    "Pilot", "Multi-site Upgrade", "Analytics Module", "Enterprise Tier", "Q1 Expansion",
)  # fmt: skip

_AUTHORITY_TITLES: Final = (
    "VP Operations", "CFO", "Director of IT", "VP Finance", "Chief Operating Officer",
    "Head of Procurement", "CIO", "VP Supply Chain",
)  # fmt: skip
_OTHER_TITLES: Final = (
    "Operations Coordinator", "Analyst", "Office Manager", "IT Specialist",
    "Sales Operations Associate", "Executive Assistant", "Project Coordinator", "Buyer",
)  # fmt: skip
_ROLES: Final = (
    "Decision Maker", "Economic Buyer", "Technical Buyer", "Evaluator", "Influencer",
    "Business User", "Other",
)  # fmt: skip

# (subject, TaskSubtype, CallType, append contact first name?)
_Subject = tuple[str, str, str, bool]

_TASK_SOCIAL: Final[tuple[_Subject, ...]] = (
    ("Just checking in", "Email", "", False),
    ("Left voicemail", "Call", "Outbound", False),
    ("Call - touch base with ", "Call", "Outbound", True),
    ("Following up", "Email", "", False),
    ("Following up on my last email", "Email", "", False),
    ("Checking in - any update?", "Email", "", False),
    ("Bumping this to the top of your inbox", "Email", "", False),
    ("Sent article they might like", "Email", "", False),
    ("Happy holidays note to ", "Email", "", True),
    ("Congrats on the funding round", "Email", "", False),
    ("Sent LinkedIn message", "Task", "", False),
    ("Quick catch-up call", "Call", "Outbound", False),
    ("Touch base re: timing", "Call", "Outbound", False),
    ("Re-engage: checking in on priorities", "Email", "", False),
)
_TASK_PROGRESS: Final[tuple[_Subject, ...]] = (
    ("Sent the ROI deck", "Email", "", False),
    ("RE: pricing question", "Email", "", False),
    ("Sent proposal v2", "Email", "", False),
    ("Legal redlines received", "Email", "", False),
    ("Procurement intro", "Email", "", False),
    ("MSA review", "Task", "", False),
    ("Mutual action plan agreed", "Task", "", False),
    ("Reference call with existing customer", "Call", "Outbound", False),
    ("Discovery call with ", "Call", "Outbound", True),
    ("Champion intro to CFO", "Email", "", False),
    ("Sent order form", "Email", "", False),
    ("Budget confirmed for next quarter", "Call", "Inbound", False),
    ("Sent security questionnaire answers", "Email", "", False),
    ("Pilot success criteria signed off", "Task", "", False),
    ("Sent implementation timeline", "Email", "", False),
)
_EVENT_SOCIAL: Final[tuple[_Subject, ...]] = (
    ("Lunch with ", "", "", True),
    ("Coffee with ", "", "", True),
    ("Golf outing with ", "", "", True),
    ("Quick catch-up", "", "", False),
    ("Drinks at the trade show", "", "", False),
    ("Saw them at the conference", "", "", False),
    ("Dinner with ", "", "", True),
)
_EVENT_PROGRESS: Final[tuple[_Subject, ...]] = (
    ("Security review with their IT", "", "", False),
    ("Pilot kickoff", "", "", False),
    ("Demo for operations team", "", "", False),
    ("Technical deep dive", "", "", False),
    ("Business case review with ", "", "", True),
    ("Stakeholder mapping session", "", "", False),
    ("Implementation planning", "", "", False),
    ("Pricing walkthrough", "", "", False),
    ("Executive sponsor meeting", "", "", False),
)
_STALL_DESCRIPTIONS: Final = (
    "They're happy with the current setup for now",
    "Needs sign-off from the CFO",
    "Maybe next year",
    "No budget until next fiscal",
    "Waiting on their reorg to settle",
    "Champion went quiet",
    "Said to circle back after the holidays",
    "Not a priority this quarter",
    "They'll reach out when they're ready",
    "Interested, but timing isn't right",
    "Good chat, nothing new on the project",
    'Dana said "we\'re fine with spreadsheets, honestly"\nTry again in spring.',
    "Friendly call, asked about the kids' soccer season",
    "No response yet",
)
_PROGRESS_DESCRIPTIONS: Final = (
    "Agreed next step: pilot scope by Friday",
    "CFO joined, asked about payback period",
    "IT approved SSO requirements",
    "Sent pricing; they asked for a 3-year term",
    "Procurement needs W-9 and insurance certificate",
    "Pilot metrics look good, 18% faster pick times",
    'Legal flagged the "limitation of liability" clause,\nredlines due Tuesday',
    "Economic buyer confirmed budget, decision by end of month",
    "Walked through ROI model with finance",
    "Security questionnaire complete, waiting on pen test summary",
)
_NEXT_STEPS_OPEN: Final = (
    "Send proposal",
    "Schedule pilot kickoff",
    "Security review with IT",
    "Get CFO on a call",
    "Redlines back from legal",
    "Confirm budget owner",
    "Demo for ops leads",
    "Send order form",
)
_NEXT_STEPS_HANGING: Final = (
    "Check in next quarter",
    "Follow up",
    "Touch base after holidays",
    "Circle back",
    "",
    "",
)

_STYLE: Final = sf.Style(bom=True, newline="\n")
_IDS: Final = "{prefix}{n:015d}"


def _ids(obj: str) -> Callable[[int], str]:
    """The n-th id of a Salesforce object (``005000000000000001``)."""
    return sf.id_format(_IDS, sf.PREFIX[obj])


_Row = Sequence[str]


class _Ctx:
    """Shared precomputed state: date strings, ids and compact per-deal attributes."""

    def __init__(self, as_of: date, seed: int) -> None:
        self.seed = seed
        # days[off + _FUTURE_DAYS] is the date string for `off` days before as_of.
        self.days: list[str] = [
            (as_of - timedelta(days=off)).isoformat()
            for off in range(-_FUTURE_DAYS, _PAST_DAYS + 1)
        ]
        trng = self.rng("times")
        self.times: list[str] = [
            sf.clock(clock_time(trng.randrange(13, 24), trng.randrange(60), trng.randrange(60)))
            for _ in range(509)
        ]
        self.meeting_times: list[str] = [
            sf.clock(clock_time(h, m)) for h in range(14, 23) for m in (0, 30)
        ]
        self.user_ids: list[str] = []
        self.rep_count = 0
        self.account_ids: list[str] = []
        self.account_names: list[str] = []
        self.contact_ids: list[str] = []
        self.contact_first: list[str] = []
        self.first_contact: list[int] = []  # per account
        self.n_contacts: list[int] = []  # per account
        self.deal_ids: list[str] = []
        self.deal_acc: list[int] = []
        self.deal_owner: list[int] = []
        self.deal_kind: list[int] = []
        self.deal_stage: list[int] = []
        self.deal_amount: list[str] = []
        self.deal_created: list[int] = []  # day offset
        self.deal_end: list[int] = []  # last day offset activity can happen (0 if open)
        self.deal_close: list[int] = []  # close date offset

    def rng(self, part: str) -> Random:
        return Random(f"dealnudge-synth:{self.seed}:{part}")

    def day(self, off: int) -> str:
        return self.days[min(max(off, -_FUTURE_DAYS), _PAST_DAYS) + _FUTURE_DAYS]


def _users(ctx: _Ctx, reps: int) -> Iterator[_Row]:
    rng = ctx.rng("users")
    managers = (reps + 7) // 8
    user_id = _ids("User")
    ctx.user_ids = [user_id(n) for n in range(1, reps + managers + 1)]
    ctx.rep_count = reps
    for i in range(reps + managers):
        first = _FIRST_NAMES[rng.randrange(len(_FIRST_NAMES))]
        last = _LAST_NAMES[rng.randrange(len(_LAST_NAMES))]
        email = f"{first}.{last}{i + 1}@dealnudge-demo.example".lower().replace("'", "")
        if i < reps:
            manager = ctx.user_ids[reps + i // 8]
            active = sf.FALSE if rng.random() < 0.04 else sf.TRUE
        else:
            manager, active = "", sf.TRUE
        yield (ctx.user_ids[i], f"{first} {last}", email, manager, active)


def _accounts(ctx: _Ctx, n: int) -> Iterator[_Row]:
    rng = ctx.rng("accounts")
    account_id = _ids("Account")
    ctx.account_ids = [account_id(i) for i in range(1, n + 1)]
    for i in range(n):
        name = (
            f"{_ACCOUNT_WORDS[rng.randrange(len(_ACCOUNT_WORDS))]} "
            f"{_ACCOUNT_INDUSTRIES[rng.randrange(len(_ACCOUNT_INDUSTRIES))]} "
            f"{_ACCOUNT_SUFFIXES[rng.randrange(len(_ACCOUNT_SUFFIXES))]}"
        )
        if i >= 1000:  # keep names distinct-ish at scale
            name = f"{name} ({_CITIES[i % len(_CITIES)]})"
        ctx.account_names.append(name)
        yield (ctx.account_ids[i], name)


def _contacts(ctx: _Ctx) -> Iterator[_Row]:
    rng = ctx.rng("contacts")
    rnd = rng.random
    nf, nl = len(_FIRST_NAMES), len(_LAST_NAMES)
    na, no = len(_AUTHORITY_TITLES), len(_OTHER_TITLES)
    contact_id_of = _ids("Contact")
    cid = 0
    for a, acc_id in enumerate(ctx.account_ids):
        count = 1 + (rnd() < 0.5) + (rnd() < 0.5)
        ctx.first_contact.append(cid)
        ctx.n_contacts.append(count)
        domain = ctx.account_names[a].split(" ")[0].lower() + f"{a + 1}.example"
        for _ in range(count):
            cid += 1
            first = _FIRST_NAMES[int(rnd() * nf)]
            last = _LAST_NAMES[int(rnd() * nl)]
            if rnd() < 0.45:
                title = _AUTHORITY_TITLES[int(rnd() * na)]
            else:
                title = _OTHER_TITLES[int(rnd() * no)]
            contact_id = contact_id_of(cid)
            ctx.contact_ids.append(contact_id)
            ctx.contact_first.append(first)
            email = f"{first}.{last}@{domain}".lower().replace("'", "")
            yield (contact_id, acc_id, first, last, f"{first} {last}", title, email)


def _opportunities(ctx: _Ctx, n: int) -> Iterator[_Row]:
    rng = ctx.rng("opportunities")
    rnd = rng.random
    n_acc = len(ctx.account_ids)
    reps = ctx.rep_count
    ntimes = len(ctx.times)
    deal_id_of = _ids("Opportunity")
    for i in range(n):
        deal_id = deal_id_of(i + 1)
        acc = int(rnd() * n_acc)
        owner = int(rnd() * reps)
        r = rnd()
        if r < 0.12:
            kind = _CLOSED_WON
        elif r < 0.25:
            kind = _CLOSED_LOST
        elif r < 0.41:
            kind = _HANGING
        else:
            kind = _OPEN
        amount_int = max(500, round(rng.lognormvariate(10.2, 0.8) / 500) * 500)
        amount = "" if rnd() < 0.02 else sf.amount(float(amount_int))
        if kind == _OPEN:
            stage = int(rnd() * len(OPEN_STAGES))
            created = 5 + int(rnd() * 360)
            close = -int(rnd() * 180)
            end = 0
            next_step = _NEXT_STEPS_OPEN[int(rnd() * len(_NEXT_STEPS_OPEN))]
            is_closed, is_won = sf.FALSE, sf.FALSE
        elif kind == _HANGING:
            stage = 1 + int(rnd() * 4)  # Qualification .. Id. Decision Makers
            created = 150 + int(rnd() * 560)
            close = int(rnd() * 240) - 90  # often stale (already in the past)
            end = 0
            next_step = _NEXT_STEPS_HANGING[int(rnd() * len(_NEXT_STEPS_HANGING))]
            is_closed, is_won = sf.FALSE, sf.FALSE
        else:
            stage = _WON if kind == _CLOSED_WON else _LOST
            end = 1 + int(rnd() * 680)
            created = min(730, end + 14 + int(rnd() * 200))
            close = end
            next_step = ""
            is_closed = sf.TRUE
            is_won = sf.flag(kind == _CLOSED_WON)
        ctx.deal_ids.append(deal_id)
        ctx.deal_acc.append(acc)
        ctx.deal_owner.append(owner)
        ctx.deal_kind.append(kind)
        ctx.deal_stage.append(stage)
        ctx.deal_amount.append(amount)
        ctx.deal_created.append(created)
        ctx.deal_end.append(end)
        ctx.deal_close.append(close)
        name = f"{ctx.account_names[acc]} - {_PRODUCTS[int(rnd() * len(_PRODUCTS))]}"
        yield (
            deal_id,
            ctx.account_ids[acc],
            name,
            STAGES[stage],
            amount,
            ctx.day(close),
            next_step,
            is_closed,
            is_won,
            ctx.user_ids[owner],
            ctx.day(created) + ctx.times[int(rnd() * ntimes)],
        )


def _contact_roles(ctx: _Ctx) -> Iterator[_Row]:
    rng = ctx.rng("roles")
    rnd = rng.random
    nroles = len(_ROLES)
    role_id = _ids("OpportunityContactRole")
    rid = 0
    for d, deal_id in enumerate(ctx.deal_ids):
        acc = ctx.deal_acc[d]
        first, count = ctx.first_contact[acc], ctx.n_contacts[acc]
        k = min(count, 1 + (rnd() < 0.4))
        start = int(rnd() * count)
        for j in range(k):
            rid += 1
            contact = first + (start + j) % count
            yield (
                role_id(rid),
                deal_id,
                ctx.contact_ids[contact],
                _ROLES[int(rnd() * nroles)],
                sf.TRUE if j == 0 else sf.FALSE,
            )


def _history(ctx: _Ctx) -> Iterator[_Row]:
    rng = ctx.rng("history")
    rnd = rng.random
    times, ntimes = ctx.times, len(ctx.times)
    history_id = _ids("OpportunityHistory")
    hid = 0
    for d, deal_id in enumerate(ctx.deal_ids):
        k = 1 + int(rnd() * 4)
        kind, stage = ctx.deal_kind[d], ctx.deal_stage[d]
        created, end, close = ctx.deal_created[d], ctx.deal_end[d], ctx.deal_close[d]
        amount = ctx.deal_amount[d]
        span = created - end
        prior = int(rnd() * len(OPEN_STAGES))
        for j in range(k):
            hid += 1
            when = created - span * j // k
            if kind == _HANGING:
                st = stage  # no progress: same stage, close date keeps slipping
                cl = close - 30 * (k - 1 - j)
            elif kind == _OPEN:
                st = stage * (j + 1) // k
                cl = close + 14 * (k - 1 - j) * (rnd() < 0.3)
            else:
                st = stage if j == k - 1 else prior * (j + 1) // k
                cl = close
            yield (
                history_id(hid),
                deal_id,
                ctx.day(when) + times[int(rnd() * ntimes)],
                STAGES[st],
                amount,
                ctx.day(cl),
            )


def _pick_activity(ctx: _Ctx, rnd: Random, future_rate: float) -> tuple[int, int, str, str, int]:
    """Shared per-activity picks: deal, date offset, WhoId, owner, a spare uniform."""
    r = rnd.random
    d = int(r() * len(ctx.deal_ids))
    end, created = ctx.deal_end[d], ctx.deal_created[d]
    if end == 0 and r() < future_rate:
        off = -1 - int(r() * 30)
    else:
        off = end + int(r() * (created - end + 1))
    acc = ctx.deal_acc[d]
    who_idx = ctx.first_contact[acc] + int(r() * ctx.n_contacts[acc])
    who = "" if r() < 0.08 else ctx.contact_ids[who_idx]
    owner_idx = ctx.deal_owner[d] if r() < 0.93 else int(r() * ctx.rep_count)
    return d, off, who, ctx.user_ids[owner_idx], who_idx


def _tasks(ctx: _Ctx, n: int) -> Iterator[_Row]:
    rng = ctx.rng("tasks")
    rnd = rng.random
    deal_ids, deal_kind, days = ctx.deal_ids, ctx.deal_kind, ctx.days
    first_names = ctx.contact_first
    n_social, n_prog = len(_TASK_SOCIAL), len(_TASK_PROGRESS)
    n_stall, n_pdesc = len(_STALL_DESCRIPTIONS), len(_PROGRESS_DESCRIPTIONS)
    task_id = _ids("Task")
    for i in range(1, n + 1):
        d, off, who, owner, who_idx = _pick_activity(ctx, rng, 0.03)
        hanging = deal_kind[d] == _HANGING
        social = rnd() < (0.85 if hanging else 0.3)
        if social:
            subj, subtype, calltype, named = _TASK_SOCIAL[int(rnd() * n_social)]
        else:
            subj, subtype, calltype, named = _TASK_PROGRESS[int(rnd() * n_prog)]
        if named:
            subj += first_names[who_idx]
        r = rnd()
        if r < 0.35:
            desc = ""
        elif social:
            desc = _STALL_DESCRIPTIONS[int(rnd() * n_stall)]
        else:
            desc = _PROGRESS_DESCRIPTIONS[int(rnd() * n_pdesc)]
        if off < 0:
            status, closed = "Not Started", sf.FALSE
        elif rnd() < 0.05:
            status, closed = "In Progress", sf.FALSE
        else:
            status, closed = "Completed", sf.TRUE
        yield (
            task_id(i),
            who,
            deal_ids[d],
            subj,
            days[off + _FUTURE_DAYS],
            status,
            owner,
            desc,
            closed,
            subtype,
            calltype,
        )


def _events(ctx: _Ctx, n: int) -> Iterator[_Row]:
    rng = ctx.rng("events")
    rnd = rng.random
    deal_ids, deal_kind, days = ctx.deal_ids, ctx.deal_kind, ctx.days
    first_names = ctx.contact_first
    mtimes, nmt = ctx.meeting_times, len(ctx.meeting_times)
    n_social, n_prog = len(_EVENT_SOCIAL), len(_EVENT_PROGRESS)
    n_stall, n_pdesc = len(_STALL_DESCRIPTIONS), len(_PROGRESS_DESCRIPTIONS)
    event_id = _ids("Event")
    for i in range(1, n + 1):
        d, off, who, owner, who_idx = _pick_activity(ctx, rng, 0.06)
        hanging = deal_kind[d] == _HANGING
        social = rnd() < (0.8 if hanging else 0.3)
        if social:
            subj, _, _, named = _EVENT_SOCIAL[int(rnd() * n_social)]
        else:
            subj, _, _, named = _EVENT_PROGRESS[int(rnd() * n_prog)]
        if named:
            subj += first_names[who_idx]
        r = rnd()
        if r < 0.4:
            desc = ""
        elif social:
            desc = _STALL_DESCRIPTIONS[int(rnd() * n_stall)]
        else:
            desc = _PROGRESS_DESCRIPTIONS[int(rnd() * n_pdesc)]
        day = days[off + _FUTURE_DAYS]
        yield (
            event_id(i),
            who,
            deal_ids[d],
            subj,
            day,
            day + mtimes[int(rnd() * nmt)],
            owner,
            desc,
        )


def write_synthetic_export(
    out_dir: Path,
    *,
    deals: int,
    activities: int,
    reps: int = 50,
    seed: int = 7,
    as_of: date = DEFAULT_AS_OF,
) -> dict[str, int]:
    """Write a synthetic Salesforce-style export into ``out_dir``; return rows per file.

    Output is byte-identical for the same arguments. Raises ``ValueError`` on bad sizes.
    """
    if deals < 1:
        raise ValueError("deals must be at least 1")
    if activities < 0:
        raise ValueError("activities must not be negative")
    if reps < 1:
        raise ValueError("reps must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = _Ctx(as_of, seed)
    n_events = activities // 4
    n_tasks = activities - n_events
    plan: list[tuple[str, Iterator[_Row]]] = [
        ("User", _users(ctx, reps)),
        ("Account", _accounts(ctx, max(1, deals // 2))),
        ("Contact", _contacts(ctx)),
        ("Opportunity", _opportunities(ctx, deals)),
        ("OpportunityContactRole", _contact_roles(ctx)),
        ("OpportunityHistory", _history(ctx)),
        ("Task", _tasks(ctx, n_tasks)),
        ("Event", _events(ctx, n_events)),
    ]
    # Generators run lazily in order, so each one sees the state filled by earlier files.
    return {
        f"{name}.csv": sf.write_csv(out_dir / f"{name}.csv", sf.PLAIN_COLUMNS[name], rows, _STYLE)
        for name, rows in plan
    }


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealnudge synth",
        description="Generate a large synthetic Salesforce CSV export (for benchmarks).",
    )
    parser.add_argument("--deals", type=int, required=True, help="number of opportunities")
    parser.add_argument("--activities", type=int, required=True, help="tasks + events")
    parser.add_argument("--reps", type=int, default=50, help="sales reps (default 50)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--as-of", type=_parse_date, default=DEFAULT_AS_OF, help="YYYY-MM-DD (default 2026-11-02)"
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    return parser


def main_synth(argv: list[str]) -> int:
    """CLI entry: ``--deals N --activities M [--reps R] [--seed S] [--as-of D] OUT_DIR``."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage + message to stderr
        return 0 if exc.code in (0, None) else 2
    start = time.perf_counter()
    try:
        counts = write_synthetic_export(
            args.out_dir,
            deals=args.deals,
            activities=args.activities,
            reps=args.reps,
            seed=args.seed,
            as_of=args.as_of,
        )
    except ValueError as exc:
        print(f"dealnudge synth: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"dealnudge synth: error: cannot write {args.out_dir}: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    parts = " ".join(f"{name}={n}" for name, n in counts.items())
    print(f"synth: wrote {args.out_dir}: {parts} in {elapsed:.1f}s")
    return 0
