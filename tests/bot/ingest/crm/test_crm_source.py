"""CrmSource: a pulled export kept on disk, incremental pulls merged into the last good one.

The connector here is an in-memory CRM (the HTTP side of each vendor has its own tests
against fake servers); these tests are about what is kept, merged, replaced and served."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ingest.crm import SCHEMES, crm_scheme
from bot.ingest.crm.base import Activity, CrmError, Deadline, Progress, Pulled, PulledFile
from bot.ingest.crm.source import CONNECTORS, OVERLAP, CrmSource

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HEADER = ["Id", "Name", "StageName"]


@dataclass
class Memory:
    """A CRM whose records carry the time they last changed."""

    name: str = "Memory"
    deals: dict[str, tuple[list[str], datetime]] = field(default_factory=dict)
    users: list[list[str]] = field(default_factory=lambda: [["005A", "Dana"]])
    header: list[str] = field(default_factory=lambda: list(HEADER))
    asked: list[datetime | None] = field(default_factory=list)
    fail: CrmError | None = None

    def put(self, row: list[str], at: datetime) -> None:
        self.deals[row[0]] = (row, at)

    def pull(self, dest: Path, since: datetime | None, progress: Progress) -> Pulled:
        self.asked.append(since)
        rows = [r for r, at in self.deals.values() if since is None or at > since]
        with (dest / "Opportunity.csv").open("w", newline="") as f:
            csv.writer(f).writerows([self.header, *rows])
        progress("Opportunity", len(rows))
        if self.fail is not None:
            raise self.fail  # mid-pull: one file written, then the CRM fails
        with (dest / "User.csv").open("w", newline="") as f:
            csv.writer(f).writerows([["Id", "Name"], *self.users])
        files = {"Opportunity.csv": PulledFile(len(rows), "Id"), "User.csv": PulledFile(1, None)}
        return Pulled(files, full=since is None)

    def record(self, activity: Activity) -> str:
        raise NotImplementedError

    def close(self) -> None:
        pass


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


def make(tmp_path: Path, crm: Memory, clock: Clock) -> CrmSource:
    return CrmSource("memory", crm, tmp_path, deadline=Deadline(60), clock=clock)


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as f:
        return list(csv.reader(f))[1:]


def opportunities(paths: tuple[Path, ...]) -> list[list[str]]:
    return rows(next(p for p in paths if p.name == "Opportunity.csv"))


@pytest.fixture
def crm() -> Memory:
    m = Memory()
    m.put(["006A", "Acme", "Prospecting"], T0 - timedelta(days=3))
    m.put(["006B", "Globex", "Proposal"], T0 - timedelta(days=2))
    return m


def test_scheme_names_only_a_known_crm() -> None:
    assert set(SCHEMES) == set(CONNECTORS)  # the light list the CLI reads names each one
    assert crm_scheme(" Salesforce: ") == "salesforce"
    assert crm_scheme("hubspot:") == "hubspot"
    assert crm_scheme("salesforce:/tmp/x") is None
    assert crm_scheme("/exports/salesforce") is None
    assert crm_scheme("https://example.com/x.csv") is None


def test_first_pull_is_full_then_only_changes_are_pulled_and_merged(
    tmp_path: Path, crm: Memory
) -> None:
    clock = Clock()
    source = make(tmp_path, crm, clock)
    first = source.fetch()
    assert first.changed and crm.asked == [None]
    source.keep(first)

    clock.now = T0 + timedelta(hours=1)
    crm.put(["006B", "Globex", "Negotiation"], T0 + timedelta(minutes=30))  # changed
    crm.put(["006C", "Initech", "Discovery"], T0 + timedelta(minutes=40))  # new
    second = source.fetch()
    assert crm.asked[-1] == T0 - OVERLAP  # since the last good pull began, less the overlap
    assert second.changed
    assert opportunities(second.paths) == [
        ["006A", "Acme", "Prospecting"],
        ["006B", "Globex", "Negotiation"],
        ["006C", "Initech", "Discovery"],
    ]
    source.keep(second)
    assert source.kept() is not None and source.kept().pulled_at == T0 + timedelta(hours=1)  # type: ignore[union-attr]
    # Only the kept folder is left on disk.
    assert [p.name for p in (tmp_path / "memory").glob("pull-*")] == [second.paths[0].parent.name]


def test_nothing_changed_is_reported_unchanged_and_the_window_moves_on(
    tmp_path: Path, crm: Memory
) -> None:
    clock = Clock()
    source = make(tmp_path, crm, clock)
    source.keep(source.fetch())
    clock.now = T0 + timedelta(hours=1)
    again = source.fetch()
    assert not again.changed
    clock.now = T0 + timedelta(hours=2)
    source.fetch()
    assert crm.asked[-1] == T0 + timedelta(hours=1) - OVERLAP


def test_a_failed_pull_keeps_the_last_good_copy_and_leaves_nothing_behind(
    tmp_path: Path, crm: Memory
) -> None:
    clock = Clock()
    source = make(tmp_path, crm, clock)
    good = source.fetch()
    source.keep(good)
    crm.fail = CrmError("Memory: the CRM's API is failing (HTTP 503 after 5 tries)", "server")
    clock.now = T0 + timedelta(hours=1)
    with pytest.raises(CrmError, match="HTTP 503"):
        source.fetch()
    assert [p.name for p in (tmp_path / "memory").glob("pull-*")] == [good.paths[0].parent.name]
    # A new process that cannot reach the CRM serves the kept copy, and says how old it is.
    fresh = make(tmp_path, crm, clock)
    cached = fresh.cached()
    assert cached is not None and cached.paths == good.paths
    assert "pulled from Memory" in cached.detail
    assert opportunities(cached.paths) == [["006A", "Acme", "Prospecting"],
                                           ["006B", "Globex", "Proposal"]]  # fmt: skip


def test_a_pull_that_did_not_read_well_is_never_kept(tmp_path: Path, crm: Memory) -> None:
    clock = Clock()
    source = make(tmp_path, crm, clock)
    good = source.fetch()
    source.keep(good)
    clock.now = T0 + timedelta(hours=1)
    crm.put(["006A", "Acme", "Closed Won"], T0 + timedelta(minutes=5))
    rejected = source.fetch()  # the runtime could not read it: no keep()
    assert rejected.changed
    clock.now = T0 + timedelta(hours=2)
    source.fetch()  # the next pull still starts from the last good one
    assert crm.asked[-1] == T0 - OVERLAP
    assert not rejected.paths[0].parent.exists()
    assert source.kept().folder == good.paths[0].parent  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda c, clock: setattr(c, "header", [*HEADER, "Amount"]), "columns changed"),
        (lambda c, clock: setattr(clock, "now", T0 + timedelta(days=8)), "a week passed"),
    ],
)
def test_a_full_pull_when_columns_change_or_a_week_has_passed(
    tmp_path: Path, crm: Memory, change: Callable[[Memory, Clock], None], why: str
) -> None:
    clock = Clock()
    source = make(tmp_path, crm, clock)
    source.keep(source.fetch())
    clock.now = T0 + timedelta(hours=1)
    change(crm, clock)
    source.fetch()
    assert crm.asked[-1] is None, why


def test_pull_full_pulls_everything_and_sees_deleted_records(tmp_path: Path, crm: Memory) -> None:
    clock = Clock()
    source = make(tmp_path, crm, clock)
    source.keep(source.fetch())
    del crm.deals["006B"]  # an incremental pull cannot see a deletion
    clock.now = T0 + timedelta(hours=1)
    assert [r[0] for r in opportunities(source.fetch().paths)] == ["006A", "006B"]
    full = source.fetch(full=True)
    assert crm.asked[-1] is None
    assert [r[0] for r in opportunities(full.paths)] == ["006A"]


def test_progress_is_reported_per_object(tmp_path: Path, crm: Memory) -> None:
    seen: list[tuple[str, int]] = []
    make(tmp_path, crm, Clock()).fetch(progress=lambda what, n: seen.append((what, n)))
    assert seen == [("Opportunity", 2)]


def test_a_kept_copy_missing_a_file_is_pulled_whole_not_merged(tmp_path: Path, crm: Memory) -> None:
    clock = Clock()
    source = make(tmp_path, crm, clock)
    first = source.fetch()
    source.keep(first)
    (first.paths[0].parent / "Opportunity.csv").unlink()  # damaged on disk
    clock.now = T0 + timedelta(hours=1)
    again = source.fetch()  # merged, it would hold only the changed deals
    assert crm.asked[-1] is None
    assert [r[0] for r in opportunities(again.paths)] == ["006A", "006B"]
