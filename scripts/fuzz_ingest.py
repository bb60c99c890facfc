"""Coverage-guided fuzzing of CSV ingest (``bot.ingest``) with atheris / libFuzzer.

Not run in CI and not a dependency of the project; run it by hand::

    pip install atheris
    python scripts/fuzz_ingest.py -max_total_time=300

Other libFuzzer flags work as usual (``-jobs=2``, ``-max_len=65536``, ``-timeout=20``;
``-max_len`` defaults to 8192 here). A directory argument is used as the corpus (and grows);
without one a throw-away seed corpus is built from the bundled demo export and the test
fixtures. A failing input is saved by libFuzzer as ``crash-<sha1>`` in the current
directory; replay it with ``python scripts/fuzz_ingest.py crash-<sha1>``.

Each input is one control byte and the bytes of one CSV file. The control byte picks the
file name (bits 0-2: ``Opportunity.csv``, ``Task.csv``, ...), the ``--format`` (bits 3-5)
and whether demo accounts, users, contacts and deals are loaded alongside (bit 6), so
cross-file linking is reached too.

The contract checked is the one of ``tests/bot/ingest/test_fuzz_ingest.py``: ``load_export``
either raises ``ExportError`` with a short message naming a file, or returns a report that
reconciles per file (rows = loaded + rejected + unlinked) with one problem per bad row on a
real line, naming the field when one is to blame, and never the loader's catch-all "could
not read this row (...)". Anything else (another exception, a broken ledger) is a crash.
The hypothesis counterpart runs long with
``FUZZ_EXAMPLES=20000 pytest tests/bot/ingest/test_fuzz_ingest.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["bot.ingest"]):
    from bot.ingest.formats import FORMAT_NAMES
    from bot.ingest.loader import load_export
    from bot.ingest.report import ExportError

DEMO = ROOT / "bot" / "tools" / "demo_data"
# Loaded alongside a fuzzed file in context mode: small, and what other files link to.
CONTEXT_FILES = ("Account.csv", "User.csv", "Contact.csv", "Opportunity.csv")
NAMES = ("Opportunity.csv", "Task.csv", "Event.csv", "User.csv", "OpportunityHistory.csv",
         "OpportunityContactRole.csv", "deals.csv", "Opportunity Pipeline Report.csv")  # fmt: skip
FORMATS: tuple[str | None, ...] = (None, *(n for n in FORMAT_NAMES if n != "mapping"))
CONTEXT = 0x40
CATCH_ALL = "could not read this row ("
STRUCTURAL = ("cannot read this record", "a quote opened", "row has ", "duplicate of line")
MAX_MESSAGE = 2_000
WORK_ENV = "DEALNUDGE_FUZZ_WORK"


def decode_input(data: bytes) -> tuple[str, str | None, bool, bytes]:
    control = data[0] if data else 0
    name = NAMES[control & 0x07]
    fmt = FORMATS[(control >> 3 & 0x07) % len(FORMATS)]
    return name, fmt, bool(control & CONTEXT), data[1:]


def check(paths: list[Path], fmt: str | None) -> None:
    """Raise AssertionError unless the load keeps the ingest contract."""
    try:
        result = load_export(paths, format_name=fmt)
    except ExportError as exc:
        msg = str(exc)
        if not any(str(p) in msg for p in paths):
            raise AssertionError(f"ExportError names no file: {msg[:300]!r}") from exc
        if len(msg) > MAX_MESSAGE:
            raise AssertionError(f"ExportError of {len(msg)} characters") from exc
        return
    report = result.report
    for f in report.files:
        if not f.reconciles:
            raise AssertionError(f"does not reconcile: {f}")
        bad = [p for p in report.problems if p.file == f.path and p.status != "warning"]
        if sum(p.status == "rejected" for p in bad) != f.rejected:
            raise AssertionError(f"rejected count and problems differ: {f}")
        if sum(p.status == "unlinked" for p in bad) != f.unlinked:
            raise AssertionError(f"unlinked count and problems differ: {f}")
        if len({p.line for p in bad}) != len(bad):
            raise AssertionError(f"two verdicts for one row in {f.path}")
        for p in bad:
            if p.line < 2 or not (p.field or p.reason.startswith(STRUCTURAL)):
                raise AssertionError(f"problem without line or field: {p.describe()[:300]}")
    for p in report.problems:
        if CATCH_ALL in p.reason:
            raise AssertionError(f"reader bug reached the catch-all: {p.describe()[:300]}")
        if not p.reason or len(p.describe()) > MAX_MESSAGE:
            raise AssertionError(f"empty or oversized problem: {p.describe()[:300]}")


def fuzz(work: Path, argv: list[str]) -> None:
    # One input folder per process: libFuzzer's -jobs/-workers run this script in parallel.
    folder = work / f"input-{os.getpid()}"
    folder.mkdir()
    context = [DEMO / n for n in CONTEXT_FILES]

    def test_one_input(data: bytes) -> None:
        name, fmt, with_context, body = decode_input(data)
        for old in folder.iterdir():
            old.unlink()
        target = folder / name
        target.write_bytes(body)
        paths = [target]
        if with_context:
            paths += [p for p in context if p.name != name]
        check(paths, fmt)

    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


def seed_corpus(work: Path) -> Path:
    seeds = work / "seeds"
    seeds.mkdir()
    sources = sorted(DEMO.glob("*.csv")) + sorted((ROOT / "tests/fixtures/exports").rglob("*.csv"))
    for i, src in enumerate(sources):
        index = NAMES.index(src.name) if src.name in NAMES else 6
        data = src.read_bytes()[:8000]
        (seeds / f"seed-{i}-context").write_bytes(bytes([index | CONTEXT]) + data)
        (seeds / f"seed-{i}").write_bytes(bytes([index]) + data)
    return seeds


def main() -> int:
    work = os.environ.get(WORK_ENV)
    if work:
        fuzz(Path(work), sys.argv)
        return 0
    # libFuzzer ends the process with exit(), past Python's clean-up, so the fuzzing runs in
    # a child and this parent removes the scratch folder (seeds, file under test) after it.
    root = Path(tempfile.mkdtemp(prefix="dealnudge-fuzz-"))
    try:
        args = sys.argv[1:]
        if not any(a.startswith("-max_len=") for a in args):
            args.append("-max_len=8192")
        if all(a.startswith("-") for a in args):
            args.append(str(seed_corpus(root)))
        env = {**os.environ, WORK_ENV: str(root)}
        return subprocess.call([sys.executable, __file__, *args], env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
