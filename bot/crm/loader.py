"""Turn CSV files into a linked ``Pipeline`` and an ``IngestReport`` that reconciles.

Files are detected first, then read in dependency order (accounts, owners, contacts,
deals, roles, history, activities) so every reference resolves against what is loaded.
Every data row ends as exactly one of: loaded, rejected (unreadable) or unlinked (refers
to something the export does not have).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from tqdm import tqdm

from bot.crm.csvfile import CsvError, CsvTable, Record, open_table
from bot.crm.detect import Match, closest_partial, detect, match, missing_column_message
from bot.crm.formats import BUILTIN, Format
from bot.crm.mapping import bound_kind, load_mapping
from bot.crm.report import ExportError, FileReport, IngestReport, Problem, Status
from bot.crm.values import DateOrder, implausible_date, parse_amount, parse_bool, parse_date
from rules.model import (
    Activity,
    ActivityKind,
    Contact,
    ContactRole,
    Deal,
    DealStatus,
    Direction,
    HistoryEntry,
    Owner,
    Pipeline,
)

ORDER = ("accounts", "owners", "contacts", "deals", "roles", "history", "tasks", "events")
PROGRESS_BYTES = 8 * 1024 * 1024
DATE_MEMO_LIMIT = 200_000  # distinct date cells remembered per load before the memo resets
SHARE_LIMIT = 500_000  # distinct shared cell values per load before the table resets
FILE_BITS = 20  # seen_ids packs (line, file index) into one int
FILE_MASK = (1 << FILE_BITS) - 1
_UNSEEN = object()
_VALUE = itemgetter(1)
MAX_REASON = 500


@dataclass(frozen=True)
class LoadResult:
    pipeline: Pipeline
    report: IngestReport


class RowError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class Unlinked(RowError):
    pass


def expand(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(c for c in p.iterdir() if c.suffix.lower() == ".csv"))
        elif p.exists():
            files.append(p)
        else:
            raise ExportError(f"{p}: no such file or folder")
    if not files:
        raise ExportError(f"no CSV files found in {', '.join(map(str, paths))}")
    return files


def resolve_formats(
    format_name: str | None, mapping: Path | None
) -> tuple[tuple[Format, ...], dict[str, str]]:
    """The formats to try: a mapping file's, one forced by name, or every built-in one."""
    if mapping is not None:
        fmt, globs = load_mapping(mapping)
        return (fmt,), globs
    if format_name and format_name != "auto":
        chosen = tuple(f for f in BUILTIN if f.name == format_name)
        if not chosen:
            names = ", ".join(f.name for f in BUILTIN)
            raise ExportError(
                f"unknown format {format_name!r}; choose one of: {names}, or use --mapping FILE"
            )
        return chosen, {}
    return BUILTIN, {}


def load_export(
    paths: Sequence[Path], *, format_name: str | None = None, mapping: Path | None = None
) -> LoadResult:
    """Read an export (folders and/or files); raise ``ExportError`` if it is unusable."""
    formats, globs = resolve_formats(format_name, mapping)
    report = IngestReport()
    found: list[tuple[Match, CsvTable]] = []
    unrecognised: list[CsvTable] = []
    unreadable: list[str] = []
    examined = expand(paths)
    for path in examined:
        try:
            table = open_table(path)
        except CsvError as exc:
            # An empty or unreadable side file (say an Event.csv with no header) must not
            # sink the export; it is reported, and fatal only when no deals file is left.
            unreadable.append(str(exc))
            report.skipped.append((str(path), str(exc).removeprefix(f"{path}: ")))
            continue
        bound = bound_kind(globs, path)
        m: Match | None
        if bound:
            m = match(table.header, formats[0], formats[0].kind(bound) or formats[0].kinds[0], "")
            if m.missing:
                raise ExportError(missing_column_message(path, table.header, m))
        else:
            m = detect(path, table.header, formats)
        if m is None:
            unrecognised.append(table)
            report.skipped.append((str(path), "not a deals, activities, people or history file"))
        else:
            found.append((m, table))
    if not any(m.kind.name == "deals" for m, _ in found):
        if unreadable and not unrecognised:
            raise ExportError(unreadable[0])
        raise ExportError(_no_deals_message(unrecognised, formats, examined, mapping))
    found.sort(key=lambda mt: ORDER.index(mt[0].kind.name))
    linker = _Linker(report)
    found.reverse()
    while found:  # popping lets each file's text go as soon as it is read
        linker.read(*found.pop())
    if not linker.deals:
        files = ", ".join(f.path for f in report.files if f.kind == "deals")
        first = next((p for p in report.problems if p.status == "rejected"), None)
        why = f"; first problem: {first.describe()}" if first else ""
        raise ExportError(f"{files}: no deal rows could be loaded{why}")
    return LoadResult(linker.pipeline(), report)


def _no_deals_message(
    tables: list[CsvTable], formats: tuple[Format, ...], files: list[Path], mapping: Path | None
) -> str:
    best: tuple[Match, CsvTable] | None = None
    best_rank = (-1, -1)
    for t in tables:
        m = closest_partial(t.header, formats, "deals")
        stem = t.path.stem.lower()
        rank = (
            int(any(w in stem for w in ("opp", "deal", "pipeline"))),
            len(m.columns) if m else -1,
        )
        if m and rank > best_rank:
            best, best_rank = (m, t), rank
    if best is None:
        where = ", ".join(map(str, files[:5])) + (
            f" and {len(files) - 5} more" if len(files) > 5 else ""
        )
        if mapping is not None:
            return (
                f"no deals file found in {where}: no file has the columns of the [deals] "
                f"section of {mapping}"
            )
        return (
            f"no deals file found in {where}: expected a Salesforce Opportunity.csv, a "
            "Salesforce report, a HubSpot deals export, a Pipedrive deals export, or "
            "--mapping FILE for any other CSV"
        )
    return missing_column_message(best[1].path, best[1].header, best[0])


@dataclass
class _Linker:
    report: IngestReport
    accounts: dict[str, str] = field(default_factory=dict)
    owners: dict[str, Owner] = field(default_factory=dict)
    owner_alias: dict[str, str] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    contact_alias: dict[str, str] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)
    deal_alias: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    open_by_account: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    roles: list[ContactRole] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    # kind -> id -> where it was first loaded: line << FILE_BITS | index in report.files
    seen_ids: dict[str, dict[str, int]] = field(default_factory=dict)
    # (cell text, date order) -> parsed date, or the parse error's message
    date_memo: dict[tuple[str, str], date | str | None] = field(default_factory=dict)
    # cell text -> parse_amount's answer, or its error message
    amount_memo: dict[str, tuple[float | None, str] | str] = field(default_factory=dict)
    # Repeated cell values (subjects, notes, stages) kept as one string each
    strings: dict[str, str] = field(default_factory=dict)
    owners_file: bool = False
    contacts_file: bool = False
    _file: int = 0  # index of the file being read in report.files

    def pipeline(self) -> Pipeline:
        return Pipeline(
            deals=tuple(self.deals.values()),
            activities=tuple(self.activities),
            contacts=tuple(self.contacts.values()),
            owners=tuple(self.owners.values()),
            history=tuple(self.history),
            contact_roles=tuple(self.roles),
        )

    def read(self, m: Match, table: CsvTable) -> None:
        kind = m.kind.name
        fr = FileReport(str(table.path), m.format.name, kind, table.encoding)
        fr.note = "; ".join(table.notes)
        self.report.files.append(fr)
        self._file = len(self.report.files) - 1
        for note in table.notes:
            self._warn(fr, 0, "", note)
        handler: Callable[[dict[str, str], Format, FileReport, int], None] = getattr(
            self, f"_{kind}"
        )
        if kind == "owners":
            self.owners_file = True
        if kind == "contacts":
            self.contacts_file = True
        width = len(table.header)
        pairs = list(m.columns.items())
        required = {table.header[m.columns[r]]: m.columns[r] for r in m.kind.required}
        # (header name, the canonical field a required column is read into)
        required_fields = [
            (name, next(c for c, j in pairs if j == i)) for name, i in required.items()
        ]
        defaults = dict(m.kind.defaults)
        names = [c for c, _ in pairs]
        # Mapped cells of a row as a tuple (itemgetter returns a bare value for one index).
        pick = itemgetter(*[i for _, i in pairs]) if len(pairs) > 1 else None
        seen_rows: dict[str | tuple[str, ...], int] = {}
        for record in self._rows(table):
            fr.rows += 1
            line, fields = record.line, record.fields
            if record.error:
                self._problem(fr, line, "rejected", "", record.error)
                continue
            if len(fields) > width and any(f.strip() for f in fields[width:]):
                self._problem(
                    fr,
                    line,
                    "rejected",
                    "",
                    f"row has {len(fields)} fields, "
                    f"the header has {width} (a stray quote or delimiter?)",
                )
                continue
            if len(fields) < width:
                cut = [name for name, i in required.items() if i >= len(fields)]
                if cut:
                    self._problem(
                        fr,
                        line,
                        "rejected",
                        "",
                        f"row has {len(fields)} fields, "
                        f"the header has {width}: no value for required column "
                        f"{cut[0]!r}",
                    )
                    continue
                self._warn(
                    fr,
                    line,
                    "",
                    f"row has {len(fields)} fields, the header has "
                    f"{width}; the missing ones are left empty",
                )
            key = _row_key(fields)
            if key in seen_rows:
                self._problem(fr, line, "rejected", "", f"duplicate of line {seen_rows[key]}")
                continue
            seen_rows[key] = line
            row = dict(defaults)
            count = len(fields)
            if pick is not None and count >= width and type(key) is str and "\r" not in key:
                # The common row, built in C: every mapped cell, stripped, if not empty.
                row.update(filter(_VALUE, zip(names, map(str.strip, pick(fields)), strict=True)))
            else:
                for canonical, i in pairs:
                    if i < count:
                        value = fields[i].strip()
                        if value:
                            if "\r" in value:
                                value = value.replace("\r\n", "\n").replace("\r", "\n")
                            row[canonical] = value
            try:
                for name, canonical in required_fields:
                    if canonical not in row:
                        raise RowError(canonical, f"required column {name!r} is empty")
                handler(row, m.format, fr, line)
            except Unlinked as exc:
                self._problem(fr, line, "unlinked", exc.field, exc.reason)
            except RowError as exc:
                self._problem(fr, line, "rejected", exc.field, exc.reason)
            except Exception as exc:  # a reader bug must cost one row, never the export
                self._problem(
                    fr,
                    line,
                    "rejected",
                    "",
                    f"could not read this row ({type(exc).__name__}: {exc})",
                )
            else:
                fr.loaded += 1

    def _rows(self, table: CsvTable) -> Iterable[Record]:
        rows = table.rows()
        big = len(table.text) > PROGRESS_BYTES and sys.stderr.isatty()
        if not big:
            return rows
        bar: Iterable[Record] = tqdm(
            rows, desc=table.path.name, unit=" rows", leave=False, file=sys.stderr
        )
        return bar

    def _problem(self, fr: FileReport, line: int, status: Status, fld: str, reason: str) -> None:
        if len(reason) > MAX_REASON:  # a 10 MB id quoted in "... is not a deal in this export"
            reason = f"{reason[: MAX_REASON // 2]} … {reason[-MAX_REASON // 2 :]}"
        if status == "rejected":
            fr.rejected += 1
        elif status == "unlinked":
            fr.unlinked += 1
        self.report.problems.append(Problem(fr.path, line, status, reason, fld))

    def _warn(self, fr: FileReport, line: int, fld: str, reason: str) -> None:
        self._problem(fr, line, "warning", fld, reason)

    def _claim_id(self, kind: str, ident: str, fr: FileReport, line: int) -> None:
        seen = self.seen_ids.get(kind)
        if seen is None:
            seen = self.seen_ids[kind] = {}
        first = seen.get(ident)
        if first is not None:
            path, at = self.report.files[first & FILE_MASK].path, first >> FILE_BITS
            where = f"line {at}" if path == fr.path else f"{path}:{at}"
            raise RowError("id", f"id {ident!r} already loaded from {where}")
        seen[ident] = line << FILE_BITS | self._file

    # --- value helpers: optional fields warn and blank, they never reject a row ---
    def _date(
        self, row: dict[str, str], name: str, fmt: Format, fr: FileReport, line: int
    ) -> date | None:
        raw = row.get(name, "")
        try:
            value = self._parse_date(raw, fmt.date_order)
        except ValueError as exc:
            self._warn(fr, line, name, f"{exc}; left empty")
            return None
        self._check_plausible(value, name, fr, line)
        return value

    def _required_date(
        self, row: dict[str, str], name: str, fmt: Format, fr: FileReport, line: int
    ) -> date:
        """A date the row cannot do without: unreadable or empty rejects the row."""
        try:
            value = self._parse_date(row.get(name, ""), fmt.date_order)
        except ValueError as exc:
            raise RowError(name, str(exc)) from None
        if value is None:
            raise RowError(name, f"{name} is empty")
        self._check_plausible(value, name, fr, line)
        return value

    def _share(self, value: str) -> str:
        """``value``, or the equal string already kept: one object per distinct value."""
        kept = self.strings.get(value)
        if kept is None:
            if len(self.strings) >= SHARE_LIMIT:
                self.strings.clear()
            kept = self.strings[value] = value
        return kept

    def _parse_date(self, raw: str, order: DateOrder) -> date | None:
        """``parse_date``, once per distinct cell text (exports repeat their dates)."""
        key = (raw, order)
        hit = self.date_memo.get(key, _UNSEEN)
        if hit is _UNSEEN:
            try:
                hit = parse_date(raw, order)
            except ValueError as exc:
                hit = str(exc)
            if len(self.date_memo) >= DATE_MEMO_LIMIT:
                self.date_memo.clear()
            self.date_memo[key] = hit
        if isinstance(hit, str):
            raise ValueError(hit)
        return hit  # type: ignore[return-value]

    def _check_plausible(self, value: date | None, name: str, fr: FileReport, line: int) -> None:
        doubt = implausible_date(value) if value else ""
        if doubt:
            self._warn(fr, line, name, doubt)

    def _amount(
        self, row: dict[str, str], name: str, fr: FileReport, line: int
    ) -> tuple[float | None, str]:
        raw = row.get(name, "")
        hit = self.amount_memo.get(raw)
        if hit is None:  # parse once per distinct cell text; remember the error too
            try:
                hit = parse_amount(raw)
            except ValueError as exc:
                hit = str(exc)
            if len(self.amount_memo) >= DATE_MEMO_LIMIT:
                self.amount_memo.clear()
            self.amount_memo[raw] = hit
        if isinstance(hit, str):
            self._warn(fr, line, name, f"{hit}; left empty")
            return None, ""
        return hit

    def _flag(self, row: dict[str, str], name: str, fr: FileReport, line: int) -> bool | None:
        raw = row.get(name)
        if raw is None:
            return None
        try:
            return parse_bool(raw)
        except ValueError as exc:
            self._warn(fr, line, name, f"{exc}; ignored")
            return None

    # --- one handler per kind ---
    def _accounts(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> None:
        ident = _required(row, "id")
        self._claim_id("account", ident, fr, line)
        self.accounts[ident] = row.get("name", ident)

    def _owners(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> None:
        ident = row.get("id") or row.get("email") or _required(row, "name")
        self._claim_id("owner", ident, fr, line)
        name = (
            row.get("name")
            or " ".join(p for p in (row.get("first_name", ""), row.get("last_name", "")) if p)
            or row.get("email", "")
            or ident
        )
        manager = row.get("manager_id", "")
        if not manager and row.get("manager"):
            manager = self._owner_ref(row["manager"])
        owner = Owner(ident, name, row.get("email", ""), manager)
        self.owners[ident] = owner
        for alias in (name, owner.email):
            if alias:
                self.owner_alias.setdefault(alias.lower(), ident)

    def _owner_ref(self, value: str) -> str:
        """Resolve an owner cell (an id, a name or an email) to an owner id, adding unknowns."""
        owner = self.owners.get(value)
        if owner is not None:
            return owner.id  # == value; the loaded string, shared by every row naming it
        known = self.owner_alias.get(value.lower())
        if known:
            return known
        self.owners[value] = Owner(value, value, value if "@" in value else "")
        self.owner_alias[value.lower()] = value
        return value

    def _contacts(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> None:
        ident = _required(row, "id")
        self._claim_id("contact", ident, fr, line)
        name = row.get("name") or " ".join(
            p for p in (row.get("first_name", ""), row.get("last_name", "")) if p
        )
        contact = Contact(
            ident,
            name or ident,
            row.get("title", ""),
            row.get("email", ""),
            row.get("account_id", ""),
            row.get("role", ""),
        )
        self.contacts[ident] = contact
        if name:
            self.contact_alias.setdefault(name.lower(), ident)

    def _contact_ref(self, value: str) -> str:
        contact = self.contacts.get(value)
        if contact is not None:
            return contact.id  # == value, shared
        known = self.contact_alias.get(value.lower())
        if known:
            return known
        # Reports and HubSpot/Pipedrive name the person instead of an id.
        self.contacts[value] = Contact(value, value)
        self.contact_alias[value.lower()] = value
        return value

    def _deals(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> None:
        ident = row.get("id") or _required(row, "name")
        self._claim_id("deal", ident, fr, line)
        account_id = row.get("account_id", "")
        account = row.get("account") or self.accounts.get(account_id, "")
        if account_id and account_id not in self.accounts and self.accounts:
            self._warn(
                fr, line, "account_id", f"account {account_id!r} is not in the accounts file"
            )
        name = row.get("name") or (f"{account} ({ident})" if account else ident)
        stage = self._share(row.get("stage", ""))
        amount, currency = self._amount(row, "amount", fr, line)
        owner_raw = row.get("owner", "")
        if (
            owner_raw
            and self.owners_file
            and owner_raw not in self.owners
            and (owner_raw.lower() not in self.owner_alias)
        ):
            self._warn(fr, line, "owner", f"owner {owner_raw!r} is not in the users file")
        deal = Deal(
            id=ident,
            name=name,
            account=account,
            owner_id=self._owner_ref(owner_raw) if owner_raw else "",
            stage=stage,
            amount=amount,
            currency=row.get("currency", "") or currency,
            created=self._date(row, "created", fmt, fr, line),
            close_date=self._date(row, "close_date", fmt, fr, line),
            next_step=row.get("next_step", ""),
            status=self._status(row, fmt, fr, line),
            stage_changed=self._date(row, "stage_changed", fmt, fr, line),
        )
        if "contact" in row:
            self.roles.append(ContactRole(ident, self._contact_ref(row["contact"]), "", True))
        self.deals[ident] = deal
        self.deal_alias[name.lower()].append(ident)
        if deal.is_open:
            for key in (account_id, account.lower()):
                if key:
                    self.open_by_account[key].append(ident)
        fr.see_date(deal.created)
        fr.see_date(deal.close_date)

    def _status(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> DealStatus:
        won = self._flag(row, "is_won", fr, line)
        closed = self._flag(row, "is_closed", fr, line)
        if won:
            return DealStatus.WON
        if closed is not None and row.get("is_closed"):
            return DealStatus.LOST if closed else DealStatus.OPEN
        status = row.get("status", "").lower()
        if status:
            if status == "won":
                return DealStatus.WON
            if status in ("lost", "deleted"):
                return DealStatus.LOST
            if status == "open":
                return DealStatus.OPEN
        return stage_status(row.get("stage", ""), fmt)

    def _roles(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> None:
        deal_id, contact_id = _required(row, "deal_id"), _required(row, "contact_id")
        if deal_id not in self.deals:
            raise Unlinked("deal_id", f"opportunity {deal_id!r} is not in the deals file")
        if contact_id not in self.contacts:
            raise Unlinked("contact_id", f"contact {contact_id!r} is not in the contacts file")
        primary = self._flag(row, "is_primary", fr, line) or False
        deal_id, contact_id = self.deals[deal_id].id, self.contacts[contact_id].id  # shared
        role = self._share(row.get("role", ""))
        self.roles.append(ContactRole(deal_id, contact_id, role, primary))

    def _history(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> None:
        deal_id = _required(row, "deal_id")
        when = self._required_date(row, "date", fmt, fr, line)
        if deal_id not in self.deals:
            raise Unlinked("deal_id", f"opportunity {deal_id!r} is not in the deals file")
        amount, _ = self._amount(row, "amount", fr, line)
        self.history.append(
            HistoryEntry(
                self.deals[deal_id].id,  # == deal_id, the loaded string shared
                when,
                self._share(row.get("stage", "")),
                self._date(row, "close_date", fmt, fr, line),
                amount,
            )
        )
        fr.see_date(when)

    def _tasks(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> None:
        ident = row.get("id") or f"{Path(fr.path).stem}:{line}"
        # The first date column the row fills is its date; an unreadable one rejects the
        # row rather than silently falling back to (say) the created date.
        present = (
            "date"
            if row.get("date")
            else "datetime"
            if row.get("datetime")
            else "created"
            if row.get("created")
            else None
        )
        if present is None:
            raise RowError("date", "the activity has no date (activity date, start or created)")
        when = self._required_date(row, present, fmt, fr, line)
        self._claim_id("activity", ident, fr, line)
        deal_id = self._deal_for(row)
        kind_text = row.get("kind", "")
        closed = self._flag(row, "is_closed", fr, line)
        activity = Activity(
            id=ident,
            deal_id=deal_id,
            kind=activity_kind(kind_text, row.get("subject", "")),
            direction=direction(row.get("call_type", "") or row.get("direction", "")),
            subject=self._share(row.get("subject", "")),
            body=self._share(row.get("body", "")),
            date=when,
            contact_id=self._activity_contact(row, fr, line),
            owner_id=self._owner_ref(row["owner"]) if row.get("owner") else "",
            done=closed
            if closed is not None and row.get("is_closed")
            else is_done(row.get("status", "")),
        )
        self.activities.append(activity)
        fr.see_date(when)

    _events = _tasks

    def _activity_contact(self, row: dict[str, str], fr: FileReport, line: int) -> str:
        ref = row.get("contact_id", "")
        if not ref:
            return ""
        if (
            self.contacts_file
            and ref not in self.contacts
            and (ref.lower() not in self.contact_alias)
        ):
            self._warn(fr, line, "contact_id", f"contact {ref!r} is not in the contacts file")
        return self._contact_ref(ref)

    def _deal_for(self, row: dict[str, str]) -> str:
        cell = row.get("deal_id", "")
        if ";" in cell or "," in cell:
            refs = [r.strip() for r in re.split(r"[;,]", cell) if r.strip()]
        else:
            refs = [cell.strip()] if cell.strip() else []
        for r in refs:
            deal = self.deals.get(r)
            if deal is not None:
                return deal.id  # == r, shared
        ref = refs[0] if refs else ""
        if ref and ref not in self.accounts and ref not in self.open_by_account:
            # The row names a specific record (an opportunity) the export does not have;
            # guessing a deal from its account would tie it to the wrong one.
            raise Unlinked("deal_id", f"{ref!r} is not a deal in this export")
        name = row.get("deal_name", "")
        if name:
            ids = self.deal_alias.get(name.lower(), [])
            if len(ids) == 1:
                return ids[0]
            if ids:
                raise Unlinked("deal_name", f"{len(ids)} deals are named {name!r}; not tied to one")
        # An activity logged against the account (Salesforce WhatId = Account) belongs to
        # the account's deal only when there is exactly one open deal to choose.
        for key in (ref, row.get("account_id", ""), row.get("account", "").lower()):
            candidates = self.open_by_account.get(key) if key else None
            if candidates and len(candidates) == 1:
                return candidates[0]
            if candidates:
                raise Unlinked(
                    "deal_id",
                    f"logged against account {key!r}, which has "
                    f"{len(candidates)} open deals; not tied to one",
                )
        if ref:
            raise Unlinked("deal_id", f"logged against account {ref!r}, which has no open deal")
        what = name or row.get("account", "") or row.get("account_id", "")
        if not what:
            raise Unlinked("deal_id", "the activity names no deal")
        if name:
            raise Unlinked("deal_name", f"{name!r} is not a deal in this export")
        raise Unlinked("deal_id", f"account {what!r} has no open deal in this export")


def _row_key(fields: list[str]) -> str | tuple[str, ...]:
    """A row's identity for duplicate detection: its fields joined on NUL (one string, not a
    tuple holding every cell), or the tuple itself when a field contains a NUL."""
    key = "\x00".join(fields)
    return key if key.count("\x00") == len(fields) - 1 else tuple(fields)


def _required(row: dict[str, str], name: str) -> str:
    value = row.get(name, "")
    if not value:
        raise RowError(name, f"{name} is empty")
    return value


_WON = ("closed won", "closedwon", "won", "closed - won", "closed/won")
_LOST = (
    "closed lost",
    "closedlost",
    "lost",
    "closed - lost",
    "closed/lost",
    "dead",
    "disqualified",
)


def stage_status(stage: str, fmt: Format) -> DealStatus:
    s = stage.strip().lower()
    if s in fmt.won_stages or s in _WON:
        return DealStatus.WON
    if s in fmt.lost_stages or s in _LOST:
        return DealStatus.LOST
    return DealStatus.OPEN


_KIND_WORDS: tuple[tuple[str, ActivityKind], ...] = (
    ("call", ActivityKind.CALL), ("phone", ActivityKind.CALL),
    ("email", ActivityKind.EMAIL), ("e-mail", ActivityKind.EMAIL), ("mail", ActivityKind.EMAIL),
    ("meeting", ActivityKind.MEETING), ("event", ActivityKind.MEETING),
    ("lunch", ActivityKind.MEETING), ("demo", ActivityKind.MEETING),
    ("visit", ActivityKind.MEETING), ("note", ActivityKind.NOTE),
    ("task", ActivityKind.TASK), ("to-do", ActivityKind.TASK), ("todo", ActivityKind.TASK),
    ("deadline", ActivityKind.TASK), ("follow", ActivityKind.TASK),
)  # fmt: skip


def activity_kind(kind_text: str, subject: str) -> ActivityKind:
    """The kind named by the export's type column, else by the subject's first 20 characters.

    A type column naming no known kind ("Other", "Prep") falls through to the subject.
    """
    return _activity_kind(kind_text, subject[:20])


@lru_cache(maxsize=8192)
def _activity_kind(kind_text: str, subject: str) -> ActivityKind:
    for text in (kind_text.lower(), subject.lower()):
        for word, kind in _KIND_WORDS:
            if word in text:
                return kind
    return ActivityKind.OTHER


@lru_cache(maxsize=1024)
def direction(text: str) -> Direction:
    """Inbound/outbound from a call type or email direction (``Inbound``, ``INCOMING_EMAIL``)."""
    t = text.strip().lower().replace("_", " ")
    if t.startswith(("inbound", "incoming", "in ", "received")) or t == "in":
        return Direction.INBOUND
    if t.startswith(("out", "email", "sent", "forwarded")):
        return Direction.OUTBOUND
    return Direction.UNKNOWN


_PLANNED = ("not started", "open", "scheduled", "in progress", "waiting", "deferred", "planned")


@lru_cache(maxsize=1024)
def is_done(status: str) -> bool:
    """False for planned/open statuses (``Not Started``, ``NOT_STARTED``), else True."""
    return status.strip().lower().replace("_", " ") not in _PLANNED
