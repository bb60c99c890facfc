"""A findings snapshot on disk: what the analysis process hands the server, and what a
restart with an unchanged export starts from.

A snapshot folder holds three files, written to a temporary folder and renamed into place:
- ``deals.bin``: per deal, one pickle of its activities, contact roles and history;
- ``contacts.bin``: per contact, one pickle. The server never holds these: it reads one
  deal's records (and its contacts) when a view of that deal is asked for;
- ``snapshot.bin``: the deals, owners, findings (not their rendered questions: the app
  picks those per request) and the indexes of
  the two files above, as a run of small pickles, so that reading it lets other threads
  in between pieces (one big ``pickle.load`` would hold the interpreter for seconds),
  through one pickler, so what many records share (a deal, an id, a stage name) is one
  object again.

A folder is named by a key (``snapshot_key``) over everything the analysis depends on,
so a folder that exists is a finished analysis of exactly those inputs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import threading
import time
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from bot.analysis.analyse import Advice, DealCard, Snapshot
from bot.ingest.loader import LoadResult
from bot.state.store import Recorded
from rules.model import Activity, ContactRole, HistoryEntry, Pipeline, Stored

FORMAT = 2  # bump when the layout of the files changes
CHUNK = 2000  # records per pickle: each takes a few milliseconds to read
DEALS = "deals.bin"
CONTACTS = "contacts.bin"
SNAPSHOT = "snapshot.bin"
# The export history line the analysis made, apart: at a first start it holds every deal
# (100k changes, about 100 MB as objects), and only the append needs it, never a read.
RECORDED = "recorded.bin"
RECORDS_KEPT = 64  # deals' records kept after reading (a view reads three parts of one)
_CODE: str | None = None
T = TypeVar("T")
# One deal's record: its activities, contact roles, history (the export's own entries
# first, then those derived from earlier exports) and how many are the export's own.
Record = tuple[tuple[Activity, ...], tuple[ContactRole, ...], tuple[HistoryEntry, ...], int]
Index = tuple[dict[str, int], "array[int]"]


def code_fingerprint() -> str:
    """A hash of the code that reads exports and decides findings (a new release never
    reuses an older release's analysis)."""
    global _CODE
    if _CODE is None:
        digest = hashlib.sha256(str(FORMAT).encode())
        root = Path(__file__).resolve().parent.parent
        for package in ("bot", "rules"):
            for path in sorted((root / package).rglob("*")):
                if path.suffix in {".py", ".toml", ".txt"} and path.is_file():
                    digest.update(path.relative_to(root).as_posix().encode())
                    digest.update(path.read_bytes())
        _CODE = digest.hexdigest()
    return _CODE


def snapshot_key(*parts: str) -> str:
    """The folder name for an analysis of these inputs (export, day, settings, code)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


class _Pickles:
    """Records, one pickle each, in a file read with ``os.pread`` (no shared file position,
    so any thread may read): ``positions`` gives each key's slot, ``bounds`` the byte
    offsets (one more than there are records)."""

    def __init__(self, path: Path, index: Index) -> None:
        self.positions, self._bounds = index
        self._fd = os.open(path, os.O_RDONLY)

    def get(self, key: str) -> Any:
        n = self.positions.get(key)
        if n is None:
            return None
        start, end = self._bounds[n], self._bounds[n + 1]
        data = os.pread(self._fd, end - start, start)
        if len(data) != end - start:
            raise OSError(f"a snapshot file is shorter than its index ({key})")
        return pickle.loads(data)

    def __del__(self) -> None:
        fd, self._fd = getattr(self, "_fd", -1), -1
        if fd >= 0:
            os.close(fd)


class _Records:
    """The deals' records, the last few kept (a view asks for three parts of one)."""

    def __init__(self, pickles: _Pickles) -> None:
        self.pickles = pickles
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, Record | None] = OrderedDict()

    def get(self, deal_id: str) -> Record | None:
        with self._lock:
            if deal_id in self._kept:
                self._kept.move_to_end(deal_id)
                return self._kept[deal_id]
        record: Record | None = self.pickles.get(deal_id)
        with self._lock:
            self._kept[deal_id] = record
            while len(self._kept) > RECORDS_KEPT:
                self._kept.popitem(last=False)
        return record

    def part(self, n: int) -> Callable[[str], Any]:
        """Reads part ``n`` of a deal's record (history sorted by date, as
        ``Pipeline.history_by_deal`` gives it)."""

        def read(deal_id: str) -> Any:
            record = self.get(deal_id)
            if record is None:
                return None
            return tuple(sorted(record[2], key=lambda h: h.date)) if n == 2 else record[n]

        return read


class _Field(Mapping[str, T], Generic[T]):
    """Records on disk as a read-only mapping by id."""

    def __init__(self, keys: Mapping[str, int], read: Callable[[str], T | None]) -> None:
        self._keys = keys
        self._read = read

    def __getitem__(self, key: str) -> T:
        found = self._read(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys


def write(folder: Path, snap: Snapshot, raw_history: int, recorded: Recorded | None = None) -> None:
    """Write ``snap`` as the folder ``folder`` (atomically: all of it or nothing; a folder
    another process wrote first is kept). ``raw_history``: how many of the pipeline's
    history entries came from the export itself (the rest were derived from earlier
    exports, and are derived again on re-analysis). ``recorded``: the export history line
    the analysis made, for the server to append."""
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        pipeline = snap.pipeline
        deal_index = _write_pickles(tmp / DEALS, _records(pipeline, raw_history))
        contact_index = _write_pickles(tmp / CONTACTS, ((c.id, c) for c in pipeline.contacts))
        header = {
            "as_of": snap.as_of,
            "report": snap.load.report,
            "owners": pipeline.owners,
            "inputs": pipeline.inputs,
            "activities": pipeline.activity_count,
        }
        with open(tmp / RECORDED, "wb") as f:
            pickle.dump(recorded, f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())
        with open(tmp / SNAPSHOT, "wb") as f:
            # One pickler for every piece: an object met again (a deal in a finding, an id
            # or a stage name shared by thousands of rows) is written once and read back
            # as one object, however many pieces refer to it.
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dump(header)
            # Findings without their rendered questions: the app picks those per request,
            # with what each person was shown before (``Services.questions``).
            advice = tuple(Advice(a.finding, ()) for a in snap.advice)
            # Each card's context and facts (its advice is the findings above, regrouped).
            cards = tuple((k, c.context, c.facts) for k, c in snap.cards.items())
            for items in (pipeline.deals, advice, cards):
                pickler.dump(len(items))
                for start in range(0, len(items), CHUNK):
                    pickler.dump(tuple(items[start : start + CHUNK]))
            pickler.dump(deal_index)
            pickler.dump(contact_index)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.replace(tmp, folder)
        except OSError:
            if not (folder / SNAPSHOT).is_file():
                raise
            shutil.rmtree(tmp)  # another process wrote the same analysis first
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read(folder: Path, *, pause: float = 0.0) -> Snapshot:
    """The snapshot in ``folder``; the deals' records stay on disk. ``pause`` seconds
    between pieces let a busy server answer between them."""
    header, deals, advice, cards, deal_index, contact_index = _read_pieces(folder, pause)
    records = _Records(_Pickles(folder / DEALS, deal_index))
    contacts = _Pickles(folder / CONTACTS, contact_index)
    keys = deal_index[0]
    stored = Stored(
        activities=_Field(keys, records.part(0)),
        roles=_Field(keys, records.part(1)),
        history=_Field(keys, records.part(2)),
        contacts=_Field(contact_index[0], contacts.get),
        activity_count=header["activities"],
    )
    pipeline = Pipeline(deals=deals, owners=header["owners"], inputs=header["inputs"],
                        stored=stored)  # fmt: skip
    grouped: dict[str, list[Advice]] = defaultdict(list)
    for a in advice:
        grouped[a.finding.deal.id].append(a)
    return Snapshot(
        header["as_of"],
        LoadResult(pipeline, header["report"]),
        advice,
        {k: DealCard(tuple(grouped[k]), context, facts) for k, context, facts in cards},
    )


def recorded(folder: Path) -> Recorded | None:
    """The export history line the folder's analysis made (None: the export was the same
    as the last one recorded)."""
    path = folder / RECORDED
    if not path.is_file():  # written by an earlier dealnudge: the line is in the header
        with open(folder / SNAPSHOT, "rb") as f:
            old: Recorded | None = pickle.load(f).get("recorded")
            return old
    with open(path, "rb") as f:
        found: Recorded | None = pickle.load(f)
        return found


def link(name: Path, folder: Path) -> None:
    """Let ``folder`` also answer to ``name`` (a relative link beside it)."""
    if name == folder or name.is_dir():
        return
    try:
        name.unlink(missing_ok=True)  # a link to a folder that is gone
        name.symlink_to(folder.name)
    except FileExistsError:
        pass  # another process linked it first


def read_export(folder: Path) -> LoadResult:
    """The export behind a snapshot folder as it was read (its own history only), whole in
    memory: what a re-analysis of the last good export starts from."""
    header, deals, _, _, deal_index, contact_index = _read_pieces(folder, 0.0)
    records = _Pickles(folder / DEALS, deal_index)
    activities: list[Activity] = []
    roles: list[ContactRole] = []
    history: list[HistoryEntry] = []
    for deal_id in records.positions:
        acts, deal_roles, entries, own = records.get(deal_id)
        activities += acts
        roles += deal_roles
        history += entries[:own]
    people = _Pickles(folder / CONTACTS, contact_index)
    whole = Pipeline(
        deals=deals, activities=tuple(activities),
        contacts=tuple(people.get(c) for c in people.positions), owners=header["owners"],
        history=tuple(history), contact_roles=tuple(roles), inputs=header["inputs"],
    )  # fmt: skip
    return LoadResult(whole, header["report"])


def _read_pieces(
    folder: Path, pause: float
) -> tuple[dict[str, Any], tuple[Any, ...], tuple[Advice, ...], tuple[Any, ...], Index, Index]:
    with open(folder / SNAPSHOT, "rb") as f:
        unpickler = pickle.Unpickler(f)  # one, as it was written: its memo spans pieces
        header: dict[str, Any] = unpickler.load()
        deals = _load_parts(unpickler, pause)
        advice: tuple[Advice, ...] = _load_parts(unpickler, pause)
        cards = _load_parts(unpickler, pause)
        return header, deals, advice, cards, unpickler.load(), unpickler.load()


def _load_parts(unpickler: pickle.Unpickler, pause: float) -> tuple[Any, ...]:
    total: int = unpickler.load()
    items: list[Any] = []
    while len(items) < total:
        items.extend(unpickler.load())
        if pause:
            time.sleep(pause)
    return tuple(items)


def _write_pickles(path: Path, items: Iterable[tuple[str, Any]]) -> Index:
    positions: dict[str, int] = {}
    bounds = array("q", [0])
    with open(path, "wb") as f:
        for key, value in items:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            f.write(data)
            positions[key] = len(positions)
            bounds.append(bounds[-1] + len(data))
        f.flush()
        os.fsync(f.fileno())
    return positions, bounds


def _records(pipeline: Pipeline, raw_history: int) -> Iterator[tuple[str, Record]]:
    """Each deal's record; its history in the pipeline's order, the export's own entries
    (the pipeline's first ``raw_history``) first."""
    own: dict[str, list[HistoryEntry]] = defaultdict(list)
    derived: dict[str, list[HistoryEntry]] = defaultdict(list)
    for n, h in enumerate(pipeline.history):
        (own if n < raw_history else derived)[h.deal_id].append(h)
    acts, roles = pipeline.activities_by_deal, pipeline.roles_by_deal
    ids = {**dict.fromkeys(acts), **dict.fromkeys(roles), **dict.fromkeys(own),
           **dict.fromkeys(derived)}  # fmt: skip
    for deal_id in ids:
        mine = own.get(deal_id, [])
        history = (*mine, *derived.get(deal_id, ()))
        yield deal_id, (acts.get(deal_id, ()), roles.get(deal_id, ()), history, len(mine))


def remove_others(root: Path, folder: Path, older_than: float = 3600.0) -> None:
    """Delete snapshot folders (and links, and leftovers of interrupted writes) other than
    ``folder`` and the links to it, untouched for ``older_than`` seconds: another process
    may be reading a newer one; one that reads a deleted folder keeps its open files."""
    kept = folder.resolve()
    now = time.time()
    for path in root.iterdir() if root.is_dir() else ():
        try:
            if path.resolve() == kept or now - path.lstat().st_mtime < older_than:
                continue
            if path.is_symlink():
                path.unlink()
            else:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue
