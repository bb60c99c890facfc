"""Turn CSV files into a linked ``Pipeline`` and an ``IngestReport`` that reconciles.

Files are detected first, then read in dependency order (accounts, owners, contacts,
deals, roles, history, activities) so every reference resolves against what is loaded.
Every data row ends as exactly one of: loaded, rejected (unreadable) or unlinked (refers
to something the export does not have).
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from tqdm import tqdm

from bot.ingest.csvfile import CsvError, CsvTable, Record, open_table
from bot.ingest.detect import (
    Match,
    closest_header,
    closest_partial,
    detect,
    match,
    missing_column_message,
    norm,
)
from bot.ingest.formats import BUILTIN, Format
from bot.ingest.mapping import bound_kind, load_mapping
from bot.ingest.report import ExportError, FileReport, IngestReport, Problem, Status
from bot.ingest.values import (
    DateOrder,
    implausible_date,
    parse_amount,
    parse_bool,
    parse_date,
    plain_text,
)
from rules.model import (
    Activity,
    ActivityKind,
    Contact,
    ContactRole,
    Deal,
    DealStatus,
    Direction,
    HistoryEntry,
    Input,
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
        else:
            m = detect(path, table.header, formats)
        if m is None:
            unrecognised.append(table)
            report.skipped.append((str(path), "not a deals, activities, people or history file"))
        else:
            if mapping is not None:
                report.problems.extend(mapped_columns_problems(path, table.header, m, mapping))
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
    report.problems.extend(open_stages_that_look_closed(linker.deals.values(), report))
    if not linker.deals:
        files = ", ".join(f.path for f in report.files if f.kind == "deals")
        first = next((p for p in report.problems if p.status == "rejected"), None)
        why = f"; first problem: {first.describe()}" if first else ""
        raise ExportError(f"{files}: no deal rows could be loaded{why}")
    return LoadResult(linker.pipeline(), report)


# Fields from which a deal's open/won/lost status is read.
_STATUS_FIELDS = ("stage", "status", "is_closed", "is_won")


def mapped_columns_problems(
    path: Path, header: tuple[str, ...], m: Match, mapping: Path
) -> list[Problem]:
    """Every column a mapping names must be in its file: a missing required one (or every
    status column of the deals) is an ``ExportError``; a missing optional one a warning,
    both naming the closest real header."""
    present = {norm(h) for h in header}
    section = "activities" if m.kind.name == "tasks" else m.kind.name
    used = set(m.columns.values())  # a column read as another field is no candidate
    free = tuple(h for i, h in enumerate(header) if i not in used)
    absent: dict[str, str] = {}  # canonical field -> what is wrong
    for canonical, names in m.kind.columns.items():
        if any(norm(n) in present for n in names):
            continue
        guess = closest_header(names, free, path.stem.lower(), cutoff=0.5)
        closest = f"; closest column: {guess!r}" if guess else ""
        wanted = " or ".join(repr(n) for n in names)
        absent[canonical] = (
            f"{mapping.name} [{section}] {canonical} = {wanted}: no such column in "
            f"{path.name}{closest}"
        )
        if canonical in m.kind.required:
            raise ExportError(f"{path}: {absent[canonical]}")
    named_status = [f for f in _STATUS_FIELDS if f in m.kind.columns]
    if m.kind.name == "deals" and named_status and all(f in absent for f in named_status):
        raise ExportError(
            f"{path}: {absent[named_status[0]]}; without it no deal can be told open from "
            "won or lost"
        )
    return [
        Problem(str(path), 1, "warning", f"{why}; left empty", canonical)
        for canonical, why in absent.items()
    ]


_CLOSED_WORDS = re.compile(
    r"\b(won|lost|closed?|signed|gewonnen|verloren|ganad[oa]|perdid[oa]|gagn[ée]e?|perdue?|"
    r"ganho|dead|disqualified|churned|cancell?ed)\b",
    re.IGNORECASE,
)


def open_stages_that_look_closed(deals: Iterable[Deal], report: IngestReport) -> list[Problem]:
    """A warning per stage value read as open although it reads like a closed one."""
    counts: Counter[str] = Counter(
        d.stage for d in deals if d.is_open and d.stage and _CLOSED_WORDS.search(d.stage)
    )
    where = next((f.path for f in report.files if f.kind == "deals"), "")
    return [
        Problem(
            where,
            0,
            "warning",
            f"stage {stage!r} ({n} deals) reads like a closed stage but is read as open; "
            "name it in won_stages or lost_stages of the mapping file (or check IsClosed / "
            "status)",
            "stage",
        )
        for stage, n in counts.most_common()
    ]


def _no_deals_message(
    tables: list[CsvTable], formats: tuple[Format, ...], files: list[Path], mapping: Path | None
) -> str:
    where = ", ".join(map(str, files[:5])) + (
        f" and {len(files) - 5} more" if len(files) > 5 else ""
    )
    if mapping is not None:
        best = _closest_deals_table(tables, formats)
        if best is not None and best[0].missing:
            return missing_column_message(best[1].path, best[1].header, best[0])
        return (
            f"no deals file found in {where}: no file has the columns of the [deals] "
            f"section of {mapping}"
        )
    # A file that looks like deals but matches no built-in format: show what it has and
    # point to mapping files rather than blame it for a built-in's missing column.
    likely = next(
        (t for t in tables if any(w in t.path.stem.lower() for w in ("opp", "deal", "pipeline"))),
        None,
    )
    seen = ""
    if likely is not None:
        cols = ", ".join(_cut_name(h) for h in likely.header[:12])
        more = " ..." if len(likely.header) > 12 else ""
        seen = f" {likely.path.name} has the columns {cols}{more}, which no built-in format uses."
    return (
        f"no deals file found in {where}: no file matches a built-in export (a Salesforce "
        "Opportunity.csv with Id, Name and StageName; a Salesforce report with Opportunity "
        "Name and Stage; a HubSpot deals export with Record ID, Deal Name and Deal Stage; a "
        f"Pipedrive deals export with Deal - ID and Deal - Title).{seen} For any other CSV, "
        "write a mapping file naming which column is which (examples/*.toml) and pass it "
        "with --mapping FILE, DEALNUDGE_MAPPING or [source] mapping in dealnudge.toml."
    )


def _closest_deals_table(
    tables: list[CsvTable], formats: tuple[Format, ...]
) -> tuple[Match, CsvTable] | None:
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
    return best


def _cut_name(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[:limit] + "…"


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
    # Account id or lower-case name -> every deal of that account (open or closed).
    deals_by_account: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    roles_by_contact: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Activity id -> the deal naming it (exports that link deal -> activity, not back).
    deal_by_activity: dict[str, str] = field(default_factory=dict)
    # "kind.field" for every canonical field some row filled: what the export carries.
    filled: set[str] = field(default_factory=set)
    columns: set[str] = field(default_factory=set)  # "kind.field" for every mapped column
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
            inputs=self.inputs(),
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
        self.columns.update(f"{kind}.{c}" for c, _ in pairs)
        unfilled = {c for c, _ in pairs}  # fields no row of this file has filled yet
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
        fallbacks = list(m.fallbacks.items())
        norm_header = [norm(h) for h in table.header]
        type_columns = [
            (i, activity_type)
            for activity_type, names in m.kind.type_columns.items()
            for i, h in enumerate(norm_header)
            if h in {norm(n) for n in names}
        ]
        stage_entries = self._stage_entry_columns(m, norm_header, table.header)
        html = m.format.html_bodies
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
            for canonical, more in fallbacks:
                if canonical not in row:
                    for i in more:
                        value = fields[i].strip() if i < count else ""
                        if value:
                            row[canonical] = value.replace("\r\n", "\n").replace("\r", "\n")
                            break
            if type_columns and "kind" not in row:
                row["kind"] = next(
                    (t for i, t in type_columns if i < count and fields[i].strip()), ""
                )
            if html and "<" in row.get("body", ""):
                row["body"] = plain_text(row["body"])
            if unfilled and not unfilled.isdisjoint(row):
                self.filled.update(f"{kind}.{c}" for c in unfilled.intersection(row))
                unfilled.difference_update(row)
            try:
                for name, canonical in required_fields:
                    if canonical not in row:
                        raise RowError(canonical, f"required column {name!r} is empty")
                handler(row, m.format, fr, line)
                if stage_entries:
                    cells = [(s, fields[i].strip()) for i, s in stage_entries if i < count]
                    self._stage_entries(row, cells, m.format, fr, line)
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
        person = contact_from_ref(value)  # a name, "name (email)", an email or a bare id
        self.owners[value] = Owner(value, person.name, person.email)
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
            name,
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
        # Reports and HubSpot/Pipedrive name the person instead of an id, or give only an id.
        self.contacts[value] = contact_from_ref(value)
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
            last_activity=self._date(row, "last_activity", fmt, fr, line),
            next_activity=self._date(row, "next_activity", fmt, fr, line),
        )
        for n, ref in enumerate(_refs(row.get("contact", ""))):
            self.roles.append(ContactRole(ident, self._contact_ref(ref), "", n == 0))
        if "activity_id" in row:
            self.deal_by_activity[row["activity_id"]] = ident
        self.deals[ident] = deal
        self.deal_alias[name.lower()].append(ident)
        for key in (account_id, account.lower()):
            if key:
                self.deals_by_account[key].append(ident)
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

    @staticmethod
    def _stage_entry_columns(
        m: Match, norm_header: list[str], header: tuple[str, ...]
    ) -> list[tuple[int, str]]:
        """(column, stage) for each 'Date entered "<stage> (<pipeline>)"' column."""
        if not m.kind.stage_entry_header:
            return []
        pattern = re.compile(m.kind.stage_entry_header)
        out = []
        for i, h in enumerate(norm_header):
            found = pattern.match(h)
            if found:  # the stage as the header spells it (the pattern matched lower-case)
                start, end = found.span("stage")
                out.append((i, header[i].strip()[start:end]))
        return out

    def _stage_entries(
        self,
        row: dict[str, str],
        cells: list[tuple[str, str]],
        fmt: Format,
        fr: FileReport,
        line: int,
    ) -> None:
        """History from a deal's per-stage entry dates (one entry per stage it entered)."""
        deal_id = row.get("id") or row.get("name", "")
        deal = self.deals.get(deal_id)
        if deal is None:
            return
        for stage, raw in cells:
            if not raw:
                continue
            try:
                when = self._parse_date(raw, fmt.date_order)
            except ValueError as exc:
                self._warn(fr, line, f"date entered {stage}", f"{exc}; left empty")
                continue
            if when is not None:
                self.history.append(HistoryEntry(deal.id, when, self._share(stage)))

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
        self.roles_by_contact[contact_id].append(deal_id)

    def _history(self, row: dict[str, str], fmt: Format, fr: FileReport, line: int) -> None:
        deal_id = _required(row, "deal_id")
        when = self._required_date(row, "date", fmt, fr, line)
        fr.see_date(when)  # the date range covers every row read, linked or not
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
        fr.see_date(when)  # the date range covers every row read, linked or not
        self._claim_id("activity", ident, fr, line)
        refs = _refs(row.get("contact_id", ""))
        known = tuple(self._known_contact(r) or r for r in refs)
        deal_id, how = self._deal_for(row, when, known)
        if how == "none" and ident in self.deal_by_activity:
            deal_id, how = self.deal_by_activity[ident], "deal"
        elif how == "none":
            raise Unlinked("deal_id", deal_id)
        contacts = self._activity_contacts(refs, fr, line)  # only once the row is linked
        if "contact_name" in row:
            self._name_contacts(contacts, _refs(row["contact_name"]))
        kind_text = row.get("kind", "")
        closed = self._flag(row, "is_closed", fr, line)
        result = outcome(row.get("outcome", ""))
        activity = Activity(
            id=ident,
            deal_id=deal_id,
            kind=activity_kind(kind_text, row.get("subject", "")),
            direction=direction(row.get("call_type", "") or row.get("direction", ""), kind_text),
            outcome=result,
            subject=self._share(row.get("subject", "")),
            body=self._share(row.get("body", "")),
            date=when,
            contact_id=contacts[0] if contacts else "",
            also_with=contacts[1:],
            owner_id=self._owner_ref(row["owner"]) if row.get("owner") else "",
            done=(
                closed
                if closed is not None and row.get("is_closed")
                else is_done(row.get("status", ""))
            )
            and result not in NOT_HELD,
        )
        self.activities.append(activity)
        if how == "contact":
            fr.by_contact += 1
        elif how == "account":
            fr.by_account += 1

    _events = _tasks

    def _name_contacts(self, ids: tuple[str, ...], names: list[str]) -> None:
        """Give contacts known only by id the names a parallel column shows, in order."""
        for ident, name in zip(ids, names, strict=False):
            c = self.contacts.get(ident)
            if c is not None and not c.name and name != ident:
                named = contact_from_ref(name)
                self.contacts[ident] = Contact(
                    c.id, named.name, c.title, c.email or named.email, c.account_id, c.role
                )
                if named.name:
                    self.contact_alias.setdefault(named.name.lower(), ident)

    def _known_contact(self, ref: str) -> str:
        """The id of the contact ``ref`` names (an id or a name), "" when none is loaded."""
        if ref in self.contacts:
            return self.contacts[ref].id
        return self.contact_alias.get(ref.lower(), "")

    def _activity_contacts(self, refs: list[str], fr: FileReport, line: int) -> tuple[str, ...]:
        """The contacts an activity was with; a cell may name several ("51245;51329")."""
        out: list[str] = []
        for ref in refs:
            if (
                self.contacts_file
                and ref not in self.contacts
                and (ref.lower() not in self.contact_alias)
            ):
                self._warn(fr, line, "contact_id", f"contact {ref!r} is not in the contacts file")
            out.append(self._contact_ref(ref))
        return tuple(dict.fromkeys(out))

    def _open_on(self, ids: list[str], when: date) -> list[str]:
        """The deals among ``ids`` that were open on ``when`` (created on or before it, and
        still open or closed on or after it); unknown dates do not rule a deal out."""
        out = []
        for i in dict.fromkeys(ids):
            d = self.deals[i]
            if d.created and d.created > when:
                continue
            if not d.is_open and d.close_date and d.close_date < when:
                continue
            out.append(i)
        return out

    def _deal_for(
        self, row: dict[str, str], when: date, contacts: tuple[str, ...]
    ) -> tuple[str, str]:
        """(deal id, how it was linked: "deal", "account" or "contact"), ``Unlinked``, or
        (why not, "none") when the row names nothing to link it by."""
        refs = _refs(row.get("deal_id", ""))
        for r in refs:
            deal = self.deals.get(r)
            if deal is not None:
                return deal.id, "deal"  # == r, shared
        ref = refs[0] if refs else ""
        if ref and ref not in self.accounts and ref not in self.deals_by_account:
            # The row names a specific record (an opportunity) the export does not have;
            # guessing a deal from its account would tie it to the wrong one.
            raise Unlinked("deal_id", f"{ref!r} is not a deal in this export")
        name = row.get("deal_name", "")
        if name:
            ids = self.deal_alias.get(name.lower(), [])
            if len(ids) == 1:
                return ids[0], "deal"
            if ids:
                raise Unlinked("deal_name", f"{len(ids)} deals are named {name!r}; not tied to one")
        # Logged against an account: the account's deal that was open on the activity's date.
        for key in (ref, row.get("account_id", ""), row.get("account", "").lower()):
            if key and key in self.deals_by_account:
                return self._one_open(self.deals_by_account[key], when, f"account {key!r}")
        if ref:
            raise Unlinked("deal_id", f"logged against account {ref!r}, which has no deal")
        # Logged on a contact only (Salesforce WhoId, no WhatId): the contact's deal (by
        # contact role), else their account's, open on the activity's date.
        for c in contacts:
            by_role = self.roles_by_contact.get(c)
            if by_role and self._open_on(by_role, when):
                return self._one_open(by_role, when, f"contact {c!r}", "contact")
            contact = self.contacts.get(c)
            if contact and contact.account_id in self.deals_by_account:
                return self._one_open(
                    self.deals_by_account[contact.account_id], when,
                    f"contact {c!r} of account {contact.account_id!r}", "contact",
                )  # fmt: skip
        what = name or row.get("account", "") or row.get("account_id", "")
        if name:
            raise Unlinked("deal_name", f"{name!r} is not a deal in this export")
        if what:
            raise Unlinked("deal_id", f"account {what!r} has no deal in this export")
        if contacts:
            raise Unlinked(
                "contact_id", f"contact {contacts[0]!r} has no deal or account in this export"
            )
        # Maybe a deal names this activity (checked by the caller, which knows its id).
        return "the activity names no deal, account or contact", "none"

    def _one_open(
        self, ids: list[str], when: date, what: str, how: str = "account"
    ) -> tuple[str, str]:
        open_then = self._open_on(ids, when)
        if len(open_then) == 1:
            return open_then[0], how
        if not open_then:
            raise Unlinked("deal_id", f"logged against {what}, which had no deal open on {when}")
        raise Unlinked(
            "deal_id",
            f"logged against {what}, which had {len(open_then)} deals open on {when}; "
            "not tied to one",
        )

    def inputs(self) -> frozenset[Input]:
        """What this export carries, from the columns mapped and the fields rows filled."""
        has = self.filled.__contains__
        found = {
            Input.CLOSE_DATE: has("deals.close_date"),
            Input.CREATED: has("deals.created"),
            Input.NEXT_STEP: "deals.next_step" in self.columns,
            Input.ACTIVITIES: bool(self.activities),
            Input.ACTIVITY_TEXT: bool(self.activities)
            and any(has(f"{k}.{f}") for k in ("tasks", "events") for f in ("subject", "body")),
            Input.ACTIVITY_NOTES: bool(self.activities)
            and any(has(f"{k}.body") for k in ("tasks", "events")),
            Input.DIRECTION: any(
                has(f"{k}.{f}") for k in ("tasks", "events") for f in ("direction", "call_type")
            ),
            Input.ACTIVITY_CONTACTS: any(a.contact_id for a in self.activities),
            Input.CONTACT_TITLES: any(
                has(f) for f in ("contacts.title", "contacts.role", "roles.role")
            ),
            Input.STAGE_HISTORY: any(h.stage for h in self.history) or has("deals.stage_changed"),
            Input.CLOSE_HISTORY: any(h.close_date for h in self.history),
            Input.OWNERS: has("deals.owner"),
            Input.LAST_ACTIVITY: bool(self.activities) or has("deals.last_activity"),
            Input.NEXT_ACTIVITY: "deals.next_activity" in self.columns,
        }
        return frozenset(i for i, ok in found.items() if ok)


def _refs(cell: str) -> list[str]:
    """The references in an association cell: one, or several separated by ";" (HubSpot),
    or by "," when every part is an id ("Weber, Jonas" stays one name)."""
    if ";" in cell:
        return [r.strip() for r in cell.split(";") if r.strip()]
    if "," in cell:
        parts = [r.strip() for r in cell.split(",") if r.strip()]
        if all(_ID_LIKE.match(p) for p in parts):
            return parts
    return [cell.strip()] if cell.strip() else []


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


# Stage names that close a deal in any pipeline (a format or mapping adds its own).
_WON = (
    "closed won",
    "closedwon",
    "won",
    "closed - won",
    "closed/won",
    "signed",
    "contract signed",
    "closed - signed",
    "gewonnen",
    "ganado",
    "ganada",
    "ganho",
    "gagne",
    "gagné",
    "getekend",
)
_LOST = (
    "closed lost", "closedlost", "lost", "closed - lost", "closed/lost", "dead", "disqualified",
    "verloren", "perdido", "perdida", "perdu", "perdue", "closed - no decision", "no decision",
)  # fmt: skip


# "Won - Sensors live", "Closed lost: no budget", "Lost (price)": a closed word first.
_CLOSED_PREFIX = re.compile(r"^(?:closed\s*[-/:]?\s*)?(won|lost)\b(?:\s*[-:(/–]|$)")


def stage_status(stage: str, fmt: Format) -> DealStatus:
    s = stage.strip().lower()
    if s in fmt.won_stages or s in _WON:
        return DealStatus.WON
    if s in fmt.lost_stages or s in _LOST:
        return DealStatus.LOST
    found = _CLOSED_PREFIX.match(s)
    if found:
        return DealStatus.WON if found[1] == "won" else DealStatus.LOST
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
def direction(text: str, kind_text: str = "") -> Direction:
    """Inbound/outbound from a call type or email direction (``Inbound``, ``INCOMING_EMAIL``,
    ``EMAIL`` for sent), else from an activity type that names it (HubSpot's "Email reply
    from contact" / "Email sent to contact"; a bare "Email" says nothing); else unknown."""
    if not text.strip():
        typed = " ".join(kind_text.strip().lower().split())
        if "reply from" in typed or "from contact" in typed:
            return Direction.INBOUND
        if "sent to" in typed or "to contact" in typed:
            return Direction.OUTBOUND
        return Direction.UNKNOWN
    t = " ".join(text.strip().lower().replace("_", " ").split())
    if t.startswith(("inbound", "incoming", "in ", "received")) or t == "in":
        return Direction.INBOUND
    if "reply from" in t or "from contact" in t:
        return Direction.INBOUND
    if t.startswith(("outbound", "outgoing", "out ", "sent")) or t in ("out", "email"):
        return Direction.OUTBOUND
    if "sent to" in t or "to contact" in t:
        return Direction.OUTBOUND
    return Direction.UNKNOWN


# HubSpot's default call outcomes, as its API exports them (GUIDs) -> their labels.
_HUBSPOT_OUTCOMES = {
    "9d9162e7-6cf3-4944-bf63-4dff82258764": "busy",
    "f240bbac-87c9-4f6e-bf70-924b57d47db7": "connected",
    "a4c4c377-d246-4b32-a13b-75a56a4cd0ff": "left live message",
    "b2cf5968-551e-4856-9783-52b3da59a7d0": "left voicemail",
    "73a0d17f-1163-4015-bdd5-ec830791da20": "no answer",
    "17b47fee-58de-441e-a44c-c6300d46f273": "wrong number",
}
# Meeting outcomes saying it did not take place.
NOT_HELD = frozenset({"no show", "canceled", "cancelled", "rescheduled", "scheduled"})


@lru_cache(maxsize=1024)
def outcome(text: str) -> str:
    """A call result or meeting outcome, lower-case with single spaces ("" when none)."""
    t = " ".join(text.strip().lower().replace("_", " ").split())
    return _HUBSPOT_OUTCOMES.get(t, t)


_ID_LIKE = re.compile(r"^(?=.*\d)[A-Za-z0-9_-]{5,}$|^\d+$")
_NAME_EMAIL = re.compile(r"^(?P<name>[^()<>]*?)\s*[(<](?P<email>[^()<>@\s]+@[^()<>\s]+)[)>]$")


def contact_from_ref(value: str) -> Contact:
    """A contact known only from an activity or deal cell: "Dana Reyes", "Dana Reyes
    (dana@x.com)", an email, or a bare id (which gives no name to greet)."""
    found = _NAME_EMAIL.match(value)
    if found:
        return Contact(value, found["name"].strip(), email=found["email"])
    if "@" in value and " " not in value:
        return Contact(value, "", email=value)
    if _ID_LIKE.match(value) and " " not in value:
        return Contact(value, "")
    return Contact(value, value)


_PLANNED = ("not started", "open", "scheduled", "in progress", "waiting", "deferred", "planned")


@lru_cache(maxsize=1024)
def is_done(status: str) -> bool:
    """False for planned/open statuses (``Not Started``, ``NOT_STARTED``), else True."""
    return status.strip().lower().replace("_", " ") not in _PLANNED
