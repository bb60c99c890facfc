"""Analysis away from the server: the child process, the snapshot folder it leaves, and a
restart that reads that folder again instead of analysing an unchanged export anew."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from support.fake_slack import FakeSlack
from support.slack_harness import ADMIN, make_runtime

from bot.analysis import refresher, snapdir
from bot.analysis.analyse import Snapshot, analyse, read_config
from bot.appconfig import load_app_config
from bot.ingest.loader import LoadResult, load_export
from bot.settings import Settings
from bot.state import open_store
from bot.state.store import Recorded
from bot.tools.demo import demo_export_dir
from rules.model import HistoryEntry

AS_OF = date(2026, 11, 2)
CONFIG = f'[slack]\nadmins = ["{ADMIN}"]\n'


def _advice(snap: Snapshot) -> list[tuple[Any, ...]]:
    return [
        (
            a.finding.deal.id,
            a.finding.pattern,
            a.finding.severity,
            a.finding.summary,
            a.finding.evidence,
            tuple((q.id, text) for q, text in a.questions),
        )
        for a in snap.advice
    ]


def test_a_snapshot_folder_reads_back_as_the_analysis_it_holds(tmp_path: Path) -> None:
    load = load_export([demo_export_dir()])
    snap = analyse(load, read_config(None), AS_OF)
    snapdir.write(tmp_path / "snap", snap, raw_history=len(load.pipeline.history))
    back = snapdir.read(tmp_path / "snap")
    p, q = snap.pipeline, back.pipeline
    assert len(snapdir.read_export(tmp_path / "snap").pipeline.history) == len(p.history)
    assert back.as_of == AS_OF
    assert (q.deals, q.owners, q.inputs) == (p.deals, p.owners, p.inputs)
    # the deals' records stay on disk, read by id when asked
    assert q.activities == q.contacts == q.history == q.contact_roles == ()
    assert q.activity_count == len(p.activities) > 0
    for index in ("activities_by_deal", "roles_by_deal", "history_by_deal", "contact_index"):
        assert dict(getattr(q, index)) == dict(getattr(p, index)), index
    findings = [a.finding for a in snap.advice]
    assert [a.finding for a in back.advice] == findings and len(findings) > 10
    assert all(a.questions == () for a in back.advice)  # picked per request in the app
    assert list(back.cards) == list(snap.cards)
    assert [(c.context, c.facts) for c in back.cards.values()] == [
        (c.context, c.facts) for c in snap.cards.values()
    ]
    assert back.load.report == snap.load.report
    # what records share is one object again: findings point at the pipeline's own deals,
    # every deal in one stage at one stage name
    deals = {id(d) for d in q.deals}
    assert all(id(a.finding.deal) in deals for a in back.advice)
    assert len({id(d.stage) for d in q.deals}) == len({d.stage for d in q.deals})


def test_a_stored_export_reads_back_whole_for_a_reanalysis(tmp_path: Path) -> None:
    """The export behind a folder, its own history only: analysing it again gives what
    analysing the files gave."""
    load = load_export([demo_export_dir()])
    derived = HistoryEntry(load.pipeline.deals[0].id, AS_OF, "Derived", source="snapshots")
    merged = dataclasses.replace(load.pipeline, history=(*load.pipeline.history, derived))
    snap = analyse(LoadResult(merged, load.report), read_config(None), AS_OF)
    snapdir.write(tmp_path / "snap", snap, raw_history=len(load.pipeline.history))
    again = snapdir.read_export(tmp_path / "snap").pipeline
    p = load.pipeline
    assert again.deals == p.deals and set(again.contacts) == set(p.contacts)
    assert sorted(again.activities, key=lambda a: a.id) == sorted(p.activities, key=lambda a: a.id)
    assert Counter(again.history) == Counter(p.history)  # the derived entry left out
    assert Counter(again.contact_roles) == Counter(p.contact_roles)
    assert _advice(analyse(LoadResult(again, load.report), read_config(None), AS_OF)) == _advice(
        analyse(load, read_config(None), AS_OF)
    )


def test_the_history_line_is_kept_apart_from_what_a_read_loads(tmp_path: Path) -> None:
    """At a first start the line holds every deal: only the append reads it, never a read
    (which would unpickle it again); a folder an earlier dealnudge wrote still gives it."""
    load = load_export([demo_export_dir()])
    snap = analyse(load, read_config(None), AS_OF)
    line = Recorded("demo", {"changes": [["D1", "stage", "Won"]] * 1000}, 0)
    folder = tmp_path / "snap"
    snapdir.write(folder, snap, 0, recorded=line)
    assert snapdir.recorded(folder) == line
    with open(folder / snapdir.SNAPSHOT, "rb") as f:
        assert "recorded" not in pickle.Unpickler(f).load()  # the header a read loads
    (folder / snapdir.RECORDED).unlink()  # the earlier layout: the line in the header
    (folder / snapdir.SNAPSHOT).write_bytes(pickle.dumps({"recorded": line}))
    assert snapdir.recorded(folder) == line


def test_a_half_written_folder_is_never_left_under_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load = load_export([demo_export_dir()])
    snap = analyse(load, read_config(None), AS_OF)

    real_dumps = snapdir.pickle.dumps
    written = {"deals": 0}

    def disk_full(obj: Any, *args: Any, **kw: Any) -> bytes:
        written["deals"] += 1
        if written["deals"] > 5:  # some deals' activities are on disk by now
            raise OSError(28, "No space left on device")
        return real_dumps(obj, *args, **kw)

    monkeypatch.setattr(snapdir.pickle, "dumps", disk_full)
    with pytest.raises(OSError, match="No space"):
        snapdir.write(tmp_path / "snap", snap, 0)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[refresher.Job]]:
    """Every child-process analysis the runtime starts."""
    jobs: list[refresher.Job] = []
    real = refresher.analyse_apart

    def spy(job: refresher.Job, stopping: threading.Event) -> refresher.Outcome:
        jobs.append(job)
        return real(job, stopping)

    monkeypatch.setattr("bot.runtime.analyse_apart", spy)
    yield jobs


def _runtime(tmp_path: Path, fake: FakeSlack, source: Path, **kw: Any) -> Any:
    return make_runtime(tmp_path, fake, source=source, offload=True, **kw)


@pytest.mark.slow  # starts the analysis child process (see pyproject's markers)
def test_a_restart_with_an_unchanged_export_reads_the_last_analysis(
    tmp_path: Path, counted: list[refresher.Job]
) -> None:
    source = tmp_path / "export"
    shutil.copytree(demo_export_dir(), source)
    with FakeSlack() as fake:
        first = _runtime(tmp_path, fake, source)
        before = first.deps.snapshots.current
        first.close()
        assert len(counted) == 1 and before is not None
        again = _runtime(tmp_path, fake, source)
        after = again.deps.snapshots.current
        assert len(counted) == 1  # no new analysis
        assert after is not None and _advice(after) == _advice(before)
        assert len(again.deps.store.exports()) == 1  # the export was recorded once
        again.close()
        # a changed export, or changed settings, is analysed anew
        (source / "Task.csv").write_text(
            (source / "Task.csv").read_text(encoding="utf-8-sig"), encoding="utf-8"
        )
        os.utime(source / "Task.csv", (time.time() + 5, time.time() + 5))
        third = _runtime(tmp_path, fake, source)
        assert len(counted) == 2
        third.close()
        fourth = _runtime(
            tmp_path,
            fake,
            source,
            config_text=f"{CONFIG}[patterns.single-threaded]\nenabled = false\n",
        )
        assert len(counted) == 3
        fourth.close()


def test_the_server_appends_the_childs_history_line_and_a_stale_one_is_redone(
    tmp_path: Path,
) -> None:
    """The child compares the export with the history as it stood; if another process
    recorded an export since, the line no longer fits and is refused."""
    load = load_export([demo_export_dir()])
    path = tmp_path / "state.json"
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    with open_store(path, clock=lambda: now) as writer:
        with open_store(path, clock=lambda: now, read_only=True) as child:
            child.record_export(AS_OF, "crm", load.pipeline)
            line = child.history.last_recorded
        assert line is not None and line.after == 0
        writer.record_export(date(2026, 11, 1), "crm", load.pipeline)  # someone else first
        assert writer.append_export(line) is False
        with open_store(path, clock=lambda: now, read_only=True) as child:
            child.record_export(AS_OF, "crm", load.pipeline)
            line = child.history.last_recorded
        assert line is not None and writer.append_export(line) is True
        assert [e.as_of for e in writer.exports()] == [date(2026, 11, 1), AS_OF]


def _job(tmp_path: Path, paths: tuple[Path, ...]) -> refresher.Job:
    settings = Settings(db_path=tmp_path / "state.json")
    return refresher.Job(
        settings, load_app_config(None), AS_OF, datetime(2026, 11, 2, 12, tzinfo=UTC), "crm",
        tmp_path / "snap", paths=paths,
    )  # fmt: skip


@pytest.mark.slow  # starts the analysis child process (see pyproject's markers)
def test_stopping_kills_the_analysis_process(tmp_path: Path) -> None:
    stopping = threading.Event()
    stopping.set()
    with pytest.raises(refresher.AnalysisFailed, match="stopped"):
        refresher.analyse_apart(_job(tmp_path, (demo_export_dir(),)), stopping)
    assert multiprocessing.active_children() == []


@pytest.mark.slow  # starts the analysis child process (see pyproject's markers)
def test_an_analysis_process_that_dies_is_a_failure_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "Opportunity.csv"
    os.mkfifo(fifo)  # the child blocks opening it until it is killed
    failure: list[BaseException] = []

    def run() -> None:
        try:
            refresher.analyse_apart(_job(tmp_path, (fifo,)), threading.Event())
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 30
    while not multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    (child,) = multiprocessing.active_children()
    time.sleep(1.0)  # let it reach the blocking open
    os.kill(child.pid or 0, 9)
    worker.join(30)
    assert not worker.is_alive()
    assert failure and isinstance(failure[0], refresher.AnalysisFailed)
    assert "-9" in str(failure[0])


@pytest.mark.slow  # starts the analysis child process (see pyproject's markers)
def test_a_rejected_export_in_the_child_says_why_and_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "export"
    broken.mkdir()
    (broken / "Opportunity.csv").write_text("Nope,Name\n1,x\n", encoding="utf-8")
    outcome = refresher.analyse_apart(_job(tmp_path, (broken,)), threading.Event())
    assert "Opportunity.csv" in outcome.rejected
    assert not (tmp_path / "snap").exists()


@pytest.mark.slow  # starts the analysis child process (see pyproject's markers)
def test_a_crashed_analysis_keeps_the_last_export_alerts_once_and_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "export"
    shutil.copytree(demo_export_dir(), source)
    day = {"now": datetime(2026, 11, 2, 12, tzinfo=UTC)}
    with FakeSlack() as fake:
        fake.add_user(ADMIN, "revops@example.com", "Rae Ops")
        runtime = _runtime(tmp_path, fake, source, clock=lambda: day["now"])
        good = runtime.deps.snapshots.current
        assert good is not None
        real = refresher.analyse_apart
        crashes = {"left": 2}

        def flaky(job: refresher.Job, stopping: threading.Event) -> refresher.Outcome:
            if crashes["left"]:
                crashes["left"] -= 1
                raise refresher.AnalysisFailed("the analysis process ended (exit code -9)")
            return real(job, stopping)

        monkeypatch.setattr("bot.runtime.analyse_apart", flaky)
        day["now"] = datetime(2026, 11, 3, 12, tzinfo=UTC)  # a new day: analyse again
        assert runtime.refresh() is False
        assert runtime.deps.snapshots.current is good
        assert "exit code -9" in runtime.deps.snapshots.last_error
        # The unchanged export is read again, not skipped: it crashes once more (the same
        # reason: no second alert), then the day's re-analysis goes through.
        assert runtime.refresh() is True and crashes["left"] == 0
        alerts = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == ADMIN]
        assert len(alerts) == 1 and "could not be analysed" in str(alerts[0].params)
        current = runtime.deps.snapshots.current
        assert current is not None and current.as_of == date(2026, 11, 3)
        assert runtime.deps.snapshots.last_error == ""
        runtime.close()


@pytest.mark.slow  # starts the analysis child process (see pyproject's markers)
def test_two_servers_on_one_database_share_the_analysis_and_record_the_export_once(
    tmp_path: Path,
) -> None:
    """Web processes behind one load balancer (PostgreSQL state, one snapshot folder):
    refreshing at the same moment, both serve the export, which is recorded once."""
    from support import pg

    from bot.runtime import build_runtime
    from bot.settings import Secret

    source = tmp_path / "export"
    shutil.copytree(demo_export_dir(), source)
    with pg.schema() as schema:
        settings = Settings(
            source=str(source),
            db_path=tmp_path / "state" / "state.json",
            database_url=Secret(pg.URL),
            pg_schema=schema,
        )
        now = datetime(2026, 11, 2, 12, tzinfo=UTC)
        runtimes = [build_runtime(settings, lambda: now, offload=True) for _ in range(2)]
        done: list[bool] = []
        threads = [threading.Thread(target=lambda r=r: done.append(r.refresh())) for r in runtimes]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert done == [True, True]
        first, second = (r.deps.snapshots.current for r in runtimes)
        assert first is not None and second is not None and _advice(first) == _advice(second)
        assert len(runtimes[0].deps.store.exports()) == 1
        for r in runtimes:
            r.close()
