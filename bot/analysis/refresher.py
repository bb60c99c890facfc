"""Reading and analysing an export, in this process or in a child process.

``build_snapshot`` is the one analysis step: record the export in the history, fold in the
history earlier exports left, apply what feedback taught, run the rules.

``serve`` runs it in a child process (``analyse_apart``): the child opens the state
read-only, reads the export, analyses it and writes a snapshot folder (``bot.analysis.snapdir``);
the server appends the child's export-history line to the state, then reads the folder in
small pieces. So the web process never holds an export's activities, never pauses for the
analysis, and a restart with an unchanged export reads the folder again instead of
analysing anew. One-shot commands (``nudge``, ``digest``) run it in their own process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import traceback
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing.connection import Connection
from pathlib import Path

from bot.analysis import snapdir
from bot.analysis.analyse import Snapshot, analyse
from bot.appconfig import AppConfig
from bot.ingest.loader import LoadResult, load_export
from bot.ingest.report import ExportError
from bot.settings import Settings
from bot.state import Store, open_state
from bot.state.feedback import apply_overrides
from bot.state.history import with_history

log = logging.getLogger("dealnudge")
POLL_SECONDS = 0.2
NICE = 10  # the analysis process's scheduling priority, below the server's


def build_snapshot(
    load: LoadResult, config: AppConfig, store: Store, as_of: date, source: str
) -> Snapshot:
    """Record the export, fold in history derived from earlier exports, apply feedback."""

    store.record_export(as_of, source, load.pipeline)
    pipeline = with_history(load.pipeline, store.history_entries())
    rules = apply_overrides(config.rules, store)
    return analyse(LoadResult(pipeline, load.report), rules, as_of)


@dataclass(frozen=True)
class Job:
    """One analysis for a child process: the export's files, or (``paths`` None) the
    export behind the snapshot folder ``base``, analysed as of ``as_of`` into ``folder``."""

    settings: Settings  # to open the state read-only; travels over a pipe, never to disk
    config: AppConfig
    as_of: date
    now: datetime
    source: str
    folder: Path
    paths: tuple[Path, ...] | None = None
    mapping: Path | None = None
    base: Path | None = None


@dataclass(frozen=True)
class Outcome:
    """What the child did: wrote the snapshot folder (with the export history line to
    append), or why the export could not be read (``rejected``), or the error that stopped
    it (``crashed``)."""

    rejected: str = ""
    crashed: str = ""


class AnalysisFailed(RuntimeError):
    """The analysis process crashed, was killed or was stopped."""


def analyse_job(job: Job) -> Outcome:
    """Read, analyse and write ``job.folder``; the state is only read."""
    with open_state(job.settings, lambda: job.now, read_only=True) as store:
        try:
            if job.paths is not None:
                load = load_export(list(job.paths), mapping=job.mapping)
            else:
                assert job.base is not None
                load = snapdir.read_export(job.base)
        except ExportError as exc:
            return Outcome(rejected=str(exc))
        raw_history = len(load.pipeline.history)
        snap = build_snapshot(load, job.config, store, job.as_of, job.source)
        snapdir.write(job.folder, snap, raw_history, store.history.last_recorded)
        return Outcome()


def analyse_apart(job: Job, stopping: threading.Event) -> Outcome:
    """``analyse_job`` in a child process; raises ``AnalysisFailed`` when the child dies
    (out of memory, killed) or ``stopping`` is set (the child is then killed)."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(job, send), name="dealnudge-analysis", daemon=True)
    child.start()
    send.close()
    try:
        while True:
            if receive.poll(POLL_SECONDS):
                try:
                    outcome: Outcome = receive.recv()
                except EOFError:
                    outcome = Outcome(crashed="")
                child.join()
                if outcome.crashed or child.exitcode:
                    raise AnalysisFailed(
                        f"the analysis process failed (exit code {child.exitcode}): "
                        f"{outcome.crashed or 'no message'}"
                    )
                return outcome
            if not child.is_alive():
                raise AnalysisFailed(
                    f"the analysis process ended without an answer (exit code "
                    f"{child.exitcode}; out of memory?)"
                )
            if stopping.is_set():
                raise AnalysisFailed("stopped while analysing")
    finally:
        if child.is_alive():
            child.kill()
            child.join()
        receive.close()


def _child(job: Job, send: Connection) -> None:
    try:
        os.nice(NICE)  # background work: the server answering Slack goes first
        outcome = analyse_job(job)
    except BaseException as exc:
        traceback.print_exc()
        outcome = Outcome(crashed=f"{type(exc).__name__}: {exc}")
    send.send(outcome)
    send.close()
