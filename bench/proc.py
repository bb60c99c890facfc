"""Running a command as a child process and measuring it: wall time and peak RSS.

The peak RSS is the child's own ``ru_maxrss`` from ``os.wait4`` (exact, no polling, no
psutil needed), so every run is measured separately.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.core import REPO


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stderr: str

    def check(self, what: str) -> Run:
        if self.returncode != 0:
            tail = self.stderr.strip().splitlines()[-15:]
            raise RuntimeError(f"{what} exited {self.returncode}:\n" + "\n".join(tail))
        return self


def dealnudge_cmd() -> list[str]:
    """The installed ``dealnudge`` script next to this interpreter, else ``python -m bot.cli``."""
    script = Path(sys.executable).parent / "dealnudge"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "bot.cli"]


def measure(
    cmd: Sequence[str],
    stdout: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 3600.0,
) -> Run:
    """Run ``cmd`` to completion; stdout goes to a file (scan output can be 100+ MB)."""
    err_path = stdout.with_name(stdout.name + ".stderr") if stdout else None
    out_fh = stdout.open("wb") if stdout else subprocess.DEVNULL
    err_fh = err_path.open("wb") if err_path else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            stdout=out_fh,
            stderr=err_fh,
            stdin=subprocess.DEVNULL,
            cwd=REPO,
            env=dict(env) if env is not None else None,
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for fh in (out_fh, err_fh):
            if hasattr(fh, "close"):
                fh.close()
    stderr = ""
    if err_path is not None and err_path.exists():
        stderr = err_path.read_text(encoding="utf-8", errors="replace")[-20_000:]
    # Linux reports KiB, macOS bytes.
    rss = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return Run(seconds, rss, proc.returncode, stderr)
