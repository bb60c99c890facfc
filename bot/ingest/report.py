"""What an ingest read, loaded and rejected: the reconcile ledger behind ``dealnudge check``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Status = Literal["rejected", "unlinked", "warning"]


class ExportError(Exception):
    """The export as a whole is unusable; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    status: Status
    reason: str
    field: str = ""

    def describe(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" [{self.field}]" if self.field else ""
        return f"{where}{column}: {self.reason}"


@dataclass
class FileReport:
    path: str
    format: str
    kind: str
    encoding: str = "utf-8"
    rows: int = 0
    loaded: int = 0
    rejected: int = 0
    unlinked: int = 0
    # Loaded activities tied to their deal through a contact or an account, not a deal id.
    by_contact: int = 0
    by_account: int = 0
    first_date: date | None = None
    last_date: date | None = None
    note: str = ""

    def see_date(self, d: date | None) -> None:
        if d is None:
            return
        if self.first_date is None or d < self.first_date:
            self.first_date = d
        if self.last_date is None or d > self.last_date:
            self.last_date = d

    @property
    def reconciles(self) -> bool:
        return self.rows == self.loaded + self.rejected + self.unlinked


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for p in self.problems if p.status == status)
